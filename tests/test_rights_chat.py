"""The rights step in chat shows the calculator's figures, in French and in English."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.cli_rights import main as rights_cli
from flows.conversation import Role
from testing.driver import FRENCH_BUSINESS_CASE, Driver

Make = Callable[..., Driver]
PARIS = ZoneInfo("Europe/Paris")

# 10 000 € due 15 March 2025, looked at on 15 September 2025 (LEGAL_FACTS A1.2):
#   16/03 → 30/06/2025: 107 days × 10 000 × 13.15 % / 365 = 385.49 €
#   01/07 → 15/09/2025:  77 days × 10 000 × 12.15 % / 365 = 256.32 €
#   interest 641.81 € + 40 € indemnity = 681.81 € on top of the principal → 10 681.81 €
WORKED_EXAMPLE = [
    ("invoice_amount", "10000"), ("issue_date", "13/02/2025"), ("due_date", "15/03/2025"),
]
EXPECTED = {"fr": ["385,49 €", "256,32 €", "641,81 €", "40,00 €", "10 681,81 €"],
            "en": ["€385.49", "€256.32", "€641.81", "€40.00", "€10,681.81"]}


def script_with(replacements: list[tuple[str, str]]) -> list[tuple[str, str]]:
    changed = dict(replacements)
    return [(key, changed.get(key, step)) for key, step in FRENCH_BUSINESS_CASE]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_rights_step_shows_the_worked_example_to_the_cent(driver: Make, lang: str) -> None:
    d = driver(lang=lang, when=datetime(2025, 9, 15, 10, 0, tzinfo=PARIS))
    d.command("start")
    d.play(script_with(WORKED_EXAMPLE), until="rights_ack")
    shown = d.rights_in_full()
    for figure in EXPECTED[lang]:
        assert figure in shown, figure
    assert "L441-10" in shown
    assert "D441-5" in shown


def test_chat_and_calculator_agree(driver: Make, capsys: pytest.CaptureFixture[str]) -> None:
    d = driver(when=datetime(2026, 11, 23, 10, 0, tzinfo=PARIS))
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="rights_ack")
    shown = d.rights_in_full()
    assert rights_cli(["--country", "fr", "--debtor", "business", "--amount", "1200.50",
                       "--issued", "2026-09-15", "--due", "2026-10-15", "--on", "2026-11-23",
                       "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    for key in ("interest", "interest_per_day", "indemnity", "total"):
        whole, cents = figures[key].split(".")
        french = f"{int(whole):,}".replace(",", " ") + "," + cents  # 1256.09 → 1 256,09
        assert french in shown, (key, figures[key])
    assert "15 septembre 2031" in shown  # limitation: 5 years from the invoice date
    assert figures["limitation_date"] == "2031-09-15"
    assert figures["warnings"], "2026 H2 ECB rate is carried forward and must be flagged"
    assert "provisoires" in shown.lower() or "provisoire" in shown.lower()


def test_consumer_debtor_gets_no_indemnity_and_no_interest_before_a_demand(driver: Make) -> None:
    d = driver(when=datetime(2026, 11, 23, 10, 0, tzinfo=PARIS))
    d.command("start")
    script = script_with([("debtor_kind", "press:consumer")])
    d.play(script, until="another_invoice")
    d.play([("completion_date", "30/09/2026")])  # asked of a consumer case (C. conso. L218-2)
    rest = script[script.index(("another_invoice", "press:no")):]
    d.play([step for step in rest if step[0] != "debtor_trader"], until="contract_rate")
    assert d.prompt.key == "reminders_sent"  # no contract-rate question for a consumer
    d.press("1")
    shown = d.rights_in_full()
    assert "40,00 €" not in shown
    assert "0,00 €" in shown  # no interest yet: it runs from the formal demand (C. civ. 1231-6)
    assert "L218-2" in shown  # two-year limitation against a consumer


def test_two_invoices_show_rights_for_each_and_a_total(driver: Make) -> None:
    d = driver(when=datetime(2026, 11, 23, 10, 0, tzinfo=PARIS))
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="another_invoice")
    d.press("yes")
    d.play([("invoice_number", "F-2026-050"), ("invoice_amount", "800"),
            ("issue_date", "01/10/2026"), ("due_date", "31/10/2026"),
            ("payments", "press:nothing"), ("another_invoice", "press:no")])
    d.play(FRENCH_BUSINESS_CASE[9:], until="rights_ack")
    messages = d.last.messages
    assert len(messages) == 3
    assert "F-2026-042" in messages[0]
    assert "F-2026-050" in messages[1]
    assert "2 factures" in messages[2]


def test_compare_button_shows_costs_and_asks_again(driver: Make) -> None:
    d = driver(when=datetime(2026, 11, 23, 10, 0, tzinfo=PARIS))
    d.command("start")
    d.play(FRENCH_BUSINESS_CASE, until="remedy")
    assert "Mise en demeure" in d.prompt.buttons[0].label
    d.press("", role=Role.COMPARE)
    assert "Coût" in d.text_of_last()
    assert d.prompt.key == "remedy"
    assert d.case.answers.get("remedy") is None
