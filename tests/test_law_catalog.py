"""Every message the engine can say exists in French and English, with the same parameters."""

from __future__ import annotations

import string
import tomllib
from pathlib import Path
from typing import Any

import pytest

from flows.i18n import catalog
from flows.law import DemandChannel, InsolvencyFacts, Message, RouteKind, Supply, pack_for
from flows.law.facts import CaseFacts
from flows.law.remedies import Advice, recommend
from flows.law.render import Renderer, render_insolvency, render_rights
from flows.vocabulary import DebtorKind, Jurisdiction, Remedy
from tests.law_cases import d, invoice

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _keys(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}

    def walk(prefix: str, table: dict[str, Any]) -> None:
        for key, value in table.items():
            full = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(full, value)
            else:
                out[full] = value

    walk("", tomllib.loads((TEMPLATES / lang / "law.toml").read_text("utf-8")))
    return out


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_french_and_english_law_catalogs_have_the_same_keys() -> None:
    assert set(_keys("fr")) == set(_keys("en"))


def test_french_and_english_messages_take_the_same_parameters() -> None:
    fr, en = _keys("fr"), _keys("en")
    different = {k for k in fr if _placeholders(fr[k]) != _placeholders(en[k])}
    assert different == set()


def _scenarios() -> list[tuple[Jurisdiction, Any, str]]:
    consumer = DebtorKind.CONSUMER
    return [
        (Jurisdiction.FRANCE, invoice("10000", "2025-02-13", "2025-03-15"), "2025-09-15"),
        (
            Jurisdiction.FRANCE,
            invoice("2400", "2025-04-15", "2026-05-15", contract_rate="12"),
            "2026-11-23",
        ),
        (
            Jurisdiction.FRANCE,
            invoice("8000", "2023-12-15", "2024-01-31", contract_rate="12"),
            "2024-04-30",
        ),
        (
            Jurisdiction.FRANCE,
            invoice(
                "1500", "2024-02-29", None, debtor_kind=consumer, contract_rate="5", paid="100"
            ),
            "2025-11-01",
        ),
        (
            Jurisdiction.FRANCE,
            invoice(
                "1500", "2023-01-10", "2023-02-10", debtor_kind=consumer, demand_date="2023-03-01"
            ),
            "2026-11-23",
        ),
        (
            Jurisdiction.FRANCE,
            invoice("1000", "2025-01-15", None, term_kind="end_of_month_45"),
            "2025-05-01",
        ),
        (
            Jurisdiction.FRANCE,
            invoice("1000", "2025-01-15", None, term_kind="days", payment_term_days=90),
            "2025-05-01",
        ),
        (
            Jurisdiction.BELGIUM,
            invoice(
                "10000",
                "2025-01-15",
                None,
                term_kind="days",
                payment_term_days=90,
                contract_rate="9",
            ),
            "2026-09-15",
        ),
        (
            Jurisdiction.BELGIUM,
            invoice(
                "400", "2023-03-01", "2023-03-31", debtor_kind=consumer, demand_date="2023-03-02"
            ),
            "2025-06-30",
        ),
        (
            Jurisdiction.BELGIUM,
            invoice(
                "400",
                "2025-03-01",
                "2025-03-31",
                debtor_kind=consumer,
                demand_date="2025-04-03",
                demand_channel=DemandChannel.EMAIL,
            ),
            "2025-04-10",
        ),
        (
            Jurisdiction.BELGIUM,
            invoice(
                "7000",
                "2025-03-01",
                "2025-03-31",
                debtor_kind=consumer,
                demand_date="2025-04-03",
                contract_rate="12",
                contract_damages="500",
                supply=Supply.GOODS,
            ),
            "2026-02-01",
        ),
        (
            Jurisdiction.BELGIUM,
            invoice(
                "700",
                "2025-03-01",
                "2025-03-31",
                debtor_kind=consumer,
                demand_date="2025-04-03",
                contract_damages="10",
            ),
            "2025-06-01",
        ),
        (Jurisdiction.BELGIUM, invoice("700", "2021-03-01", "2021-03-31"), "2021-06-01"),
        (
            Jurisdiction.QUEBEC,
            invoice(
                "16000",
                "2025-01-10",
                "2025-02-09",
                currency="CAD",
                demand_date="2025-03-01",
                contract_rate="40",
            ),
            "2025-10-01",
        ),
        (Jurisdiction.QUEBEC, invoice("800", "2022-01-10", None, currency="CAD"), "2024-10-01"),
    ]


def _all_messages() -> list[tuple[Jurisdiction, Message]]:
    found: list[tuple[Jurisdiction, Message]] = []
    for jurisdiction, facts, on in _scenarios():
        found += [(jurisdiction, m) for m in pack_for(jurisdiction).rights(facts, d(on)).messages()]
        guide = pack_for(jurisdiction).insolvency(InsolvencyFacts(d("2025-01-10")))
        found += [(jurisdiction, m) for m in guide.messages()]
        for situation in _situations():
            advice = recommend(CaseFacts(jurisdiction, facts, **situation), d(on))
            found += [(jurisdiction, m) for m in advice.messages()]
    return found


def _situations() -> list[dict[str, Any]]:
    return [
        {},
        {"disputed": True, "debtor_responsive": True},
        {"insolvency": InsolvencyFacts(d("2025-01-10")), "goods_held_under_retention": True},
        {"insolvency": InsolvencyFacts(d("2020-01-10"))},
        {
            "debtor_responsive": False,
            "reminders_sent": 3,
            "services_ongoing": True,
            "financial_difficulty": True,
            "goods_held_under_retention": True,
        },
        {"reminders_sent": 1},
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_message_the_engine_produces_renders_fully_in_both_languages(lang: str) -> None:
    known = catalog(lang)
    missing: set[str] = set()
    unfilled: set[str] = set()
    for jurisdiction, message in _all_messages():
        if message.key not in known:
            missing.add(message.key)
            continue
        given = {name for name, _ in message.params}
        if _placeholders(known[message.key]) - given:
            unfilled.add(message.key)
        assert "{" not in Renderer(lang, jurisdiction)(message)
    assert missing == set()
    assert unfilled == set()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_names_of_every_remedy_and_route_exist(lang: str) -> None:
    known = catalog(lang)

    assert all(f"law.remedy.{r}.name" in known for r in Remedy)
    assert all(f"law.route.{r}.name" in known for r in RouteKind)


def _advice_texts(advice: Advice, lang: str) -> list[str]:
    """Every sentence of a recommendation: each remedy's reason, and each one's comparison."""
    say = Renderer(lang, advice.rights.jurisdiction)
    texts = [say(pick.reason) for pick in (*advice.recommended, *advice.ruled_out)]
    for profile in advice.comparison:
        texts += [say(profile.cost), say(profile.delay), say(profile.recovers)]
        texts += [say.condition(c) for c in profile.prerequisites]
    return texts


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_rendered_texts_leave_no_placeholder_behind(lang: str) -> None:
    for jurisdiction, facts, on in _scenarios():
        pack = pack_for(jurisdiction)
        texts = [
            render_rights(pack.rights(facts, d(on)), lang),
            render_insolvency(pack.insolvency(InsolvencyFacts(d("2025-01-10"))), lang),
            *_advice_texts(recommend(CaseFacts(jurisdiction, facts), d(on)), lang),
        ]
        for text in texts:
            assert "{" not in text, text
            assert "law." not in text, text
