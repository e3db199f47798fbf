"""No raw placeholder ever reaches a user: every catalog message, filled in with the
parameters its callers actually pass, leaves no ``{name}`` behind.

The callers are read from the source: every ``t(lang, "key", name=...)`` call in ``flows/`` and
``bot/``. A key written as an f-string (``f"fu.done.{action}"``) stands for every catalog key
of that shape; a key that also has a caller naming it outright is checked against that caller
only, since the pattern call is not the one that says it.

Many messages get their parameters on the way rather than from ``t(...)`` itself; those
producers are read too: a law message (``Message.of("key", name=...)``, a finding
``found.warn("key", name=...)``), an input error (``ParseError("key", {"name": ...})``), a
follow-up step (``_step(StepKind.X, ..., name=...)``,
shown as ``fu.step.x`` and ``fu.title.x`` with what ``flows.followup.messages`` adds), and a
call passing ``**helper(...)`` where ``helper`` returns a dict literal (the questions' own
parameters). Any other ``**params`` call is left to the tests of that feature.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
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


# What ``flows.followup.messages`` adds to a step's own parameters before showing it.
STEP_SHOWN_WITH = {"fu.step": {"debtor", "article", "acts"}, "fu.title": {"debtor"}}


def _dict_helpers(tree: ast.Module) -> dict[str, frozenset[str]]:
    """Functions of a module that return dict literals: the names those dicts hold (all of
    them: the message must be complete with whichever the data leads to)."""
    helpers: dict[str, frozenset[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Return) and isinstance(inner.value, ast.Dict)
                        and all(isinstance(k, ast.Constant) for k in inner.value.keys)):
                    helpers[node.name] = helpers.get(node.name, frozenset()) | frozenset(
                        str(k.value) for k in inner.value.keys if isinstance(k, ast.Constant))
    return helpers


def _spread_names(call: ast.Call, helpers: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """The names a call passes; None when a ``**params`` hides them."""
    names = {kw.arg for kw in call.keywords if kw.arg}
    for kw in call.keywords:
        if kw.arg is not None:
            continue
        spread = kw.value
        if not (isinstance(spread, ast.Call) and isinstance(spread.func, ast.Name)
                and spread.func.id in helpers):
            return None
        names |= helpers[spread.func.id]
    return frozenset(names)


def _called(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
        return f"{node.func.value.id}.{node.func.attr}"
    return ""


def _produced(node: ast.Call, helpers: dict[str, frozenset[str]]
              ) -> list[tuple[tuple[re.Pattern[str], bool], frozenset[str]]]:
    """The messages a call shows or prepares, each with the names it is given."""
    called = _called(node)
    if called == "t" and len(node.args) >= 2:
        key, names = _key_pattern(node.args[1]), _spread_names(node, helpers)
        return [] if key is None or names is None else [(key, names)]
    # A law message, or a finding of the law engine (``found.warn("key", name=...)``).
    if (called == "Message.of" or called.endswith((".warn", ".note"))) and node.args:
        key, names = _key_pattern(node.args[0]), _spread_names(node, helpers)
        return [] if key is None or names is None else [(key, names)]
    if called == "ParseError" and node.args:
        key = _key_pattern(node.args[0])
        given = node.args[1] if len(node.args) > 1 else None
        if key is None or not (given is None or isinstance(given, ast.Dict)):
            return []
        keys = given.keys if isinstance(given, ast.Dict) else []
        if not all(isinstance(k, ast.Constant) for k in keys):
            return []
        return [(key, frozenset(str(k.value) for k in keys if isinstance(k, ast.Constant)))]
    if called == "_step" and node.args and isinstance(node.args[0], ast.Attribute):
        names = _spread_names(node, helpers)
        if names is None:
            return []
        kind = node.args[0].attr.lower()  # StepKind.DEMAND_ENDED is "demand_ended"
        return [((re.compile(re.escape(f"{prefix}.{kind}")), True), names | frozenset(added))
                for prefix, added in STEP_SHOWN_WITH.items()]
    return []


@cache
def callers() -> list[Caller]:
    """Read by the first test that needs them: at module level every parallel worker would
    parse the whole source while collecting, not only the one running these tests."""
    found: list[Caller] = []
    for folder in ("flows", "bot"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            helpers = _dict_helpers(tree)
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                for (key, exact), names in _produced(node, helpers):
                    found.append(Caller(f"{path.relative_to(ROOT)}:{node.lineno}", key, exact,
                                        names))
    return found



@cache
def _callers_of(key: str) -> tuple[Caller, ...]:
    # Cached: both languages' catalogs ask for the same keys, each matched against every caller.
    matching = [c for c in callers() if c.key.fullmatch(key)]
    exact = [c for c in matching if c.exact]
    return tuple(exact or matching)


def test_the_source_scan_finds_the_callers() -> None:
    # The scan itself must see the order-served message's caller, or the test proves nothing.
    assert any(c.exact and c.key.fullmatch("fu.done.served") for c in callers())
    assert len(callers()) > 150
    # And the producers: a question, a law message, an input error, a follow-up step.
    for key in ("q.debtor_address", "law.warning.limitation_near", "error.date_day",
                "fu.step.demand_ended", "fu.title.demand_ended"):
        assert _callers_of(key), key


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
