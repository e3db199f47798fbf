"""Side-by-side comparison of the remedies for one case: cost, delay, prerequisites, outcome.

Costs and delays are orders of magnitude from ``data/remedies.toml`` (each with its source);
the prerequisites are checked against this case's facts, ``None`` when we cannot know.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from flows.law.facts import CaseFacts
from flows.law.messages import Condition, Message, ParamValue, Source
from flows.law.rights import InsolvencyGuide, Rights, RouteKind
from flows.money import Money
from flows.vocabulary import DISPUTE_POINTS, Jurisdiction, Remedy


class CostBand(StrEnum):
    FREE = "free"
    UNITS = "units"  # a few euros / dollars (postage)
    TENS = "tens"
    HUNDREDS = "hundreds"
    SHARE = "share"  # a share of what is recovered (agency commission)


@dataclass(frozen=True)
class RemedyProfile:
    remedy: Remedy
    cost_band: CostBand
    cost: Message
    delay: Message
    prerequisites: tuple[Condition, ...]
    recovers: Message
    source: Source


@cache
def _data() -> dict[str, Any]:
    text = resources.files("flows.law").joinpath("data", "remedies.toml").read_text("utf-8")
    return tomllib.loads(text)


def limitation_close(rights: Rights, on: date) -> bool:
    """Too little time is left for any act but one that stops the clock at once: a summons
    served, or an acknowledgement signed by the debtor (``data/remedies.toml``)."""
    if rights.not_yet_due or on > rights.limitation_date:
        return False
    return (rights.limitation_date - on).days < int(_data()["limitation_close"]["days"])


def court_route(case: CaseFacts, rights: Rights, on: date) -> RouteKind:
    """The court route that fits: cheap and quick when undisputed, adversarial when disputed,
    and a served summons when the limitation is close (C. civ. 2241: a small-claims procedure
    only suspends it once the debtor takes part, 2238; an order for payment interrupts it only
    once served)."""
    if limitation_close(rights, on):
        return RouteKind.SUMMONS
    open_routes = {r.kind for r in rights.routes if r.available is not False}
    if case.jurisdiction is Jurisdiction.QUEBEC:
        # Small claims include free mediation, so they suit a disputed claim too.
        if RouteKind.SMALL_CLAIMS_COURT in open_routes:
            return RouteKind.SMALL_CLAIMS_COURT
        return RouteKind.SUMMONS
    if case.disputed:
        return RouteKind.SUMMONS
    if case.jurisdiction is Jurisdiction.BELGIUM:
        if RouteKind.UNCONTESTED_DEBT in open_routes:
            return RouteKind.UNCONTESTED_DEBT
        return RouteKind.SUMMONS
    # France: the small-claims procedure needs the debtor's agreement, so it is worth trying
    # only with a debtor who answers; otherwise the order for payment.
    if case.debtor_responsive and RouteKind.SMALL_CLAIMS_PROCEDURE in open_routes:
        return RouteKind.SMALL_CLAIMS_PROCEDURE
    return RouteKind.ORDER_FOR_PAYMENT


def dispute_point(case: CaseFacts) -> str:
    """What the debtor disputes (``vocabulary.DISPUTE_POINTS``), "other" when not said."""
    return case.dispute_point if case.dispute_point in DISPUTE_POINTS else "other"


def compare(
    case: CaseFacts,
    rights: Rights,
    guide: InsolvencyGuide | None,
    route: RouteKind,
    on: date,
    ruled_out: Mapping[Remedy, Message] | None = None,
) -> tuple[RemedyProfile, ...]:
    """Each remedy's cost, delay and prerequisites; a remedy the recommendation ruled out
    shows why first, and no tick that would make it look open."""
    rows = _data()[str(case.jurisdiction)]
    ruled_out = ruled_out or {}
    profiles = []
    for remedy in Remedy:
        row = rows[str(remedy)]
        prefix = f"law.compare.{case.jurisdiction}.{remedy}"
        prerequisites = _prerequisites(remedy, case, rights, guide, route, on)
        why_not = ruled_out.get(remedy)
        if why_not is not None:
            prerequisites = (
                Condition(why_not, False),
                *(c for c in prerequisites if c.met is not True),
            )
        profiles.append(
            RemedyProfile(
                remedy=remedy,
                cost_band=CostBand(row["cost_band"]),
                cost=Message.of(f"{prefix}.cost", **_cost_params(row)),
                delay=Message.of(f"{prefix}.delay", **_delay_params(row)),
                prerequisites=prerequisites,
                recovers=Message.of(f"law.compare.recovers.{remedy}", total=rights.total),
                source=Source(str(remedy), row["source"], row["verified"]),
            )
        )
    return tuple(profiles)


def _cost_params(row: dict[str, Any]) -> dict[str, ParamValue]:
    if "cost_low" not in row:
        return {}
    currency = row["currency"]
    return {
        "low": Money(Decimal(row["cost_low"]), currency),
        "high": Money(Decimal(row["cost_high"]), currency),
    }


def _delay_params(row: dict[str, Any]) -> dict[str, ParamValue]:
    return {name: int(value) for name, value in row.items() if name.startswith("delay_")}


def _prerequisites(
    remedy: Remedy,
    case: CaseFacts,
    rights: Rights,
    guide: InsolvencyGuide | None,
    route: RouteKind,
    on: date,
) -> tuple[Condition, ...]:
    def cond(key: str, met: bool | None, **params: ParamValue) -> Condition:
        return Condition(Message.of(f"law.prereq.{key}", **params), met)

    due = cond("debt_due", rights.days_late > 0)
    solvent = cond("no_proceedings", guide is None)
    in_time = cond(
        "within_limitation", on <= rights.limitation_date, last_day=rights.limitation_date
    )
    undisputed = cond("not_disputed", not case.disputed)
    demand = case.invoice.demand_date
    if remedy is Remedy.FRIENDLY_REMINDER:
        return (
            due,
            solvent,
            cond("few_reminders", case.reminders_sent < 2, count=case.reminders_sent),
        )
    if remedy is Remedy.FORMAL_DEMAND and case.disputed:
        point = Message.of(f"law.dispute.point.{dispute_point(case)}")
        return (due, solvent, cond("answers_dispute", True, point=point))
    if remedy is Remedy.FORMAL_DEMAND:
        return (due, solvent, cond("demand_not_sent", demand is None))
    if remedy is Remedy.SUSPENSION:
        return (
            cond("services_ongoing", case.services_ongoing),
            cond("same_contract", None),
            cond("proportionate", None),
            cond("notice_first", None),
            solvent,
        )
    if remedy is Remedy.PAYMENT_PLAN:
        return (cond("debtor_responsive", case.debtor_responsive), solvent)
    if remedy is Remedy.RETENTION_OF_TITLE:
        found = [
            cond("goods_held", case.goods_held_under_retention),
            cond("clause_in_writing", None),
        ]
        window = guide.revendication if guide else None
        if window is not None and window.last_day is not None:
            found.append(cond("window_open", on <= window.last_day, last_day=window.last_day))
        return tuple(found)
    if remedy is Remedy.COLLECTION_AGENCY:
        return (undisputed, in_time, cond(f"agency_mandate.{case.jurisdiction}", None), solvent)
    if remedy is Remedy.COURT:
        found = [in_time, solvent, cond("demand_sent", demand is not None)]
        if route in (RouteKind.ORDER_FOR_PAYMENT, RouteKind.UNCONTESTED_DEBT):
            found.append(undisputed)
        found += list(rights.route(route).conditions)
        return tuple(found)
    proof = guide.proof_of_claim if guide else None
    met_deadline = None if proof is None or proof.last_day is None else on <= proof.last_day
    return (cond("proceedings_opened", guide is not None), cond("claim_in_time", met_deadline))
