"""Remedy recommendation: the order a careful adviser would give, each with its reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from flows.law import InsolvencyFacts, RouteKind
from flows.law.facts import CaseFacts
from flows.law.remedies import Advice, recommend
from flows.law.remedy_compare import CostBand
from flows.money import Money
from flows.vocabulary import DebtorKind, Jurisdiction, Remedy
from tests.law_cases import d, invoice

FR = Jurisdiction.FRANCE


def advise(
    on: str,
    jurisdiction: Jurisdiction = FR,
    amount: str = "3000",
    issued: str = "2025-01-10",
    due: str = "2025-02-09",
    invoice_extra: dict[str, Any] | None = None,
    **situation: Any,
) -> Advice:
    facts = invoice(amount, issued, due, **(invoice_extra or {}))
    return recommend(CaseFacts(jurisdiction, facts, **situation), d(on))


def order(advice: Advice) -> list[Remedy]:
    return [r.remedy for r in advice.recommended]


def ruled_out(advice: Advice) -> dict[Remedy, str]:
    return {r.remedy: r.reason.key for r in advice.ruled_out}


def test_insolvency_puts_the_proof_of_claim_first_with_its_deadline() -> None:
    advice = advise(
        "2025-02-01",
        insolvency=InsolvencyFacts(d("2025-01-10")),
        goods_held_under_retention=True,
        invoice_extra={"supply": "goods"},
    )
    assert order(advice)[:2] == [Remedy.INSOLVENCY_CLAIM, Remedy.RETENTION_OF_TITLE]
    assert advice.first.deadline == d("2025-03-10")
    assert advice.recommended[1].deadline == d("2025-04-10")
    assert ruled_out(advice)[Remedy.COURT] == "law.remedy.out.stayed"
    assert ruled_out(advice)[Remedy.FORMAL_DEMAND] == "law.remedy.out.stayed"


def test_closed_revendication_window_is_ruled_out_with_the_date_it_closed() -> None:
    advice = advise(
        "2025-05-01", insolvency=InsolvencyFacts(d("2025-01-10")), goods_held_under_retention=True
    )
    closed = next(r for r in advice.ruled_out if r.remedy is Remedy.RETENTION_OF_TITLE)
    assert closed.reason.key == "law.remedy.out.revendication_closed"
    assert closed.reason.param("last_day") == d("2025-04-10")
    # The normal window passed on 10 Mar: the 6-month relief from foreclosure is still open.
    assert advice.first.reason.key == "law.remedy.why.claim_late"
    assert advice.first.deadline == d("2025-07-10")


def test_disputed_debt_goes_to_mediation_or_summons_not_to_an_order_for_payment() -> None:
    advice = advise("2025-04-01", disputed=True, reminders_sent=2)
    court = next(r for r in advice.recommended if r.remedy is Remedy.COURT)
    assert court.route is RouteKind.SUMMONS
    assert court.reason.key == "law.remedy.why.court_disputed"
    assert ruled_out(advice)[Remedy.COLLECTION_AGENCY] == "law.remedy.out.agency_disputed"


def test_fresh_lateness_with_a_responsive_debtor_starts_with_a_friendly_reminder() -> None:
    advice = advise("2025-02-19")  # 10 days late, no reminder yet
    assert order(advice)[:3] == [
        Remedy.FRIENDLY_REMINDER,
        Remedy.FORMAL_DEMAND,
        Remedy.PAYMENT_PLAN,
    ]
    court = next(r for r in advice.recommended if r.remedy is Remedy.COURT)
    assert court.route is RouteKind.SMALL_CLAIMS_PROCEDURE  # <= 5 000 EUR and debtor answers


def test_silent_debtor_after_two_reminders_gets_a_formal_demand_then_an_order_for_payment() -> None:
    advice = advise("2025-04-10", amount="12000", debtor_responsive=False, reminders_sent=2)
    assert order(advice)[0] is Remedy.FORMAL_DEMAND
    assert ruled_out(advice)[Remedy.FRIENDLY_REMINDER] == "law.remedy.out.reminders_done"
    assert ruled_out(advice)[Remedy.PAYMENT_PLAN] == "law.remedy.out.plan_needs_answer"
    court = next(r for r in advice.recommended if r.remedy is Remedy.COURT)
    assert court.route is RouteKind.ORDER_FOR_PAYMENT


def test_after_an_unanswered_formal_demand_court_comes_first() -> None:
    advice = advise(
        "2025-05-10", debtor_responsive=False, invoice_extra={"demand_date": "2025-04-01"}
    )
    assert order(advice)[0] is Remedy.COURT
    assert ruled_out(advice)[Remedy.FORMAL_DEMAND] == "law.remedy.out.demand_sent"


def test_running_services_and_goods_held_are_used_as_leverage_first() -> None:
    advice = advise("2025-04-10", services_ongoing=True, goods_held_under_retention=True)
    assert order(advice)[:2] == [Remedy.RETENTION_OF_TITLE, Remedy.SUSPENSION]


def test_limitation_about_to_expire_makes_court_urgent() -> None:
    advice = advise("2029-11-01", issued="2025-01-10", reminders_sent=3)
    assert advice.first.remedy is Remedy.COURT
    assert advice.first.deadline == d("2030-01-10")


@pytest.mark.parametrize(
    ("on", "close"),
    [
        # Last day 10 Jan 2030: from 12 Oct 2029 that is 19 + 30 + 31 + 10 = 90 days (not under
        # the 90 of data/remedies.toml); from 13 Oct, 89 days.
        ("2029-10-12", False),
        ("2029-10-13", True),
    ],
)
def test_under_90_days_only_a_served_summons_is_recommended(on: str, close: bool) -> None:
    advice = advise(on, issued="2025-01-10", reminders_sent=1, debtor_responsive=True)
    assert advice.first.remedy is Remedy.COURT
    if close:
        assert order(advice) == [Remedy.COURT]
        assert advice.first.route is RouteKind.SUMMONS
        assert advice.first.reason.key == "law.remedy.why.limitation_close.fr"
        assert ruled_out(advice)[Remedy.FORMAL_DEMAND] == "law.remedy.out.does_not_stop_limitation"
    else:
        assert advice.first.reason.key == "law.remedy.why.limitation_urgent"


def test_time_barred_claim_rules_court_out() -> None:
    advice = advise("2030-02-01", issued="2025-01-10")
    assert ruled_out(advice)[Remedy.COURT] == "law.remedy.out.time_barred"
    assert advice.first.remedy is Remedy.FRIENDLY_REMINDER


def test_belgian_consumer_starts_with_the_compulsory_free_reminder() -> None:
    advice = advise(
        "2025-04-10", Jurisdiction.BELGIUM, invoice_extra={"debtor_kind": DebtorKind.CONSUMER}
    )
    assert advice.first.remedy is Remedy.FORMAL_DEMAND
    assert advice.first.reason.key == "law.remedy.why.be_first_reminder"


def test_quebec_small_business_is_sent_to_small_claims() -> None:
    advice = advise(
        "2025-05-10",
        Jurisdiction.QUEBEC,
        debtor_responsive=False,
        invoice_extra={"currency": "CAD", "creditor_employees": 3, "demand_date": "2025-03-01"},
    )
    court = next(r for r in advice.recommended if r.remedy is Remedy.COURT)
    assert court.route is RouteKind.SMALL_CLAIMS_COURT


@pytest.mark.parametrize(
    "situation",
    [
        {},
        {"disputed": True},
        {"insolvency": InsolvencyFacts(d("2025-01-10"))},
        {"debtor_responsive": False, "reminders_sent": 3, "financial_difficulty": True},
    ],
)
def test_every_remedy_is_either_recommended_or_ruled_out_once(situation: dict[str, Any]) -> None:
    advice = advise("2025-03-01", **situation)
    seen = order(advice) + [r.remedy for r in advice.ruled_out]
    assert sorted(seen) == sorted(Remedy)
    assert advice.recommended, "there is always something to do"


def test_comparison_gives_cost_delay_prerequisites_and_outcome_for_each_remedy() -> None:
    advice = advise("2025-04-10", debtor_responsive=False, reminders_sent=2)
    profiles = {p.remedy: p for p in advice.comparison}
    assert set(profiles) == set(Remedy)
    court = profiles[Remedy.COURT]
    assert court.cost_band is CostBand.TENS
    assert court.cost.param("low") == Money(Decimal("35"), "EUR")
    demand_sent = next(c for c in court.prerequisites if c.text.key == "law.prereq.demand_sent")
    assert demand_sent.met is False
    assert profiles[Remedy.COLLECTION_AGENCY].cost_band is CostBand.SHARE
    assert profiles[Remedy.SUSPENSION].prerequisites[0].met is False
