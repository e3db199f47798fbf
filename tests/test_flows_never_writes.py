"""flows/ decides and bot/ stores: nothing under flows/ may write to the disk.

Read statically with ``ast``, so a write hidden in a branch no test reaches is caught too:
``open`` (or ``.open``) with a writing mode, ``Path.write_text``/``write_bytes``/``mkdir``/
``touch``/``unlink``/``rename``/``replace``, the writing calls of ``os``, and any use of
``shutil`` or ``tempfile``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

FLOWS = Path(__file__).resolve().parent.parent / "flows"

WRITING_METHODS = {"write_text", "write_bytes", "mkdir", "touch", "unlink", "rmdir",
                   "symlink_to", "hardlink_to", "chmod", "lchmod"}
WRITING_OS = {"replace", "rename", "renames", "remove", "unlink", "rmdir", "removedirs",
              "mkdir", "makedirs", "open", "write", "pwrite", "fsync", "fdatasync", "truncate",
              "ftruncate", "link", "symlink", "chmod", "chown", "utime", "mkfifo", "mknod"}
WRITING_MODULES = {"shutil", "tempfile"}


def _writes_mode(mode: ast.expr | None) -> bool:
    """True when ``mode`` may open for writing (a mode we cannot read counts as writing)."""
    if mode is None:
        return False
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return bool(set(mode.value) & set("wax+"))
    return True


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def writes_in(source: str, filename: str = "<source>") -> list[str]:
    """Every place in ``source`` that writes to the disk, as ``file:line: what``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        what = _write(node)
        if what:
            found.append(f"{filename}:{getattr(node, 'lineno', 0)}: {what}")
    return found


def _write(node: ast.AST) -> str | None:
    if isinstance(node, ast.Import):
        names = {alias.name.split(".")[0] for alias in node.names}
        return f"imports {', '.join(sorted(names & WRITING_MODULES))}" \
            if names & WRITING_MODULES else None
    if isinstance(node, ast.ImportFrom):
        module = (node.module or "").split(".")[0]
        if module in WRITING_MODULES:
            return f"imports from {module}"
        if module == "os" and {a.name for a in node.names} & WRITING_OS:
            return "imports a writing call from os"
        return None
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Name) and func.id == "open":
        mode = node.args[1] if len(node.args) > 1 else _keyword(node, "mode")
        return "open() for writing" if _writes_mode(mode) else None
    if not isinstance(func, ast.Attribute):
        return None
    if isinstance(func.value, ast.Name) and func.value.id == "os" and func.attr in WRITING_OS:
        return f"os.{func.attr}()"
    if func.attr == "open":
        # ``path.open("w")``; a first argument that is not a string is what to open
        # (``archive.open(member)``), not a mode.
        first = node.args[0] if node.args else None
        positional = first if isinstance(first, ast.Constant) else None
        mode = positional or _keyword(node, "mode")
        return ".open() for writing" if _writes_mode(mode) else None
    if func.attr in WRITING_METHODS:
        return f".{func.attr}()"
    if func.attr in {"replace", "rename"} and len(node.args) == 1 and not node.keywords:
        # ``Path.replace(target)`` and ``Path.rename(target)``; ``str.replace`` takes two.
        return f".{func.attr}() of a file"
    return None


def test_nothing_under_flows_writes_to_the_disk() -> None:
    found = []
    for path in sorted(FLOWS.rglob("*.py")):
        found += writes_in(path.read_text(encoding="utf-8"), str(path.relative_to(FLOWS.parent)))
    assert found == []


@pytest.mark.parametrize("source", [
    "open(name, 'w')",
    "open(name, mode='ab')",
    "open(name, 'r+')",
    "open(name, chosen_mode)",
    "path.open('wb')",
    "path.open(mode='x')",
    "path.write_text('x')",
    "path.write_bytes(b'x')",
    "folder.mkdir(parents=True)",
    "path.unlink()",
    "path.touch()",
    "tmp.replace(path)",
    "tmp.rename(path)",
    "os.replace(a, b)",
    "os.rename(a, b)",
    "os.makedirs(folder)",
    "os.open(name, flags)",
    "import shutil",
    "import tempfile",
    "from shutil import copyfile",
    "from os import replace",
])
def test_the_check_sees_each_kind_of_write(source: str) -> None:
    assert writes_in(source) != []


@pytest.mark.parametrize("source", [
    "open(name)",
    "open(name, 'rb')",
    "path.open('rb')",
    "path.read_text(encoding='utf-8')",
    "archive.open(member)",
    "text.replace('a', 'b')",
    "import os",
    "os.path.join(a, b)",
])
def test_the_check_lets_reading_through(source: str) -> None:
    assert writes_in(source) == []
