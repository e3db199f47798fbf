"""Quebec: interest from default at 5 %, 3-year limitation, small-claims eligibility."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flows.law import InvalidFacts, RouteKind
from flows.law.render import Renderer
from flows.vocabulary import Jurisdiction
from tests.law_cases import d, period_table, rights, warning_keys

QC = Jurisdiction.QUEBEC


def test_interest_runs_at_five_percent_once_the_demand_delay_expires() -> None:
    # Demand of 1 Mar 2025 giving 10 days: in default after 11 Mar. 12 Mar -> 30 Jun 2025 =
    # 20+30+31+30 = 111 days at 5 %: 8000 x 0.05 x 111/365 = 121.644 -> 121.64. No indemnity.
    r = rights(
        QC,
        "8000",
        "2025-01-10",
        "2025-02-09",
        "2025-06-30",
        currency="CAD",
        demand_date="2025-03-01",
        demand_delay_days=10,
        creditor_employees=4,
    )
    assert period_table(r) == [("2025-03-12", "2025-06-30", 111, "5", "121.64")]
    assert r.indemnity.amount == 0
    assert r.total.amount == Decimal("8121.64")
    assert r.total.currency == "CAD"
    assert r.limitation_date == d("2028-01-10")  # 3 years, C.c.Q. 2925
    assert r.route(RouteKind.SMALL_CLAIMS_COURT).available is True


def test_no_interest_before_a_written_demand() -> None:
    r = rights(QC, "8000", "2025-01-10", "2025-02-09", "2025-06-30", currency="CAD")
    assert r.interest.amount == 0
    assert "law.warning.qc.demand_needed" in warning_keys(r)


@pytest.mark.parametrize(
    ("principal", "employees", "available"),
    [("15000.00", 10, True), ("15000.01", 10, False), ("8000", 11, False), ("8000", None, None)],
)
def test_small_claims_eligibility_checks_ceiling_and_enterprise_size(
    principal: str, employees: int | None, available: bool | None
) -> None:
    r = rights(
        QC,
        principal,
        "2025-01-10",
        "2025-02-09",
        "2025-06-30",
        currency="CAD",
        creditor_employees=employees,
    )
    assert r.route(RouteKind.SMALL_CLAIMS_COURT).available is available


def test_a_claim_over_the_ceiling_asks_to_check_this_years_indexation() -> None:
    r = rights(QC, "15500", "2025-01-10", "2025-02-09", "2025-10-01", currency="CAD")
    review = next(w for w in r.warnings if w.key == "law.warning.qc.ceiling_review")
    assert review.param("review") == d("2025-09-01")


def test_quebec_amounts_must_be_in_canadian_dollars() -> None:
    with pytest.raises(InvalidFacts):
        rights(QC, "100", "2025-01-10", None, "2025-06-30")


def test_a_contract_that_makes_the_due_date_a_default_runs_interest_from_it() -> None:
    # C.c.Q. 1594: in default by the terms of the contract. Due 9 Feb 2025, no demand needed:
    # 10 Feb -> 30 Jun 2025 = 19+31+30+31+30 = 141 days at 5 %: 8000 x 0.05 x 141/365 = 154.52.
    r = rights(QC, "8000", "2025-01-10", "2025-02-09", "2025-06-30", currency="CAD",
               default_by_term=True)
    assert period_table(r) == [("2025-02-10", "2025-06-30", 141, "5", "154.52")]
    assert r.interest_explanation.key == "law.interest.qc.from_term"
    assert "law.warning.qc.demand_needed" not in warning_keys(r)


def test_without_that_clause_interest_still_waits_for_the_demand() -> None:
    r = rights(QC, "8000", "2025-01-10", "2025-02-09", "2025-06-30", currency="CAD")
    assert r.interest_periods == ()
    assert "law.warning.qc.demand_needed" in warning_keys(r)


def test_the_additional_indemnity_is_left_to_the_court_and_says_why() -> None:
    r = rights(QC, "8000", "2025-01-10", "2025-02-09", "2025-06-30", currency="CAD")
    text = Renderer("en", QC)(r.indemnity_explanation)
    assert "s. 28 of the Tax Administration Act" in text
    assert "the court computes it" in text
