"""Bad input, generated: whatever a user types or a client forges, the bot keeps its footing.

Every parser and the turn API get random text (any Unicode, emoji, control characters,
4 096-character messages, ``1e309``, ``-0``, ``NaN``…). Never an exception; always a reply, in
the user's own language (every message is looked up in that language's catalog, never in the
other one, never missing); a refused answer changes nothing and the question is asked again;
an accepted one changes only the answer to the question asked.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from flows import formatting, i18n
from flows.answers import Kind, parse_answer
from flows.conversation import Command, Event, Press, Reply, Role, Text
from flows.journey import _error_params  # the journey's own way of filling the blanks
from flows.model import INVOICE_KEYS, Account
from flows.money import Money
from flows.parsing import MAX_AMOUNT, ParseError, clean_text, parse_amount, parse_date
from flows.questions import QUESTIONS, current_question
from flows.turn import turn
from testing.driver import FRENCH_BUSINESS_CASE, Driver
from testing.fakebot import FakeBotApi
from testing.telegram_harness import TelegramUser, question_key, running_bot

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
TODAY = NOW.date()
LANGS = ("fr", "en")
MAX_CALLBACK_DATA = 64  # bytes, Telegram's limit for a button's data
MAX_TEXT = 4096

# Inputs people (and fuzzers) actually send.
AWKWARD = [
    "1e309", "-1e309", "1e-309", "-0", "+0", "0", "-0,00", "NaN", "nan", "sNaN", "Infinity",
    "-inf", "∞", "1_000", "0x1F", "0b101", "1/0", "½", "²", "١٢٣", "１２３", "𝟙𝟚𝟛", "1\u00a0200,50",
    "1\u202f200,50 €", "12 %", "100,0001 %", "9" * 400, "1" + "0" * 30, "0,001", ",", ".", "..",
    "1..2", "1,,2", "-", "+", "€", "€€", "$-5", "1 200,50 € 3", "deux cents", "", " ", "\t\n",
    "\x00", "\x07\x08", "\u200b", "\u200e\u200f", "\u202e1 002", "\ufeff", "\ud7ff", "\U0010ffff",
    "🙂", "💶💶💶", "👩‍👩‍👧‍👦", "🇫🇷", "{", "}", "{amount}", "{0}", "%s", "%(x)s", "{{ 7*7 }}",
    "<b>gras</b>", "&amp;", "\\", "'", '"', "/start", "/start@impayes_bot", "/language de",
    "2026-02-30", "31/02/2026", "00/00/0000", "32/01/2026", "29/02/2027", "29/02/2028",
    "0001-01-01", "9999-12-31", "1/1/1", "le 32 janvier", "janvier", "15 brumaire 2026",
    "sept 2026", "2026 2026 septembre", "aujourd'hui", "today", "demain", "oui", "NON", "y",
    "1", "2", "3", "4", "99", "-1", "1.5", "1,5", "yes!", "…", "—", "Ⅻ",
]
ANY_CHAR = st.characters(blacklist_categories=("Cs",))  # Telegram text is valid UTF-8
LONG = st.builds(lambda piece, n: (piece * n)[:n],
                 st.sampled_from(["9", "a", "é", "🙂", " ", "1,"]), st.integers(4000, 4200))
TEXTS = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(ANY_CHAR, max_size=40),
    st.text(st.sampled_from("0123456789 .,'-+€$%/eE"), max_size=24),
    st.builds(lambda a, b: a + b, st.sampled_from(AWKWARD), st.text(ANY_CHAR, max_size=8)),
    LONG,
)
IDS = st.one_of(st.text(ANY_CHAR, max_size=12), st.sampled_from(["", ":"]))
COMMANDS = ("start", "new", "resume", "back", "cancel", "language", "help")


# Every message must come from the user's catalog -------------------------------------------
@contextmanager
def catalog_lookups() -> Iterator[list[tuple[str, str]]]:
    """Record every (language, key) looked up; a key missing in the language is marked."""
    real = i18n.catalog
    seen: list[tuple[str, str]] = []

    class Watch(dict[str, str]):
        def __init__(self, lang: str) -> None:
            super().__init__(real(lang))
            self.lang = lang

        def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
            seen.append((self.lang, key if key in self else f"MISSING:{key}"))
            return super().get(key, default)

    watched = {lang: Watch(lang) for lang in LANGS}
    with mock.patch.object(i18n, "catalog", lambda lang: watched[lang]):
        yield seen


def error_messages_in(lang: str, error: ParseError) -> str:
    return i18n.t(lang, error.key, **_error_params(error, lang))


def assert_explained(error: ParseError) -> None:
    """A parse error names a message that both catalogs have, with every blank filled in."""
    for lang in LANGS:
        assert error.key in i18n.catalog(lang), (lang, error.key)
        text = error_messages_in(lang, error)
        assert not re.search(r"\{\w+\}", text), (lang, error.key, text)


# Parsers ------------------------------------------------------------------------------------
@settings(max_examples=400, deadline=None)
@given(TEXTS)
@example("1e309")
@example("-0")
@example("NaN")
def test_amount_parser_gives_a_sane_amount_or_a_clear_error(text: str) -> None:
    try:
        money = parse_amount(text)
    except ParseError as error:
        assert_explained(error)
        return
    assert money.currency in {"EUR", "CAD", "USD", "CHF", "GBP"}
    assert money.amount.is_finite()
    assert Decimal("0") < money.amount <= MAX_AMOUNT
    assert money.amount == money.amount.quantize(Decimal("0.01"))


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=MAX_AMOUNT, places=2),
       st.sampled_from(LANGS), st.sampled_from(("fr", "be", "qc")))
def test_an_amount_read_back_as_the_bot_writes_it_is_the_same_amount(
        amount: Decimal, lang: str, jurisdiction: str) -> None:
    currency = "CAD" if jurisdiction == "qc" else "EUR"
    written = formatting.money(Money(amount, currency), lang, jurisdiction)
    assert parse_amount(written, currency) == Money(amount, currency), written


@settings(max_examples=400, deadline=None)
@given(TEXTS)
@example("2026-02-30")
@example("0001-01-01")
def test_date_parser_gives_a_real_date_or_a_clear_error(text: str) -> None:
    try:
        day = parse_date(text, TODAY)
    except ParseError as error:
        assert_explained(error)
        return
    assert 1900 <= day.year <= 2200


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
       st.sampled_from(LANGS), st.sampled_from(("fr", "be", "qc")))
def test_a_date_read_back_as_the_bot_writes_it_is_the_same_day(day: date, lang: str,
                                                                jurisdiction: str) -> None:
    assert parse_date(formatting.day(day, lang, jurisdiction), TODAY) == day
    assert parse_date(formatting.short_day(day, lang, date(day.year - 1, 1, 1)), TODAY) == day
    assert parse_date(day.isoformat(), TODAY) == day


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_cleaned_text_has_single_plain_spaces_and_no_control_characters(text: str) -> None:
    cleaned = clean_text(text)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert not any(unicodedata.category(ch) == "Cc" for ch in cleaned)
    assert clean_text(cleaned) == cleaned


TYPED = [q for q in QUESTIONS if q.kind not in {Kind.CHOICE, Kind.ACK}]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TYPED), TEXTS)
def test_every_typed_question_stores_a_sane_value_or_explains_the_error(question: Any,
                                                                      text: str) -> None:
    case = snapshot_account("fr", "payments").current
    assert case is not None
    try:
        value = parse_answer(question, case, text, TODAY)
    except ParseError as error:
        assert_explained(error)
        return
    json.dumps(value)  # storable as it is
    if question.kind in {Kind.TEXT, Kind.ADDRESS}:
        assert 0 < len(value) <= question.max_length
        assert value == value.strip()
        assert all(unicodedata.category(ch) != "Cc" or ch == "\n" for ch in value)
    elif question.kind is Kind.AMOUNT:
        assert Decimal("0") < Decimal(value["amount"]) <= MAX_AMOUNT
    elif question.kind is Kind.DATE:
        assert 1900 <= date.fromisoformat(value).year <= 2200
    elif question.kind is Kind.RATE:
        assert Decimal("0") < Decimal(value) <= 100
    elif question.kind is Kind.DAYS:
        assert 1 <= int(value) <= 90
    elif question.kind is Kind.YESNO:
        assert isinstance(value, bool)


# The turn API ---------------------------------------------------------------------------------
@cache
def _snapshots() -> dict[tuple[str, str], str]:
    """Accounts saved at every point of the journey, as JSON: each example starts afresh."""
    found: dict[tuple[str, str], str] = {}
    for lang in LANGS:
        found[(lang, "no_case")] = json.dumps(Account.new("1001", lang).to_json())
        d = Driver(lang=lang, now=NOW)
        d.command("start")
        for key, step in FRENCH_BUSINESS_CASE:
            found[(lang, key)] = json.dumps(d.account.to_json())
            d.answer(step)
        found[(lang, "followup")] = json.dumps(d.account.to_json())
        d.press("later")
        found[(lang, "snoozed")] = json.dumps(d.account.to_json())
        back = Driver(lang=lang, now=NOW)
        back.command("start")
        back.play(FRENCH_BUSINESS_CASE, until="issue_date")
        back.command("back")
        found[(lang, "revisit")] = json.dumps(back.account.to_json())
        edit = Driver(lang=lang, now=NOW)
        edit.command("start")
        edit.play(FRENCH_BUSINESS_CASE, until="review")
        edit.press("edit")
        found[(lang, "edit_pick")] = json.dumps(edit.account.to_json())
        edit.command("cancel")
        edit.command("cancel")
        found[(lang, "cancelled")] = json.dumps(edit.account.to_json())
    assert {point for _, point in found} == set(POINTS), "POINTS names every snapshot"
    return found


def snapshot_account(lang: str, point: str) -> Account:
    return Account.from_json(json.loads(_snapshots()[(lang, point)]))


# Named without playing the journey: at module level every parallel worker would play it
# while collecting; the first test that needs a snapshot plays it, in its worker only.
POINTS = sorted({"no_case", *(key for key, _ in FRENCH_BUSINESS_CASE), "followup", "snoozed",
                 "revisit", "edit_pick", "cancelled"})


def events_for(account: Account) -> st.SearchStrategy[Event]:
    case = account.current
    question = current_question(case, account.asking) if case is not None else None
    real_case = st.just(case.id) if case is not None else IDS
    real_key = st.just(question.key) if question is not None else IDS
    return st.one_of(
        st.builds(Text, TEXTS),
        st.builds(Text, TEXTS),
        st.builds(Press, st.one_of(real_case, IDS), st.one_of(real_key, IDS),
                  st.one_of(IDS, st.sampled_from(["yes", "no", "fr", "1", "none", "generate",
                                                  "edit", "later"])),
                  st.sampled_from(Role)),
        st.builds(Command, st.one_of(st.sampled_from(COMMANDS), st.text(ANY_CHAR, max_size=10)),
                  st.one_of(st.just(""), TEXTS)),
    )


@cache
def events_at(lang: str, point: str) -> st.SearchStrategy[Event]:
    """The strategy of one saved point, built once: a strategy built afresh for each example
    is checked and analysed afresh by Hypothesis, which cost more than playing the turn."""
    return events_for(snapshot_account(lang, point))


def answers_of(account: Account) -> dict[str, dict[str, Any]]:
    return {case.id: copy.deepcopy(case.answers) for case in account.cases}


def shown_texts(reply: Reply) -> list[str]:
    texts = list(reply.messages)
    if reply.prompt is not None:
        texts.append(reply.prompt.text)
        texts += [button.label for button in reply.prompt.buttons]
    if reply.notice:
        texts.append(reply.notice)
    return texts


FOLLOWUP_KEYS = {q.key for q in QUESTIONS if q.stage == "followup"}
# The catalog sections a document's text is drafted from (its sentences of law, the country's
# words, its own headings, its chronology and next steps); a reply's prompts and buttons use others.
DRAFTING_KEYS = ("law.", "country.", "documents.", "chrono.", "upcoming.")
ACK_KEYS = {q.key for q in QUESTIONS if q.kind is Kind.ACK}


@pytest.mark.slow(seconds=2)
@settings(max_examples=600, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(LANGS), st.sampled_from(POINTS), st.data())
def test_any_event_at_any_point_gets_a_reply_in_the_users_language_and_keeps_earlier_answers(
        lang: str, point: str, data: st.DataObject) -> None:
    account = snapshot_account(lang, point)
    event = data.draw(events_at(lang, point), label="event")
    before_json = account.to_json()
    before = answers_of(account)
    case = account.current
    asked = current_question(case, account.asking) if case is not None else None

    with catalog_lookups() as lookups:
        reply = turn(account, event, NOW)

    # Always a reply, and one Telegram accepts.
    texts = shown_texts(reply)
    assert texts, "the user got no reply at all"
    assert all(text.strip() for text in reply.messages)
    if reply.prompt is not None:
        assert reply.prompt.text.strip()
        assert len(reply.prompt.text) <= MAX_TEXT
        for button in reply.prompt.buttons:
            assert button.label.strip()
            data_bytes = f"{reply.prompt.case_id}:{reply.prompt.key}:{button.value}".encode()
            assert len(data_bytes) <= MAX_CALLBACK_DATA, data_bytes

    # In the user's language, from the catalog, never the other language's text. A letter is
    # drafted in the language of the law (an English speaker in France gets a French demand and
    # its translation): what goes into a document drafted, and only that, is looked up in its
    # language.
    wanted = account.lang
    drafted_in = {job.lang for job in reply.documents}
    assert lookups, "a reply that was not taken from the catalogs"
    assert wanted in {lang_ for lang_, _ in lookups}, lookups
    elsewhere = [(lang_, key) for lang_, key in lookups if lang_ != wanted]
    assert all(lang_ in drafted_in and key.startswith(DRAFTING_KEYS)
               for lang_, key in elsewhere), elsewhere
    assert not [key for _, key in lookups if key.startswith("MISSING:")]
    assert wanted == lang or (isinstance(event, Command) and event.name.lower() == "language")

    # Nothing stored changes unless the reply says so.
    if not reply.changed:
        assert account.to_json() == before_json

    # Earlier answers stay as they were: only the question asked may get an answer.
    allowed = ACK_KEYS | FOLLOWUP_KEYS | ({asked.key} if asked is not None else set())
    if asked is not None and asked.key == "another_invoice":
        allowed |= set(INVOICE_KEYS)
    if asked is not None and asked.stage == "followup":
        allowed.add("payments")  # "paid" or a partial payment reported: the invoice says so
        allowed.add("remedy")  # "still unpaid → next step" opens the next remedy of the ladder
    if isinstance(event, Press) and event.role is Role.BACK:
        allowed = set()
    after = answers_of(account)
    for case_id, old in before.items():
        if case_id not in after:  # /new, /start or /cancel forget a case with nothing in it
            assert not old, "a case with answers disappeared"
            continue
        for key, value in old.items():
            if key not in allowed:
                assert after[case_id].get(key) == value, (key, value, after[case_id].get(key))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(LANGS), st.sampled_from(POINTS), TEXTS)
def test_a_refused_answer_is_explained_and_the_same_question_asked_again(
        lang: str, point: str, text: str) -> None:
    account = snapshot_account(lang, point)
    case = account.current
    asked = current_question(case, account.asking) if case is not None else None
    assume(asked is not None)
    before = account.to_json()
    reply = turn(account, Text(text), NOW)
    if reply.changed:
        return  # accepted: the property above covers it
    assert reply.prompt is not None
    assert asked is not None
    assert reply.prompt.key == asked.key
    assert reply.messages, "refused without a word of explanation"
    assert account.to_json() == before


# The same over Telegram ---------------------------------------------------------------------
async def test_awkward_messages_over_telegram_get_french_replies_telegram_accepts(
        data_dir: Any) -> None:
    nasty = ["x" * 4096, "🙂" * 2048, "1e309", "-0", "NaN", "\x00\x07", "\u202e\u200b",
             "{amount}", "<b>gras</b>", "9" * 4096, "/start@impayes_bot extra"]
    english_only = {text for key, text in i18n.catalog("en").items()
                    if text != i18n.catalog("fr").get(key) and len(text) > 12}
    with FakeBotApi() as api:
        user = TelegramUser(api, chat_id=8101)
        async with running_bot(api, data_dir, NOW):
            current = await user.play(FRENCH_BUSINESS_CASE, await user.say("/start"),
                                      until="invoice_amount")
            for text in nasty:
                current = await user.say(text)
                assert question_key(current) == "invoice_amount"
        refused = [c for c in api.calls() if not c.ok and c.method != "getUpdates"]
        assert refused == []
        said = user.texts()
        assert user.saw(i18n.t("fr", "error.amount_format"))
        assert not user.saw(i18n.t("fr", "error.too_long", limit=MAX_TEXT))  # 4 096 is allowed
    assert not [english for english in english_only if any(english in text for text in said)]
