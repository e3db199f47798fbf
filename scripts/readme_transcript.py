"""Regenerate the transcript in docs/ and the README's excerpt from a real console run.

``python scripts/readme_transcript.py --write`` replaces the block between the ``transcript``
markers in docs/transcript.md with what ``python -m bot chat`` really prints for the scripted
journey (the user's lines after ``>``), and the block between the ``excerpt`` markers in
README.md with the part of it that shows the rights card. Without ``--write`` it prints the
transcript. tests/test_readme.py runs the same journey and fails when either copy is stale.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testing.console import typed_lines  # noqa: E402
from testing.driver import FRENCH_BUSINESS_CASE  # noqa: E402

TRANSCRIPT_FILE = ROOT / "docs" / "transcript.md"
README_FILE = ROOT / "README.md"
TRANSCRIPT_MARKERS = ("<!-- transcript:begin -->", "<!-- transcript:end -->")
EXCERPT_MARKERS = ("<!-- excerpt:begin -->", "<!-- excerpt:end -->")
# The excerpt runs from the last question before the rights card to the card's court routes.
EXCERPT_FIRST = "❓ Combien de relances"
EXCERPT_STOP = "❓ On continue"
# A case's id is random; shown as this so that two runs print the same text.
CASE_ID_SHOWN = "<case>"
# The documents shown are copies in a scratch folder of random name; shown as this.
SCRATCH_SHOWN = "/scratch/<copy>/"


def transcript() -> str:
    """The scripted French journey as the console shows it, from /start to the documents."""
    lines = typed_lines(FRENCH_BUSINESS_CASE)
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "IMPAYES_DATA_DIR": data, "IMPAYES_NOW": "2026-11-23T10:00:00"}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        output = subprocess.run([sys.executable, "-m", "bot", "chat"], cwd=ROOT,
                                input="\n".join(lines) + "\n", capture_output=True, text=True,
                                env=env, check=True, timeout=300).stdout
        for case in Path(data, "chats", "console", "cases").iterdir():
            output = output.replace(f"/cases/{case.name}/", f"/cases/{CASE_ID_SHOWN}/")
        output = re.sub(r"/scratch/[0-9a-f]+/", SCRATCH_SHOWN, output)
        output = output.replace(data, "data")
    parts = output.split("> ")
    text = parts[0]
    for typed, part in zip(lines, parts[1:], strict=False):
        text += "> " + typed + "\n" + part
    return text.rstrip() + "\n"


def excerpt(full: str) -> str:
    """The lines of ``full`` that show the rights card, as the README quotes them."""
    lines = full.splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith(EXCERPT_FIRST)), None)
    if first is None:
        raise SystemExit(f"no line starting {EXCERPT_FIRST!r}: update EXCERPT_FIRST")
    stop = next((i for i in range(first, len(lines)) if lines[i].startswith(EXCERPT_STOP)), None)
    if stop is None:
        raise SystemExit(f"no line starting {EXCERPT_STOP!r}: update EXCERPT_STOP")
    return "\n".join(lines[first:stop]).rstrip() + "\n"


def block(markers: tuple[str, str], text: str) -> str:
    return f"{markers[0]}\n```text\n{text}```\n{markers[1]}"


def between(markers: tuple[str, str], document: str) -> str | None:
    """The block between ``markers`` in ``document``, markers included (None: not there)."""
    found = re.search(re.escape(markers[0]) + ".*?" + re.escape(markers[1]), document, re.DOTALL)
    return found.group(0) if found else None


def replace_block(path: Path, markers: tuple[str, str], text: str) -> None:
    document = path.read_text(encoding="utf-8")
    if between(markers, document) is None:
        raise SystemExit(f"{path}: no {markers[0]} … {markers[1]} block to replace")
    pattern = re.compile(re.escape(markers[0]) + ".*?" + re.escape(markers[1]), re.DOTALL)
    path.write_text(pattern.sub(lambda _: block(markers, text), document), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true",
                        help="update docs/transcript.md and the README's excerpt")
    args = parser.parse_args()
    full = transcript()
    if not args.write:
        sys.stdout.write(full)
        return 0
    replace_block(TRANSCRIPT_FILE, TRANSCRIPT_MARKERS, full)
    replace_block(README_FILE, EXCERPT_MARKERS, excerpt(full))
    return 0


if __name__ == "__main__":
    sys.exit(main())
