"""Turn the engine's answers into readable text in French or English.

Every sentence comes from ``templates/<lang>/law.toml`` through ``t()``; amounts and dates are
formatted by ``flows.formatting`` like the rest of the chat; this module lays the sections out.
The chat and the calculator both call ``render_rights``, so they show the same figures.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import Locale
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from flows import formatting
from flows.i18n import normalize_language, t
from flows.law.messages import Condition, Listing, Message, Ordinal, ParamValue, Percent
from flows.law.rights import CourtRoute, InsolvencyGuide, Rights
from flows.money import Money
from flows.vocabulary import Jurisdiction

MARKS = {True: "✓", False: "✗", None: "?"}


class Renderer:
    """Renders messages in one language, with the number and date formats of one jurisdiction."""

    def __init__(self, lang: str, jurisdiction: Jurisdiction = Jurisdiction.FRANCE) -> None:
        self.lang = normalize_language(lang)
        self.jurisdiction = str(jurisdiction)
        self.locale = formatting.locale_for(self.lang, self.jurisdiction)

    def __call__(self, message: Message) -> str:
        # Whole numbers stay numbers: the catalog may agree a word with them ("2 relances").
        params = {name: value if type(value) is int else self.value(value)
                  for name, value in message.params}
        return t(self.lang, message.key, **params)

    def value(self, value: ParamValue) -> str:
        if isinstance(value, Message):
            return self(value)
        if isinstance(value, Listing):
            return t(self.lang, "law.format.list_separator").join(map(self, value.items))
        if isinstance(value, Money):
            return formatting.money(value, self.lang, self.jurisdiction)
        if isinstance(value, Percent):
            # Not formatting.percent: a contract rate of 12.125 % must not show as 12.13 %.
            number = format_decimal(value.value, format="#,##0.00##", locale=self.locale)
            return t(self.lang, "law.format.percent", number=number)
        if isinstance(value, Ordinal):
            form = Locale.parse(self.lang).ordinal_form(value.value)
            return t(self.lang, f"law.format.ordinal.{form}", n=str(value.value))
        if isinstance(value, date):
            return formatting.day(value, self.lang, self.jurisdiction)
        if isinstance(value, Decimal):
            return format_decimal(value, locale=self.locale)
        return str(value)

    def condition(self, condition: Condition) -> str:
        return f"{MARKS[condition.met]} {self(condition.text)}"


class HtmlRenderer(Renderer):
    """Renders messages into a document: the catalog's text is trusted markup (a letter may
    put a sum in bold), every parameter is escaped, so a company name stays text."""

    def __call__(self, message: Message, **extra: ParamValue | Markup) -> Markup:
        params = {name: value if type(value) is int else self.value(value)
                  for name, value in (*message.params, *extra.items())}
        return Markup(t(self.lang, message.key, **params))

    def value(self, value: ParamValue | Markup) -> Markup:
        if isinstance(value, Markup):
            return value
        return escape(super().value(value))


def render_rights(rights: Rights, lang: str) -> str:
    """The rights for one invoice as a plain-text message (Telegram-safe, no markup)."""
    say = Renderer(lang, rights.jurisdiction)
    v = say.value
    title = "law.render.title_numbered" if rights.number else "law.render.title"
    lines = [
        t(say.lang, title, number=rights.number, on=v(rights.computed_on)),
        t(say.lang, "law.render.principal", amount=v(rights.principal)),
        *_payment_lines(say, rights),
        t(
            say.lang,
            "law.render.interest",
            amount=v(rights.interest),
            per_day=v(rights.interest_per_day),
        ),
    ]
    for period in rights.interest_periods:
        key = "law.render.period_provisional" if period.provisional else "law.render.period"
        lines.append(
            t(
                say.lang,
                key,
                start=v(period.start),
                end=v(period.end),
                days=str(period.days),
                rate=v(Percent(period.annual_rate)),
                basis=say(period.basis),
                amount=v(period.amount),
            )
        )
    lines += [
        "  " + say(rights.interest_explanation),
        "  " + t(say.lang, "law.render.day_count"),
        t(
            say.lang,
            "law.render.indemnity",
            amount=v(rights.indemnity),
            why=say(rights.indemnity_explanation),
        ),
        t(say.lang, "law.render.total", amount=v(rights.total)),
        "",
        t(say.lang, "law.render.payment_term"),
        "  " + say(rights.payment_term.rule),
        "  " + say(rights.payment_term.meaning),
        "",
        t(say.lang, "law.render.limitation", last_day=v(rights.limitation_date)),
        "  " + say(rights.limitation.explanation),
        *("  " + say(detail) for detail in rights.limitation.details),
        "  "
        + t(
            say.lang,
            "law.render.interrupts",
            items="; ".join(map(say, rights.limitation.interrupted_by)),
        ),
        "  "
        + t(
            say.lang,
            "law.render.does_not_interrupt",
            items="; ".join(map(say, rights.limitation.not_interrupted_by)),
        ),
        "",
        t(say.lang, "law.render.routes"),
    ]
    for route in rights.routes:
        lines += _route_lines(say, route)
    if rights.warnings:
        lines += ["", t(say.lang, "law.render.warnings")]
        lines += [f"  ⚠ {say(warning)}" for warning in rights.warnings]
    if rights.notes:
        lines += ["", t(say.lang, "law.render.notes")]
        lines += [f"  • {say(note)}" for note in rights.notes]
    lines += ["", t(say.lang, "law.render.sources", items="; ".join(_citations(say, rights)))]
    lines.append(t(say.lang, "law.render.disclaimer"))
    return "\n".join(lines)


def _payment_lines(say: Renderer, rights: Rights) -> list[str]:
    received = [
        t(say.lang, "law.render.payment", amount=say.value(Money(p.amount, rights.currency)),
          day=say.value(p.day))
        for p in rights.payments
    ]
    if rights.paid_undated.amount > 0:
        received.append(t(say.lang, "law.render.paid_undated",
                          amount=say.value(rights.paid_undated)))
    if not received:
        return []
    return ["  " + t(say.lang, "law.render.payments", items="; ".join(received))]


def _route_lines(say: Renderer, route: CourtRoute) -> list[str]:
    status = {
        True: "law.render.route_open",
        False: "law.render.route_closed",
        None: "law.render.route_check",
    }
    lines = [
        "  • "
        + t(
            say.lang,
            status[route.available],
            name=t(say.lang, f"law.route.{route.kind}.name"),
            court=say(route.court),
        )
    ]
    lines += [f"      {say.condition(condition)}" for condition in route.conditions]
    if route.lawyer_required is not None:
        key = "law.render.lawyer_yes" if route.lawyer_required else "law.render.lawyer_no"
        lines.append("      " + t(say.lang, key))
    lines += [f"      {say(note)}" for note in route.notes]
    return lines


def _citations(say: Renderer, rights: Rights) -> list[str]:
    # An article is cited as it is: a source not yet checked in a public text is the data
    # files' business (their ``verified`` flag, for the maintainers), never a user's.
    return [source.article for source in rights.sources]


def render_insolvency(guide: InsolvencyGuide, lang: str) -> str:
    say = Renderer(lang, guide.jurisdiction)
    lines = [t(say.lang, "law.render.insolvency_title")]
    deadlines = [guide.proof_of_claim]
    if guide.revendication is not None:
        deadlines.append(guide.revendication)
    deadlines += list(guide.other_deadlines)
    for deadline in deadlines:
        when = (
            say.value(deadline.last_day)
            if deadline.last_day
            else t(say.lang, "law.render.no_fixed_date")
        )
        lines.append(f"  • {when} — {say(deadline.what)} ({deadline.source.article})")
        if deadline.extended_to is not None:
            lines.append(
                "    " + t(say.lang, "law.render.extended_to", day=say.value(deadline.extended_to))
            )
    lines += [f"  • {say(note)}" for note in guide.notes]
    lines.append(t(say.lang, "law.render.vocabulary", items="; ".join(map(say, guide.vocabulary))))
    return "\n".join(lines)

