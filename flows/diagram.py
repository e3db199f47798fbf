"""The journey diagram (Mermaid), drawn from the state machine itself.

``python -m flows.diagram`` prints it; ``--write docs/journey.md`` (``make diagram``) replaces
the block between the ``journey-diagram`` markers, and a test checks that copy is current.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

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


def write_into(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{path}: no {BEGIN} … {END} block to replace")
    path.write_text(pattern.sub(lambda _: markdown_block(), text), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path, help="update the diagram block in this file")
    args = parser.parse_args()
    if args.write:
        write_into(args.write)
    else:
        sys.stdout.write(mermaid() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
