"""Jinja2 for documents and long messages: autoescaped HTML, plain text for chat messages.

User text is only ever passed as data, never compiled as a template, so ``{{ 7*7 }}`` in a
company name stays exactly that.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from flows import formatting
from flows.i18n import t, templates_dir
from flows.money import Money


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml"),
                                     default_for_string=False, default=False),
        undefined=StrictUndefined,  # a missing field fails loudly instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


def render(name: str, lang: str, **context: Any) -> str:
    """Render ``templates/<lang>/<name>`` with the locale's formatting filters."""
    jurisdiction = str(context.get("jurisdiction", "fr"))
    env = environment()
    template = env.get_template(f"{lang}/{name}")

    def money(value: Money | dict[str, str]) -> str:
        if isinstance(value, dict):
            value = Money.from_json(value)
        return formatting.money(value, lang, jurisdiction)

    def day(value: date | str) -> str:
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return formatting.day(value, lang, jurisdiction)

    def percent(value: Decimal | str) -> str:
        return formatting.percent(Decimal(value), lang)

    def msg(key: str, **params: Any) -> str:
        return t(lang, key, **params)

    return template.render(lang=lang, money=money, day=day, percent=percent, t=msg, **context)
