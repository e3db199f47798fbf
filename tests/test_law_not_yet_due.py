"""An invoice not yet due: nothing to claim before its due date, only a courtesy reminder."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from bot.cli_rights import main
from flows import followup
from flows.followup.timeline import StepKind
from flows.law.remedies import CaseFacts, recommend
from flows.vocabulary import Jurisdiction, Remedy
from testing.driver import plain
from tests.followup_cases import PARIS, answering
from tests.law_cases import d, invoice, rights, warning_keys

FR = Jurisdiction.FRANCE


@pytest.mark.parametrize("jurisdiction", list(Jurisdiction))
def test_before_its_due_date_an_invoice_owes_nothing_and_no_court_is_open(
    jurisdiction: Jurisdiction,
) -> None:
    # 2 400 due 15 May 2025, looked at on 10 May: 0 days late, so no interest, no indemnity;
    # what is owed is the principal alone.
    currency = "CAD" if jurisdiction is Jurisdiction.QUEBEC else "EUR"
    r = rights(jurisdiction, "2400", "2025-04-15", "2025-05-15", "2025-05-10", currency=currency)
    assert r.not_yet_due
    assert r.interest.amount == 0
    assert r.interest_periods == ()
    assert r.indemnity.amount == 0
    assert r.total == r.principal
    assert "law.warning.not_yet_due" in warning_keys(r)
    assert all(route.available is False for route in r.routes)
    assert all(route.conditions[0].text.key == "law.cond.due" for route in r.routes)
    assert all(route.conditions[0].met is False for route in r.routes)


def test_on_the_due_date_itself_it_is_still_not_late_and_the_next_day_it_is() -> None:
    # Interest runs from the day after the due date (L441-10 II). On 16 May 2025, 1 day at
    # 13.15 % (ECB 3.15 + 10, 2025 H1): 2400 x 0.1315 x 1/365 = 0.8646 -> 0.86, and the 40 EUR.
    on_due = rights(FR, "2400", "2025-04-15", "2025-05-15", "2025-05-15")
    assert on_due.not_yet_due
    assert on_due.interest.amount == 0
    late = rights(FR, "2400", "2025-04-15", "2025-05-15", "2025-05-16")
    assert not late.not_yet_due
    assert late.interest.amount == Decimal("0.86")
    assert late.indemnity.amount == Decimal("40.00")
    assert "law.warning.not_yet_due" not in warning_keys(late)
    assert any(route.available for route in late.routes)


def test_the_advice_is_a_courtesy_reminder_and_rules_out_the_court() -> None:
    facts = CaseFacts(FR, invoice("2400", "2025-04-15", "2025-05-15"))
    advice = recommend(facts, d("2025-05-10"))
    assert [r.remedy for r in advice.recommended] == [Remedy.FRIENDLY_REMINDER]
    assert advice.first.reason.key == "law.remedy.why.courtesy_before_due"
    assert advice.first.reason.param("due") == d("2025-05-15")
    ruled = {r.remedy: r.reason.key for r in advice.ruled_out}
    for remedy in (Remedy.COURT, Remedy.FORMAL_DEMAND, Remedy.COLLECTION_AGENCY):
        assert ruled[remedy] == "law.remedy.out.not_yet_due"


def test_calculator_warns_in_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--country", "fr", "--debtor", "business", "--amount", "2400",
            "--issued", "2025-04-15", "--due", "2025-05-15", "--on", "2025-05-10"]
    assert main([*args, "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "This invoice is not due before 15 May 2025" in text
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["interest"], out["indemnity"]) == ("0.00", "0.00")
    assert out["total"] == "2400.00"
    assert [w["key"] for w in out["warnings"]] == ["law.warning.not_yet_due"]
    assert "pas exigible avant le 15 mai 2025" in out["warnings"][0]["text"]
    assert all(route["available"] is False for route in out["routes"])


def test_chat_offers_a_courtesy_reminder_and_checks_the_day_after_the_due_date() -> None:
    # Invoice of 15 Nov 2026 due 15 Dec 2026; the user comes on 23 Nov 2026.
    now = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
    answers = {
        "jurisdiction": "press:fr", "debtor_kind": "press:business",
        "debtor_name": "ACME Rénovation SARL", "invoice_number": "F-2026-050",
        "invoice_amount": "2 400 €", "issue_date": "15/11/2026", "due_date": "15/12/2026",
        "payments": "press:nothing", "another_invoice": "press:no",
        "supply": "press:services", "debtor_trader": "press:trader",
        "contract_rate": "press:none", "reminders_sent": "press:0",
        "rights_ack": "press:continue", "ev_contract": "press:yes", "ev_delivery": "press:yes",
        "ev_invoice_sent": "press:yes", "disputed": "press:no", "insolvency": "press:no",
        "debtor_responsive": "press:yes", "services_running": "press:no",
        "remedy": "press:friendly_reminder", "creditor_name": "Jeanne Martin EI",
        "creditor_address": "12 rue des Lilas\n75011 Paris",
        "debtor_address": "4 avenue Foch\n69006 Lyon", "city": "Paris",
        "review": "press:generate",
    }
    driver = answering(answers, now=now)
    shown = plain("\n".join(m for reply in driver.replies for m in reply.messages))
    assert "pas exigible avant le 15 décembre 2026" in shown
    assert "Pas exigible avant le 15 décembre 2026 : un rappel courtois" in shown
    sent = [job.kind for reply in driver.replies for job in reply.documents]
    assert "reminder_1" in sent
    assert not {"reminder_2", "reminder_3", "phone_script"} & set(sent)
    first = followup.timeline(driver.case)[0]
    assert (first.kind, first.day) == (StepKind.CHECK, date(2026, 12, 16))
    assert driver.case.next_check == date(2026, 12, 16)
