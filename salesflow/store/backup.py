"""Online backups and restores through SQLite's backup API, always into 0600 files that appear
under their real name only once complete and checked."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from salesflow import files
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.store import APPLICATION_ID, migrate_staged
from salesflow.store.check import integrity_problems
from salesflow.store.migrations import LATEST

SUFFIX = ".bak"


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int


def default_target(db: Path, now: datetime) -> Path:
    """`salesflow.db.20261123T082718Z.bak`; a second backup in the same second (a `db backup`
    just before `db restore`) gets `-2`, `-3` … rather than failing for want of a name."""
    stem = f"{db.name}.{now.strftime('%Y%m%dT%H%M%SZ')}"
    target, n = db.with_name(stem + SUFFIX), 1
    while target.exists():
        n += 1
        target = db.with_name(f"{stem}-{n}{SUFFIX}")
    return target


def _discard(temp: str) -> None:
    for leftover in (temp, f"{temp}-journal", f"{temp}-wal", f"{temp}-shm"):
        with contextlib.suppress(OSError):
            os.unlink(leftover)


def backup(conn: sqlite3.Connection, target: Path) -> Backup:
    """A consistent copy of the live database, checked before it is reported good. It is
    built under a hidden temporary name and linked to `target` only when complete and sound,
    so a killed or failed backup never leaves a file that looks like one."""
    if target.exists():
        raise SalesflowError(
            _("{target} already exists — choose another backup file name").format(target=target)
        )
    files.remove_stale(target, "tmp")
    temp = files.temp_beside(target, "tmp")
    try:
        try:
            os.close(files.private_fd(temp))
        except OSError as e:
            raise SalesflowError(
                _("cannot write the backup {target}: {strerror}").format(
                    target=target, strerror=e.strerror
                )
            ) from None
        dest = sqlite3.connect(temp)
        try:
            conn.backup(dest)
            # Journal mode is copied as WAL; a backup is a single self-contained file.
            dest.execute("PRAGMA journal_mode = DELETE")
            problems = integrity_problems(dest)
        finally:
            dest.close()
        if problems:
            raise SalesflowError(
                _("the backup failed its integrity check: {problems}").format(problems=problems[0])
            )
        try:
            files.publish(temp, target, replace=False)
        except FileExistsError:
            raise SalesflowError(
                _("{target} already exists — choose another backup file name").format(target=target)
            ) from None
        except OSError as e:
            raise SalesflowError(
                _("cannot write the backup {target}: {strerror}").format(
                    target=target, strerror=e.strerror
                )
            ) from None
    finally:
        _discard(temp)
    return Backup(target, target.stat().st_size)


def check_restorable(source: Path) -> int:
    """Refuse anything that is not a sound salesflow database this version can read."""
    if not source.is_file():
        raise SalesflowError(
            _("{source} is not a file — give the backup file to restore").format(source=source)
        )
    if not os.access(source, os.R_OK):
        raise SalesflowError(
            _("cannot read {source}: permission denied — nothing was restored").format(
                source=source
            )
        )
    try:
        src = _open_readonly(source)
        try:
            app_id = src.execute("PRAGMA application_id").fetchone()[0]
            version = src.execute("PRAGMA user_version").fetchone()[0]
            problems = integrity_problems(src)
        finally:
            src.close()
    except sqlite3.DatabaseError as e:
        raise SalesflowError(
            _("{source} is not a salesflow database ({e})").format(source=source, e=e)
        ) from None
    if app_id != APPLICATION_ID:
        raise SalesflowError(
            _("{source} is not a salesflow database — nothing was restored").format(source=source)
        )
    if version > LATEST:
        raise SalesflowError(
            _(
                "{source} comes from a newer salesflow (schema {version}, "
                "this one knows {latest}) — upgrade salesflow first"
            ).format(source=source, version=version, latest=LATEST)
        )
    if problems:
        raise SalesflowError(
            _("{source} is damaged ({problems}) — nothing was restored").format(
                source=source, problems=problems[0]
            )
        )
    return version


def _open_readonly(path: Path) -> sqlite3.Connection:
    # A backup is a rollback-journal file nobody writes: immutable reads it without creating
    # side files; a file still in WAL mode (copied by hand) is read through its -wal.
    params = {"mode": "ro"} if Path(f"{path}-wal").exists() else {"immutable": "1"}
    return sqlite3.connect(files.sqlite_uri(path, **params), uri=True)


def restore(
    conn: sqlite3.Connection,
    db: Path,
    source: Path,
    saved: Path,
    *,
    mark: tuple[str, str] | None = None,
    still: Callable[[sqlite3.Connection], None] | None = None,
) -> Backup:
    """Replace the live database `db` (open as `conn`) with `source`, saving it first as
    `saved`, in one critical section: the write lock is taken before the safety copy is made
    and held until the restored pages are committed. A write committed before the restore
    began is in `saved`; a writer that comes later waits (busy timeout) and then writes into
    the restored database. `mark` (command, time) records the restore in the restored
    database's journal so `undo` can swap `saved` back; `still` re-checks, under the lock, a
    precondition the caller read before (it raises to call the restore off)."""
    staged = files.temp_beside(db, "restore")
    files.remove_stale(db, "restore")
    try:
        _stage(conn, source, staged, saved, mark)
        return _swap_in(conn, db, staged, saved, still)
    finally:
        _discard(staged)


def _stage(
    conn: sqlite3.Connection, source: Path, staged: str, saved: Path, mark: tuple[str, str] | None
) -> None:
    """A private copy of `source` made ready to land as-is: the live file's page size (a WAL
    database cannot take pages of another size), the current schema, the restore's mark."""
    from salesflow.store import journal

    os.close(files.private_fd(staged))
    out = sqlite3.connect(staged, isolation_level=None)
    try:
        src = _open_readonly(source)
        try:
            src.backup(out)
        finally:
            src.close()
        out.execute("PRAGMA journal_mode = DELETE")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        if out.execute("PRAGMA page_size").fetchone()[0] != page_size:
            out.execute(f"PRAGMA page_size = {int(page_size)}")
            out.execute("VACUUM")
        migrate_staged(out)
        if mark:
            out.execute("BEGIN IMMEDIATE")
            journal.mark_restore(out, mark[0], mark[1], str(saved))
            out.execute("COMMIT")
    finally:
        out.close()


def _swap_in(
    conn: sqlite3.Connection,
    db: Path,
    staged: str,
    saved: Path,
    still: Callable[[sqlite3.Connection], None] | None,
) -> Backup:
    made: list[Backup] = []

    def locked(status: int, remaining: int, total: int) -> None:
        # Called after each step; from the first successful one on, this connection holds
        # the write lock (SQLite keeps the destination's write transaction open until the
        # last page). The safety copy is read through a second connection, which sees the
        # last committed state — every write that made it in before the lock.
        if made or status != sqlite3.SQLITE_OK:
            return
        reader = sqlite3.connect(db, timeout=0)
        try:
            if still:
                still(reader)
            made.append(backup(reader, saved))
        finally:
            reader.close()

    src = sqlite3.connect(files.sqlite_uri(staged, mode="ro"), uri=True)
    try:
        if src.execute("PRAGMA page_count").fetchone()[0] < 2:
            raise SalesflowError(_("the backup is too small to be a salesflow database"))
        # One page per step: the first step only takes the lock, so the safety copy is made
        # before anything else happens; the rest are cheap.
        src.backup(conn, pages=1, progress=locked)
    finally:
        src.close()
    conn.execute("PRAGMA journal_mode = WAL")
    return made[0]


def latest_backup(db: Path) -> Path | None:
    found = sorted(db.parent.glob(f"{db.name}.*{SUFFIX}"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None
