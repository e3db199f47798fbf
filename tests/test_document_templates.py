"""Document templates lay letters out; the law they state comes from the jurisdiction packs.

A template that branches on the country, or types an article number, is writing law that the
packs (``flows/law/*_letters.py``, worded in ``templates/<lang>/letters.toml``) should say, where
it is cited once, checked by the law tests and worded in both languages alike.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DOCUMENT_TEMPLATES = sorted([*TEMPLATES.glob("*/documents/*.html"),
                             *TEMPLATES.glob("common/*.html")])
# Jinja code (not comments): what a template decides and prints.
JINJA_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
# "L441-10", "R622-23", "D441-5"; "art. 5"; "article 1344", "Articles 1405", "article L622-24".
ARTICLE = re.compile(r"\b[LRD] ?\d{3}-\d+|\bart\. ?\d|\barticles? +[LRD]?\d", re.I)


def _name(path: Path) -> str:
    return str(path.relative_to(TEMPLATES))


def _without_comments(text: str) -> str:
    return re.sub(r"\{#.*?#\}", "", text, flags=re.S)


@pytest.mark.parametrize("path", DOCUMENT_TEMPLATES, ids=_name)
def test_no_document_template_branches_on_the_jurisdiction(path: Path) -> None:
    code = JINJA_CODE.findall(_without_comments(path.read_text("utf-8")))
    branching = [tag for tag in code if "jurisdiction" in tag]
    assert branching == [], f"{_name(path)} decides by country: {branching[:3]}"


@pytest.mark.parametrize("path", DOCUMENT_TEMPLATES, ids=_name)
def test_no_document_template_cites_an_article(path: Path) -> None:
    text = _without_comments(path.read_text("utf-8"))
    cited = [match.group() for match in ARTICLE.finditer(text)]
    assert cited == [], f"{_name(path)} types articles: {cited[:3]}"


@pytest.mark.parametrize("sample", [
    '{% if jurisdiction == "fr" %}x{% endif %}',
    '{{ "a" if jurisdiction != "qc" else "b" }}',
])
def test_the_country_check_sees_a_branch(sample: str) -> None:
    assert any("jurisdiction" in tag for tag in JINJA_CODE.findall(sample))


@pytest.mark.parametrize(("sample", "cites"), [
    ("Conformément à l'article L441-10 du Code de commerce", True),
    ("articles 1231-6 et 1344-1 du Code civil", True),
    ("Articles 1394/20 et seq.", True),
    ("(R622-23, 2°)", True),
    ("art. 81.1 BIA", True),
    ("Article 9 de nos conditions générales", True),
    ("{{ t(\"documents.clause\", n=1) }}", False),
    ("the articles of the goods", False),
])
def test_the_article_check_sees_a_citation(sample: str, cites: bool) -> None:
    assert bool(ARTICLE.search(sample)) is cites
