"""The SQLite file: where it lives, opening it safely, transactions and settings.

Plain `sqlite3` throughout: sqlite-utils is slow to import and commits on its own.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from salesflow import files
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import _
from salesflow.store import journal
from salesflow.store.migrations import LATEST, MIGRATIONS

if TYPE_CHECKING:
    from pathlib import Path

# 'SFLW': marks the file as ours, so another app's SQLite database is refused, not altered.
APPLICATION_ID = 0x53464C57
BUSY_TIMEOUT_S = 30.0


# Paths are plain strings here: importing pathlib would cost every command.


def default_path() -> str:
    from platformdirs import user_data_dir

    return os.path.join(user_data_dir("salesflow", appauthor=False), "salesflow.db")


def resolve_path(explicit: str | None) -> str:
    """`--db` beats `SALESFLOW_DB` beats the platform's user data folder."""
    chosen = explicit if explicit is not None else os.environ.get("SALESFLOW_DB")
    if chosen is None:
        return default_path()
    if not chosen.strip():
        raise SalesflowError(_("the database path is empty"), hint=Hint("db.give"))
    if chosen.endswith(("/", os.sep)):
        raise SalesflowError(
            _("{chosen} names a folder — give a database file path").format(chosen=chosen)
        )
    expanded = os.path.expanduser(chosen)
    if expanded.startswith("~"):  # ~user that does not exist
        raise SalesflowError(
            _("cannot use the database path {chosen}: no such user's home folder").format(
                chosen=chosen
            )
        )
    return expanded


def _create(path: str) -> bool:
    """Build a complete new database beside `path`, then link it into place in one step, so a
    second process starting at the same moment sees either no file or a whole one. Returns
    False when another process won the race (its file is then used)."""
    folder = os.path.dirname(path)
    tmp = files.temp_beside(path, "new")
    try:
        if folder:
            files.make_folders(folder)
        files.remove_stale(path, "new")  # a first run killed mid-build left it
        os.close(files.private_fd(tmp))
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            _migrate(conn, tmp, 0)
        finally:
            conn.close()
        try:
            files.publish(tmp, path, replace=False)
        except FileExistsError:
            return False
        return True
    except OSError as e:
        raise SalesflowError(
            _("cannot create the database at {path}: {strerror}").format(
                path=path, strerror=e.strerror
            ),
            hint=Hint("db.writable"),
        ) from None
    finally:
        for leftover in (tmp, f"{tmp}-wal", f"{tmp}-shm", f"{tmp}-journal"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)


class Connection(sqlite3.Connection):
    """A connection that knows why it may not write (None: it may)."""

    readonly: str | None = None


def connect(
    path: str | os.PathLike[str], on_created: Callable[[Any], None] | None = None
) -> Connection:
    """Open (creating on first use) and migrate the database at `path`; `on_created` is
    called with `path` as given when this call made the file. A file this user may read but
    not change is opened read-only: reads work, and a write says why it cannot."""
    given, path = path, os.fspath(path)
    if not os.path.exists(path) and os.path.islink(path):
        _bad_link(path)
    created = not os.path.exists(path) and _create(path)
    if os.path.isdir(path):
        raise SalesflowError(
            _("{path} is a folder, not a database file").format(path=path),
            hint=Hint("db.file_path"),
        )
    if not os.path.isfile(path):
        raise SalesflowError(
            _("{path} is not a regular file").format(path=path), hint=Hint("db.file")
        )
    if not os.access(path, os.R_OK):
        raise SalesflowError(
            _("cannot read {path}: permission denied ({path2})").format(
                path=path, path2=_owner_and_mode(path)
            ),
            hint=Hint("db.owner"),
        )
    if os.path.getsize(path) == 0:
        raise SalesflowError(
            _("{path} is an empty file, not a salesflow database").format(path=path),
            hint=Hint("db.empty_file"),
        )
    readonly = _readonly_reason(path)
    try:
        if readonly:
            conn = sqlite3.connect(
                files.sqlite_uri(path, **_readonly_params(path)),
                uri=True,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                factory=Connection,
            )
            conn.readonly = readonly
        else:
            conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_S, isolation_level=None, factory=Connection
            )
        conn.execute("PRAGMA foreign_keys = ON")
        app_id, version = _identity(conn)
    except sqlite3.DatabaseError as e:
        raise SalesflowError(
            _("{path} is not a salesflow database ({e})").format(path=path, e=e),
            hint=Hint("db.another"),
        ) from None
    if app_id != APPLICATION_ID:
        raise SalesflowError(
            _(
                "{path} is an SQLite database of another application — salesflow will not touch it"
            ).format(path=path),
            hint=Hint("db.another_app"),
        )
    if version > LATEST:
        raise SalesflowError(
            _(
                "{path} was written by a newer salesflow (schema {version}, "
                "this one knows {latest}) — upgrade salesflow to open it"
            ).format(path=path, version=version, latest=LATEST)
        )
    if version < LATEST:
        if readonly:
            raise SalesflowError(
                _(
                    "{path} needs upgrading to this salesflow's schema "
                    "({version} → {latest}) but {readonly} — make it writable "
                    "once, or use the salesflow that wrote it"
                ).format(path=path, version=version, latest=LATEST, readonly=readonly)
            )
        _migrate(conn, path, version)
    if created and on_created:
        on_created(given)
    return conn


def _bad_link(path: str) -> None:
    # Creating the file would replace the link, or land where the user did not look.
    try:
        os.stat(path)
    except OSError as e:
        import errno

        if e.errno == errno.ELOOP:
            raise SalesflowError(
                _("{path} is a symbolic link that leads back to itself").format(path=path),
                hint=Hint("db.real_file"),
            ) from None
    raise SalesflowError(
        _("{path} is a symbolic link to {path2}, which does not exist").format(
            path=path, path2=os.readlink(path)
        ),
        hint=Hint("db.dangling"),
    )


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of the last migration applied to this database."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _owner_and_mode(path: str) -> str:
    info = os.stat(path)
    try:
        import pwd

        owner = pwd.getpwuid(info.st_uid).pw_name
    except (ImportError, KeyError):
        owner = f"user {info.st_uid}"
    return f"owned by {owner}, mode {info.st_mode & 0o777:04o}"


def _readonly_reason(path: str) -> str | None:
    """Why this user cannot change the database, or None. In WAL mode a write needs the file,
    and its folder for the -wal/-shm files unless both already exist."""
    if not os.access(path, os.W_OK):
        return f"the file is read-only for you ({_owner_and_mode(path)})"
    folder = os.path.dirname(os.path.abspath(path))
    sides = all(os.path.exists(path + s) for s in ("-wal", "-shm"))
    if not sides and not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} is read-only for you"
    return None


def _readonly_params(path: str) -> dict[str, str]:
    # `immutable` reads without creating -wal/-shm (mode=ro would leave them behind, as
    # read-only as the file, and break later writes; in a read-only folder it cannot make
    # them at all). It is safe while no writer is attached — none is when no -wal exists and
    # nobody may write the file or create its -wal. Otherwise read through the WAL, read-only.
    if not os.path.exists(path + "-wal"):
        no_writers = not os.stat(path).st_mode & 0o222
        folder = os.path.dirname(os.path.abspath(path))
        if no_writers or not os.access(folder, os.W_OK | os.X_OK):
            return {"immutable": "1"}
    return {"mode": "ro"}


def _identity(conn: sqlite3.Connection) -> tuple[int, int]:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    return app_id, version


def backup_path(path: str | os.PathLike[str], label: str) -> Path:
    from pathlib import Path

    return Path(f"{os.fspath(path)}.{label}.bak")


def _migrate(
    conn: sqlite3.Connection,
    path: str,
    version: int,
    upto: int | None = None,
    *,
    staging: bool = False,
) -> None:
    """Bring the file up to schema `upto`. `staging`: a private copy being prepared (a restore):
    it needs no safety copy and stays in rollback-journal mode."""
    upto = LATEST if upto is None else upto
    fresh = version == 0
    if not fresh and not staging:
        # The safety copy before a schema change, through SQLite so it is consistent.
        target = os.fspath(backup_path(path, f"schema{version}"))
        try:
            copy_private(conn, target)
        except OSError as e:
            raise SalesflowError(
                _(
                    "cannot write the safety copy {target} before upgrading the "
                    "schema: {strerror} — nothing was changed"
                ).format(target=target, strerror=e.strerror)
            ) from None
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
        journal.install_triggers(conn)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {upto}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if fresh and not staging:
        conn.execute("PRAGMA journal_mode = WAL")


def migrate_staged(conn: sqlite3.Connection) -> None:
    """Bring a restore's private staging copy up to the current schema."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < LATEST:
        _migrate(conn, "", version, staging=True)


def copy_private(conn: sqlite3.Connection, target: str) -> None:
    """A consistent copy of `conn`'s database at `target` (a single file, rollback journal),
    0600 from its first byte and under a temporary name until complete; an existing
    `target` is replaced only then."""
    files.remove_stale(target, "tmp")
    temp = files.temp_beside(target, "tmp")
    try:
        os.close(files.private_fd(temp))
        dest = sqlite3.connect(temp)
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        files.publish(temp, target, replace=True)
    except BaseException:
        for leftover in (temp, f"{temp}-journal"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        raise


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


_writes = 0  # write transactions this process committed: an error after one says so


def writes_committed() -> int:
    return _writes


@contextmanager
def transaction(
    conn: sqlite3.Connection, *, write: bool = False, command: str | None = None, now_iso: str = ""
) -> Iterator[sqlite3.Connection]:
    """One command = one transaction. A write starts with BEGIN IMMEDIATE so it waits on the
    busy timeout instead of failing on lock upgrade; with `command` it is journalled for undo."""
    if (write or command) and getattr(conn, "readonly", None):
        raise SalesflowError(
            _("cannot change the database: {readonly} — nothing was changed").format(
                readonly=conn.readonly
            )
        )
    conn.execute("BEGIN IMMEDIATE" if write or command else "BEGIN")
    try:
        journal_id = journal.begin_command(conn, command, now_iso) if command else None
        yield conn
        if journal_id is not None:
            journal.end_command(conn, journal_id)
        conn.execute("COMMIT")
        if write or command:
            global _writes
            _writes += 1
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


def peek_setting(path: str, key: str) -> str | None:
    """A setting read before the command opens its database (the language its help and
    errors are in): None when there is no readable salesflow database at `path` — the
    command itself then says what is wrong. Creates, migrates and locks nothing."""
    if not os.path.isfile(path):
        return None
    try:
        if _readonly_reason(path):
            uri = files.sqlite_uri(path, **_readonly_params(path))
            conn = sqlite3.connect(uri, uri=True, timeout=1.0, isolation_level=None)
        else:
            conn = sqlite3.connect(path, timeout=1.0, isolation_level=None)
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                return None
            return get_setting(conn, key)
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return None


def all_settings(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall())
