"""The README and docs/ stay true: the transcript is a real run, the diagram is the machine's,
the commands, settings and paths they name exist."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from bot.__main__ import COMMANDS
from flows.diagram import markdown_block
from testing.driver import plain

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
PAGES = ["README.md", *sorted(f"docs/{page.name}" for page in DOCS.glob("*.md"))]


def _transcript_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_transcript", ROOT / "scripts" / "readme_transcript.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _transcript_script()
# On one pytest-xdist worker: the console run below is made once for the whole module.
pytestmark = pytest.mark.xdist_group("readme")
REGENERATE = "run `python scripts/readme_transcript.py --write` and read the diff"


@pytest.fixture(scope="module")
def real_run() -> str:
    """What `python -m bot chat` prints today for the scripted French journey."""
    text: str = SCRIPT.transcript()
    return text


def test_the_transcript_in_docs_is_a_whole_real_run(real_run: str) -> None:
    shown = SCRIPT.between(SCRIPT.TRANSCRIPT_MARKERS, (DOCS / "transcript.md").read_text("utf-8"))
    assert shown == SCRIPT.block(SCRIPT.TRANSCRIPT_MARKERS, real_run), REGENERATE


def test_the_transcript_goes_from_start_to_the_demand_letter(real_run: str) -> None:
    assert real_run.startswith("Bonjour 👋 Je suis Impayés.")
    assert "> 1 200,50 €" in real_run
    assert re.search(r"📄 .*/mise_en_demeure_20261123\.pdf", real_run)


def test_the_readme_excerpt_is_an_unedited_piece_of_the_real_run(real_run: str) -> None:
    shown = SCRIPT.between(SCRIPT.EXCERPT_MARKERS, README)
    assert shown == SCRIPT.block(SCRIPT.EXCERPT_MARKERS, SCRIPT.excerpt(real_run)), REGENERATE
    excerpt: str = SCRIPT.excerpt(real_run)
    assert excerpt in real_run  # whole lines, in order, nothing left out between them
    lines = plain(excerpt).splitlines()
    assert 12 <= len(lines) <= 35
    # The short rights card (the figures themselves: tests/test_rights_card.py,
    # tests/test_law_france.py).
    for shown_line in ("🧾 Facture F-2026-042 — au 23 novembre 2026",
                       "💶 Dû aujourd'hui : 1 256,09 €", "📈 Chaque jour de retard :",
                       "⏳ Dernier jour pour agir en justice :", "👉 Étape conseillée :"):
        assert any(line.startswith(shown_line) for line in lines), shown_line


def test_the_journey_diagram_in_docs_is_drawn_from_the_current_machine() -> None:
    assert markdown_block() in (DOCS / "journey.md").read_text("utf-8"), (
        "run `make diagram` to refresh docs/journey.md")


def test_make_diagram_writes_the_copy_the_test_reads() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "python scripts/journey_diagram.py --write docs/journey.md" in makefile


def test_readme_shows_the_two_commands_and_every_subcommand() -> None:
    assert "make run" in README
    assert "make test" in README
    for name in COMMANDS:
        assert f"python -m bot {name}" in README


def test_readme_stays_short() -> None:
    assert len(README.splitlines()) <= 170, "the longer story belongs in docs/"


def _layout_paths() -> list[str]:
    table = SCRIPT.between(("<!-- layout:begin -->", "<!-- layout:end -->"), README)
    assert table is not None, "the README's 'Where things live' table lost its markers"
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return [path for row in rows for path in re.findall(r"`([^`]+)`", row.split(" | ")[0])]


def test_every_path_in_where_things_live_exists() -> None:
    paths = _layout_paths()
    assert len(paths) >= 15
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert missing == [], f"in the README's 'Where things live', not in the tree: {missing}"
    for path in paths:
        assert path.endswith("/") == (ROOT / path).is_dir(), f"{path}: a folder ends with /"


def _tracked_files() -> list[str]:
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tree cannot be listed")
    return listed.splitlines()


def test_where_things_live_names_every_folder_and_package_of_the_tree() -> None:
    tracked = _tracked_files()
    folders = {f"{name.split('/')[0]}/" for name in tracked
               if "/" in name and not name.startswith(".")}
    packages = {name.removesuffix("__init__.py") for name in tracked
                if name.endswith("/__init__.py") and name.count("/") == 2}
    named = set(_layout_paths())
    unnamed = sorted((folders | packages) - named)
    assert unnamed == [], f"add to the README's 'Where things live': {unnamed}"


def _variables_read_by_the_code() -> set[str]:
    """Names read from ``os.environ``, and our own names handed to a helper that reads them."""
    read = re.compile(r"""(?:environ\.get|environ\[|getenv)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")
    ours = re.compile(r"""["']((?:IMPAYES|TELEGRAM)_[A-Z0-9_]+)["']""")
    found = set()
    for folder in ("bot", "flows"):
        for source in (ROOT / folder).rglob("*.py"):
            code = source.read_text(encoding="utf-8")
            found.update(read.findall(code), ours.findall(code))
    return found


def test_readme_documents_every_environment_variable_the_code_reads() -> None:
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", section, re.MULTILINE))
    read = _variables_read_by_the_code()
    assert "TELEGRAM_BOT_TOKEN" in read
    assert read - documented == set(), "read by the code, missing from the README's table"
    assert documented - read == set(), "in the README's table, read by no code"


@pytest.mark.parametrize("page", PAGES)
def test_every_link_between_the_pages_leads_somewhere(page: str) -> None:
    path = ROOT / page
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" not in target:
            assert (path.parent / target).exists(), f"{page}: {target}"


# A file of the repository named in a page (`templates/<lang>/…` patterns are not files).
REPO_PATH = re.compile(
    r"`((?:flows|bot|templates|tests|testing|benchmarks|scripts|docs|\.ci)/[^`\s<>*…]*)`")


@pytest.mark.parametrize("page", PAGES)
def test_every_file_a_page_names_exists(page: str) -> None:
    """The guides name real files: after a rename, the page fails here, not its reader."""
    named = set(REPO_PATH.findall((ROOT / page).read_text(encoding="utf-8")))
    assert sorted(path for path in named if not (ROOT / path).exists()) == [], page


def test_every_page_of_docs_is_linked_from_the_readme() -> None:
    pages = {f"docs/{p.name}" for p in DOCS.glob("*.md")}
    assert pages, "docs/ is empty"
    assert {page for page in pages if f"]({page})" not in README} == set()



def test_readme_shows_the_debtors_page_the_browser_test_took() -> None:
    """Issue 15's "done when": the README shows a debtor's page, the screenshot that
    tests/test_debtor_browser.py takes (a PNG of a whole page, not a placeholder)."""
    assert '<img src="docs/debtor-page.png"' in README
    shot = (DOCS / "debtor-page.png").read_bytes()
    assert shot.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(shot[16:20], "big"), int.from_bytes(shot[20:24], "big")
    assert width >= 320
    assert height >= 2 * width  # a phone-sized page, top to the forms
    assert len(shot) > 50_000
