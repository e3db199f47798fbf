"""No raw placeholder ever reaches a user: every catalog message, filled in with the
parameters its callers actually pass, leaves no ``{name}`` behind.

The callers are read from the source: every ``t(lang, "key", name=...)`` call in ``flows/`` and
``bot/``. A key written as an f-string (``f"fu.done.{action}"``) stands for every catalog key
of that shape; a key that also has a caller naming it outright is checked against that caller
only, since the pattern call is not the one that says it. A call passing ``**params`` gives
names nobody can read here and is left to the tests of that feature.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows.i18n import LANGUAGES, catalog, t
from testing.driver import plain
from tests.followup_cases import COURT, followed, later, press_reminder, reminder

ROOT = Path(__file__).resolve().parent.parent
LEFTOVER = re.compile(r"{\w+[^}]*}")


@dataclass(frozen=True)
class Caller:
    where: str
    key: re.Pattern[str]
    exact: bool
    names: frozenset[str]


def _key_pattern(node: ast.expr) -> tuple[re.Pattern[str], bool] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.compile(re.escape(node.value)), True
    if isinstance(node, ast.JoinedStr):
        parts = [re.escape(part.value) if isinstance(part, ast.Constant) else r"[\w.]+"
                 for part in node.values]
        return re.compile("".join(parts)), False
    return None


def _callers() -> list[Caller]:
    found: list[Caller] = []
    for folder in ("flows", "bot"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id == "t" and len(node.args) >= 2):
                    continue
                key = _key_pattern(node.args[1])
                if key is None or any(kw.arg is None for kw in node.keywords):
                    continue
                names = frozenset(kw.arg for kw in node.keywords if kw.arg)
                found.append(Caller(f"{path.relative_to(ROOT)}:{node.lineno}", key[0], key[1],
                                    names))
    return found


CALLERS = _callers()


def _callers_of(key: str) -> list[Caller]:
    matching = [c for c in CALLERS if c.key.fullmatch(key)]
    exact = [c for c in matching if c.exact]
    return exact or matching


def test_the_source_scan_finds_the_callers() -> None:
    # The scan itself must see the order-served message's caller, or the test proves nothing.
    assert any(c.exact and c.key.fullmatch("fu.done.served") for c in CALLERS)
    assert len(CALLERS) > 150


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_complete_with_what_its_callers_pass(lang: str) -> None:
    incomplete = []
    for key in sorted(catalog(lang)):
        for caller in _callers_of(key):
            shown = t(lang, key, **{name: 2 for name in caller.names})
            if LEFTOVER.search(shown):
                incomplete.append(f"{key} from {caller.where}: {LEFTOVER.findall(shown)}")
    assert not incomplete, "\n".join(incomplete)


def test_after_a_served_order_the_debtor_is_named_not_a_placeholder() -> None:
    # The clock moves from the request to the day the order is served.
    d = followed(COURT, lang="fr")
    later(d, days=20)
    press_reminder(d, "granted", reminder(d, "court_check"))
    d.press("today")
    later(d, days=10)
    press_reminder(d, "served", reminder(d, "serve"))
    d.press("today")
    said = plain(d.last.messages[0])
    assert "ACME Rénovation SARL peut faire opposition jusqu'au" in said
    assert "{" not in said
