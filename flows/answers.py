"""Reading a typed answer: the kinds of question, what a question declares, and the one engine
that turns text into the value stored (or a ``ParseError`` naming the message to show).

The journey's questions (``flows.questions``) and the side questions asked outside the stages
and waited for in ``Account.asking`` (a note in ``flows.casefile``; the reminder hour, a time
zone and a reminder's new day in ``flows.followup.menu``) are all read here, so a typed answer
is parsed the same way wherever it is asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from flows.model import Case
from flows.money import Money
from flows.parsing import ParseError, clean_text, parse_amount, parse_date, parse_payments
from flows.zones import zone_named


class Kind(StrEnum):
    TEXT = "text"
    ADDRESS = "address"
    AMOUNT = "amount"
    DATE = "date"
    CHOICE = "choice"
    YESNO = "yesno"
    RATE = "rate"
    DAYS = "days"
    PAYMENTS = "payments"  # sums received, each with its date, one a line
    ACK = "ack"  # an acknowledgement after something shown: asked again whenever facts change
    NOTE = "note"  # free text over several lines, kept as typed (a note for the case file)
    HOUR = "hour"  # an hour of the day reminders may come at: "9", "9h30", "09:30"
    ZONE = "zone"  # an IANA time zone name: "Europe/Paris"
    COUNT = "count"  # a whole number within ``Question.count_range``; buttons offer the usual ones


# Kinds whose typed digits are the answer itself, never the position of a button.
NUMERIC_KINDS = frozenset({Kind.AMOUNT, Kind.RATE, Kind.DAYS, Kind.COUNT})
# Kinds answered in one or more lines, kept as lines: an address, goods or payments one a line,
# a note. Telegram sends them as one message; the console reads a block ended by an empty line.
SEVERAL_LINES_KINDS = frozenset({Kind.ADDRESS, Kind.PAYMENTS, Kind.NOTE})


Predicate = Callable[[Case], bool]
Check = Callable[[Case, Any, date], None]
# A side question about no case (the reminder hour, a reminder's new day) is checked alone.
CheckAlone = Callable[[Any, date], None]


def always(_case: Case) -> bool:
    return True


@dataclass(frozen=True)
class Question:
    key: str
    stage: str
    kind: Kind
    choices: tuple[str, ...] = ()
    when: Predicate = always
    typed_too: bool = False  # choices offered, but a typed answer of the question's kind is fine
    max_length: int = 200
    check: Check | None = None
    choices_for: Callable[[Case], tuple[str, ...]] | None = None
    # The buttons in the order shown when that order depends on the day (the remedies, best
    # first): given the turn's day, never the machine's, so a frozen clock reaches it.
    ranked_for: Callable[[Case, date], tuple[str, ...]] | None = None
    # The message shown for an engine error, when this question words it its own way.
    errors: tuple[tuple[str, str], ...] = ()
    # Asked only when something asks for it (``Account.asking``): a follow-up's date, say.
    asked_only: bool = False
    # The smallest and largest whole number a COUNT question takes.
    count_range: tuple[int, int] = (0, 99)
    check_alone: CheckAlone | None = None

    def applies(self, case: Case) -> bool:
        return self.when(case)

    def offers(self, case: Case) -> tuple[str, ...]:
        """The codes of this question's buttons, in no particular order (which buttons there
        are never depends on the day)."""
        return self.choices_for(case) if self.choices_for else self.choices

    def options(self, case: Case, today: date) -> tuple[str, ...]:
        """The codes of this question's buttons in the order shown on ``today``."""
        return self.ranked_for(case, today) if self.ranked_for else self.offers(case)

    def error_key(self, error: ParseError) -> str:
        """The catalog key of the message explaining ``error`` for this question."""
        return dict(self.errors).get(error.key, error.key)


YES_WORDS = {"oui", "o", "yes", "y", "ok", "vrai", "true", "1", "si"}
NO_WORDS = {"non", "n", "no", "faux", "false", "0", "pas", "aucun", "aucune"}


def read_answer(question: Question, case: Case | None, raw: str, today: date) -> Any:
    """Typed text → the checked value for this question, or ParseError (the one engine that
    reads every typed answer, side questions' too)."""
    value = parse_answer(question, case, raw, today)
    if question.check is not None and case is not None:
        question.check(case, value, today)
    if question.check_alone is not None:
        question.check_alone(value, today)
    return value


def parse_answer(question: Question, case: Case | None, raw: str, today: date) -> Any:
    """Typed text → the JSON value stored for this question, or ParseError. ``case`` is None
    for a side question about no case (the reminder hour, the time zone)."""
    kind = question.kind
    if kind in {Kind.TEXT, Kind.ADDRESS, Kind.NOTE}:
        return _parse_text(raw, question.max_length, multiline=kind is not Kind.TEXT)
    if kind is Kind.HOUR:
        return _parse_hour(raw)
    if kind is Kind.ZONE:
        return _parse_zone(raw)
    if kind is Kind.PAYMENTS:
        return _parse_payments(question, case, raw, today)
    text = clean_text(raw)
    if len(text) > 200:
        raise ParseError("error.too_long", {"limit": 200})
    if kind is Kind.AMOUNT:
        return parse_amount(text, case.currency if case is not None else "EUR").to_json()
    if kind is Kind.DATE:
        return parse_date(text, today).isoformat()
    if kind is Kind.YESNO:
        word = text.lower().strip(" .!")
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise ParseError("error.yes_no")
    if kind is Kind.RATE:
        return str(_parse_rate(text))
    if kind is Kind.DAYS:
        if not re.fullmatch(r"\d{1,3}", text.split(" ")[0]):
            raise ParseError("error.days")
        days = int(text.split(" ")[0])
        if not 1 <= days <= 90:
            raise ParseError("error.days")
        return str(days)
    if kind is Kind.COUNT:
        return str(_parse_count(text, question.count_range))
    raise ParseError("error.use_buttons")


def _parse_payments(question: Question, case: Case | None, raw: str,
                    today: date) -> list[dict[str, str]]:
    """One payment a line, with its day. In the follow-up "300" alone means received today; in
    the facts the day is asked, since interest on each sum runs until the day it was paid."""
    if len(raw) > question.max_length:
        raise ParseError("error.too_long", {"limit": question.max_length})
    undated_on = today if question.stage == "followup" else None
    currency = case.currency if case is not None else "EUR"
    return [{"on": day.isoformat(), "amount": str(money.amount), "currency": money.currency}
            for day, money in parse_payments(raw, today, currency, undated_on)]


def _parse_text(raw: str, limit: int, multiline: bool) -> str:
    lines = [clean_text(line) for line in raw.replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise ParseError("error.text_empty")
    text = ("\n" if multiline else " ").join(lines)
    if len(text) > limit:
        raise ParseError("error.too_long", {"limit": limit})
    return text


def _parse_count(text: str, count_range: tuple[int, int]) -> int:
    """``5`` or ``5 échéances`` → 5, when within ``count_range``."""
    least, most = count_range
    first_word = text.split(" ")[0]
    if not re.fullmatch(r"\d{1,3}", first_word) or not least <= int(first_word) <= most:
        raise ParseError("error.count", {"least": least, "most": most})
    return int(first_word)


def _parse_hour(raw: str) -> str:
    """``9``, ``9h30``, ``09:30`` → ``"09:30"`` (which hours suit the question is its check)."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*(?:[:hH.]\s*(\d{2})?)?\s*", raw)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour < 24 and minute < 60:
            return f"{time(hour, minute):%H:%M}"
    raise ParseError("error.hour")


def _parse_zone(raw: str) -> str:
    name = raw.strip()
    if zone_named(name) is None:
        raise ParseError("error.zone")
    return name


# A rate said per month ("2 % par mois") is a yearly rate twelve times as large (simple
# interest, as the figures count it); per year is what every question and letter states.
PER_MONTH = ("parmois", "/mois", "mensuel", "permonth", "amonth", "/month", "monthly")
PER_YEAR = ("paran", "l'an", "/an", "annuel", "peryear", "ayear", "/year", "yearly")
MONTHS_A_YEAR = Decimal(12)


def monthly_rate(text: str) -> Decimal | None:
    """The monthly figure of a rate typed per month (``2 % par mois`` → 2), else None."""
    cleaned = _rate_words(text)
    for suffix in PER_MONTH:
        if cleaned.endswith(suffix):
            return _rate_figure(cleaned.removesuffix(suffix))
    return None


def _rate_words(text: str) -> str:
    return text.replace("%", "").replace(",", ".").replace(" ", "").replace("\u2019", "'").lower()


def _parse_rate(text: str) -> Decimal:
    """A yearly rate: ``12``, ``12,5 %``, ``12 % par an``; ``2 % par mois`` is 24 a year."""
    cleaned = _rate_words(text)
    per_month = monthly_rate(text)
    if per_month is not None:
        rate = per_month * MONTHS_A_YEAR
    else:
        for suffix in PER_YEAR:
            cleaned = cleaned.removesuffix(suffix)
        rate = _rate_figure(cleaned)
    if not Decimal("0") < rate <= Decimal("100"):
        raise ParseError("error.rate")
    return rate


def _rate_figure(cleaned: str) -> Decimal:
    cleaned = cleaned.removesuffix("pourcent").removesuffix("percent")
    if not re.fullmatch(r"\d{1,3}(\.\d{1,3})?", cleaned):
        raise ParseError("error.rate")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already rules this out
        raise ParseError("error.rate") from exc


def choice_value(question: Question, case: Case, code: str) -> Any:
    """The stored value for a button code (``nothing`` paid is a zero amount, and so on)."""
    if question.kind is Kind.YESNO:
        return code == "yes"
    if question.key == "payments" and code == "nothing":
        return []
    if question.key == "paid_amount" and code == "nothing":
        return Money.zero(case.currency).to_json()
    return code
