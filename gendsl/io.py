"""Atomic file writes: a temp file beside the target, then a rename.

A run killed at any moment leaves either the old file or the new one, never
half of one (os.replace is atomic within one filesystem). A kill -9 can still
leave the hidden temp file itself: its name holds the writer's process id, and
the first write into a folder removes those whose process is gone. A write that
fails (a full disk, a folder where the file should go) removes its temp file
and says why as a GendslError.
"""
from __future__ import annotations

import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from .lang.errors import GendslError

TEMP_PREFIX = ".gendsl-tmp-"  # .gendsl-tmp-<pid>-<name>.<random><suffix>
_cleaned: set[Path] = set()
_cleaned_lock = threading.Lock()


@contextmanager
def atomic_path(path: str | Path, suffix: str = ".tmp"):
    """Yields a temporary path to write; on success it replaces `path`, on failure it vanishes.

    `suffix` is for writers that insist on a file extension (Keras wants '.weights.h5').
    """
    path = Path(path)
    if path.is_dir():
        raise GendslError(f"cannot write {path}: a folder has that name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temp(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-{path.name[:100]}.", suffix=suffix,
                                   dir=path.parent)
        os.close(fd)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; finished files are as readable as any other
    except OSError as error:
        raise GendslError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise GendslError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clean_stale_temp(folder: Path) -> None:
    """Remove temp files in `folder` left by gendsl processes that were killed (once per folder per process)."""
    folder = Path(folder)
    with _cleaned_lock:
        if folder in _cleaned:
            return
        _cleaned.add(folder)
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(TEMP_PREFIX)]
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(TEMP_PREFIX):].partition("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            try:
                os.unlink(entry.path)
            except OSError:
                pass  # another run cleaned it first, or it is not ours to remove


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process: leave its files alone
    return True


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))
