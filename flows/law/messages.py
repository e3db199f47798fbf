"""Structured messages: a catalog key plus typed parameters, rendered later in a language.

The legal engine never builds sentences. It returns ``Message`` values so that the chat, the
calculator and the documents can say the same thing in French or English (see ``render.py``),
and so that tests can assert on *what* was said rather than on wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flows.money import Money


@dataclass(frozen=True)
class Percent:
    """An annual rate in percent (``Decimal("13.15")`` means 13.15 %), rendered per locale."""

    value: Decimal


@dataclass(frozen=True)
class Ordinal:
    """A rank (3 reads "3e" in French, "3rd" in English), worded by the language's CLDR rule."""

    value: int


@dataclass(frozen=True)
class Listing:
    """Several messages said as one list, e.g. the acts that interrupt a limitation period: the
    warning and the details then name the same acts from the same values."""

    items: tuple[Message, ...]


@dataclass(frozen=True)
class Message:
    """A catalog key (``law.…``) and its parameters; parameters may themselves be messages."""

    key: str
    params: tuple[tuple[str, ParamValue], ...] = ()

    @classmethod
    def of(cls, key: str, **params: ParamValue) -> Message:
        return cls(key, tuple(params.items()))

    def param(self, name: str) -> ParamValue:
        for key, value in self.params:
            if key == name:
                return value
        raise KeyError(name)

    def walk(self) -> tuple[Message, ...]:
        """This message and every message nested in its parameters (for catalog checks)."""
        found: list[Message] = [self]
        for _, value in self.params:
            if isinstance(value, Message):
                found.extend(value.walk())
            elif isinstance(value, Listing):
                found.extend(nested for item in value.items for nested in item.walk())
        return tuple(found)


ParamValue = str | int | Decimal | date | Money | Percent | Ordinal | Message | Listing


def message_to_json(message: Message) -> dict[str, Any]:
    """The message as plain JSON that ``message_from_json`` reads back with its types."""
    return {"key": message.key,
            "params": {name: _param_to_json(value) for name, value in message.params}}


def message_from_json(data: dict[str, Any]) -> Message:
    return Message(data["key"], tuple((name, _param_from_json(value))
                                      for name, value in data["params"].items()))


def _param_to_json(value: ParamValue) -> Any:
    # Text and whole numbers stay as they are; other types are tagged so they read back.
    if isinstance(value, Message):
        return {"message": message_to_json(value)}
    if isinstance(value, Money):
        return {"money": value.to_json()}
    if isinstance(value, Percent):
        return {"percent": str(value.value)}
    if isinstance(value, Ordinal):
        return {"ordinal": value.value}
    if isinstance(value, Listing):
        return {"listing": [message_to_json(item) for item in value.items]}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _param_from_json(value: Any) -> ParamValue:
    if not isinstance(value, dict):
        return value  # type: ignore[no-any-return]
    (tag, inner), = value.items()
    readers: dict[str, Any] = {
        "message": message_from_json, "money": Money.from_json,
        "percent": lambda v: Percent(Decimal(v)), "ordinal": Ordinal,
        "date": date.fromisoformat, "decimal": Decimal,
        "listing": lambda items: Listing(tuple(message_from_json(i) for i in items)),
    }
    return readers[tag](inner)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Source:
    """Where a rule or a figure comes from: an article, a public page, and whether we checked it."""

    article: str
    url: str = ""
    verified: bool = True


@dataclass(frozen=True)
class Condition:
    """A prerequisite and whether this case meets it (``None``: depends on facts not given)."""

    text: Message
    met: bool | None
