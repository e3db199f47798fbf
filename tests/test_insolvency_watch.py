"""The insolvency watch: a BODACC opening judgment switches the case and alerts the creditor.

Worked example used throughout (C. com. R622-24, L624-9; flows/law/data/fr_figures.toml):
the redressement judiciaire of ACME SOLUTIONS is judged on Thu 12 Nov 2026 and published in the
BODACC on Wed 18 Nov 2026. From the publication:
- proof of claim: 2 months → Mon 18 Jan 2027 (4 months from outside metropolitan France →
  Thu 18 Mar 2027);
- goods under retention of title: 3 months → Thu 18 Feb 2027.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import console
from bot.config import Settings
from bot.insolvency import alerts_for
from bot.service import Assistant
from bot.storage import StoredChat, TinyDBStorage
from flows.company import alerted, watched
from flows.i18n import t
from flows.insolvency_watch import alert, openings
from flows.model import Account
from testing.driver import FRENCH_BUSINESS_CASE, Driver, plain
from testing.fake_registries import ACME, FAILING, FakeRegisters, opening, sale
from testing.fakebot import FakeBotApi
from testing.stored import load_account, save_account
from testing.telegram_harness import TelegramUser, question_key, running_bot
from tests.conftest import NOW

REDRESSEMENT = "Jugement d'ouverture d'une procédure de redressement judiciaire"
ACME_OPENING = opening(ACME, "2026-11-18", "2026-11-12", REDRESSEMENT)


@pytest.fixture(scope="module")
def registers() -> Iterator[FakeRegisters]:
    with FakeRegisters() as fake:
        fake.registers.announcements[ACME] = [sale(ACME, "2024-05-02"), ACME_OPENING]
        yield fake


@pytest.fixture
def settings(registers: FakeRegisters, tmp_path: Path) -> Settings:
    return replace(Settings.from_env(), data_dir=tmp_path, lookups=True,
                   company_api_url=registers.company_url, bodacc_api_url=registers.bodacc_url)


def demand_sent(script: list[tuple[str, str]] = FRENCH_BUSINESS_CASE) -> Driver:
    """A French case whose formal demand went out, with the debtor's SIREN on file."""
    driver = Driver(now=NOW)
    driver.command("start")
    driver.play(script)
    driver.case.answers["debtor_id"] = "812 345 676"
    return driver


def test_only_an_opening_judgment_against_this_siren_counts() -> None:
    conversion = opening(ACME, "2026-11-25", "2026-11-20", "Jugement prononçant la liquidation")
    conversion["jugement"] = conversion["jugement"].replace("Jugement d'ouverture",
                                                            "Jugement prononçant")
    other = opening("443061841", "2026-11-19", "2026-11-10", REDRESSEMENT)
    answer = {"total_count": 4, "results": [sale(ACME, "2024-05-02"), conversion, other,
                                            ACME_OPENING]}
    (found,) = openings(answer, ACME)
    assert (found.proceedings, str(found.published), str(found.judgment_date)) == (
        "fr_reorganisation", "2026-11-18", "2026-11-12")
    assert found.court == "TRIBUNAL DES ACTIVITES ECONOMIQUES DE LYON"  # the court, not its greffe


@pytest.mark.parametrize(("nature", "code"), [
    ("Jugement d'ouverture d'une procédure de sauvegarde", "fr_safeguard"),
    ("Jugement d'ouverture d'une procédure de sauvegarde accélérée", "fr_safeguard"),
    ("Jugement d'ouverture de liquidation judiciaire", "fr_liquidation"),
    ("Jugement d'ouverture d'une procédure de liquidation judiciaire simplifiée",
     "fr_liquidation"),
])
def test_each_proceeding_is_named_from_the_judgment(nature: str, code: str) -> None:
    (found,) = openings({"results": [opening(ACME, "2026-11-18", "2026-11-12", nature)]}, ACME)
    assert found.proceedings == code


def test_a_match_switches_the_case_to_the_proof_of_claim_and_gives_the_deadline() -> None:
    driver = demand_sent()
    case = driver.case
    assert case.state == "followup"
    assert case.text("remedy") == "formal_demand"
    assert watched(case) == ACME
    reply = alert(driver.account, case, openings({"results": [ACME_OPENING]}, ACME), NOW)
    assert reply is not None
    text = plain("\n".join(reply.messages))
    assert "BODACC : ACME Rénovation SARL est en procédure collective" in text
    assert "publiée au BODACC le 18 novembre 2026" in text
    # 18 Nov 2026 + 2 months (R622-24)
    assert "Date limite pour déclarer votre créance : 18 janvier 2027" in text
    assert "(R622-24)" in text or "R622-24" in text
    assert "📦" not in reply.messages[0]  # services: no goods to claim back in the alert
    assert case.answers["insolvency"] is True
    assert case.answers["insolvency_date"] == "2026-11-18"
    assert case.answers["judgment_date"] == "2026-11-12"
    assert case.answers["proceedings"] == "fr_reorganisation"
    assert case.text("remedy") == "insolvency_claim"
    assert case.tried == ["formal_demand"]
    # The proof of claim's own questions come at once: from outside metropolitan France?
    assert reply.prompt is not None
    assert reply.prompt.key == "creditor_abroad"


def test_a_case_is_alerted_once_even_after_a_restart() -> None:
    driver = demand_sent()
    found = openings({"results": [ACME_OPENING]}, ACME)
    assert alert(driver.account, driver.case, found, NOW) is not None
    stored = Account.from_json(driver.account.to_json())  # saved, then read back
    case = stored.current
    assert case is not None
    assert alerted(case)
    assert watched(case) == ""
    assert alert(stored, case, found, NOW + timedelta(days=1)) is None


def test_goods_under_retention_of_title_get_their_three_month_deadline() -> None:
    script = [(k, {"supply": "press:goods"}.get(k, v)) for k, v in FRENCH_BUSINESS_CASE
              if k != "services_running"]
    index = [k for k, _ in script].index("remedy")
    script.insert(index, ("rot_goods", "press:yes"))
    driver = demand_sent(script)
    reply = alert(driver.account, driver.case, openings({"results": [ACME_OPENING]}, ACME), NOW)
    assert reply is not None
    text = plain("\n".join(reply.messages))
    # 18 Nov 2026 + 3 months (L624-9)
    assert "revendiquer les marchandises sous réserve de propriété : 18 février 2027" in text
    assert "L624-9" in text


def test_a_creditor_abroad_gets_four_months() -> None:
    driver = demand_sent()
    driver.case.answers["insolvency"] = False
    driver.case.answers["creditor_abroad"] = True
    reply = alert(driver.account, driver.case, openings({"results": [ACME_OPENING]}, ACME), NOW)
    assert reply is not None
    # 18 Nov 2026 + 4 months (R622-24, doubled outside metropolitan France)
    assert "déclarer votre créance : 18 mars 2027" in plain(reply.messages[0])


def test_the_english_alert_says_the_same_in_english() -> None:
    driver = Driver(lang="en", now=NOW)
    driver.command("start")
    driver.play(FRENCH_BUSINESS_CASE)
    driver.case.answers["debtor_id"] = ACME
    reply = alert(driver.account, driver.case, openings({"results": [ACME_OPENING]}, ACME), NOW)
    assert reply is not None
    text = plain("\n".join(reply.messages))
    assert "Last day to send your proof of claim: 18 January 2027" in text


def _stored_case(data_dir: Path, chat_id: str) -> Assistant:
    driver = demand_sent()
    driver.account.chat_id = chat_id
    assistant = Assistant(TinyDBStorage(data_dir), lambda: NOW)
    assistant.save(StoredChat(driver.account))
    return assistant


def test_the_bot_asks_the_bodacc_saves_the_switch_and_does_not_ask_again(
        settings: Settings, registers: FakeRegisters, data_dir: Path) -> None:
    assistant = _stored_case(data_dir, "5001")
    chat, replies = alerts_for(settings, assistant, "5001", None)
    assert len(replies) == 1
    assert chat is not None
    asked = registers.registers.asked[-1]
    assert asked.startswith("/api/explore/v2.1/catalog/datasets/annonces-commerciales/records?")
    assert "registre+like+%22812345676%22" in asked
    assert "familleavis%3D%22collective%22" in asked
    assistant.save(chat)
    before = len(registers.registers.asked)
    assert alerts_for(settings, assistant, "5001", None) == (None, [])
    assert len(registers.registers.asked) == before  # an alerted case is not watched any more


def test_a_failing_bodacc_changes_nothing(settings: Settings, data_dir: Path) -> None:
    assistant = _stored_case(data_dir, "5001")
    chat = assistant.load("5001")
    assert chat is not None
    account = chat.account
    assert account.current is not None
    account.current.answers["debtor_id"] = FAILING
    assistant.save(chat)
    assert alerts_for(settings, assistant, "5001", None) == (None, [])
    offline = replace(settings, bodacc_api_url="http://127.0.0.1:9")
    account.current.answers["debtor_id"] = ACME
    assistant.save(chat)
    assert alerts_for(offline, assistant, "5001", None) == (None, [])
    reloaded = assistant.account("5001")
    assert reloaded is not None
    assert reloaded.current is not None
    assert reloaded.current.text("remedy") == "formal_demand"


def test_lookups_off_asks_the_bodacc_nothing(settings: Settings, registers: FakeRegisters,
                                             data_dir: Path) -> None:
    assistant = _stored_case(data_dir, "5001")
    before = len(registers.registers.asked)
    off = replace(settings, lookups=False)
    assert alerts_for(off, assistant, "5001", None) == (None, [])
    assert len(registers.registers.asked) == before


async def test_the_daily_watch_alerts_the_creditor_on_telegram(
        api: FakeBotApi, registers: FakeRegisters, data_dir: Path) -> None:
    _stored_case(data_dir, "5001")
    scheduled: list[Any] = []
    async with running_bot(api, data_dir, NOW, lookups=True, insolvency_watch=True,
                           bodacc_api_url=registers.bodacc_url) as application:
        jobs = application.job_queue.jobs()
        assert any(job.name == "insolvency_watch" for job in jobs)  # configured: daily
        scheduled = [job for job in jobs if job.name == "insolvency_watch"]
        mark = api.mark()
        assert await application.bot_data["adapter"].watch.check_everyone() == 1
        call = await api.await_for(lambda c: c.method == "sendMessage"
                                   and "BODACC" in str(c.params.get("text")), since=mark)
        assert "18 janvier 2027" in plain(str(call.params["text"]))
        assert await application.bot_data["adapter"].watch.check_everyone() == 0  # once
    assert scheduled


async def test_the_watch_is_not_scheduled_unless_configured(api: FakeBotApi,
                                                            data_dir: Path) -> None:
    async with running_bot(api, data_dir, NOW) as application:
        assert not [job for job in application.job_queue.jobs()
                    if job.name == "insolvency_watch"]


def at_the_debtor_number(chat_id: str) -> Driver:
    """A French case heading for court, waiting for the debtor's registration number."""
    driver = Driver(now=NOW)
    driver.account.chat_id = chat_id
    driver.command("start")
    driver.play(FRENCH_BUSINESS_CASE, until="remedy")
    driver.press("court")
    answers = {**dict(FRENCH_BUSINESS_CASE), "creditor_is_person": "press:no",
               "demand_before_court": "05/11/2026"}
    while driver.prompt.key != "debtor_id":
        driver.answer(answers[driver.prompt.key])
    return driver


async def test_entering_the_siren_checks_the_bodacc_in_the_background(
        api: FakeBotApi, registers: FakeRegisters, data_dir: Path) -> None:
    save_account(data_dir, at_the_debtor_number("5001").account)
    async with running_bot(api, data_dir, NOW, lookups=True,
                           bodacc_api_url=registers.bodacc_url):
        user = TelegramUser(api, 5001)
        mark = api.mark()
        asked = await user.say("812 345 676")
        # The reply to the number came first, as without the watch…
        assert question_key(asked) == "creditor_contact"
        # …then the alert, on its own, with the proof of claim's first question.
        alert_call = await api.await_for(lambda c: c.method == "sendMessage"
                                         and "BODACC" in str(c.params.get("text")), since=mark)
        assert alert_call.at >= asked.at
        assert "Date limite pour déclarer votre créance : 18 janvier 2027" in plain(
            str(alert_call.params["text"]))
        await api.await_for(lambda c: question_key(c) == "creditor_abroad", since=mark)
    stored = load_account(data_dir, "5001")
    assert stored is not None
    assert stored.current is not None
    assert stored.current.text("remedy") == "insolvency_claim"
    assert alerted(stored.current)


def test_the_console_tells_the_alert_before_the_next_prompt(
        settings: Settings, data_dir: Path) -> None:
    save_account(data_dir, at_the_debtor_number("console").account)
    out = io.StringIO()
    console.run(Assistant(TinyDBStorage(data_dir), lambda: NOW), "console",
                io.StringIO("812 345 676\n"), out,
                settings=replace(settings, data_dir=data_dir))
    shown = plain(out.getvalue())
    assert "BODACC : ACME Rénovation SARL est en procédure collective" in shown
    contact = plain(t("fr", "q.creditor_contact", debtor="ACME Rénovation SARL"))
    assert shown.index("BODACC") > shown.index(contact)  # after the reply to the number
    assert "Date limite pour déclarer votre créance : 18 janvier 2027" in shown
    stored = load_account(data_dir, "console")
    assert stored is not None
    assert stored.current is not None
    assert alerted(stored.current)
