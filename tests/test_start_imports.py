"""The Telegram bot starts without the libraries of its rare paths.

Reading an invoice (pypdf, factur-x with lxml), drawing a DOCX (python-docx) or a PDF
(WeasyPrint) and the PostgreSQL backend (psycopg) together held about 35 MB of the bot's
memory at start (docs/performance.md), for work that runs in the screening workers, at the
first "Generate", or only with IMPAYES_DATABASE_URL. They are imported where they are used;
this test fails if a new top-level import brings one back into the bot's process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RARE = ("pypdf", "facturx", "lxml", "docx", "weasyprint", "psycopg", "psycopg_pool")

LOADED = """
import json, sys
{statements}
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


def loaded_by(statements: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", LOADED.format(statements=statements)], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=120)
    return set(json.loads(done.stdout))


def test_the_telegram_bot_starts_without_the_rare_libraries() -> None:
    assert loaded_by("import bot.telegram_app") & set(RARE) == set()


READ_A_FILE = ("from bot.invoice_reader import read_invoice\n"
               "read_invoice('tests/test_start_imports.py', 'application/pdf', 'a.pdf')")


@pytest.mark.parametrize(("statements", "library"), [
    (READ_A_FILE, "pypdf"),
    (READ_A_FILE, "facturx"),
    ("import flows.documents.to_docx", "docx"),
    ("import bot.storage.postgres_backend", "psycopg"),
])
def test_the_check_sees_a_library_once_used(statements: str, library: str) -> None:
    # Where they are used they are imported: the check above is not blind.
    assert library in loaded_by(statements)
