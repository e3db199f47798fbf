"""Writing a file so that a crash leaves the old version or the new one, never half of one."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

TEMP_PREFIX = ".tmp-"  # what an interrupted write leaves behind (see ``sweep_temporary``)


def _temporary(path: Path) -> Path:
    # Unique per process and thread, so two writers never share one; no random name to draw
    # (``tempfile.mkstemp`` cost more than the write itself, on every answer saved).
    return path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}.{threading.get_ident()}")


def _open_new(tmp: Path) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(tmp, flags, 0o600)
    except FileNotFoundError:  # first file of its folder
        _make_folders(tmp.parent)
        return os.open(tmp, flags, 0o600)


def _make_folders(folder: Path) -> None:
    """Create ``folder`` and the missing folders above it, durably: each new folder's entry in
    its parent is fsynced too, or a power cut could lose a new chat's first answer."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    folder.mkdir(parents=True, exist_ok=True)
    for created in reversed(missing):
        fsync_dir(created.parent)


@contextmanager
def _replacing(path: Path) -> Iterator[int]:
    """A descriptor on a temporary file beside ``path``; once filled, it is fsynced and renamed
    over ``path``, and the rename made durable. On any error ``path`` is left as it was."""
    tmp = _temporary(path)
    fd = _open_new(tmp)
    try:
        try:
            yield fd
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A binary file to fill; on success it replaces ``path`` (temp file, fsync, rename)."""
    with _replacing(path) as fd, os.fdopen(fd, "wb", closefd=False) as fh:
        yield fh
        fh.flush()


def write_atomic(path: Path, data: bytes) -> Path:
    """``data`` into ``path`` atomically and durably, straight through the system calls (no
    file object: on every saved answer its cost was not negligible)."""
    with _replacing(path) as fd:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    return path


def write_all(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Each named file into ``folder``, atomically and durably, in the order given."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_atomic(folder / name, content) for name, content in files.items()]


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` itself durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - some filesystems refuse directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep_temporary(root: Path, older_than: float, prefixes: tuple[str, ...] = (TEMP_PREFIX,),
                    folders: tuple[str, ...] = ()) -> int:
    """Remove what interrupted work left under ``root``: files whose name starts with one of
    ``prefixes`` (temporary files, never read) and every file in a folder named in
    ``folders`` or below one (say, export zips a crash kept from being sent and discarded), if
    last touched
    before ``older_than`` (epoch seconds: this process's start, so that work under way now is
    left alone); how many files were removed."""
    removed = 0
    for dirpath, _dirs, files in os.walk(root):
        whole = any(part in folders for part in Path(dirpath).relative_to(root).parts)
        for name in files:
            if not (whole or name.startswith(prefixes)):
                continue
            path = os.path.join(dirpath, name)
            try:
                if os.stat(path).st_mtime < older_than:
                    os.unlink(path)
                    removed += 1
            except FileNotFoundError:  # finished (renamed) or removed meanwhile
                pass
    return removed
