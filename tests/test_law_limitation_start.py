"""When limitation starts: the completion date for a French consumer, the due date in law between
businesses, 5 years for Belgian periodic billing (issue 12, item 4)."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.cli_rights import main
from flows.law.facts import Supply
from flows.vocabulary import DebtorKind, Jurisdiction
from testing.driver import Driver
from tests.law_cases import d, rights, warning_keys

FR = Jurisdiction.FRANCE
BE = Jurisdiction.BELGIUM
CONSUMER = DebtorKind.CONSUMER


def test_consumer_limitation_runs_from_completion_when_it_precedes_the_invoice() -> None:
    # Works completed 15 Jan 2024, invoiced 10 Mar 2024: 2 years (L218-2) from the earlier date,
    # 15 Jan 2024 -> last day 15 Jan 2026, not 10 Mar 2026.
    r = rights(FR, "3000", "2024-03-10", None, "2025-06-01", debtor_kind=CONSUMER,
               delivery_date="2024-01-15")
    assert r.limitation.starts == d("2024-01-15")
    assert r.limitation_date == d("2026-01-15")
    assert r.limitation.explanation.key == "law.limitation.fr.consumer_explained"
    (detail,) = r.limitation.details
    assert detail.key == "law.limitation.fr.consumer_start"
    assert detail.param("completed") == d("2024-01-15")
    assert any("21-23.176" in s.article for s in r.sources)


def test_consumer_limitation_keeps_the_invoice_date_when_it_is_earlier() -> None:
    # Invoiced 10 Mar 2024 (before the works), completed 30 Apr 2024: the earlier is the invoice,
    # 10 Mar 2024 + 2 years = 10 Mar 2026.
    r = rights(FR, "3000", "2024-03-10", None, "2025-06-01", debtor_kind=CONSUMER,
               delivery_date="2024-04-30")
    assert r.limitation_date == d("2026-03-10")


def test_consumer_without_a_completion_date_is_warned_the_last_day_may_be_earlier() -> None:
    r = rights(FR, "3000", "2024-03-10", None, "2025-06-01", debtor_kind=CONSUMER)
    assert r.limitation_date == d("2026-03-10")
    assert "law.warning.fr.completion_date_unknown" in warning_keys(r)


def test_between_businesses_the_invoice_date_stays_and_the_details_give_the_legal_start() -> None:
    # Invoiced 10 Mar 2024, due 9 Apr 2024: prudent last day 10 Mar 2029 (5 years, L110-4);
    # in law the period runs from the due date (C. civ. 2233), which would give 9 Apr 2029.
    r = rights(FR, "3000", "2024-03-10", "2024-04-09", "2025-06-01")
    assert r.limitation_date == d("2029-03-10")
    (detail,) = r.limitation.details
    assert detail.key == "law.limitation.fr.legal_start_due"
    assert detail.param("due") == d("2024-04-09")
    assert detail.param("last_day") == d("2029-04-09")


@pytest.mark.parametrize(
    ("periodic", "debtor", "supply", "last_day", "article"),
    [
        (False, DebtorKind.BUSINESS, Supply.SERVICES, "2034-03-10", "anc. C. civ. 2262bis"),
        (True, DebtorKind.BUSINESS, Supply.SERVICES, "2029-03-10", "anc. C. civ. 2277"),
        (True, CONSUMER, Supply.SERVICES, "2029-03-10", "anc. C. civ. 2277"),
        # Goods sold to a private buyer: 1 year (old 2272), shorter still.
        (True, CONSUMER, Supply.GOODS, "2025-03-10", "anc. C. civ. 2272"),
    ],
)
def test_belgian_periodic_billing_prescribes_in_five_years(
    periodic: bool, debtor: DebtorKind, supply: Supply, last_day: str, article: str
) -> None:
    r = rights(BE, "300", "2024-03-10", "2024-04-09", "2024-06-01", periodic=periodic,
               debtor_kind=debtor, supply=supply)
    assert r.limitation_date == d(last_day)
    assert r.limitation.source.article == article


def test_calculator_shows_the_start_points(capsys: pytest.CaptureFixture[str]) -> None:
    consumer = ["--country", "fr", "--debtor", "consumer", "--amount", "3000",
                "--issued", "2024-03-10", "--delivered", "2024-01-15", "--on", "2025-06-01"]
    assert main([*consumer, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["limitation"]["last_day"] == "2026-01-15"
    assert out["limitation"]["starts"] == "2024-01-15"
    assert [m["key"] for m in out["limitation"]["details"]] == ["law.limitation.fr.consumer_start"]
    assert main([*consumer, "--lang", "en"]) == 0
    assert "Limitation: last day to act 15 January 2026" in capsys.readouterr().out
    business = ["--country", "fr", "--debtor", "business", "--amount", "3000",
                "--issued", "2024-03-10", "--due", "2024-04-09", "--on", "2025-06-01"]
    assert main([*business, "--lang", "en"]) == 0
    assert "Legally the period starts on the due date, 9 April 2024" in capsys.readouterr().out
    periodic = ["--country", "be", "--debtor", "business", "--amount", "300",
                "--issued", "2024-03-10", "--due", "2024-04-09", "--on", "2024-06-01"]
    assert main([*periodic, "--periodic", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["limitation"]["last_day"] == "2029-03-10"


def _start(jurisdiction: str, debtor: str) -> Driver:
    driver = Driver(now=datetime(2025, 6, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris")))
    driver.command("start")
    driver.play([
        ("jurisdiction", f"press:{jurisdiction}"), ("debtor_kind", f"press:{debtor}"),
        ("debtor_name", "Paul Durand"), ("invoice_number", "F-12"),
        ("invoice_amount", "3 000 €"), ("issue_date", "10/03/2024"),
        ("due_date", "press:none"), ("payments", "press:nothing"),
    ])
    return driver


def test_chat_asks_a_french_consumer_case_its_completion_date() -> None:
    driver = _start("fr", "consumer")
    assert driver.prompt.key == "completion_date"
    driver.say("15/01/2024")
    driver.play([("another_invoice", "press:no"), ("supply", "press:services"),
                 ("reminders_sent", "press:0")])
    shown = driver.rights_in_full()
    assert "Prescription : dernier jour pour agir le 15 janvier 2026" in shown
    assert driver.answers()["completion_date"] == date(2024, 1, 15).isoformat()


def test_chat_asks_a_belgian_case_whether_billing_is_periodic() -> None:
    driver = _start("be", "business")
    assert driver.prompt.key == "another_invoice"  # no completion date outside French consumers
    driver.play([("another_invoice", "press:no"), ("supply", "press:services")])
    assert driver.prompt.key == "periodic_billing"
    driver.press("yes")
    driver.play([("contract_rate", "press:none"), ("reminders_sent", "press:0")])
    assert "10 mars 2029" in driver.rights_in_full()
