"""The last command line run on a database, so `undo` can tell whether the command it would
take back is the one the user just ran — or whether a failed or read-only command came after
it (the `lead rm 4` that needed --yes). Kept outside the database (a read-only command must
not write to it) and outside its folder: in the user's state folder
(`$XDG_STATE_HOME/salesflow/last/<hash of the database path>`), best effort."""

from __future__ import annotations

import contextlib
import hashlib
import os


def _path(db_file: str) -> str:
    from platformdirs import user_state_dir

    key = hashlib.sha256(os.path.realpath(db_file).encode("utf-8", "surrogateescape"))
    return os.path.join(user_state_dir("salesflow", appauthor=False), "last", key.hexdigest()[:24])


def swap(db_file: str, line: str) -> str | None:
    """Record `line` as the newest command line; returns the one before it (None: unknown).
    A state folder salesflow cannot write to just keeps no record."""
    path = _path(db_file)
    previous = read(path)
    with contextlib.suppress(OSError):
        _private_folders(os.path.dirname(path))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(line)
    return previous


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
