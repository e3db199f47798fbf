"""The stages of the journey: one ``transitions`` machine for every case.

A case moves forward stage by stage as its questions are answered (``advance``), back when an
earlier answer is corrected (``retreat``), and is closed once paid or given up (``close``).
The questions say which stage asks them; the journey fires the moves.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from transitions import Machine

from flows.model import Case

STAGES = (
    "start", "facts", "rights", "evidence", "remedy", "details", "review", "documents",
    "followup", "closed",
)
_FLOW = STAGES[:-1]
TRANSITIONS: list[dict[str, Any]] = (
    [{"trigger": "advance", "source": a, "dest": b} for a, b in pairwise(_FLOW)]
    + [{"trigger": "retreat", "source": b, "dest": a} for a, b in pairwise(_FLOW)]
    + [{"trigger": "close", "source": list(_FLOW), "dest": "closed"},
       {"trigger": "reopen", "source": "closed", "dest": "followup"}]
)

# One machine for every case. Events are fired on a case without attaching it to the machine:
# ``add_model`` costs grow with the number of attached models, and attaching would bind
# trigger methods onto every case object.
MACHINE = Machine(model=None, states=list(STAGES), transitions=TRANSITIONS, initial="start",
                  auto_transitions=False)


def fire(case: Case, trigger: str) -> None:
    """Move the case along the machine (raises MachineError for a move the journey forbids)."""
    MACHINE.events[trigger].trigger(case)


# Where each stage stands: asked for every question at every turn, a dict beats tuple.index.
_INDEX = {stage: number for number, stage in enumerate(STAGES)}


def stage_index(stage: str) -> int:
    """The stage's place in ``STAGES`` (ValueError for a name that is not a stage)."""
    try:
        return _INDEX[stage]
    except KeyError:
        raise ValueError(f"{stage!r} is not a stage") from None
