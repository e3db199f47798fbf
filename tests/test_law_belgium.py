"""Belgium: B2B late interest (law of 2 August 2002) and Book XIX consumer rules, enforced."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flows.law import DemandChannel, RouteKind, Supply, TermKind
from flows.law.belgium_consumer import damages_cap, first_chargeable_day
from flows.law.render import Renderer
from flows.law.tables import RateNotCovered
from flows.vocabulary import DebtorKind, Jurisdiction
from tests.law_cases import d, period_table, rights, warning_keys

BE = Jurisdiction.BELGIUM
CONSUMER = DebtorKind.CONSUMER


def test_b2b_interest_runs_automatically_at_the_half_year_rate_plus_40_euros() -> None:
    # Due 14 Feb 2025. 15 Feb -> 30 Jun 2025 = 14+31+30+31+30 = 136 days at 11.5 %:
    # 10000 x 0.115 x 136/365 = 428.493 -> 428.49; 1 Jul -> 15 Sep = 77 days at 10.5 %:
    # 10000 x 0.105 x 77/365 = 221.507 -> 221.51. Interest 650.00, + 40 indemnity.
    r = rights(BE, "10000", "2025-01-15", "2025-02-14", "2025-09-15")
    assert period_table(r) == [
        ("2025-02-15", "2025-06-30", 136, "11.5", "428.49"),
        ("2025-07-01", "2025-09-15", 77, "10.5", "221.51"),
    ]
    assert r.interest.amount == Decimal("650.00")
    assert r.indemnity.amount == Decimal("40.00")
    assert r.total.amount == Decimal("10690.00")


def test_b2b_term_over_60_days_is_deemed_unwritten_and_30_days_apply() -> None:
    # 90 days agreed from 15 Jan 2025 (due 15 Apr) > 60-day ceiling (16 Mar): the clause is
    # unwritten, the debt was due 30 days after the invoice (14 Feb), same figures as above.
    r = rights(
        BE, "10000", "2025-01-15", None, "2025-09-15", term_kind=TermKind.DAYS, payment_term_days=90
    )
    assert r.payment_term.exceeded is True
    assert r.payment_term.effective_due == d("2025-02-14")
    assert r.interest.amount == Decimal("650.00")
    assert "law.warning.be.term_unwritten" in warning_keys(r)


def test_b2b_routes_include_the_huissier_procedure_for_uncontested_debts() -> None:
    r = rights(BE, "10000", "2025-01-15", "2025-02-14", "2025-09-15")
    assert r.route(RouteKind.UNCONTESTED_DEBT).available is True
    assert r.route(RouteKind.UNCONTESTED_DEBT).lawyer_required is True
    assert r.route(RouteKind.SUMMONS).court.key == "law.court.be.enterprise"


@pytest.mark.parametrize(
    ("sent", "channel", "first"),
    [
        # Posted Thu 3 Apr 2025: working days Fri 4, Mon 7, Tue 8 -> 14 days from 8 Apr
        # (8..21 Apr), so charges only from 22 Apr.
        ("2025-04-03", DemandChannel.POST, "2025-04-22"),
        # E-mail: the 14 days start the next day (4..17 Apr), charges from 18 Apr.
        ("2025-04-03", DemandChannel.EMAIL, "2025-04-18"),
        # Posted Thu 17 Apr 2025: Fri 18, (Easter Monday 21 off), Tue 22, Wed 23 -> 23 Apr..6 May.
        ("2025-04-17", DemandChannel.POST, "2025-05-07"),
    ],
)
def test_consumer_can_be_charged_only_after_the_14_days_following_the_free_reminder(
    sent: str, channel: DemandChannel, first: str
) -> None:
    assert first_chargeable_day(d(sent), channel, d(sent)) == d(first)


def test_consumer_owes_nothing_while_the_reminder_period_runs() -> None:
    r = rights(
        BE,
        "400",
        "2025-03-01",
        "2025-03-31",
        "2025-04-21",
        debtor_kind=CONSUMER,
        demand_date="2025-04-03",
        contract_damages="80",
    )
    assert r.interest.amount == 0
    assert r.indemnity.amount == 0
    assert "law.warning.be.grace_running" in warning_keys(r)


def test_consumer_owes_nothing_without_a_first_reminder() -> None:
    r = rights(BE, "400", "2025-03-01", "2025-03-31", "2025-09-30", debtor_kind=CONSUMER)
    assert r.total.amount == Decimal("400")
    assert "law.warning.be.first_reminder_needed" in warning_keys(r)


def test_consumer_damages_are_capped_and_interest_starts_after_the_period() -> None:
    # Reminder posted 3 Apr 2025 -> chargeable from 22 Apr. 22 Apr -> 30 Jun = 9+31+30 = 70 days
    # at the 2025 legal rate 4.5 %: 400 x 0.045 x 70/365 = 3.452 -> 3.45.
    # Cap for 400: 30 + 10 % x (400 - 150) = 55; the clause's 80 is cut to 55.
    r = rights(
        BE,
        "400",
        "2025-03-01",
        "2025-03-31",
        "2025-06-30",
        debtor_kind=CONSUMER,
        demand_date="2025-04-03",
        contract_damages="80",
    )
    assert period_table(r) == [("2025-04-22", "2025-06-30", 70, "4.5", "3.45")]
    assert r.indemnity.amount == Decimal("55.00")
    assert r.total.amount == Decimal("458.45")
    assert "law.warning.be.damages_capped" in warning_keys(r)


def test_consumer_contract_rate_above_the_b2b_rate_is_void() -> None:
    r = rights(
        BE,
        "400",
        "2025-03-01",
        "2025-03-31",
        "2025-06-30",
        debtor_kind=CONSUMER,
        demand_date="2025-04-03",
        contract_rate="12",
    )
    assert [p.annual_rate for p in r.interest_periods] == [Decimal("4.5")]
    assert "law.warning.be.consumer_rate_above_cap" in warning_keys(r)


@pytest.mark.parametrize(
    ("debt", "cap"),
    [
        ("100", "20.00"),
        ("150", "20.00"),
        ("400", "55.00"),
        ("500", "65.00"),
        ("1000", "90.00"),
        ("50000", "2000.00"),
    ],
)
def test_book_xix_damages_cap_matches_the_reference_examples(debt: str, cap: str) -> None:
    assert damages_cap(Decimal(debt)) == Decimal(cap)


def test_consumer_goods_claim_has_the_one_year_limitation() -> None:
    r = rights(
        BE,
        "400",
        "2025-03-01",
        "2025-03-31",
        "2025-06-30",
        debtor_kind=CONSUMER,
        supply=Supply.GOODS,
    )
    assert r.limitation_date == d("2026-03-01")
    assert r.route(RouteKind.SUMMONS).court.key == "law.court.be.peace"
    assert r.route(RouteKind.UNCONTESTED_DEBT).available is False


def test_a_2023_consumer_debt_gets_2023s_legal_rate_not_2024s() -> None:
    # Due 31 Mar 2023, first reminder e-mailed 3 Apr: the 14 days run 4..17 Apr, interest from
    # 18 Apr. 18 Apr -> 31 Dec 2023 = 13+31+30+31+31+30+31+30+31+30 + ... = 258 days at the 2023
    # legal rate 5.25 %: 1000 x 0.0525 x 258/365 = 37.109 -> 37.11 (2024's 5.75 % would give
    # 40.64). A published rate: nothing provisional, no "not yet published" warning.
    r = rights(
        BE, "1000", "2023-03-01", "2023-03-31", "2023-12-31",
        debtor_kind=CONSUMER, demand_date="2023-04-03", demand_channel=DemandChannel.EMAIL,
    )
    assert period_table(r) == [("2023-04-18", "2023-12-31", 258, "5.25", "37.11")]
    assert not r.provisional
    assert "law.warning.rate_provisional" not in warning_keys(r)


def test_a_2015_b2b_debt_gets_the_2015_half_year_rates() -> None:
    # Due 31 May 2015. 1 Jun -> 30 Jun = 30 days at 8.5 % (ECB 0.05 + 8, rounded up):
    # 10000 x 0.085 x 30/365 = 69.863 -> 69.86; 1 Jul -> 31 Dec = 184 days at 8.5 % again, so one
    # period of 214 days: 10000 x 0.085 x 214/365 = 498.356 -> 498.36.
    r = rights(BE, "10000", "2015-05-01", "2015-05-31", "2015-12-31")
    assert period_table(r) == [("2015-06-01", "2015-12-31", 214, "8.5", "498.36")]


def test_a_debt_older_than_the_tables_is_refused_with_a_clear_message() -> None:
    with pytest.raises(RateNotCovered, match="before 2013-01-01"):
        rights(BE, "1000", "2012-03-01", "2012-03-31", "2012-12-31")


def test_belgian_near_limitation_warning_adds_the_lawyers_formal_notice() -> None:
    # Consumer goods: 1 year from 1 Mar 2025 -> 1 Mar 2026 (former C. civ. 2272); on 1 Jan 2026
    # it is near. Belgium lists the lawyer's or huissier's formal notice (2244 §2) too.
    r = rights(BE, "300", "2025-03-01", None, "2026-01-01", debtor_kind=CONSUMER,
               supply=Supply.GOODS)
    near = next(w for w in r.warnings if w.key == "law.warning.limitation_near")
    text = Renderer("fr", BE)(near)
    assert "avocat ou un huissier" in text
    assert "paiement partiel" in text
    assert "commandement ou une saisie" in text
    assert [m.key for m in r.limitation.interrupted_by] == [
        "law.limitation.be.acknowledgment", "law.limitation.be.court_claim",
        "law.limitation.be.enforcement", "law.limitation.be.lawyer_demand"]


def test_a_consumer_contract_rate_under_the_cap_is_not_provisional() -> None:
    # 8 % agreed, reminder e-mailed 2 Jul 2026, charges from 17 Jul (the 14 days run 3..16 Jul);
    # the 2026 H2 B2B rate (the cap) is not published, the check uses 10.5 % of 2026 H1, but 8 %
    # is owed whatever is published: 17 Jul -> 31 Aug = 46 days, 1000 x 0.08 x 46/365 = 10.08.
    r = rights(BE, "1000", "2026-05-01", "2026-05-31", "2026-08-31", debtor_kind=CONSUMER,
               contract_rate="8", demand_date="2026-07-02", demand_channel=DemandChannel.EMAIL)
    assert period_table(r) == [("2026-07-17", "2026-08-31", 46, "8", "10.08")]
    assert not r.provisional
    assert "law.note.limit_checked_with_carried_rate" in [n.key for n in r.notes]
