"""Every document of every remedy, in French and English, for each sample case.

The text of each document (what the e-mail version says, and what the PDF and DOCX say too,
since all three come from one HTML) is compared with a snapshot under ``tests/snapshots/``, so a
change of wording is always deliberate. Update them with ``UPDATE_SNAPSHOTS=1 pytest
tests/test_documents.py`` and read the diff before committing.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest

from flows.documents.catalog import DOCUMENTS_FOR, jobs_for
from flows.documents.drawing import render_html
from flows.documents.to_text import html_to_text
from flows.vocabulary import Remedy
from testing.driver import plain
from tests.documents_samples import REMEDIES_FOR, SAMPLES, TODAY, with_remedy

SNAPSHOTS = Path(__file__).parent / "snapshots" / "documents"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
# What must never reach a document: template syntax, Python values, code words of buttons.
LEAKS = re.compile(r"\{\{|\}\}|\{%|\{[a-z_]+\}|\bNone\b|\bnan\b|\bTrue\b|\bFalse\b|Undefined"
                   r"|\b(?:documents|law|checklist|remedy|choice|q)\.[a-z_]+\b"
                   r"|\b[a-z]+_[a-z_]+\b")
COMBOS = [(sample, remedy, lang) for sample, remedies in REMEDIES_FOR.items()
          for remedy in remedies for lang in ("fr", "en")]


@cache
def texts(sample: str, remedy: Remedy, lang: str) -> dict[str, str]:
    """Each document's plain text for a sample case and remedy, by kind."""
    case = with_remedy(SAMPLES[sample](), remedy)
    return {job.kind: plain(html_to_text(render_html(job))) for job in jobs_for(case, lang, TODAY)}


def text_of(sample: str, remedy: Remedy, lang: str, kind: str) -> str:
    return texts(sample, remedy, lang)[kind]


@pytest.mark.parametrize(("sample", "remedy", "lang"), COMBOS)
def test_documents_match_their_snapshot(sample: str, remedy: Remedy, lang: str) -> None:
    documents = texts(sample, remedy, lang)
    joined = "".join(f"===== {kind} =====\n{text}\n" for kind, text in documents.items())
    path = SNAPSHOTS / sample / f"{remedy.value}.{lang}.txt"
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(joined, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"new snapshot written: {path.relative_to(Path.cwd())}; check it in")
    assert joined == path.read_text(encoding="utf-8"), (
        f"{path.name} changed: if the new wording is intended, run UPDATE_SNAPSHOTS=1 pytest "
        "tests/test_documents.py and review the diff")


@pytest.mark.parametrize(("sample", "remedy", "lang"), COMBOS)
def test_no_placeholder_or_code_word_leaks_into_a_document(sample: str, remedy: Remedy,
                                                            lang: str) -> None:
    for kind, text in texts(sample, remedy, lang).items():
        leak = LEAKS.search(text)
        assert leak is None, f"{kind}: {text[max(0, leak.start() - 60):leak.end() + 60]!r}"


@pytest.mark.parametrize(("sample", "remedy", "lang"), COMBOS)
def test_every_document_names_both_parties(sample: str, remedy: Remedy, lang: str) -> None:
    case = SAMPLES[sample]()
    for kind, text in texts(sample, remedy, lang).items():
        if not kind.startswith("reminder_"):  # an e-mail's text goes to the debtor's address
            assert case.text("debtor_name") in text, kind
        if kind not in {"evidence_checklist"}:
            assert (case.text("creditor_name") in text
                    or case.text("signatory") in text), kind


def test_every_remedy_has_documents_of_its_own() -> None:
    for remedy in Remedy:
        assert DOCUMENTS_FOR[remedy], remedy
    drawn = {kind for sample, remedy, lang in COMBOS for kind in texts(sample, remedy, lang)}
    every = {kind for kinds in DOCUMENTS_FOR.values() for kind in kinds}
    assert every <= drawn, f"never drawn in a sample: {every - drawn}"


def test_snapshots_have_no_orphans() -> None:
    expected = {SNAPSHOTS / s / f"{r.value}.{lang}.txt" for s, r, lang in COMBOS}
    found = set(SNAPSHOTS.glob("*/*.txt"))
    assert found <= expected, f"snapshots for cases no longer drawn: {found - expected}"
