"""Reading a small text file that a user named: a sketch, a wildcard file, a model's config.json.

A named path may be a folder, a FIFO that never ends, /dev/zero, a symlink loop or a
2 GB file. Only a regular file is read, and at most `max_bytes` + 1 bytes of it (the
extra byte tells "too large" from "just fits"), so none of those can block or fill memory.
"""
from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

from .errors import GendslError


def read_text(path: str | Path, what: str, max_bytes: int) -> str:
    """The UTF-8 text of a regular file of at most max_bytes, or a GendslError saying why not."""
    data = read_bytes(path, what, max_bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise GendslError(f"the {what} {path} is not UTF-8 text (byte {error.start})") from None


def read_bytes(path: str | Path, what: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most max_bytes, or a GendslError saying why not."""
    name = str(path)
    if not name:
        raise GendslError(f"the {what} path is empty")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise GendslError(f"no {what} at {name}") from None
    except OSError as error:
        raise GendslError(f"cannot read the {what} {name}: {_reason(error)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise GendslError(f"the {what} {name} is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise GendslError(f"the {what} {name} is not a regular file")
        data = os.read(fd, max_bytes + 1)
        while len(data) <= max_bytes:  # os.read may return less than asked
            more = os.read(fd, max_bytes + 1 - len(data))
            if not more:
                break
            data += more
    except OSError as error:
        raise GendslError(f"cannot read the {what} {name}: {_reason(error)}") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise GendslError(f"the {what} {name} is larger than {max_bytes:,} bytes")
    return data


def json_object(text: str, what: str) -> dict:
    """A JSON object from untrusted text; `what` names it in the error ("x.json", "x.png's metadata")."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:  # RecursionError: [[[[… thousands deep
        raise GendslError(f"{what} is damaged: {error}") from None
    if not isinstance(value, dict):
        raise GendslError(f"{what} is damaged: it holds a {type(value).__name__}, not an object")
    return value


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a loop of symbolic links"
    return error.strerror or str(error)
