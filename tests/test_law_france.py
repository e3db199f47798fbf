"""France: figures a creditor would check by hand, to the cent (LEGAL_FACTS.md PART A)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flows.law import InvalidFacts, RouteKind, TermKind
from flows.law.messages import Listing, Percent
from flows.law.render import Renderer, render_rights
from flows.law.serialize import rights_to_json
from flows.vocabulary import DebtorKind, Jurisdiction
from tests.law_cases import d, invoice, period_table, rights, warning_keys

FR = Jurisdiction.FRANCE
CONSUMER = DebtorKind.CONSUMER


def test_lateness_over_two_half_years_matches_the_reference_example_to_the_cent() -> None:
    # LEGAL_FACTS A1.2: 10 000 EUR due 15 Mar 2025, unpaid on 15 Sep 2025, no contract rate.
    # 16 Mar -> 30 Jun 2025 = 107 days at 13.15 % (ECB 3.15 + 10): 10000 x 0.1315 x 107/365 = 385.49
    # 1 Jul -> 15 Sep 2025  =  77 days at 12.15 % (ECB 2.15 + 10): 10000 x 0.1215 x 77/365 = 256.32
    # interest 641.81 over 184 days; + 40 EUR indemnity = 681.81 on top of the principal.
    r = rights(FR, "10000", "2025-02-13", "2025-03-15", "2025-09-15")
    assert period_table(r) == [
        ("2025-03-16", "2025-06-30", 107, "13.15", "385.49"),
        ("2025-07-01", "2025-09-15", 77, "12.15", "256.32"),
    ]
    assert r.interest.amount == Decimal("641.81")
    assert sum(p.days for p in r.interest_periods) == 184
    assert r.indemnity.amount == Decimal("40.00")
    assert r.total.amount - r.principal.amount == Decimal("681.81")
    assert r.day_count == "actual/365"
    # One more day at today's rate: 10000 x 0.1215 / 365 = 3.3288 -> 3.33
    assert r.interest_per_day.amount == Decimal("3.33")
    assert r.days_late == 184
    assert not r.provisional
    assert r.warnings == ()


def test_contract_rate_below_the_floor_gives_way_to_ecb_plus_ten_with_a_warning() -> None:
    # 2024 H1: floor = 3 x legal rate 5.07 % = 15.21 %; a 12 % clause is below it, so the
    # default ECB 4.50 + 10 = 14.50 % applies. Late 1 Feb -> 30 Apr 2024 = 29 + 31 + 30 = 90 days.
    # 8000 x 0.145 x 90/365 = 286.027 -> 286.03
    r = rights(FR, "8000", "2023-12-15", "2024-01-31", "2024-04-30", contract_rate="12")
    assert period_table(r) == [("2024-02-01", "2024-04-30", 90, "14.50", "286.03")]
    (warning,) = r.warnings
    assert warning.key == "law.warning.contract_rate_below_floor"
    assert warning.param("floor") == Percent(Decimal("15.21"))
    assert warning.param("applied") == Percent(Decimal("14.50"))


def test_contract_rate_above_the_floor_is_applied_without_splitting_the_half_years() -> None:
    # Floors: 2025 H1 3 x 3.71 = 11.13 %, 2025 H2 3 x 2.76 = 8.28 %: 12 % is valid in both, so
    # one period of 184 days: 10000 x 0.12 x 184/365 = 604.93
    r = rights(FR, "10000", "2025-02-13", "2025-03-15", "2025-09-15", contract_rate="12")
    assert period_table(r) == [("2025-03-16", "2025-09-15", 184, "12", "604.93")]
    assert r.warnings == ()


def test_due_date_of_29_february_counts_interest_from_1_march() -> None:
    # Due 29 Feb 2024 (leap year). 1 Mar -> 30 Jun 2024 = 31+30+31+30 = 122 days at 14.50 %:
    # 3000 x 0.145 x 122/365 = 145.397 -> 145.40; 1 -> 15 Jul 2024 = 15 days at 14.25 %:
    # 3000 x 0.1425 x 15/365 = 17.568 -> 17.57. Interest 162.97, + 40 = 3202.97 in all.
    r = rights(FR, "3000", "2024-01-30", "2024-02-29", "2024-07-15")
    assert period_table(r) == [
        ("2024-03-01", "2024-06-30", 122, "14.50", "145.40"),
        ("2024-07-01", "2024-07-15", 15, "14.25", "17.57"),
    ]
    assert r.total.amount == Decimal("3202.97")
    assert r.payment_term.exceeded is False
    assert r.payment_term.legal_latest == d("2024-03-30")  # 60 days after 30 Jan 2024


def test_consumer_owes_legal_interest_only_from_the_formal_demand_and_no_indemnity() -> None:
    # Creditor is a business, so the "other cases" legal rate. Demand sent 3 Mar 2025.
    # 4 Mar -> 30 Jun 2025 = 28+30+31+30 = 119 days at 3.71 %: 1500 x 0.0371 x 119/365 = 18.14
    # 1 Jul -> 30 Sep 2025 = 92 days at 2.76 %: 1500 x 0.0276 x 92/365 = 10.435 -> 10.44
    r = rights(
        FR,
        "1500",
        "2025-01-10",
        "2025-02-10",
        "2025-09-30",
        debtor_kind=CONSUMER,
        demand_date="2025-03-03",
    )
    assert period_table(r) == [
        ("2025-03-04", "2025-06-30", 119, "3.71", "18.14"),
        ("2025-07-01", "2025-09-30", 92, "2.76", "10.44"),
    ]
    assert r.indemnity.amount == 0
    assert r.total.amount == Decimal("1528.58")
    assert r.payment_term.exceeded is None  # the Code de commerce ceilings are B2B only


def test_consumer_without_a_formal_demand_owes_no_interest_yet() -> None:
    r = rights(FR, "1500", "2025-01-10", "2025-02-10", "2025-09-30", debtor_kind=CONSUMER)
    assert r.interest.amount == 0
    assert r.interest_per_day.amount == 0
    assert "law.warning.fr.consumer_needs_demand" in warning_keys(r)


def test_nothing_is_owed_on_top_before_the_due_date() -> None:
    r = rights(FR, "2000", "2025-04-15", "2025-05-15", "2025-05-15")
    assert r.interest.amount == 0
    assert r.indemnity.amount == 0
    assert r.days_late == 0
    assert r.total.amount == Decimal("2000")


def test_uncovered_half_year_carries_the_last_rate_forward_and_says_so() -> None:
    # 2026 H2 is not in the tables (today is 23 Nov 2026): ECB 2.15 % is carried over.
    # 16 -> 30 Jun 2026 = 15 days at 12.15 %: 10000 x 0.1215 x 15/365 = 49.93
    # 1 Jul -> 23 Nov 2026 = 146 days at 12.15 % (provisional): 10000 x 0.1215 x 146/365 = 486.00
    r = rights(FR, "10000", "2026-05-16", "2026-06-15", "2026-11-23")
    assert period_table(r) == [
        ("2026-06-16", "2026-06-30", 15, "12.15", "49.93"),
        ("2026-07-01", "2026-11-23", 146, "12.15", "486.00"),
    ]
    assert [p.provisional for p in r.interest_periods] == [False, True]
    assert r.provisional
    (warning,) = r.warnings
    assert warning.key == "law.warning.rate_provisional"
    assert warning.param("period").params == (("year", "2026"),)
    assert warning.param("period").key == "law.period.h2"
    assert warning.param("rate") == Percent(Decimal("2.15"))


def test_partial_payment_reduces_the_principal_interest_runs_on() -> None:
    # 10000 - 4000 paid = 6000; 6000 x 0.1315 x 107/365 = 231.296 -> 231.30;
    # 6000 x 0.1215 x 77/365 = 153.789 -> 153.79; together 385.09
    r = rights(FR, "10000", "2025-02-13", "2025-03-15", "2025-09-15", paid="4000")
    assert r.principal.amount == Decimal("6000")
    assert r.interest.amount == Decimal("385.09")
    assert "law.warning.undated_payment" in warning_keys(r)


@pytest.mark.parametrize(
    ("extra", "agreed", "latest", "exceeded"),
    [
        # 60 days from 15 Jan 2025 = 16 Mar 2025
        ({"term_kind": TermKind.DAYS, "payment_term_days": 60}, "2025-03-16", "2025-03-16", False),
        ({"term_kind": TermKind.DAYS, "payment_term_days": 90}, "2025-04-15", "2025-03-16", True),
        # 45 days end of month: 31 Jan + 45 = 17 Mar (other reading: 1 Mar -> 31 Mar)
        ({"term_kind": TermKind.END_OF_MONTH_45}, "2025-03-17", "2025-03-31", False),
    ],
)
def test_agreed_payment_term_is_checked_against_the_legal_ceiling(
    extra: dict[str, object], agreed: str, latest: str, exceeded: bool
) -> None:
    r = rights(FR, "1000", "2025-01-15", None, "2025-02-01", **extra)
    assert r.payment_term.agreed_due == d(agreed)
    assert r.payment_term.legal_latest == d(latest)
    assert r.payment_term.exceeded is exceeded
    assert ("law.warning.term_exceeded" in warning_keys(r)) is exceeded


def test_no_agreed_term_means_thirty_days_after_delivery() -> None:
    r = rights(FR, "1000", "2025-01-15", None, "2025-03-01", delivery_date="2025-01-10")
    assert r.payment_term.effective_due == d("2025-02-09")
    assert r.payment_term.exceeded is False


@pytest.mark.parametrize(
    ("debtor", "issued", "on", "last_day", "warning"),
    [
        (DebtorKind.BUSINESS, "2025-04-15", "2025-09-30", "2030-04-15", None),
        (CONSUMER, "2024-02-29", "2024-06-01", "2026-02-28", None),  # no 29 Feb in 2026
        (CONSUMER, "2024-02-29", "2025-11-01", "2026-02-28", "law.warning.limitation_near"),
        (CONSUMER, "2024-02-29", "2026-03-01", "2026-02-28", "law.warning.limitation_expired"),
    ],
)
def test_limitation_gives_the_last_day_to_act_and_warns_when_near(
    debtor: DebtorKind, issued: str, on: str, last_day: str, warning: str | None
) -> None:
    r = rights(FR, "1000", issued, None, on, debtor_kind=debtor)
    assert r.limitation_date == d(last_day)
    keys = [k for k in warning_keys(r) if k.startswith("law.warning.limitation")]
    assert keys == ([warning] if warning else [])
    assert [m.key for m in r.limitation.not_interrupted_by] == ["law.limitation.fr.demand_letter"]


def test_limitation_near_warning_counts_the_days_left() -> None:
    r = rights(FR, "1000", "2024-02-29", None, "2025-11-01", debtor_kind=CONSUMER)
    near = next(w for w in r.warnings if w.key == "law.warning.limitation_near")
    assert near.param("days") == 119  # 1 Nov 2025 -> 28 Feb 2026


@pytest.mark.parametrize(
    ("amount", "small_claims_open"),
    [("5000.00", True), ("4999.99", True), ("5000.01", False)],
)
def test_exactly_5000_euros_is_within_the_small_claims_procedure(
    amount: str, small_claims_open: bool
) -> None:
    # A consumer without a formal demand owes no interest yet, so the day after the due date
    # the claim is the principal alone (on the due date itself nothing is claimable yet).
    r = rights(FR, amount, "2025-04-15", "2025-05-15", "2025-05-16", debtor_kind=CONSUMER)
    route = r.route(RouteKind.SMALL_CLAIMS_PROCEDURE)
    assert route.available is small_claims_open
    assert route.conditions[0].met is small_claims_open


def test_small_claims_ceiling_counts_interest_too() -> None:
    # 4900 due 15 Mar 2025, on 15 Sep 2025: 4900 x 0.1315 x 107/365 = 188.892 -> 188.89 and
    # 4900 x 0.1215 x 77/365 = 125.594 -> 125.59: 314.48 of interest, 5214.48 > 5000 claimed.
    r = rights(FR, "4900", "2025-02-13", "2025-03-15", "2025-09-15")
    assert r.interest.amount == Decimal("314.48")
    assert r.route(RouteKind.SMALL_CLAIMS_PROCEDURE).available is False


@pytest.mark.parametrize(("amount", "needs_attempt"), [("5000.00", True), ("5000.01", False)])
def test_consumer_claim_up_to_5000_needs_an_amicable_attempt_before_the_tribunal_judiciaire(
    amount: str, needs_attempt: bool
) -> None:
    r = rights(FR, amount, "2025-01-10", "2025-02-10", "2025-09-30", debtor_kind=CONSUMER)
    summons = r.route(RouteKind.SUMMONS)
    keys = [c.text.key for c in summons.conditions]
    assert ("law.cond.fr.amicable_attempt" in keys) is needs_attempt
    assert r.route(RouteKind.ORDER_FOR_PAYMENT).court.key == "law.court.fr.judicial"


def test_business_debtor_has_no_amicable_prerequisite_before_the_commercial_court() -> None:
    r = rights(FR, "3000", "2025-01-10", "2025-02-10", "2025-09-30")
    keys = [c.text.key for c in r.route(RouteKind.SUMMONS).conditions]
    assert "law.cond.fr.amicable_attempt" not in keys
    assert r.route(RouteKind.ORDER_FOR_PAYMENT).court.key == "law.court.fr.commercial_or_tae"


@pytest.mark.parametrize(("amount", "lawyer"), [("10000.00", False), ("10000.01", True)])
def test_lawyer_is_compulsory_above_10000_euros(amount: str, lawyer: bool) -> None:
    r = rights(FR, amount, "2025-04-15", "2025-05-15", "2025-05-15")
    assert r.route(RouteKind.SUMMONS).lawyer_required is lawyer
    assert r.route(RouteKind.ORDER_FOR_PAYMENT).lawyer_required is False


def test_every_answer_cites_its_articles() -> None:
    r = rights(FR, "10000", "2025-02-13", "2025-03-15", "2025-09-15")
    articles = " ".join(s.article for s in r.sources)
    for article in ("L441-10", "D441-5", "L110-4", "L125-1", "1405"):
        assert article in articles


@pytest.mark.parametrize(
    "change",
    [{"amount": "0"}, {"paid": "20000"}, {"contract_rate": "-1"}, {"due": "2025-01-01"}],
)
def test_contradictory_facts_are_refused_with_a_clear_error(change: dict[str, str]) -> None:
    facts = {"amount": "10000", "issued": "2025-02-13", "due": "2025-03-15"} | change
    with pytest.raises(InvalidFacts):
        invoice(facts.pop("amount"), facts.pop("issued"), facts.pop("due"), **facts)


def test_invoice_in_another_currency_is_refused() -> None:
    with pytest.raises(InvalidFacts, match="EUR"):
        rights(FR, "100", "2025-01-01", None, "2025-03-01", currency="USD")


def test_computation_date_before_the_invoice_is_refused() -> None:
    with pytest.raises(InvalidFacts, match="before the invoice date"):
        rights(FR, "100", "2025-01-01", None, "2024-12-31")


def test_a_2014_debt_gets_the_2014_half_year_rates() -> None:
    # Due 31 May 2014. 1 -> 30 Jun = 30 days at 10.25 % (ECB 0.25 % on 1 Jan + 10):
    # 1000 x 0.1025 x 30/365 = 8.424 -> 8.42; 1 Jul -> 31 Dec = 184 days at 10.15 % (ECB 0.15 %
    # on 1 Jul + 10): 1000 x 0.1015 x 184/365 = 51.167 -> 51.17. Interest 59.59, + 40 indemnity.
    r = rights(FR, "1000", "2014-05-01", "2014-05-31", "2014-12-31")
    assert period_table(r) == [
        ("2014-06-01", "2014-06-30", 30, "10.25", "8.42"),
        ("2014-07-01", "2014-12-31", 184, "10.15", "51.17"),
    ]
    assert r.interest.amount == Decimal("59.59")
    assert not r.provisional


def test_a_debt_older_than_the_tables_is_refused_not_given_a_later_rate() -> None:
    with pytest.raises(InvalidFacts, match="no ecb_mro rate before 2013-01-01"):
        rights(FR, "1000", "2012-05-01", "2012-05-31", "2013-12-31")


def test_near_limitation_warning_names_the_same_acts_as_the_details() -> None:
    # Consumer, invoice 29 Feb 2024: 2 years -> 28 Feb 2026 (L218-2), 119 days left on 1 Nov 2025.
    r = rights(FR, "1000", "2024-02-29", None, "2025-11-01", debtor_kind=CONSUMER)
    near = next(w for w in r.warnings if w.key == "law.warning.limitation_near")
    acts = near.param("acts")
    assert isinstance(acts, Listing)
    assert acts.items == r.limitation.interrupted_by
    say = Renderer("fr")
    text = say(near)
    for part in ("paiement partiel", "demande de délai", "signification de l'ordonnance",
                 "acte d'exécution forcée"):
        assert part in text
    assert "seule une action en justice" not in text
    assert "only a court claim or" not in Renderer("en")(near)
    out = rights_to_json(r, "en")
    (warning,) = [w for w in out["warnings"] if w["key"] == "law.warning.limitation_near"]
    assert [a["key"] for a in warning["params"]["acts"]] == [
        "law.limitation.fr.acknowledgment",
        "law.limitation.fr.court_claim",
        "law.limitation.fr.enforcement",
    ]


def test_a_contract_rate_is_never_provisional_even_when_the_legal_rate_is_not_published() -> None:
    # 15 % agreed, due 15 Jun 2026, on 23 Nov 2026. The 2026 H2 legal rate (the floor is 3 x it)
    # is not published yet: the floor is checked with 2026 H1's 2.62 % (3 x = 7.86 % < 15 %), but
    # the figure is the contract rate, owed whatever is published: 16 Jun -> 23 Nov = 161 days,
    # 10000 x 0.15 x 161/365 = 661.643 -> 661.64, not marked PROVISOIRE.
    r = rights(FR, "10000", "2026-05-16", "2026-06-15", "2026-11-23", contract_rate="15")
    assert period_table(r) == [("2026-06-16", "2026-11-23", 161, "15", "661.64")]
    assert not r.provisional
    assert not any(p.provisional for p in r.interest_periods)
    assert "law.warning.rate_provisional" not in warning_keys(r)
    assert "law.note.limit_checked_with_carried_rate" in [n.key for n in r.notes]
    assert "PROVISOIRE" not in render_rights(r, "fr")


def test_the_default_rate_of_an_unpublished_half_year_is_still_provisional() -> None:
    r = rights(FR, "10000", "2026-05-16", "2026-06-15", "2026-11-23")
    assert r.provisional
    assert "PROVISOIRE" in render_rights(r, "fr")


def test_a_consumer_contract_rate_is_set_aside_as_our_prudent_choice_not_as_the_law() -> None:
    r = rights(FR, "1000", "2025-01-10", "2025-02-09", "2025-06-30", debtor_kind=CONSUMER,
               contract_rate="12", demand_date="2025-03-01")
    warning = next(w for w in r.warnings if w.key == "law.warning.fr.consumer_contract_rate")
    fr_text, en_text = Renderer("fr")(warning), Renderer("en")(warning)
    assert "choix de prudence" in fr_text
    assert "pas une règle de droit" in fr_text
    assert "prudent choice, not a rule of law" in en_text
    assert "12,00" in fr_text
