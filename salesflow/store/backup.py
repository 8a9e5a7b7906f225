"""Online backups and restores through SQLite's backup API, always into 0600 files."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from salesflow.errors import SalesflowError
from salesflow.store import APPLICATION_ID
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


def _private_file(path: Path) -> None:
    # The backup API and VACUUM INTO create 0644 files; make the file 0600 before SQLite opens it.
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise SalesflowError(f"{path} already exists — choose another backup file name") from None
    except OSError as e:
        raise SalesflowError(f"cannot write the backup {path}: {e.strerror}") from None
    os.close(fd)
    os.chmod(path, 0o600)


def backup(conn: sqlite3.Connection, target: Path) -> Backup:
    """A consistent copy of the live database, checked before it is reported good."""
    _private_file(target)
    try:
        dest = sqlite3.connect(target)
        try:
            conn.backup(dest)
            # Journal mode is copied as WAL; a backup is a single self-contained file.
            dest.execute("PRAGMA journal_mode = DELETE")
            problems = integrity_problems(dest)
        finally:
            dest.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if problems:
        target.unlink(missing_ok=True)
        raise SalesflowError(f"the backup failed its integrity check: {problems[0]}")
    return Backup(target, target.stat().st_size)


def check_restorable(source: Path) -> int:
    """Refuse anything that is not a sound salesflow database this version can read."""
    if not source.is_file():
        raise SalesflowError(f"{source} is not a file — give the backup file to restore")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            app_id = src.execute("PRAGMA application_id").fetchone()[0]
            version = src.execute("PRAGMA user_version").fetchone()[0]
            problems = integrity_problems(src)
        finally:
            src.close()
    except sqlite3.DatabaseError as e:
        raise SalesflowError(f"{source} is not a salesflow database ({e})") from None
    if app_id != APPLICATION_ID:
        raise SalesflowError(f"{source} is not a salesflow database — nothing was restored")
    if version > LATEST:
        raise SalesflowError(
            f"{source} comes from a newer salesflow (schema {version}, this one knows {LATEST}) "
            "— upgrade salesflow first"
        )
    if problems:
        raise SalesflowError(f"{source} is damaged ({problems[0]}) — nothing was restored")
    return version


def restore(conn: sqlite3.Connection, source: Path) -> None:
    """Copy `source` over the live database page by page, under SQLite's own locking."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        src.backup(conn)
    finally:
        src.close()
    conn.execute("PRAGMA journal_mode = WAL")


def latest_backup(db: Path) -> Path | None:
    found = sorted(db.parent.glob(f"{db.name}.*{SUFFIX}"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None
