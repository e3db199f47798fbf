"""The timeline of a case: the right step on the right day, from the law and the user's choices."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows import followup
from flows.followup import legal, schedule
from flows.followup.plan import instalments
from flows.followup.timeline import Step, StepKind
from flows.money import Money
from tests.followup_cases import (
    COURT,
    FORMAL_DEMAND,
    FRIENDLY,
    NOW,
    PAYMENT_PLAN,
    followed,
    insolvent,
    press_reminder,
    reminder,
    reminders,
)

UTC = ZoneInfo("UTC")


def kinds(d: object) -> list[tuple[date, str]]:
    case = d.case  # type: ignore[attr-defined]
    return [(s.day, s.kind.value) for s in followup.timeline(case)]


def test_formal_demand_is_checked_the_day_after_its_deadline_at_nine_in_paris() -> None:
    d = followed(FORMAL_DEMAND)  # sent 23/11/2026, 8 days to pay
    record = reminder(d, "demand_ended")
    assert record["day"] == "2026-12-02"
    assert datetime.fromisoformat(record["at"]) == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def test_limitation_is_reminded_sixty_and_fourteen_days_before() -> None:
    d = followed(FORMAL_DEMAND)
    steps = [s for s in followup.timeline(d.case) if s.kind is StepKind.LIMITATION]
    last_day = steps[0].params["last_day"]
    assert [last_day - s.day for s in steps] == [timedelta(days=60), timedelta(days=14)]
    assert steps[0].article == "C. com. L110-4"
    assert last_day.year == 2031  # five years between businesses


def test_each_instalment_is_checked_the_day_after_it_falls_due() -> None:
    d = followed(PAYMENT_PLAN)
    steps = [s for s in followup.timeline(d.case) if s.kind is StepKind.INSTALMENT]
    assert [s.day for s in steps] == [date(2026, 12, 16), date(2027, 1, 16), date(2027, 2, 16)]
    amounts = [s.params["amount"].amount for s in steps]
    assert amounts == [Decimal("400.16"), Decimal("400.16"), Decimal("400.18")]
    assert sum(amounts) == Decimal("1200.50")


@given(total=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999.99"), places=2),
       count=st.integers(min_value=1, max_value=24))
def test_instalment_table_always_sums_to_the_total(total: Decimal, count: int) -> None:
    items = instalments(Money(total), count, date(2027, 1, 31), "monthly")
    assert sum(i.amount.amount for i in items) == total
    assert all(i.amount.amount >= 0 for i in items)
    assert items[1].due == date(2027, 2, 28) if count > 1 else True  # no 31 February


def test_friendly_reminders_count_those_already_sent_then_escalate() -> None:
    d = followed(FRIENDLY)  # one reminder sent before, this is the second
    steps = [(s.day, s.kind, s.params.get("number")) for s in followup.timeline(d.case)
             if s.kind is not StepKind.LIMITATION]
    assert steps == [(date(2026, 11, 30), StepKind.FRIENDLY_NEXT, 3),
                     (date(2026, 12, 7), StepKind.ESCALATE, None)]


def test_order_for_payment_service_window_then_opposition_then_enforcement() -> None:
    d = followed(COURT)
    assert kinds(d)[0] == (date(2026, 12, 23), "court_check")
    d.case.followup["granted"] = "2026-12-10"
    steps = [s for s in followup.timeline(d.case) if s.kind is StepKind.SERVICE_LAPSES]
    assert {s.params["last_day"] for s in steps} == {date(2027, 6, 10)}  # 6 months, CPC 1411
    assert [s.day for s in steps] == [date(2027, 5, 11), date(2027, 6, 3)]
    d.case.followup["served"] = "2027-01-08"
    assert kinds(d) == [(date(2027, 2, 9), "opposition_ended")]  # 1 month (CPC 1416), then
    step = followup.timeline(d.case)[0]
    assert step.article == "CPC 1416"
    # Service interrupts limitation: no more "time-barred" warnings once it is done.
    assert all(kind != "limitation" for _, kind in kinds(d))


def test_proof_of_claim_is_reminded_fourteen_and_three_days_before_its_last_day() -> None:
    d = insolvent("01/11/2026")
    claims = [s for s in followup.timeline(d.case) if s.kind is StepKind.CLAIM_DUE]
    assert claims[0].params["last_day"] == date(2027, 1, 1)  # 2 months after BODACC
    assert [s.day for s in claims] == [date(2026, 12, 18), date(2026, 12, 29)]
    assert claims[0].article == "C. com. R622-24"
    relief = [s for s in followup.timeline(d.case) if s.kind is StepKind.RELIEF]
    assert relief[0].params["last_day"] == date(2027, 5, 1)  # 6 months, L622-26


def test_goods_under_retention_of_title_are_claimed_back_within_three_months() -> None:
    d = insolvent("01/11/2026", goods=True)
    steps = [s for s in followup.timeline(d.case) if s.kind is StepKind.REVENDICATION_DUE]
    assert steps[0].params["last_day"] == date(2027, 2, 1)
    assert steps[0].article == "C. com. L624-9"
    press_reminder(d, "revendicated", reminder(d, "revendication_due"))
    answer = [s for s in followup.timeline(d.case) if s.kind is StepKind.REVENDICATION_ANSWER]
    # Sent on 23/11: one month for the administrator, then one more to seize the judge.
    assert answer[0].day == date(2026, 12, 24)
    assert answer[0].params["last_day"] == date(2027, 1, 23)


def test_a_promise_to_pay_pauses_reminders_but_not_legal_deadlines() -> None:
    d = insolvent("01/11/2026")
    d.case.followup["promise"] = "2027-01-10"
    days = kinds(d)
    assert (date(2027, 1, 11), "promise_check") in days
    assert (date(2026, 12, 18), "claim_due") in days  # a legal deadline is never paused


def test_limitation_for_a_consumer_counts_two_years_from_the_invoice() -> None:
    script = [(k, "press:consumer" if k == "debtor_kind" else v) for k, v in FORMAL_DEMAND
              if k not in {"contract_rate", "insolvency", "debtor_trader"}]
    # Works completed after the invoice date: the invoice date is the earlier start.
    script.insert(script.index(("payments", "press:nothing")) + 1,
                  ("completion_date", "20/09/2026"))
    d = followed(script)
    step = next(s for s in followup.timeline(d.case) if s.kind is StepKind.LIMITATION)
    assert step.params["last_day"] == date(2028, 9, 15)
    assert step.article == "C. conso. L218-2"


def test_an_unanswered_reminder_is_asked_again_a_week_later_three_times_at_most() -> None:
    d = followed(FORMAL_DEMAND)
    record = reminder(d, "demand_ended")
    for week in range(5):
        record["status"] = "sent"
        record["sent_on"] = (date(2026, 12, 2) + timedelta(days=7 * week)).isoformat()
        followup.refresh(d.account, datetime(2026, 12, 2, 10, tzinfo=UTC)
                         + timedelta(days=7 * week))
        again = [r for r in reminders(d) if r["kind"] == "again" and r["status"] == "pending"]
        if week < 3:
            assert [r["day"] for r in again] == [
                (date(2026, 12, 9) + timedelta(days=7 * week)).isoformat()]
            record = again[0]
        else:
            assert again == []


@pytest.mark.parametrize(("kind", "actions"), [
    ("demand_ended", ("paid", "partly", "unpaid", "promised", "tomorrow", "week", "stop")),
    ("limitation", ("unpaid", "paid", "partly", "week", "stop")),
])
def test_every_reminder_offers_its_buttons_and_a_way_to_stop(kind: str,
                                                             actions: tuple[str, ...]) -> None:
    d = followed(FORMAL_DEMAND)
    reply = followup.reminder_reply(d.account, d.case, reminder(d, kind), NOW)
    assert reply.prompt is not None
    assert tuple(b.value.split(".")[0] for b in reply.prompt.buttons) == actions
    assert all(len(f"{d.case.id}:fu:{b.value}".encode()) <= 64 for b in reply.prompt.buttons)


def test_next_step_for_the_cases_list() -> None:
    d = followed(FORMAL_DEMAND)
    step = followup.next_step(d.case, date(2026, 11, 24))
    assert step is not None
    assert (step.day, step.kind) == (date(2026, 12, 2), StepKind.DEMAND_ENDED)
    assert followup.next_step(d.case, date(2026, 12, 3)).kind is StepKind.LIMITATION


def test_an_opposition_period_ending_on_a_holiday_runs_to_the_next_working_day() -> None:
    # Served 11 Oct 2026: one month -> Wed 11 Nov 2026, Armistice Day; the period runs to Thu
    # 12 Nov (CPC 642), so the order is enforceable from Fri 13 Nov, and the legal rate rises
    # two months after that, 13 Jan 2027 (CMF L313-3).
    d = followed(COURT)
    opposition = legal.opposition_deadline(d.case, date(2026, 10, 11))
    assert opposition is not None
    assert (opposition.last_day, opposition.ends) == (date(2026, 11, 11), date(2026, 11, 12))
    increase = legal.legal_rate_increase(d.case, opposition.ends + timedelta(days=1))
    assert increase is not None
    assert increase[0].last_day == date(2027, 1, 13)


@pytest.mark.parametrize(
    ("kind", "params", "planned"),
    [
        # A check on Christmas Day waits for the next day...
        (StepKind.CHECK, {}, date(2026, 12, 26)),
        # ...a countdown to a deadline comes the day before instead, never later.
        (StepKind.LIMITATION, {"days": 14, "last_day": date(2027, 1, 8)}, date(2026, 12, 24)),
    ],
)
def test_reminders_are_never_planned_on_a_public_holiday(
    kind: StepKind, params: dict[str, object], planned: date
) -> None:
    d = followed(FORMAL_DEMAND)
    step = Step("x-20261225", date(2026, 12, 25), kind, params)
    assert schedule.planned_day(d.case, step) == planned
