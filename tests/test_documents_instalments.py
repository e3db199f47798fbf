"""The payment plan's table: what the debtor signs must add up to the total, to the cent, and
be the very table the follow-up then reminds about."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from flows.documents.catalog import jobs_for
from flows.documents.context import plan_table
from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from flows.followup.plan import INTERVALS
from flows.money import Money
from flows.vocabulary import Remedy
from testing.driver import plain
from tests.documents_samples import TODAY, fr_business, with_remedy

totals = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)
counts = st.integers(min_value=1, max_value=24)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))


@given(totals, counts, days, st.sampled_from(INTERVALS))
def test_the_printed_table_always_sums_exactly_to_the_total(total: Decimal, count: int,
                                                             first: date, interval: str) -> None:
    table = plan_table(Money(total, "EUR"), count, first, interval)
    assert sum((i.amount.amount for i in table), Decimal(0)) == total
    assert 1 <= len(table) <= count
    assert all(i.amount.amount >= Decimal("0.01") for i in table)  # never a zero instalment
    # Equal instalments; the rounding cents on the last one, fewer cents than instalments.
    assert len({i.amount for i in table[:-1]}) <= 1
    assert Decimal(0) <= table[-1].amount.amount - table[0].amount.amount < Decimal("0.01") * count
    assert [i.number for i in table] == list(range(1, len(table) + 1))
    assert table[0].due == first
    assert all(a.due < b.due for a, b in pairwise(table))


def test_a_few_cents_are_never_cut_into_empty_instalments() -> None:
    table = plan_table(Money(Decimal("0.02")), 6, date(2026, 12, 1), "monthly")
    assert [str(i.amount.amount) for i in table] == ["0.01", "0.01"]


def test_the_agreement_prints_equal_shares_with_the_cents_on_the_last() -> None:
    case = with_remedy(fr_business(), Remedy.PAYMENT_PLAN)  # 3 200,50 € in 3 monthly instalments
    job = next(j for j in jobs_for(case, "fr", TODAY) if j.kind == "plan_agreement")
    plan = job.context["plan"]
    assert [(i["due"], i["amount"]["amount"]) for i in plan["instalments"]] == [
        ("2026-12-15", "1066.83"), ("2027-01-15", "1066.83"), ("2027-02-15", "1066.84")]
    assert plan["total"]["amount"] == "3200.50"
    assert not plan["waives"]  # not asked to waive: penalties and indemnity stay due
    assert plan["charges_due"]


def test_penalties_and_indemnity_are_waived_only_when_the_user_says_so() -> None:
    case = with_remedy(fr_business(), Remedy.PAYMENT_PLAN)
    for waive, says in ((False, "restent exigibles, je n'y renonce pas"),
                        (True, "Si cet échéancier est intégralement respecté, je renoncerai")):
        case.answers["plan_waive"] = waive
        jobs = {j.kind: j for j in jobs_for(case, "fr", TODAY)}
        assert jobs["plan_letter"].context["plan"]["waives"] is waive
        assert says in plain(html_to_text(render_html(jobs["plan_letter"])))
        agreement = plain(html_to_text(render_html(jobs["plan_agreement"])))
        assert ("Renonciation conditionnelle" in agreement) is waive
        assert ("le créancier n'y renonce pas" in agreement) is not waive


def test_a_month_end_first_date_stays_at_month_ends() -> None:
    table = plan_table(Money(Decimal("100")), 3, date(2027, 1, 31), "monthly")
    assert [i.due.isoformat() for i in table] == ["2027-01-31", "2027-02-28", "2027-03-31"]
