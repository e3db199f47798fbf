"""Which remedy to try first for this case, why, and why not the others.

The rules read in order, the way a careful adviser would ask: are collective proceedings open
(then only the proof of claim and a revendication matter, with their deadlines)? Is the claim
about to be time-barred (then a court claim is urgent)? Is the debt disputed (then no order for
payment: mediation or a summons)? What leverage is there (goods under retention of title,
services still running)? How far along is the creditor (reminders, formal demand)? Each choice
carries a one-sentence reason; the comparison of costs and delays is in ``remedy_compare``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flows.law.dates import add_months
from flows.law.facts import CaseFacts, Supply
from flows.law.messages import Listing, Message, ParamValue
from flows.law.pack import pack_for
from flows.law.remedy_compare import (
    RemedyProfile,
    compare,
    court_route,
    dispute_point,
    limitation_close,
)
from flows.law.rights import InsolvencyGuide, Rights, RouteKind
from flows.vocabulary import DebtorKind, Jurisdiction, Remedy

# Where each jurisdiction stays individual actions once proceedings open (cited in reasons).
STAY_ARTICLE = {
    Jurisdiction.FRANCE: "C. com. L622-21",
    Jurisdiction.BELGIUM: "CDE livre XX",
    Jurisdiction.QUEBEC: "LFI / BIA",
}
SUSPENSION_ARTICLE = {
    Jurisdiction.FRANCE: "C. civ. 1219-1220",
    Jurisdiction.BELGIUM: "Code civil livre 5",
    Jurisdiction.QUEBEC: "C.c.Q. 1591",
}
URGENT_MONTHS = 6  # same horizon as the limitation warning (LEGAL_FACTS PART E)
FRIENDLY_WINDOW_DAYS = 30  # a first, friendly reminder fits the first month of lateness


@dataclass(frozen=True)
class Recommendation:
    remedy: Remedy
    reason: Message
    deadline: date | None = None
    route: RouteKind | None = None  # for COURT: which court route fits this case


@dataclass(frozen=True)
class RuledOut:
    remedy: Remedy
    reason: Message


@dataclass(frozen=True)
class Advice:
    recommended: tuple[Recommendation, ...]  # best first
    ruled_out: tuple[RuledOut, ...]
    comparison: tuple[RemedyProfile, ...]
    rights: Rights
    insolvency: InsolvencyGuide | None

    @property
    def first(self) -> Recommendation:
        return self.recommended[0]

    def messages(self) -> tuple[Message, ...]:
        top = [r.reason for r in self.recommended] + [r.reason for r in self.ruled_out]
        for profile in self.comparison:
            top += [profile.cost, profile.delay, profile.recovers]
            top += [c.text for c in profile.prerequisites]
        return tuple(nested for message in top for nested in message.walk())


class _Plan:
    """The two lists being built; a remedy lands in at most one of them."""

    def __init__(self) -> None:
        self.picked: list[Recommendation] = []
        self.out: list[RuledOut] = []

    def decided(self, remedy: Remedy) -> bool:
        return any(r.remedy is remedy for r in self.picked) or any(
            r.remedy is remedy for r in self.out
        )

    def pick(
        self,
        remedy: Remedy,
        key: str,
        deadline: date | None = None,
        route: RouteKind | None = None,
        **params: ParamValue,
    ) -> None:
        if not self.decided(remedy):
            message = Message.of(key, **params)
            self.picked.append(Recommendation(remedy, message, deadline, route))

    def rule_out(self, remedy: Remedy, key: str, **params: ParamValue) -> None:
        if not self.decided(remedy):
            self.out.append(RuledOut(remedy, Message.of(key, **params)))


def recommend(case: CaseFacts, on: date) -> Advice:
    pack = pack_for(case.jurisdiction)
    rights = pack.rights(case.invoice, on)
    guide = pack.insolvency(case.insolvency) if case.insolvency else None
    plan = _Plan()
    if guide is not None:
        _insolvent(case, guide, on, plan)
    else:
        _solvent(case, rights, on, plan)
    for remedy in Remedy:  # anything not reasoned about above does not fit this case
        plan.rule_out(remedy, "law.remedy.out.not_relevant")
    return Advice(
        recommended=tuple(plan.picked),
        ruled_out=tuple(plan.out),
        comparison=compare(
            case,
            rights,
            guide,
            court_route(case, rights, on),
            on,
            {out.remedy: out.reason for out in plan.out},
        ),
        rights=rights,
        insolvency=guide,
    )


def _insolvent(case: CaseFacts, guide: InsolvencyGuide, on: date, plan: _Plan) -> None:
    """Proceedings opened: individual actions are stayed; declare first, then revendicate."""
    proof = guide.proof_of_claim
    if proof.last_day is not None and on > proof.last_day:
        # Too late for the normal window: a late-filing window may still be open (FR relevé de
        # forclusion, BE late declarations); if none is, we still say so rather than stay silent.
        late = next((d for d in guide.other_deadlines if d.last_day and on <= d.last_day), None)
        if late is not None and late.last_day is not None:
            plan.pick(
                Remedy.INSOLVENCY_CLAIM,
                "law.remedy.why.claim_late",
                late.last_day,
                last_day=proof.last_day,
                late=late.what,
                late_day=late.last_day,
            )
        else:
            plan.pick(
                Remedy.INSOLVENCY_CLAIM, "law.remedy.why.claim_closed", last_day=proof.last_day
            )
    elif proof.last_day is not None:
        plan.pick(
            Remedy.INSOLVENCY_CLAIM,
            "law.remedy.why.claim_first",
            proof.last_day,
            last_day=proof.last_day,
        )
    else:
        plan.pick(Remedy.INSOLVENCY_CLAIM, "law.remedy.why.claim_first_undated", what=proof.what)
    window = guide.revendication
    if not case.goods_held_under_retention:
        plan.rule_out(Remedy.RETENTION_OF_TITLE, "law.remedy.out.no_goods")
    elif window is not None and window.last_day is not None and on > window.last_day:
        plan.rule_out(
            Remedy.RETENTION_OF_TITLE,
            "law.remedy.out.revendication_closed",
            last_day=window.last_day,
        )
    elif window is not None:
        plan.pick(
            Remedy.RETENTION_OF_TITLE,
            "law.remedy.why.revendication",
            window.last_day,
            what=window.what,
        )
    stay = STAY_ARTICLE[case.jurisdiction]
    for remedy in (
        Remedy.FRIENDLY_REMINDER,
        Remedy.FORMAL_DEMAND,
        Remedy.COLLECTION_AGENCY,
        Remedy.COURT,
    ):
        plan.rule_out(remedy, "law.remedy.out.stayed", article=stay)
    plan.rule_out(Remedy.PAYMENT_PLAN, "law.remedy.out.plan_in_proceedings")
    plan.rule_out(Remedy.SUSPENSION, "law.remedy.out.suspension_in_proceedings")


def _solvent(case: CaseFacts, rights: Rights, on: date, plan: _Plan) -> None:
    if rights.not_yet_due:
        _not_yet_due(rights.payment_term.effective_due, plan)
        return
    expired = on > rights.limitation_date
    urgent = not expired and on >= add_months(rights.limitation_date, -URGENT_MONTHS)
    plan.rule_out(Remedy.INSOLVENCY_CLAIM, "law.remedy.out.no_proceedings")
    if limitation_close(rights, on):
        _limitation_close(case, rights, on, plan)
        return
    if expired:
        plan.pick(
            Remedy.FRIENDLY_REMINDER,
            "law.remedy.why.time_barred_voluntary",
            last_day=rights.limitation_date,
        )
        plan.rule_out(Remedy.COURT, "law.remedy.out.time_barred", last_day=rights.limitation_date)
        plan.rule_out(
            Remedy.COLLECTION_AGENCY, "law.remedy.out.time_barred", last_day=rights.limitation_date
        )
    if urgent:
        route = court_route(case, rights, on)
        plan.pick(
            Remedy.COURT,
            "law.remedy.why.limitation_urgent",
            rights.limitation_date,
            route,
            last_day=rights.limitation_date,
            route_name=Message.of(f"law.route.{route}.name"),
            acts=Listing(rights.limitation.interrupted_by),
        )
    if case.disputed:
        _disputed(case, rights, on, plan)
        return
    _leverage(case, plan)
    if case.financial_difficulty and case.debtor_responsive:
        plan.pick(Remedy.PAYMENT_PLAN, "law.remedy.why.plan_difficulty")
    _stage(case, rights, on, plan)


def _limitation_close(case: CaseFacts, rights: Rights, on: date, plan: _Plan) -> None:
    """Weeks before the claim is time-barred only two acts stop the clock in time: a summons
    served before the last day (FR C. civ. 2241, BE anc. C. civ. 2244, QC C.c.Q. 2892) or an
    acknowledgement signed by the debtor (2240, anc. 2248, 2898), drafted with the court
    documents. Letters, agencies and suspensions leave the period running."""
    last_day = rights.limitation_date
    plan.pick(
        Remedy.COURT,
        f"law.remedy.why.limitation_close.{case.jurisdiction}",
        last_day,
        RouteKind.SUMMONS,
        last_day=last_day,
        days=(last_day - on).days,
    )
    plan.rule_out(Remedy.PAYMENT_PLAN, "law.remedy.out.plan_too_slow", last_day=last_day)
    for remedy in Remedy:
        plan.rule_out(remedy, "law.remedy.out.does_not_stop_limitation", last_day=last_day)


def _not_yet_due(due: date, plan: _Plan) -> None:
    """Nothing is owed yet (C. civ. 1305-2): a courtesy reminder before the due date, nothing
    that presupposes a late debtor."""
    plan.pick(Remedy.FRIENDLY_REMINDER, "law.remedy.why.courtesy_before_due", due=due)
    for remedy in (
        Remedy.FORMAL_DEMAND,
        Remedy.COURT,
        Remedy.COLLECTION_AGENCY,
        Remedy.SUSPENSION,
        Remedy.RETENTION_OF_TITLE,
        Remedy.PAYMENT_PLAN,
    ):
        plan.rule_out(remedy, "law.remedy.out.not_yet_due", due=due)


def _leverage(case: CaseFacts, plan: _Plan, disputed: bool = False) -> None:
    """Goods to take back and services to suspend put pressure without a judge; while the
    claim is disputed, suspending is not proposed: it must be proportionate to a breach that
    is sufficiently serious (C. civ. 1219, LEGAL_FACTS A7), which is the very point in doubt."""
    if case.goods_held_under_retention:
        plan.pick(Remedy.RETENTION_OF_TITLE, "law.remedy.why.reclaim_goods")
    elif case.invoice.supply is Supply.SERVICES:
        plan.rule_out(Remedy.RETENTION_OF_TITLE, "law.remedy.out.services_nothing_to_reclaim")
    else:
        plan.rule_out(Remedy.RETENTION_OF_TITLE, "law.remedy.out.no_goods")
    if case.services_ongoing and disputed:
        plan.rule_out(
            Remedy.SUSPENSION,
            "law.remedy.out.suspension_disputed",
            article=SUSPENSION_ARTICLE[case.jurisdiction],
        )
    elif case.services_ongoing:
        plan.pick(
            Remedy.SUSPENSION,
            "law.remedy.why.suspend",
            article=SUSPENSION_ARTICLE[case.jurisdiction],
        )
    else:
        plan.rule_out(Remedy.SUSPENSION, "law.remedy.out.nothing_running")


def _disputed(case: CaseFacts, rights: Rights, on: date, plan: _Plan) -> None:
    """A disputed debt: first a letter answering the point disputed with the evidence that
    answers it, and an offer of free conciliation or mediation (France: the conciliateur de
    justice, CPC 750-1; Quebec: the small-claims mediation); then a judge who hears both sides.
    Never an order made without hearing the debtor, nor a suspension while the point is open."""
    point = dispute_point(case)
    plan.pick(
        Remedy.FORMAL_DEMAND,
        f"law.remedy.why.dispute_reply.{case.jurisdiction}",
        point=Message.of(f"law.dispute.point.{point}"),
        evidence=Message.of(f"law.dispute.evidence.{point}"),
    )
    _leverage(case, plan, disputed=True)
    if case.debtor_responsive:
        plan.pick(Remedy.PAYMENT_PLAN, "law.remedy.why.settle_dispute")
    route = court_route(case, rights, on)
    plan.pick(
        Remedy.COURT,
        "law.remedy.why.court_disputed",
        route=route,
        route_name=Message.of(f"law.route.{route}.name"),
    )
    plan.rule_out(Remedy.FRIENDLY_REMINDER, "law.remedy.out.reminder_disputed")
    plan.rule_out(Remedy.COLLECTION_AGENCY, "law.remedy.out.agency_disputed")


def _stage(case: CaseFacts, rights: Rights, on: date, plan: _Plan) -> None:
    """Undisputed: reminder, then formal demand, then court or agency."""
    invoice = case.invoice
    demand = invoice.demand_date
    consumer_be = (
        case.jurisdiction is Jurisdiction.BELGIUM and invoice.debtor_kind is DebtorKind.CONSUMER
    )
    if demand is not None:
        plan.rule_out(Remedy.FRIENDLY_REMINDER, "law.remedy.out.demand_sent", demand=demand)
        plan.rule_out(Remedy.FORMAL_DEMAND, "law.remedy.out.demand_sent", demand=demand)
    elif consumer_be:
        plan.pick(Remedy.FORMAL_DEMAND, "law.remedy.why.be_first_reminder")
        plan.rule_out(Remedy.FRIENDLY_REMINDER, "law.remedy.out.be_first_reminder_is_demand")
    elif (
        case.debtor_responsive
        and case.reminders_sent == 0
        and rights.days_late <= FRIENDLY_WINDOW_DAYS
    ):
        plan.pick(Remedy.FRIENDLY_REMINDER, "law.remedy.why.friendly_first", days=rights.days_late)
        plan.pick(Remedy.FORMAL_DEMAND, "law.remedy.why.demand_next")
    else:
        if case.reminders_sent > 0:
            plan.rule_out(
                Remedy.FRIENDLY_REMINDER, "law.remedy.out.reminders_done", count=case.reminders_sent
            )
        else:
            plan.rule_out(
                Remedy.FRIENDLY_REMINDER, "law.remedy.out.late_for_friendly", days=rights.days_late
            )
        if case.reminders_sent > 0:
            plan.pick(
                Remedy.FORMAL_DEMAND,
                "law.remedy.why.demand_now",
                count=case.reminders_sent,
                days=rights.days_late,
            )
        else:  # never "0 relance sans effet"
            plan.pick(Remedy.FORMAL_DEMAND, "law.remedy.why.demand_unreminded",
                      days=rights.days_late)
    if case.debtor_responsive:
        plan.pick(Remedy.PAYMENT_PLAN, "law.remedy.why.plan_responsive")
    else:
        plan.rule_out(Remedy.PAYMENT_PLAN, "law.remedy.out.plan_needs_answer")
    route = court_route(case, rights, on)
    key = "law.remedy.why.court_after_demand" if demand else "law.remedy.why.court_next"
    plan.pick(Remedy.COURT, key, route=route, route_name=Message.of(f"law.route.{route}.name"))
    plan.pick(Remedy.COLLECTION_AGENCY, f"law.remedy.why.agency.{case.jurisdiction}")
