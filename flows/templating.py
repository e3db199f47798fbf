"""Jinja2 for documents and long messages: autoescaped HTML, plain text for chat messages.

User text is only ever passed as data, never compiled as a template, so ``{{ 7*7 }}`` in a
company name stays exactly that.
"""

from __future__ import annotations

import base64
from datetime import date
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from flows import formatting
from flows.i18n import of, t, templates_dir
from flows.law.messages import message_from_json
from flows.law.render import HtmlRenderer
from flows.money import Money
from flows.payment import PaymentDetails, qr_png
from flows.vocabulary import Jurisdiction


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

    def msg(key: str, **params: Any) -> str:
        # A macro's output comes as markup: back to text, so autoescaping escapes it once.
        return t(lang, key, **{name: value.unescape() if isinstance(value, Markup) else value
                               for name, value in params.items()})

    html = HtmlRenderer(lang, Jurisdiction(jurisdiction))

    def say(message: dict[str, Any] | None, **layout: Any) -> Markup:
        """A sentence the law packs wrote (``message_to_json``), in the document's language;
        ``layout`` fills what only the document knows (a sum in bold, how to pay)."""
        if not message:
            return Markup("")
        extra = {name: value if isinstance(value, Markup | int) else str(value)
                 for name, value in layout.items()}
        return html(message_from_json(message), **extra)

    return template.render(lang=lang, money=money, day=day, t=msg, say=say, of=of, epc=epc,
                           qr=qr, **context)


def epc(payment: dict[str, str], amount: dict[str, str]) -> str:
    """The EPC QR code's payload to pay ``amount`` (flows.payment), "" where none applies."""
    return PaymentDetails.from_json(payment).epc(Money.from_json(amount).rounded())


# A case's documents show the same few codes again and again (each letter, its translation,
# each drawing again), and drawing the codes took about half of rendering a letter's HTML.
@lru_cache(maxsize=64)
def qr(text: str) -> str:
    """A QR code of ``text`` as a PNG ``data:`` address, for an ``<img>`` in a document."""
    return "data:image/png;base64," + base64.b64encode(qr_png(text)).decode("ascii")
