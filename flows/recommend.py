"""Which remedy to suggest first for a case, from the facts the user gave."""

from __future__ import annotations

from flows.model import Case
from flows.remedy import Remedy


def ranked_remedies(case: Case) -> list[Remedy]:
    """Every remedy, the most fitting first."""
    order: list[Remedy] = []
    if case.flag("insolvency"):
        order.append(Remedy.INSOLVENCY_CLAIM)
        if case.flag("rot_goods"):
            order.append(Remedy.RETENTION_OF_TITLE)
    else:
        if case.flag("rot_goods"):
            order.append(Remedy.RETENTION_OF_TITLE)
        if case.text("reminders_sent", "0") == "0" and not case.flag("disputed"):
            order.append(Remedy.FRIENDLY_REMINDER)
        order.append(Remedy.FORMAL_DEMAND)
        if case.flag("services_running"):
            order.append(Remedy.SUSPENSION)
        if case.flag("debtor_responsive"):
            order.append(Remedy.PAYMENT_PLAN)
    order += [r for r in Remedy if r not in order]
    return order
