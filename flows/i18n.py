"""Every user-facing string, looked up by key in the user's language.

Catalogs are TOML files in ``templates/<lang>/``: every ``*.toml`` there is merged into one
flat table (a dotted TOML table ``[rights]`` with ``title = ...`` gives the key
``rights.title``). A key defined twice in one language is an error, so that two features can
keep their own catalog files without silently overriding each other.

A number is agreed with the words after it by the language's own plural rule (Babel's CLDR
data: French says "0 relance", "1 relance", English "0 reminders", "1 reminder"): write
``{count} {count:relance|relances}``, the singular then the plural after the colon.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


def templates_dir() -> Path:
    """The templates folder: packaged inside ``flows`` when installed, at the repo top otherwise."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def normalize_language(code: str | None) -> str:
    """Map a Telegram ``language_code`` (``fr-CA``, ``en``, ``de``…) to one we speak."""
    if code:
        short = code.split("-")[0].split("_")[0].lower()
        if short in LANGUAGES:
            return short
    return DEFAULT_LANGUAGE


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str], source: Path) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out, source)
        else:
            if full in out:
                raise ValueError(f"message key {full!r} defined twice (again in {source.name})")
            out[full] = str(value)


@cache
def catalog(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    folder = templates_dir() / lang
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            _flatten("", tomllib.load(fh), out, path)
    return out


class _KeepMissing(dict[str, Any]):
    def __missing__(self, key: str) -> _Missing:
        return _Missing(key)


class _Missing(str):
    """A parameter nobody gave: left as written, ``{name}``, whatever its format."""

    def __new__(cls, key: str) -> _Missing:
        return super().__new__(cls, "{" + key + "}")

    def __format__(self, spec: str) -> str:
        return str(self)


@cache
def _plural_rule(lang: str) -> Any:
    return Locale.parse(lang).plural_form


class _Count(int):
    """An integer parameter that can also choose a word: ``{n:relance|relances}``."""

    lang = DEFAULT_LANGUAGE

    def __format__(self, spec: str) -> str:
        if "|" not in spec:
            return int.__format__(self, spec)
        one, _, other = spec.partition("|")
        return one if _plural_rule(self.lang)(int(self)) == "one" else other


class _Loose(str):
    """Any value as text; a word choice on it takes the plural (the safe reading of "1,5")."""

    def __format__(self, spec: str) -> str:
        return spec.partition("|")[2] if "|" in spec else str.__format__(self, spec)


def _counted(lang: str, value: Any) -> Any:
    if type(value) is not int:
        return value
    count = _Count(value)
    count.lang = lang
    return count


# French elides "de" before a vowel: "l'adresse d'ACME", never "de ACME". Names come in as
# parameters, so the catalog writes "de {debtor}" and the elision is made once filled in.
_DE_BEFORE = re.compile(r"\b([dD])e \{(\w+)\}")
_VOWEL = re.compile(r"^[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜaeiouyàâäéèêëîïôöùûü]")


def of(name: str) -> str:
    """French "de" before a name, elided before a vowel: "d'ACME", "de Bâtiments Peeters"."""
    return f"d'{name}" if _VOWEL.match(name) else f"de {name}"


def _elide(text: str, params: dict[str, Any]) -> str:
    def before(match: re.Match[str]) -> str:
        value = params.get(match.group(2))
        if isinstance(value, str) and _VOWEL.match(value):
            return f"{match.group(1)}'{{{match.group(2)}}}"
        return match.group(0)

    return _DE_BEFORE.sub(before, text)


def t(lang: str, key: str, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``{params}`` filled in (English if a key is missing)."""
    text = catalog(lang).get(key)
    if text is None:
        text, lang = catalog("en").get(key, key), "en"
    if not params:
        return text
    if lang == "fr":
        text = _elide(text, params)
    values = _KeepMissing({k: _counted(lang, v) for k, v in params.items()})
    try:
        return text.format_map(values)
    except ValueError:  # a word-choosing format given something not a whole number
        return text.format_map(_KeepMissing({k: _Loose(v) for k, v in values.items()}))
