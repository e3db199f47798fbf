"""Only the storage backends keep things: nothing else under ``bot/`` writes or removes files.

Everything the bot keeps goes through ``bot.storage``'s roles, so that PostgreSQL can take the
place of the data folder. This test reads the source with ``ast`` and fails when a module of
``bot/`` outside ``bot/storage/`` imports the atomic-write helpers (``bot.files``) or calls a
function that writes, moves or removes files, unless it is one of the few listed below with the
reason. A listed module that no longer does so fails too, so that the list stays true.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"

# module → why it may write files outside a storage backend.
ALLOWED = {
    "bot/files.py": "the atomic writes (temporary file, fsync, rename) the TinyDB backend "
                    "and the documents CLI build on",
    "bot/cli.py": "opens os.devnull to silence the flush of a closed stdout: no data path",
    "bot/cli_documents.py": "writes the documents it draws into the --out folder the user "
                            "names, not into the data folder",
    "bot/console.py": "copies the documents it shows into a scratch folder handed out by "
                      "Blobs.scratch, for the user to open",
    "bot/evidence.py": "downloads and screens files in scratch paths handed out by "
                       "Blobs.scratch, and removes them once kept or refused",
    "bot/export.py": "builds the zips in scratch paths handed out by Blobs.scratch, and "
                     "removes them once sent",
    "bot/rates.py": "writes the rate-table overrides: configuration, not storage",
    "bot/debtor_files.py": "receives the debtor's files in scratch paths handed out by "
                           "Blobs.scratch, and removes them once kept or refused",
}

PATH_METHODS = {"write_bytes", "write_text", "mkdir", "unlink", "rmdir", "touch", "rename",
                "symlink_to", "hardlink_to"}
MODULE_FUNCTIONS = {
    "os": {"open", "replace", "rename", "remove", "unlink", "mkdir", "makedirs", "rmdir",
           "removedirs"},
    "shutil": {"rmtree", "copyfile", "copy", "copy2", "copytree", "move"},
}
WRITE_MODES = set("wax+")


def _writes_by_mode(call: ast.Call, mode_position: int) -> bool:
    """``open(path, "w")`` or ``path.open("ab")``: a mode that writes (reading is fine). A
    positional argument counts as the mode only when it is a string (``desk.open(bot, …)`` is
    no file); a ``mode=`` worked out at run time counts as writing."""
    named = [keyword.value for keyword in call.keywords if keyword.arg == "mode"]
    if named:
        return not _is_text(named[0]) or _writing(named[0])
    if len(call.args) > mode_position:
        return _is_text(call.args[mode_position]) and _writing(call.args[mode_position])
    return False


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _writing(mode: ast.expr) -> bool:
    return isinstance(mode, ast.Constant) and bool(WRITE_MODES & set(str(mode.value)))


def _imports_the_file_helpers(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.module == "bot.files" or (
            node.module == "bot" and any(alias.name == "files" for alias in node.names))
    return isinstance(node, ast.Import) and any(a.name == "bot.files" for a in node.names)


def file_writes(source: str) -> list[str]:
    """What in ``source`` writes, moves or removes files, as ``line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if _imports_the_file_helpers(node):
            found.append(f"{node.lineno}: imports bot.files")
        elif isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id == "open" \
                    and _writes_by_mode(node, 1):
                found.append(f"{node.lineno}: open(…) for writing")
            elif isinstance(function, ast.Attribute):
                owner = function.value
                if isinstance(owner, ast.Name) and owner.id in MODULE_FUNCTIONS:
                    if function.attr in MODULE_FUNCTIONS[owner.id]:
                        found.append(f"{node.lineno}: {owner.id}.{function.attr}")
                elif function.attr in PATH_METHODS:
                    found.append(f"{node.lineno}: .{function.attr}(…)")
                elif function.attr == "open" and _writes_by_mode(node, 0):
                    found.append(f"{node.lineno}: .open(…) for writing")
    return found


def modules() -> dict[str, str]:
    return {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(BOT.rglob("*.py")) if "storage" not in path.relative_to(BOT).parts}


def test_nothing_outside_the_storage_backends_writes_files_but_the_listed_modules() -> None:
    unexpected = {name: writes for name, source in modules().items()
                  if name not in ALLOWED and (writes := file_writes(source))}
    assert unexpected == {}, ("keep things through bot.storage's roles (or list the module "
                              "in ALLOWED with the reason)")


def test_each_listed_module_still_writes_files() -> None:
    sources = modules()
    stale = [name for name in ALLOWED if name not in sources or not file_writes(sources[name])]
    assert stale == [], "no longer writes files: take it off ALLOWED"


def test_the_check_sees_the_ways_a_module_would_write() -> None:
    written = file_writes(
        "from bot.files import write_atomic\n"
        "import shutil, os\n"
        "shutil.rmtree(folder)\n"
        "os.replace(a, b)\n"
        "path.write_bytes(b'x')\n"
        "folder.mkdir(parents=True)\n"
        "open(path, 'a')\n"
        "path.open('wb')\n")
    assert [line.split(":")[0] for line in written] == ["1", "3", "4", "5", "6", "7", "8"]
    assert file_writes("path.read_bytes()\nopen(path)\npath.open('rb')\nlog.open()\n") == []
