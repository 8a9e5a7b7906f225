"""The last command line run on a database, so `undo` can tell whether the command it would
take back is the one the user just ran — or whether a failed or read-only command came after
it (the `lead rm 4` that needed --yes); and the day its last digest ran. Kept outside the
database (a read-only command must not write to it) and outside its folder: in the user's
state folder (`$XDG_STATE_HOME/salesflow/last/<hash of the database path>`, `…/digest/…`),
best effort."""

from __future__ import annotations

import contextlib
import hashlib
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date


def _path(db_file: str, folder: str = "last") -> str:
    from platformdirs import user_state_dir

    key = hashlib.sha256(os.path.realpath(db_file).encode("utf-8", "surrogateescape"))
    return os.path.join(user_state_dir("salesflow", appauthor=False), folder, key.hexdigest()[:24])


def swap(db_file: str, line: str) -> str | None:
    """Record `line` as the newest command line; returns the one before it (None: unknown).
    A state folder salesflow cannot write to just keeps no record."""
    path = _path(db_file)
    previous = read(path)
    _write(path, line)
    return previous


def _write(path: str, text: str) -> None:
    with contextlib.suppress(OSError):
        _private_folders(os.path.dirname(path))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)


def _private_folders(folder: str) -> None:
    """Make `folder` and any missing parents 0700 (folders that exist keep their mode)."""
    if os.path.isdir(folder):
        return
    _private_folders(os.path.dirname(folder))
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, 0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask


def read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


# The digest's window starts at the last digest when digests were missed (a holiday, a
# machine that was off): kept beside the last command line, for the same reason — `digest`
# only reads the database.


def last_digest(db_file: str) -> tuple[date, date | None] | None:
    """The local day the last digest of this database ran, and the day of the digest before
    that day's (None: none known)."""
    from datetime import date

    text = read(_path(db_file, "digest")) or ""
    try:
        ran, before = text.split()
        return date.fromisoformat(ran), None if before == "-" else date.fromisoformat(before)
    except ValueError:
        return None


def digest_ran(db_file: str, today: date) -> None:
    """Remember a digest run today (keeping, for a second run today, the day of the one
    before today's first)."""
    last = last_digest(db_file)
    before = (last[1] if last[0] == today else last[0]) if last else None
    _write(_path(db_file, "digest"), f"{today.isoformat()} {before or '-'}")
