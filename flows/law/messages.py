"""Structured messages: a catalog key plus typed parameters, rendered later in a language.

The legal engine never builds sentences. It returns ``Message`` values so that the chat, the
calculator and the documents can say the same thing in French or English (see ``render.py``),
and so that tests can assert on *what* was said rather than on wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flows.money import Money


@dataclass(frozen=True)
class Percent:
    """An annual rate in percent (``Decimal("13.15")`` means 13.15 %), rendered per locale."""

    value: Decimal


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
        return tuple(found)


ParamValue = str | int | Decimal | date | Money | Percent | Message


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
