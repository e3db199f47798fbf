"""Which remedy to offer first: the order the legal engine recommended for this case."""

from __future__ import annotations

from datetime import date

from flows.model import Case
from flows.remedy import Remedy


def ranked_remedies(case: Case, today: date | None = None) -> list[Remedy]:
    """Every remedy, the most fitting first (as last shown to the user, else computed now)."""
    ranking = case.extra.get("ranking")
    if not ranking:
        from flows.case_law import advice_for  # the engine is only needed when nothing is cached

        advice = advice_for(case, today or date.today())
        ranking = ([r.remedy.value for r in advice.recommended]
                   + [r.remedy.value for r in advice.ruled_out]) if advice else []
    order = [Remedy(code) for code in ranking if code in Remedy._value2member_map_]
    tried = set(case.extra.get("tried", []))
    order = [r for r in order if r.value not in tried] + [r for r in order if r.value in tried]
    return order + [r for r in Remedy if r not in order]
