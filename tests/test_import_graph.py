"""The modules of ``flows/`` and ``bot/`` import one another without a cycle, and at the top.

A cycle means two modules each need the other: one of them is missing a module above both. A
function-level import hides such a cycle from Python without removing it, so none is allowed,
except a dependency deliberately loaded late, marked on its line with ``# deferred:`` and why.
The graph is read from the source with ``ast``: nothing is imported to build it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFERRED_MARK = "# deferred:"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(package: str) -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / package).rglob("*.py"))}


def _absolute(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


@dataclass(frozen=True)
class Found:
    # Every module this one imports, wherever the import stands: one made late or only for
    # the type checker still means this module needs that one.
    edges: frozenset[str]
    nested: tuple[str, ...]  # "path:line" of imports inside a function or class, unmarked


def read_module(name: str, path: Path, known: set[str]) -> Found:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    top_level: set[int] = set()

    def collect_top(body: list[ast.stmt]) -> None:
        for statement in body:
            if isinstance(statement, ast.Import | ast.ImportFrom):
                top_level.add(id(statement))
            elif isinstance(statement, ast.If) and _type_checking_only(statement):
                continue
            elif isinstance(statement, ast.If | ast.Try):
                collect_top(statement.body)
                collect_top(getattr(statement, "orelse", []))
                for handler in getattr(statement, "handlers", []):
                    collect_top(handler.body)

    collect_top(tree.body)
    type_checking = {id(n) for s in tree.body if isinstance(s, ast.If) and _type_checking_only(s)
                     for n in ast.walk(s)}
    edges: set[str] = set()
    nested: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        late = id(node) not in top_level and id(node) not in type_checking
        if late and DEFERRED_MARK not in lines[node.lineno - 1]:
            nested.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = _absolute(node, name, path.name == "__init__.py")
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        edges.update(target for target in targets if target in known and target != name)
    return Found(frozenset(edges), tuple(nested))


def graph_of(packages: tuple[str, ...]) -> dict[str, Found]:
    paths: dict[str, Path] = {}
    for package in packages:
        paths.update(modules_of(package))
    known = set(paths)
    return {name: read_module(name, path, known) for name, path in paths.items()}


def find_cycle(graph: dict[str, frozenset[str]], within: str) -> list[str] | None:
    """One cycle through modules of ``within`` (a package), as the list of its modules."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(name: str) -> list[str] | None:
        path.append(name)
        on_path.add(name)
        for target in sorted(graph.get(name, ())):
            if not target.startswith(within):
                continue
            if target in on_path:
                return [*path[path.index(target):], target]
            if target not in done:
                found = visit(target)
                if found:
                    return found
        path.pop()
        on_path.discard(name)
        done.add(name)
        return None

    for start in sorted(graph):
        if start.startswith(within) and start not in done:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


@cache
def project_graph() -> dict[str, Found]:
    """The graph of ``flows`` and ``bot``, read by the first test that needs it: at module
    level every parallel worker would read it while collecting, not only the one running
    these tests."""
    return graph_of(("flows", "bot"))


def edges() -> dict[str, frozenset[str]]:
    return {name: found.edges for name, found in project_graph().items()}


def test_the_graph_is_read_from_the_real_modules() -> None:
    # A broken reader would find no edge, hence no cycle: check it sees known imports.
    graph = edges()
    assert "flows.model" in graph["flows.followup.actions"]
    assert "flows.money" in graph["flows.model"]
    assert "bot.service" in graph["bot.telegram_app"]


def test_find_cycle_reports_a_cycle() -> None:
    graph = {"p.a": frozenset({"p.b"}), "p.b": frozenset({"p.c"}), "p.c": frozenset({"p.a"})}
    assert find_cycle(graph, "p.") == ["p.a", "p.b", "p.c", "p.a"]
    assert find_cycle({"p.a": frozenset({"p.b"}), "p.b": frozenset()}, "p.") is None


PACKAGES = ["flows", "bot"]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle(package: str) -> None:
    cycle = find_cycle(edges(), f"{package}.")
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


# The code around the product (its tests, what they share, the benchmarks and the scripts) is
# held to the same rule.
AROUND = ("testing", "benchmarks", "scripts", "tests")


@cache
def everywhere() -> dict[str, Found]:
    return graph_of((*PACKAGES, *AROUND))


@pytest.mark.parametrize("package", [*PACKAGES, *AROUND])
def test_no_import_inside_a_function(package: str) -> None:
    nested = [where for name, found in everywhere().items() if name.split(".")[0] == package
              for where in found.nested]
    assert nested == [], f"imports inside functions (mark a deliberate one {DEFERRED_MARK!r})"


def test_only_the_tests_import_from_tests() -> None:
    # What benchmarks and scripts share with the tests lives in testing/: a benchmark that
    # imports a test module drags pytest and its fixtures along, and breaks when a test moves.
    graph = everywhere()
    outside = {name: sorted(target for target in found.edges if target.split(".")[0] == "tests")
               for name, found in graph.items() if name.split(".")[0] != "tests"}
    assert {name: targets for name, targets in outside.items() if targets} == {}
    assert "tests.conftest" in graph["tests.test_rates"].edges  # the reader sees them
