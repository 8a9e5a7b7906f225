"""The SQLite file: where it lives, opening it safely, transactions and settings.

Plain `sqlite3` throughout: sqlite-utils costs ~65–100 ms to import and commits on its own.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from salesflow.errors import SalesflowError
from salesflow.store import journal
from salesflow.store.migrations import LATEST, MIGRATIONS

if TYPE_CHECKING:
    from pathlib import Path

# 'SFLW': marks the file as ours, so another app's SQLite database is refused, not altered.
APPLICATION_ID = 0x53464C57
BUSY_TIMEOUT_S = 30.0


# Paths are plain strings here: pathlib costs ~3 ms to import, on every command.


def default_path() -> str:
    from platformdirs import user_data_dir

    return os.path.join(user_data_dir("salesflow", appauthor=False), "salesflow.db")


def resolve_path(explicit: str | None) -> str:
    """`--db` beats `SALESFLOW_DB` beats the platform's user data folder."""
    chosen = explicit if explicit is not None else os.environ.get("SALESFLOW_DB")
    if chosen is None:
        return default_path()
    if not chosen.strip():
        raise SalesflowError("the database path is empty — give a file with --db or SALESFLOW_DB")
    if chosen.endswith(("/", os.sep)):
        raise SalesflowError(f"{chosen} names a folder — give a database file path")
    expanded = os.path.expanduser(chosen)
    if expanded.startswith("~"):  # ~user that does not exist
        raise SalesflowError(f"cannot use the database path {chosen}: no such user's home folder")
    return expanded


def _create(path: str) -> bool:
    """Build a complete new database beside `path`, then link it into place in one step, so a
    second process starting at the same moment sees either no file or a whole one. Returns
    False when another process won the race (its file is then used)."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.new")
    try:
        if folder and not os.path.exists(folder):
            try:
                os.makedirs(folder, mode=0o700)
                os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
            except FileExistsError:
                pass  # another salesflow starting at the same moment made it
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        os.chmod(tmp, 0o600)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            _migrate(conn, tmp, 0)
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: rename is still atomic
            if os.path.exists(path):
                return False
            os.replace(tmp, path)
        return True
    except OSError as e:
        raise SalesflowError(
            f"cannot create the database at {path}: {e.strerror} — "
            "pass a writable path with --db or SALESFLOW_DB"
        ) from None
    finally:
        for leftover in (tmp, f"{tmp}-wal", f"{tmp}-shm"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)


def connect(
    path: str | os.PathLike[str], on_created: Callable[[Any], None] | None = None
) -> sqlite3.Connection:
    """Open (creating on first use) and migrate the database at `path`; `on_created` is
    called with `path` as given when this call made the file."""
    given, path = path, os.fspath(path)
    created = not os.path.exists(path) and _create(path)
    if os.path.isdir(path):
        raise SalesflowError(
            f"{path} is a folder, not a database file — pass a file path with --db"
        )
    if not os.path.isfile(path):
        raise SalesflowError(f"{path} is not a regular file — pass a database file with --db")
    if os.path.getsize(path) == 0:
        raise SalesflowError(
            f"{path} is an empty file, not a salesflow database — remove it or choose another --db"
        )
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        app_id, version = _identity(conn)
    except sqlite3.DatabaseError as e:
        raise SalesflowError(
            f"{path} is not a salesflow database ({e}) — choose another file with --db"
        ) from None
    if app_id != APPLICATION_ID:
        raise SalesflowError(
            f"{path} is an SQLite database of another application — salesflow will not touch it; "
            "choose another file with --db"
        )
    if version > LATEST:
        raise SalesflowError(
            f"{path} was written by a newer salesflow (schema {version}, this one knows {LATEST}) "
            "— upgrade salesflow to open it"
        )
    if version < LATEST:
        _migrate(conn, path, version)
    if created and on_created:
        on_created(given)
    return conn


def _identity(conn: sqlite3.Connection) -> tuple[int, int]:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return app_id, version


def backup_path(path: str | os.PathLike[str], label: str) -> Path:
    from pathlib import Path

    return Path(f"{os.fspath(path)}.{label}.bak")


def _migrate(conn: sqlite3.Connection, path: str, version: int, upto: int | None = None) -> None:
    upto = LATEST if upto is None else upto
    fresh = version == 0
    if not fresh:
        # The safety copy before a schema change; a checkpoint first so the copy is whole.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target = backup_path(path, f"schema{version}")
        import shutil

        shutil.copyfile(path, target)
        os.chmod(target, 0o600)
        conn.execute("PRAGMA journal_mode = WAL")
    # A new file is built with a rollback journal and switched to WAL once whole: in WAL mode
    # its every page would sit in the -wal file as well until the checkpoint at close, which
    # needs twice the space and, on a nearly full disk, left a file missing its pages.
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-read under the write lock: another process may have migrated meanwhile.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, _name, sql in MIGRATIONS:
            if version < number <= upto:
                for statement in _statements(sql):
                    conn.execute(statement)
                if number == 1:
                    from salesflow.pipeline import install_default

                    install_default(conn)
        journal.install_triggers(conn)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {upto}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if fresh:
        conn.execute("PRAGMA journal_mode = WAL")


def _statements(script: str) -> Iterator[str]:
    # executescript() would COMMIT our transaction; split on the statement terminator instead.
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf
            buf = ""
    if buf.strip():
        yield buf


@contextmanager
def transaction(
    conn: sqlite3.Connection, *, write: bool = False, command: str | None = None, now_iso: str = ""
) -> Iterator[sqlite3.Connection]:
    """One command = one transaction. A write starts with BEGIN IMMEDIATE so it waits on the
    busy timeout instead of failing on lock upgrade; with `command` it is journalled for undo."""
    conn.execute("BEGIN IMMEDIATE" if write or command else "BEGIN")
    try:
        journal_id = journal.begin_command(conn, command, now_iso) if command else None
        yield conn
        if journal_id is not None:
            journal.end_command(conn, journal_id)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextmanager
def roomy_cache(conn: sqlite3.Connection, mib: int = 64) -> Iterator[None]:
    """A bigger page cache for one large write: 100k rows into indexed tables thrash SQLite's
    2 MB default and take twice as long. Memory is only used as pages are touched."""
    old = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{int(mib) * 1024}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(old)}")


def get_setting(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
    else:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def all_settings(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall())
