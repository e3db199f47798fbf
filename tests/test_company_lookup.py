"""The company register: numbers checked, its answer read, and a source that fails or is slow.

The register's answers come from the fake in testing/fake_registries.py, shaped like the public
documentation of https://recherche-entreprises.api.gouv.fr/docs/.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot import company_registry, console, public_api
from bot.config import Settings
from bot.service import Assistant
from bot.storage import TinyDBStorage
from flows.company import Company, company_number, from_search, trader_by_form
from flows.conversation import (
    LOOKUPS_OFF,
    UNAVAILABLE,
    CompanyFound,
    CompanyLookup,
    InsolvencyCheck,
    Reply,
)
from flows.turn import turn
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain
from testing.fake_registries import (
    ACME,
    CLOSED,
    FAILING,
    SCI,
    SLOW,
    UNKNOWN,
    FakeRegisters,
    company,
    default_registers,
)
from testing.fakebot import FakeBotApi
from testing.stored import load_account
from testing.telegram_harness import TelegramUser, question_key, running_bot
from tests.conftest import NOW


@pytest.fixture(scope="module")
def registers() -> Iterator[FakeRegisters]:
    with FakeRegisters() as fake:
        yield fake


@pytest.fixture
def settings(registers: FakeRegisters, tmp_path: Path) -> Settings:
    return replace(Settings.from_env(), data_dir=tmp_path, lookups=True,
                   company_api_url=registers.company_url, bodacc_api_url=registers.bodacc_url)


@pytest.mark.parametrize(("typed", "country", "digits"), [
    ("812 345 676", "fr", "812345676"),  # SIREN with spaces
    ("812345676 00017", "fr", "81234567600017"),  # SIRET
    ("812.345.676", "fr", "812345676"),
    ("BE 0403.170.701", "be", "0403170701"),  # enterprise number, BE prefix and dots
    ("403170701", "be", "0403170701"),  # written without its leading 0
    ("1234567890", "qc", "1234567890"),  # a NEQ: ten digits
])
def test_a_valid_company_number_is_recognised(typed: str, country: str, digits: str) -> None:
    number = company_number(typed, country)
    assert number is not None
    assert number.digits == digits


@pytest.mark.parametrize(("typed", "country"), [
    ("812 345 677", "fr"),  # wrong check digit: a typo, not a SIREN
    ("ACME SAS", "fr"),
    ("12345", "fr"),
    ("0403.170.702", "be"),
    ("123456789", "qc"),
    ("８１２３４５６７６", "fr"),  # full-width digits are not typed numbers
])
def test_anything_else_is_not_taken_for_a_number(typed: str, country: str) -> None:
    assert company_number(typed, country) is None


def test_shown_numbers_are_grouped_as_printed() -> None:
    assert company_number("812345676", "fr").shown == "812 345 676"  # type: ignore[union-attr]
    assert company_number("81234567600017", "fr").shown == "812 345 676 00017"  # type: ignore[union-attr]
    assert company_number("0403170701", "be").shown == "0403.170.701"  # type: ignore[union-attr]


@pytest.mark.parametrize(("code", "verdict"), [
    ("5710", "trader"),  # SAS: commercial by form (C. com. L210-1)
    ("5499", "trader"),  # SARL
    ("5202", "trader"),  # SNC
    ("6540", "non_trader"),  # SCI: tribunal judiciaire
    ("9220", "non_trader"),  # association
    ("1000", ""),  # individual entrepreneur: trader, craftsman or liberal profession? asked
    ("7389", ""),  # a public body: asked
    ("", ""),
])
def test_the_legal_form_says_trader_or_not_only_when_it_settles_it(code: str,
                                                                   verdict: str) -> None:
    assert trader_by_form(code) == verdict


def test_the_register_answer_gives_name_registered_office_form_and_state() -> None:
    answer = {"results": [company(SCI, "SCI LES TILLEULS", "6540", "12 RUE DES LILAS",
                                  "75011", "PARIS"),
                          company(ACME, "ACME SOLUTIONS", "5710", "4 AVENUE FOCH", "69006",
                                  "LYON")]}
    number = company_number(ACME, "fr")
    assert number is not None
    assert from_search(answer, number) == Company(
        siren=ACME, name="ACME SOLUTIONS", address="4 AVENUE FOCH\n69006 LYON",
        legal_form="5710", trader="trader", active=True, closed_on=None)


def test_a_closed_company_says_since_when() -> None:
    answer = {"results": [company(CLOSED, "ANCIENNE SARL", "5499", "3 RUE BASSE", "13001",
                                  "MARSEILLE", state="C", closed="2025-06-30")]}
    found = from_search(answer, company_number(CLOSED, "fr"))  # type: ignore[arg-type]
    assert found is not None
    assert not found.active
    assert found.closed_on == date(2025, 6, 30)


def test_a_search_that_matched_other_companies_only_finds_nothing() -> None:
    answer = {"results": [company(SCI, "SCI LES TILLEULS", "6540", "1 RUE A", "75011",
                                  "PARIS")]}
    assert from_search(answer, company_number(ACME, "fr")) is None  # type: ignore[arg-type]
    assert from_search({"unexpected": True}, company_number(ACME, "fr")) is None  # type: ignore[arg-type]


def test_the_client_asks_the_configured_address_and_hands_back_the_answer(
        settings: Settings, registers: FakeRegisters) -> None:
    found = company_registry.look_up(settings, CompanyLookup("c1", ACME))
    assert found.failure == ""
    assert found.answer is not None
    assert found.answer["results"][0]["nom_raison_sociale"] == "ACME SOLUTIONS"
    assert registers.registers.asked[-1].startswith(f"/search?q={ACME}")


def test_no_company_is_an_empty_answer_not_a_failure(settings: Settings) -> None:
    found = company_registry.look_up(settings, CompanyLookup("c1", UNKNOWN))
    assert found.failure == ""
    assert found.answer is not None
    assert found.answer["results"] == []


def test_a_failing_register_is_unavailable(settings: Settings) -> None:
    assert company_registry.look_up(settings, CompanyLookup("c1", FAILING)).failure == \
        UNAVAILABLE


def test_a_slow_register_is_given_up_after_the_timeout(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public_api, "TIMEOUT_SECONDS", 0.3)
    assert company_registry.look_up(settings, CompanyLookup("c1", SLOW)).failure == UNAVAILABLE


def test_an_offline_register_is_unavailable(settings: Settings) -> None:
    offline = replace(settings, company_api_url="http://127.0.0.1:9")  # discard port: refused
    assert company_registry.look_up(offline, CompanyLookup("c1", ACME)).failure == UNAVAILABLE


def test_lookups_off_asks_no_one(settings: Settings, registers: FakeRegisters) -> None:
    asked = len(registers.registers.asked)
    found = company_registry.look_up(replace(settings, lookups=False), CompanyLookup("c1", ACME))
    assert found.failure == LOOKUPS_OFF
    assert len(registers.registers.asked) == asked


def test_settings_name_the_sources_and_the_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMPAYES_LOOKUPS")
    monkeypatch.delenv("IMPAYES_COMPANY_API_URL", raising=False)
    monkeypatch.delenv("IMPAYES_BODACC_API_URL", raising=False)
    default = Settings.from_env()
    assert default.lookups
    assert not default.insolvency_watch  # the watch: off unless configured
    assert default.company_api_url == "https://recherche-entreprises.api.gouv.fr"
    assert default.bodacc_api_url == "https://bodacc-datadila.opendatasoft.com/api/explore/v2.1"
    monkeypatch.setenv("IMPAYES_LOOKUPS", "off")
    monkeypatch.setenv("IMPAYES_COMPANY_API_URL", "http://mirror.example/companies")
    changed = Settings.from_env()
    assert not changed.lookups
    assert not changed.insolvency_watch
    monkeypatch.setenv("IMPAYES_LOOKUPS", "daily")
    changed = Settings.from_env()
    assert changed.lookups
    assert changed.insolvency_watch
    assert changed.company_api_url == "http://mirror.example/companies"


# The journey: a number typed for the debtor's name -----------------------------------------
def at_the_debtor_name(lang: str = "fr", country: str = "fr") -> Driver:
    driver = Driver(lang=lang, now=NOW)
    driver.command("start")
    driver.press(country)
    driver.press("business")
    assert driver.prompt.key == "debtor_name"
    return driver


def register_answer(*sirens: str) -> dict[str, Any]:
    known = default_registers().companies
    return {"results": [known[siren] for siren in sirens], "total_results": len(sirens)}


def found(driver: Driver, number: str, answer: dict[str, Any] | None = None,
          failure: str = "") -> Reply:
    return driver._record(turn(driver.account, CompanyFound(driver.case.id, number, answer,
                                                            failure), NOW))


def test_the_name_question_offers_the_siren_in_france_only() -> None:
    assert "SIREN / SIRET" in at_the_debtor_name().prompt.text
    assert "SIREN" not in at_the_debtor_name(country="be").prompt.text


def test_a_siren_typed_for_the_name_is_looked_up_then_confirmed_before_it_is_kept() -> None:
    driver = at_the_debtor_name()
    reply = driver.say("812 345 676")
    assert reply.lookups == [CompanyLookup(driver.case.id, ACME),
                             InsolvencyCheck(driver.case.id, ACME)]
    assert plain(reply.messages[0]) == (
        "🔎 Je cherche 812 345 676 dans le répertoire des entreprises (Recherche d'entreprises)…")
    assert driver.case.answers["debtor_id"] == "812 345 676"
    reply = found(driver, ACME, register_answer(ACME))
    text = plain("\n".join(reply.messages))
    assert "Trouvé dans le répertoire des entreprises : ACME SOLUTIONS — SAS, en activité." in text
    assert "Client : ACME SOLUTIONS (Recherche d'entreprises au 23 novembre 2026)" in text
    assert "Adresse du client : 4 AVENUE FOCH, 69006 LYON" in text
    assert "debtor_name" not in driver.case.answers  # nothing taken silently
    assert reply.prompt is not None
    assert reply.prompt.key == "prefill"
    driver.press("all")
    assert driver.case.answers["debtor_name"] == "ACME SOLUTIONS"
    assert driver.case.answers["debtor_address"] == "4 AVENUE FOCH\n69006 LYON"
    assert driver.case.answers["debtor_trader"] == "trader"  # a SAS: commercial court
    assert driver.prompt.key == "invoice_number"
    # Neither the trader question nor the address is asked again later.
    driver.play([(k, v) for k, v in FRENCH_BUSINESS_CASE
                 if k in {"invoice_number", "invoice_amount", "issue_date", "due_date",
                          "payments", "another_invoice", "supply"}])
    assert driver.prompt.key == "contract_rate"


def test_a_civil_company_is_proposed_as_no_trader() -> None:
    driver = at_the_debtor_name()
    driver.say("443 061 841")
    found(driver, SCI, register_answer(SCI))
    driver.press("all")
    assert driver.case.answers["debtor_trader"] == "non_trader"  # tribunal judiciaire


def test_a_closed_company_comes_with_a_warning() -> None:
    driver = at_the_debtor_name("en")
    driver.say(CLOSED)
    reply = found(driver, CLOSED, register_answer(CLOSED))
    text = plain("\n".join(reply.messages))
    assert "ANCIENNE SARL — limited liability company (SARL), closed since 30 June 2025." in text
    assert "A closed company may have been dissolved or liquidated" in text


@pytest.mark.parametrize(("answer", "failure", "said"), [
    ({"results": [], "total_results": 0}, "",
     "Je n'ai trouvé aucune entreprise au numéro 812 345 676 dans le répertoire."),
    (None, UNAVAILABLE, "Le répertoire des entreprises n'a pas répondu ; pas grave, je vous "
     "pose les questions. (Numéro 812 345 676 noté.)"),
    (None, LOOKUPS_OFF, "Numéro 812 345 676 noté."),
])
def test_no_answer_simply_asks_the_name(answer: dict[str, Any] | None, failure: str,
                                        said: str) -> None:
    driver = at_the_debtor_name()
    driver.say("812 345 676")
    reply = found(driver, ACME, answer, failure)
    assert said in plain(reply.messages[0])
    assert reply.prompt is not None
    assert reply.prompt.key == "debtor_name"
    assert driver.case.answers["debtor_id"] == "812 345 676"  # kept for the documents
    driver.say("ACME Rénovation SARL")
    assert driver.case.answers["debtor_name"] == "ACME Rénovation SARL"


def test_an_answer_that_comes_after_the_user_moved_on_changes_nothing() -> None:
    driver = at_the_debtor_name()
    driver.say("812 345 676")
    driver.say("ACME Rénovation SARL")
    reply = found(driver, ACME, register_answer(ACME))
    assert not reply.changed
    assert reply.messages == []
    assert driver.case.answers["debtor_name"] == "ACME Rénovation SARL"


@pytest.mark.parametrize(("country", "typed", "said"), [
    ("be", "BE 0403.170.701", "Numéro d'entreprise 0403.170.701 vérifié (clé de contrôle "
     "valide) et noté."),
    ("qc", "1234567890", "NEQ 1234567890 noté."),
])
def test_belgian_and_quebec_numbers_are_checked_then_the_name_asked(country: str, typed: str,
                                                                    said: str) -> None:
    driver = at_the_debtor_name(country=country)
    reply = driver.say(typed)
    assert reply.lookups == []  # no register is asked outside France
    assert said in plain(reply.messages[0])
    assert reply.prompt is not None
    assert reply.prompt.key == "debtor_name"


def test_a_mistyped_siren_is_no_number_and_is_refused_as_a_name() -> None:
    driver = at_the_debtor_name()
    reply = driver.say("812 345 677")
    assert reply.lookups == []
    assert reply.prompt is not None
    assert reply.prompt.key == "debtor_name"  # a name needs letters: asked again


def test_the_console_looks_the_number_up_and_asks_to_confirm(settings: Settings,
                                                            data_dir: Path) -> None:
    out = io.StringIO()
    console.run(Assistant(TinyDBStorage(data_dir), lambda: NOW), "console",
                io.StringIO("1\n1\n812 345 676\n1\n"), out, settings=settings)
    shown = plain(out.getvalue())
    assert "Trouvé dans le répertoire des entreprises : ACME SOLUTIONS — SAS" in shown
    assert "1. ✅ Tout accepter" in shown
    assert "C'est noté : 3 réponses enregistrées." in shown
    account = load_account(data_dir, "console")
    assert account is not None
    assert account.current is not None
    assert account.current.answers["debtor_name"] == "ACME SOLUTIONS"


async def test_on_telegram_a_siren_fills_the_debtor_after_one_tap(
        api: FakeBotApi, registers: FakeRegisters, data_dir: Path) -> None:
    async with running_bot(api, data_dir, NOW, lookups=True,
                           company_api_url=registers.company_url,
                           bodacc_api_url=registers.bodacc_url):
        user = TelegramUser(api, 5001)
        first = await user.say("/start")
        asked = await user.play([("jurisdiction", "press:fr"), ("debtor_kind", "press:business")],
                                first)
        assert question_key(asked) == "debtor_name"
        screen = await user.say("812 345 676")
        assert question_key(screen) == "prefill"
        assert user.saw("🔎 Je cherche 812 345 676 dans le répertoire des entreprises "
                        "(Recherche d'entreprises)…")
        assert "ACME SOLUTIONS" in plain(str(screen.params["text"]))
        after = await user.press("prefill", "all")
        assert question_key(after) == "invoice_number"
        # A register that does not answer: the name is simply asked.
        await user.say("/new")
        await user.press("jurisdiction", "fr")
        await user.press("debtor_kind", "business")
        again = await user.say(FAILING)
        assert question_key(again) == "debtor_name"
        assert "n'a pas répondu" in plain(str(again.params["text"]))
    account = load_account(data_dir, "5001")
    assert account is not None
    assert account.cases[0].answers["debtor_name"] == "ACME SOLUTIONS"
