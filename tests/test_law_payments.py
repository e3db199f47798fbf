"""Sums paid late: each slice bears interest until the day it was paid (issue 12, item 1)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.cli_rights import main
from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from flows.law import InvalidFacts, Payment
from flows.law.from_case import rights_for
from flows.model import Case
from flows.questions import BY_KEY
from flows.vocabulary import DebtorKind, Jurisdiction
from testing.driver import Driver, plain
from tests.followup_cases import DOCUMENT_ANSWERS
from tests.law_cases import d, period_table, rights, warning_keys

FR = Jurisdiction.FRANCE
BE = Jurisdiction.BELGIUM


def paid(day: str, amount: str) -> Payment:
    return Payment(d(day), Decimal(amount))


def test_an_invoice_paid_in_full_but_late_still_owes_its_penalties_and_the_40_euros() -> None:
    # 1 000 EUR due 31 Jan 2025, paid in full on 30 Jun 2025. 1 Feb -> 30 Jun 2025 =
    # 28 + 31 + 30 + 31 + 30 = 150 days at 13.15 % (ECB 3.15 + 10, 2025 H1):
    # 1000 x 0.1315 x 150/365 = 54.041 -> 54.04; + 40 EUR (D441-5) = 94.04 still owed.
    r = rights(FR, "1000", "2025-01-01", "2025-01-31", "2025-09-01",
               payments=(paid("2025-06-30", "1000"),))
    assert r.principal.amount == 0
    assert period_table(r) == [("2025-02-01", "2025-06-30", 150, "13.15", "54.04")]
    assert r.indemnity.amount == Decimal("40.00")
    assert r.total.amount == Decimal("94.04")
    assert r.interest_per_day.amount == 0  # nothing left to run on
    assert "law.warning.undated_payment" not in warning_keys(r)


def test_a_partial_payment_splits_the_interest_at_its_date_and_at_the_rate_change() -> None:
    # 10 000 EUR due 15 Mar 2025; 4 000 paid on 30 Apr 2025; computed on 15 Sep 2025.
    # 16 Mar -> 30 Apr = 46 days on 10 000 at 13.15 %: 10000 x 0.1315 x 46/365 = 165.726 -> 165.73
    # 1 May -> 30 Jun  = 61 days on  6 000 at 13.15 %:  6000 x 0.1315 x 61/365 = 131.860 -> 131.86
    # 1 Jul -> 15 Sep  = 77 days on  6 000 at 12.15 %:  6000 x 0.1215 x 77/365 = 153.789 -> 153.79
    # interest 451.38; still owed 6 000 + 451.38 + 40 = 6 491.38
    r = rights(FR, "10000", "2025-02-13", "2025-03-15", "2025-09-15",
               payments=(paid("2025-04-30", "4000"),))
    assert period_table(r) == [
        ("2025-03-16", "2025-04-30", 46, "13.15", "165.73"),
        ("2025-05-01", "2025-06-30", 61, "13.15", "131.86"),
        ("2025-07-01", "2025-09-15", 77, "12.15", "153.79"),
    ]
    assert r.principal.amount == Decimal("6000")
    assert r.total.amount == Decimal("6491.38")
    # One more day runs on the 6 000 left: 6000 x 0.1215 / 365 = 1.997 -> 2.00
    assert r.interest_per_day.amount == Decimal("2.00")


def test_paid_in_full_on_the_due_date_owes_nothing_more() -> None:
    r = rights(FR, "1000", "2025-01-01", "2025-01-31", "2025-03-01",
               payments=(paid("2025-01-31", "1000"),))
    assert r.interest.amount == 0
    assert r.indemnity.amount == 0
    assert r.indemnity_explanation.key == "law.indemnity.fr.paid_in_time"
    assert r.total.amount == 0


def test_belgium_counts_each_slice_the_same_way() -> None:
    # 2 000 EUR due 31 Jan 2025, 500 paid on 2 Mar 2025, on 31 Mar 2025. BE B2B 2025 H1: 11.5 %.
    # 1 Feb -> 2 Mar = 30 days on 2 000: 2000 x 0.115 x 30/365 = 18.904 -> 18.90
    # 3 Mar -> 31 Mar = 29 days on 1 500: 1500 x 0.115 x 29/365 = 13.705 -> 13.71
    r = rights(BE, "2000", "2025-01-01", "2025-01-31", "2025-03-31",
               payments=(paid("2025-03-02", "500"),))
    assert period_table(r) == [
        ("2025-02-01", "2025-03-02", 30, "11.5", "18.90"),
        ("2025-03-03", "2025-03-31", 29, "11.5", "13.71"),
    ]
    assert r.total.amount == Decimal("1500") + Decimal("32.61") + Decimal("40.00")


def test_an_undated_payment_is_deducted_from_the_start_with_a_warning() -> None:
    r = rights(FR, "10000", "2025-02-13", "2025-03-15", "2025-09-15", paid="4000")
    assert r.principal.amount == Decimal("6000")
    (warning,) = [w for w in r.warnings if w.key == "law.warning.undated_payment"]
    assert warning.param("paid").amount == Decimal("4000")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("payments", "error"),
    [
        ((paid("2025-10-01", "100"),), "after the computation date"),
        ((paid("2024-12-31", "100"),), "before the invoice"),
        ((paid("2025-02-01", "600"), paid("2025-03-01", "600")), "more than the invoice"),
        ((paid("2025-02-01", "0"),), "positive"),
    ],
)
def test_impossible_payments_are_refused(payments: tuple[Payment, ...], error: str) -> None:
    with pytest.raises(InvalidFacts, match=error):
        rights(FR, "1000", "2025-01-01", "2025-01-31", "2025-09-01", payments=payments,
               debtor_kind=DebtorKind.BUSINESS)


CLI = ["--country", "fr", "--debtor", "business", "--amount", "1000", "--issued", "2025-01-01",
       "--due", "2025-01-31", "--on", "2025-09-01"]


def test_calculator_takes_dated_payments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*CLI, "--payment", "2025-06-30:1000", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["principal"] == "0.00"  # what remains unpaid of the invoice
    assert [(p["from"], p["to"], p["days"], p["amount"]) for p in out["interest_periods"]] == [
        ("2025-02-01", "2025-06-30", 150, "54.04")]
    assert out["indemnity"] == "40.00"
    assert out["total"] == "94.04"  # what is still owed
    assert out["payments"] == [{"date": "2025-06-30", "amount": "1000.00"}]
    assert main([*CLI, "--payment", "2025-06-30:1000", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Payments received: €1,000.00 on 30 June 2025" in text
    assert "Total due: €94.04" in text


def test_calculator_splits_at_each_of_several_payments(capsys: pytest.CaptureFixture[str]) -> None:
    # 400 on 2 Mar 2025 and 600 on 30 Jun 2025 (1 000 due 31 Jan 2025), at 13.15 %:
    # 1 Feb -> 2 Mar = 30 days on 1 000: 1000 x 0.1315 x 30/365 = 10.808 -> 10.81
    # 3 Mar -> 30 Jun = 120 days on 600: 600 x 0.1315 x 120/365 = 25.939 -> 25.94
    assert main([*CLI, "--payment", "2025-06-30:600", "--payment", "2025-03-02:400",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["amount"] for p in out["interest_periods"]] == ["10.81", "25.94"]
    assert out["total"] == "76.75"  # 10.81 + 25.94 + 40


def test_calculator_warns_that_an_undated_payment_hides_interest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*CLI, "--paid", "400", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["paid_undated"] == "400.00"
    assert "law.warning.undated_payment" in [w["key"] for w in out["warnings"]]


@pytest.mark.parametrize("bad", ["2025-06-30", "30/06/2025:100", "2025-06-30:abc"])
def test_calculator_refuses_a_malformed_payment_in_one_line(
    bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*CLI, "--payment", bad]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rights: error:")
    assert len(err.strip().splitlines()) == 1


# In the chat ---------------------------------------------------------------------------------
def _paid_late_case(payments: str) -> Driver:
    d = Driver(now=datetime(2025, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris")))
    d.command("start")
    d.play([
        ("jurisdiction", "press:fr"), ("debtor_kind", "press:business"),
        ("debtor_name", "ACME Rénovation SARL"), ("invoice_number", "F-2025-001"),
        ("invoice_amount", "1 000 €"), ("issue_date", "01/01/2025"),
        ("due_date", "31/01/2025"), ("payments", payments),
    ])
    return d


def test_chat_asks_each_payment_with_its_date_and_counts_interest_until_it() -> None:
    d = _paid_late_case("30/06/2025 : 1 000")
    assert d.answers()["payments"] == [{"on": "2025-06-30", "amount": "1000.00",
                                        "currency": "EUR"}]
    d.play([("another_invoice", "press:no"), ("supply", "press:services"),
            ("debtor_trader", "press:trader"), ("contract_rate", "press:none"),
            ("reminders_sent", "press:1")])
    shown = d.rights_in_full()
    # Same figures as the calculator: 150 days at 13.15 % = 54.04, + 40 = 94.04 still owed.
    assert "Paiements reçus : 1 000,00 € le 30 juin 2025" in shown
    assert "Principal restant dû : 0,00 €" in shown
    assert "54,04 €" in shown
    assert "Total exigible : 94,04 €" in shown


def test_chat_explains_a_payment_without_a_date_and_asks_again() -> None:
    d = _paid_late_case("1000")
    assert "Écrivez la date puis le montant" in d.text_of_last()
    assert d.prompt.key == "payments"
    d.say("30/06/2025 : 600\n15/03/2025 : 600")  # more than the invoice
    assert "dépassent le montant de la facture" in d.text_of_last()
    d.say("30/06/2025 : 600\n15/03/2025 : 400")
    assert d.prompt.key == "another_invoice"
    assert [p["on"] for p in d.answers()["payments"]] == ["2025-03-15", "2025-06-30"]


def test_the_demand_letter_lists_the_payments_received() -> None:
    d = _paid_late_case("02/03/2025 : 400")
    answers = {**DOCUMENT_ANSWERS, "another_invoice": "press:no", "supply": "press:services",
               "debtor_trader": "press:trader",
               "contract_rate": "press:none", "reminders_sent": "press:0",
               "rights_ack": "press:continue", "ev_contract": "press:yes",
               "ev_delivery": "press:yes", "ev_invoice_sent": "press:yes",
               "disputed": "press:no", "insolvency": "press:no",
               "debtor_responsive": "press:yes", "services_running": "press:no",
               "remedy": "press:formal_demand", "creditor_name": "Jeanne Martin EI",
               "creditor_address": "12 rue des Lilas\n75011 Paris",
               "debtor_address": "4 avenue Foch\n69006 Lyon", "city": "Paris",
               "deadline_days": "press:8", "review": "press:generate"}
    while d.case.state != "followup":
        d.answer(answers[d.prompt.key])
    (letter,) = [job for reply in d.replies for job in reply.documents
                 if job.kind == "demand_letter"]
    text = plain(html_to_text(render_html(letter)))
    assert "Paiements reçus" in text
    assert "400,00 € le 2 mars 2025" in text
    # 1 Feb -> 2 Mar 2025: 30 days on 1 000 at 13.15 % = 10.81; 3 Mar -> 1 Sep 2025 on 600:
    # 3 Mar -> 30 Jun = 120 days at 13.15 % = 25.94, 1 Jul -> 1 Sep = 63 days at 12.15 %:
    # 600 x 0.1215 x 63/365 = 12.582 -> 12.58. Interest 49.33.
    assert "49,33 €" in text


def test_a_case_stored_with_an_undated_payment_still_loads_and_warns() -> None:
    stored = {"id": "c1", "created_at": "2025-08-01T09:00:00+02:00", "state": "rights",
              "answers": {"jurisdiction": "fr", "debtor_kind": "business",
                          "invoice_number": "F-1", "issue_date": "2025-01-01",
                          "invoice_amount": {"amount": "1000.00", "currency": "EUR"},
                          "due_date": "2025-01-31",
                          "paid_amount": {"amount": "400.00", "currency": "EUR"}}}
    case = Case.from_json(stored)
    (invoice,) = case.invoices()
    assert invoice.undated.amount == Decimal("400.00")
    assert invoice.balance.amount == Decimal("600.00")
    (figures,) = rights_for(case, date(2025, 9, 1))
    assert figures.principal.amount == Decimal("600.00")
    assert "law.warning.undated_payment" in warning_keys(figures)
    assert BY_KEY["payments"].applies(case) is False  # not asked again
    assert BY_KEY["paid_amount"].applies(case) is True  # still shown and editable
