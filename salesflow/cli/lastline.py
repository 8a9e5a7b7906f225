"""The last command line run on a database, kept in a small file beside it (`<db>.last`), so
`undo` can tell whether the command it would take back is the one the user just ran — or
whether a failed or read-only command came after it (the `lead rm 4` that needed --yes)."""

from __future__ import annotations

import contextlib
import os


def _path(db_file: str) -> str:
    return f"{db_file}.last"


def swap(db_file: str, line: str) -> str | None:
    """Record `line` as the newest command line; returns the one before it (None: unknown).
    Best effort: a folder salesflow may not write to just keeps no record."""
    previous = read(db_file)
    with contextlib.suppress(OSError):
        fd = os.open(_path(db_file), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(line)
    return previous


def read(db_file: str) -> str | None:
    try:
        with open(_path(db_file), encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None
