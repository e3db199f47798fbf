"""Regenerate the README's transcript from a real console run of the scripted journey.

``python scripts/readme_transcript.py --write README.md`` replaces the block between the
``transcript`` markers with what ``python -m bot chat`` really prints (user lines after ``>``).
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

from tests.driver import FRENCH_BUSINESS_CASE  # noqa: E402
from tests.test_console import typed_lines  # noqa: E402

BEGIN = "<!-- transcript:begin -->"
END = "<!-- transcript:end -->"


def transcript() -> str:
    lines = typed_lines(FRENCH_BUSINESS_CASE)
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "IMPAYES_DATA_DIR": data, "IMPAYES_NOW": "2026-11-23T10:00:00"}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        output = subprocess.run([sys.executable, "-m", "bot", "chat"], cwd=ROOT,
                                input="\n".join(lines) + "\n", capture_output=True, text=True,
                                env=env, check=True).stdout
        output = output.replace(data, "data")
    parts = output.split("> ")
    text = parts[0]
    for typed, part in zip(lines, parts[1:], strict=False):
        text += "> " + typed + "\n" + part
    return text.rstrip() + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    block = f"{BEGIN}\n```text\n{transcript()}```\n{END}"
    if not args.write:
        print(block)
        return 0
    text = args.write.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    args.write.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
