"""Print the journey diagram, or write it into docs/journey.md (``make diagram``).

``python scripts/journey_diagram.py --write docs/journey.md`` replaces the block between the
``journey-diagram`` markers with the diagram drawn from the state machine (``flows.diagram``).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.diagram import BEGIN, END, markdown_block, mermaid  # noqa: E402


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
