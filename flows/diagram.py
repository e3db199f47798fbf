"""The journey diagram (Mermaid), drawn from the state machine itself.

``scripts/journey_diagram.py`` prints it, or with ``--write docs/journey.md`` (``make diagram``)
replaces the block between the ``journey-diagram`` markers; a test checks that copy is current.
"""

from __future__ import annotations

from transitions.extensions.diagrams import GraphMachine

from flows.stages import STAGES, TRANSITIONS

BEGIN = "<!-- journey-diagram:begin -->"
END = "<!-- journey-diagram:end -->"


class _Journey:
    """A stand-in model: the diagram needs a model, not a case."""

    state: str


def mermaid() -> str:
    model = _Journey()
    machine = GraphMachine(model=model, states=list(STAGES), transitions=TRANSITIONS,
                           initial="start", auto_transitions=False, graph_engine="mermaid",
                           show_conditions=False, title="Impayés journey")
    source: str = machine.get_graph().source
    return source.strip()


def markdown_block() -> str:
    return f"{BEGIN}\n```mermaid\n{mermaid()}\n```\n{END}"
