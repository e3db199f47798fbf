"""Every message exists in French and English, and the right language is chosen."""

from __future__ import annotations

import re

import pytest

from flows.answers import Kind
from flows.i18n import LANGUAGES, catalog, normalize_language, t, templates_dir
from flows.questions import QUESTIONS


def test_french_and_english_catalogs_have_the_same_keys() -> None:
    assert set(catalog("fr")) == set(catalog("en"))


def test_placeholders_match_between_languages() -> None:
    fr, en = catalog("fr"), catalog("en")
    for key, text in fr.items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", en[key])), key


def test_every_question_and_choice_has_wording() -> None:
    for lang in ("fr", "en"):
        keys = catalog(lang)
        for question in QUESTIONS:
            assert f"q.{question.key}" in keys
            if question.kind in {Kind.CHOICE, Kind.ACK} and question.key != "remedy":
                for code in question.choices:
                    assert f"choice.{question.key}.{code}" in keys, (lang, question.key, code)


def test_every_document_template_exists_in_both_languages() -> None:
    fr = {p.name for p in (templates_dir() / "fr" / "documents").iterdir()}
    en = {p.name for p in (templates_dir() / "en" / "documents").iterdir()}
    assert fr
    assert fr == en


@pytest.mark.parametrize(("code", "lang"), [("fr", "fr"), ("fr-CA", "fr"), ("en-GB", "en"),
                                             ("en", "en"), ("de", "fr"), (None, "fr")])
def test_telegram_language_code_is_respected_french_by_default(code: str | None,
                                                               lang: str) -> None:
    assert normalize_language(code) == lang


def test_missing_parameter_is_left_visible_rather_than_crashing() -> None:
    assert "{debtor}" in t("fr", "q.supply")


@pytest.mark.parametrize(("lang", "count", "expected"), [
    ("fr", 0, "0 relance déjà sans effet."),
    ("fr", 1, "1 relance déjà sans effet."),
    ("fr", 2, "2 relances déjà sans effet."),
    ("en", 0, "0 reminders already without effect."),
    ("en", 1, "1 reminder already without effect."),
    ("en", 3, "3 reminders already without effect."),
])
def test_a_count_agrees_with_its_noun_in_each_language(lang: str, count: int,
                                                      expected: str) -> None:
    assert t(lang, "law.remedy.out.reminders_done", count=count) == expected


def test_no_message_hedges_a_plural_with_parentheses() -> None:
    for lang in LANGUAGES:
        hedged = [key for key, text in catalog(lang).items() if "(s)" in text]
        assert hedged == [], (lang, hedged)


def test_a_word_choice_given_text_instead_of_a_number_still_reads() -> None:
    assert t("en", "law.remedy.out.reminders_done", count="2,5") == (
        "2,5 reminders already without effect.")
    assert t("en", "law.remedy.out.reminders_done", other=1) == (
        "{count} {count} already without effect.")  # a forgotten parameter shows, never crashes


@pytest.mark.parametrize(("lang", "count", "days", "expected"), [
    ("fr", 1, 1, "1 relance sans effet et 1 jour de retard : passez à la mise en demeure."),
    ("fr", 2, 31, "2 relances sans effet et 31 jours de retard : passez à la mise en demeure."),
    ("en", 1, 1, "1 reminder without effect and 1 day late: move to a formal demand."),
    ("en", 3, 31, "3 reminders without effect and 31 days late: move to a formal demand."),
])
def test_days_late_agree_with_their_number(lang: str, count: int, days: int,
                                           expected: str) -> None:
    assert t(lang, "law.remedy.why.demand_now", count=count, days=days) == expected


def test_no_number_parameter_is_followed_by_a_plural_noun_without_choosing() -> None:
    unchosen = re.compile(r"\{(\w+)\} (days|months|years|jours|ans|factures|invoices)\b")
    for lang in LANGUAGES:
        left = [key for key, text in catalog(lang).items() if unchosen.search(text)]
        assert left == [], (lang, left)
