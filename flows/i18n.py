"""Every user-facing string, looked up by key in the user's language.

Catalogs are TOML files in ``templates/<lang>/``: every ``*.toml`` there is merged into one
flat table (a dotted TOML table ``[rights]`` with ``title = ...`` gives the key
``rights.title``). A key defined twice in one language is an error, so that two features can
keep their own catalog files without silently overriding each other.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

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
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(lang: str, key: str, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``{params}`` filled in (English if a key is missing)."""
    text = catalog(lang).get(key)
    if text is None:
        text = catalog("en").get(key, key)
    return text.format_map(_KeepMissing(params)) if params else text
