"""The debtor's link and four answers, on a case whose formal demand went out (flows.debtor)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from flows.casefile_export import chronology_text
from flows.debtor import answers, chat, link
from flows.debtor.answers import DebtorInputError, Side
from flows.debtor.claim import claim_text, claim_view
from flows.debtor.record import DebtorSide
from flows.documents.context import chronology as document_chronology
from flows.followup import timeline
from flows.followup.state import FollowUp
from flows.i18n import t
from flows.law import InvoiceFacts, compute_rights, from_case
from flows.payment import belgian_communication, creditor_reference
from flows.vocabulary import Jurisdiction, Remedy
from testing.driver import plain
from tests.followup_cases import FORMAL_DEMAND, NOW, followed

TODAY = NOW.date()  # 23 November 2026


def demand_case():  # type: ignore[no-untyped-def]
    return followed(FORMAL_DEMAND).case


# The link ------------------------------------------------------------------------------------
def test_each_case_gets_its_own_128_bit_token_that_revoking_kills() -> None:
    case, other = demand_case(), demand_case()
    token = link.issue(case, NOW)
    assert link.looks_like_token(token)  # 16 random bytes, base64url
    assert len(token) == 22
    assert link.issue(case, NOW) == token  # the same link in every letter of the case
    assert link.issue(other, NOW) != token
    assert link.holds(case, token)
    assert not link.holds(other, token)
    assert link.revoke(case, NOW)
    assert not link.holds(case, token)
    assert link.live(case) == ""
    assert [e["kind"] for e in case.events][-1] == "debtor_link_revoked"
    assert link.issue(case, NOW) != token  # the next letter carries a new one


def test_a_closed_case_link_is_dead() -> None:
    case = demand_case()
    token = link.issue(case, NOW)
    case.state = "closed"
    assert not link.holds(case, token)
    with pytest.raises(DebtorInputError):
        answers.contest(case, "price", "Trop cher", TODAY, NOW)


# What the debtor sees -------------------------------------------------------------------------
def test_debtor_sees_the_claim_with_interest_indemnity_and_deadline() -> None:
    case = demand_case()
    view = claim_view(case, TODAY)
    # 1 200,50 € due 15/10/2026, B2B: ECB rate + 10 points from 16/10, 40 € indemnity (D441-5).
    assert view.principal.amount == Decimal("1200.50")
    assert view.indemnity.amount == Decimal("40.00")
    assert view.interest.amount > 0
    assert view.total == view.principal + view.interest + view.indemnity
    assert view.deadline == TODAY + timedelta(days=8)  # the demand's 8 days
    text = claim_text(view, "fr")
    assert "Jeanne Martin EI" in text
    assert "F-2026-042" in text
    assert "40,00" in text
    assert "1er décembre 2026" in text
    assert any("L441-10" in source for source in view.sources)


# The plan -------------------------------------------------------------------------------------
def test_a_plan_both_sides_accept_becomes_the_case_plan_with_instalment_reminders() -> None:
    case = demand_case()
    first = TODAY + timedelta(days=14)
    said = answers.propose_plan(case, Side.DEBTOR, 3, first, TODAY, NOW)
    assert said.creditor_choices == ("accept", "counter", "refuse")
    assert DebtorSide.read(case).proposal is not None
    with pytest.raises(DebtorInputError) as waits:
        answers.accept_plan(case, Side.DEBTOR, NOW)  # the debtor cannot accept their own
    assert waits.value.key == "plan_waits_other"
    done = answers.accept_plan(case, Side.CREDITOR, NOW + timedelta(hours=2))
    assert done.agreement
    agreed = DebtorSide.read(case).agreed
    assert agreed is not None
    assert set(agreed["accepted"]) == {"debtor", "creditor"}
    assert agreed["accepted"]["creditor"] == (NOW + timedelta(hours=2)).isoformat()
    assert case.text("remedy") == Remedy.PAYMENT_PLAN
    assert FollowUp.read(case).plan == {"count": 3, "first": first.isoformat(),
                                        "interval": "monthly",
                                        "total": {"amount": "1200.50", "currency": "EUR"},
                                        "notice_days": 8, "waived": False,
                                        "agreed_online": TODAY.isoformat()}
    steps = [s for s in timeline(case) if s.kind == "instalment"]
    assert [s.day for s in steps] == [date(2026, 12, 8), date(2027, 1, 8), date(2027, 2, 8)]
    # 1 200,50 / 3 = 400,16 twice, the rounding cents on the last: 400,18.
    assert [s.params["amount"].amount for s in steps] == [Decimal("400.16"), Decimal("400.16"),
                                                          Decimal("400.18")]


@pytest.mark.parametrize(("count", "first", "key"), [
    (1, 7, "plan_count"), (25, 7, "plan_count"), (3, -1, "plan_first_past"),
    (3, 61, "plan_first_far"),
])
def test_a_plan_out_of_bounds_is_refused_with_the_reason(count: int, first: int,
                                                         key: str) -> None:
    case = demand_case()
    with pytest.raises(DebtorInputError) as refused:
        answers.propose_plan(case, Side.DEBTOR, count, TODAY + timedelta(days=first), TODAY, NOW)
    assert refused.value.key == key
    assert DebtorSide.read(case).proposal is None


def test_the_creditor_refusing_leaves_the_claim_as_it_was() -> None:
    case = demand_case()
    answers.propose_plan(case, Side.DEBTOR, 3, TODAY + timedelta(days=7), TODAY, NOW)
    said = answers.refuse_plan(case, Side.CREDITOR, NOW)
    assert said.debtor[0].key == "debtor.plan.refused_by_creditor"
    assert DebtorSide.read(case).proposal is None
    assert case.text("remedy") == "formal_demand"


# Acknowledgement ------------------------------------------------------------------------------
def test_acknowledgement_restarts_the_limitation_period_from_that_day() -> None:
    case = demand_case()
    # Invoice of 15/09/2026 between traders: 5 years (C. com. L110-4), counted from the
    # invoice date: 15/09/2031. Acknowledged on 23/11/2026: a new 5-year period (C. civ. 2240,
    # 2231) ends on 23/11/2031.
    assert from_case.rights_for(case, TODAY)[0].limitation.last_day == date(2031, 9, 15)
    said = answers.acknowledge(case, "  Paul   Durand ", True, TODAY, NOW)
    rights = from_case.rights_for(case, TODAY)[0]
    assert rights.limitation.last_day == date(2031, 11, 23)
    assert rights.limitation.explanation.key == "law.limitation.restarted"
    assert DebtorSide.read(case).acknowledgement == {
        "name": "Paul Durand", "at": NOW.isoformat(), "on": "2026-11-23",
        "amount": {"amount": "1200.50", "currency": "EUR"}, "invoices": ["F-2026-042"]}
    limitation = next(m for m in said.creditor if m.key == "debtor.ack.limitation")
    assert limitation.param("last_day") == date(2031, 11, 23)
    assert "2240" in str(limitation.param("article"))


@pytest.mark.parametrize(("jurisdiction", "currency", "last_day"), [
    ("fr", "EUR", date(2031, 12, 3)),  # 5 years, C. civ. 2240 + 2231
    ("be", "EUR", date(2036, 12, 3)),  # 10 years, former C. civ. 2248
    ("qc", "CAD", date(2029, 12, 3)),  # 3 years, C.c.Q. 2898 + 2903
])
def test_each_jurisdiction_restarts_its_own_period(jurisdiction: str, currency: str,
                                                   last_day: date) -> None:
    facts = InvoiceFacts(amount=Decimal("1000"), issue_date=date(2024, 3, 15),
                         due_date=date(2024, 4, 14), debtor_kind="business", currency=currency,
                         acknowledged_on=date(2026, 12, 3))
    rights = compute_rights(Jurisdiction(jurisdiction), facts, date(2026, 12, 5))
    assert rights.limitation.last_day == last_day
    assert rights.limitation.starts == date(2026, 12, 3)


def test_an_acknowledgement_after_the_period_ended_revives_nothing() -> None:
    facts = InvoiceFacts(amount=Decimal("1000"), issue_date=date(2020, 3, 15),
                         debtor_kind="business", currency="CAD",
                         acknowledged_on=date(2026, 12, 3))
    rights = compute_rights(Jurisdiction.QUEBEC, facts, date(2026, 12, 5))
    assert rights.limitation.last_day == date(2023, 3, 15)
    assert "law.warning.acknowledged_too_late" in [w.key for w in rights.warnings]


@pytest.mark.parametrize(("typed", "confirmed", "key"), [
    ("Paul", True, "name"), ("12 34", True, "name"), ("Paul Durand", False, "not_confirmed"),
    ("P" * 70 + " " + "D" * 70, True, "name_long"),
])
def test_acknowledgement_needs_a_full_name_and_a_confirmation(typed: str, confirmed: bool,
                                                              key: str) -> None:
    case = demand_case()
    with pytest.raises(DebtorInputError) as refused:
        answers.acknowledge(case, typed, confirmed, TODAY, NOW)
    assert refused.value.key == key
    assert DebtorSide.read(case).acknowledgement is None


# Dispute ------------------------------------------------------------------------------------
def test_contesting_makes_the_claim_disputed_and_changes_the_recommendation() -> None:
    case = demand_case()
    before = from_case.advice_for(case, TODAY)
    assert before is not None
    said = answers.contest(case, "quality", "Le site ne fonctionne pas sur mobile.", TODAY, NOW)
    after = from_case.advice_for(case, TODAY)
    assert after is not None
    assert case.flag("disputed") is True
    assert case.text("dispute_reason") == "quality"
    assert [r.remedy for r in after.recommended] != [r.remedy for r in before.recommended]
    recommended = next(m for m in said.creditor if m.key == "debtor.contest.now_recommended")
    assert recommended.param("why") == after.first.reason
    assert [e["kind"] for e in case.events][-1] == "debtor_contested"


def test_the_debtor_page_cites_the_claims_rules_not_the_creditors_court_routes() -> None:
    sources = claim_view(demand_case(), TODAY).sources
    assert "C. com. L441-10 II, D441-5" in sources  # the 40 € indemnity
    assert not any(source.startswith("CPC") for source in sources)  # court routes
    assert "C. com. L110-4" not in sources  # the limitation period


# The creditor's record -------------------------------------------------------------------------
def test_everything_the_debtor_did_is_in_the_exported_chronology() -> None:
    case = demand_case()
    link.issue(case, NOW)
    answers.opened(case, "6001", "en", NOW)
    answers.propose_plan(case, Side.DEBTOR, 3, TODAY + timedelta(days=14), TODAY, NOW)
    answers.refuse_plan(case, Side.CREDITOR, NOW)
    answers.acknowledge(case, "Paul Durand", True, TODAY, NOW)
    answers.contest(case, "price", "Le devis disait 1 000 €.", TODAY, NOW)
    text = plain(chronology_text(case, "fr"))
    assert "Le débiteur a ouvert le lien du courrier" in text
    assert ("Le débiteur a proposé un échéancier : 3 échéances à partir du 7 décembre 2026"
            in text)
    assert "Vous avez refusé l'échéancier proposé par le débiteur" in text
    assert "Le débiteur a reconnu la dette en ligne (Paul Durand, 1 200,50 €)" in text
    assert "Le débiteur a contesté la créance (le prix) : Le devis disait 1 000 €." in text
    # … and in the chronology the documents carry (sent with every remedy's documents).
    drawn = [plain(entry["text"]) for entry in document_chronology(case, "fr", TODAY)]
    assert "Le débiteur a reconnu la dette en ligne (Paul Durand, 1 200,50 €)" in drawn


@pytest.mark.parametrize(("jurisdiction", "reference"), [
    ("fr", lambda case: creditor_reference(case.id)),
    ("be", lambda case: belgian_communication(case.id))])
def test_the_pay_button_gives_the_reference_the_letter_prints(jurisdiction: str,
                                                              reference: Any) -> None:
    case = demand_case()
    case.answers["jurisdiction"] = jurisdiction
    case.answers["payment_details"] = "IBAN FR76 3000 6000 0112 3456 7890 189"
    shown = chat.debtor_press(case, "pay", "en", "fr", TODAY, NOW).debtor
    assert shown is not None
    text = shown.messages[0]
    assert f"Reference to give: {reference(case)}" in text
    assert "IBAN FR76 3000 6000 0112 3456 7890 189" in text


def test_the_pay_button_never_shows_the_answer_as_on_the_invoice_as_details() -> None:
    case = demand_case()
    case.answers["payment_details"] = "invoice"  # "as on the invoice": nothing to print
    shown = chat.debtor_press(case, "pay", "en", "fr", TODAY, NOW).debtor
    assert shown is not None
    assert "\ninvoice\n" not in shown.messages[0]
    assert t("en", "debtor.pay.no_details") in shown.messages[0]
