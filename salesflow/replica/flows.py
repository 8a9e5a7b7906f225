"""Restore, takeover and handover: Litestream plus the lease, in the order that keeps one
writer. Progress and warnings go through the caller's `say`; nothing here prints."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from salesflow import dates, files, store
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.replica import lease as leases
from salesflow.replica import litestream, storage
from salesflow.replica import state as states
from salesflow.replica.target import Target, lease_seconds, parse
from salesflow.store.migrations import LATEST

NOT_HOLDER = 3  # replicate's exit status when another copy writes: a unit must not restart it


@dataclass(frozen=True)
class Where:
    """One database and the replica it goes to (URL from the settings or given)."""

    db: str
    settings: dict[str, str]
    url: str | None = None

    @property
    def target(self) -> Target:
        url = self.url or self.settings.get("replica.url")
        if not url:
            raise SalesflowError(
                _(
                    "no replica is set — salesflow replica set "
                    "sftp://user@host/folder (or give --from URL)"
                )
            )
        return parse(url)


def remote_lease(where: Where) -> leases.Lease | None:
    target = where.target
    data = storage.read(target, where.settings, target.lease_name)
    return None if data is None else leases.from_json(data, f"{target.lease_name}")


def put_lease(where: Where, lease: leases.Lease) -> None:
    target = where.target
    storage.write(target, where.settings, target.lease_name, lease.to_json().encode())


@dataclass(frozen=True)
class Restored:
    path: str
    saved: str | None  # the safety backup of what was there before
    as_of: str | None  # time of the replica's newest transaction restored (UTC ISO)
    leads: int


def restore(where: Where, out: str, now: datetime, timestamp: str | None = None) -> Restored:
    """Bring the replica (as of `timestamp`, else latest) into `out`, replacing what is there
    after a safety backup, then check it. `out` must not be replicating."""
    if states.running(states.load(out)):
        raise SalesflowError(
            _(
                "salesflow replicate is running for {out} — stop it (or salesflow handover) first"
            ).format(out=out)
        )
    folder, name = os.path.split(os.path.abspath(out))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.restore")
    saved = None
    try:
        with litestream.configured(out, where.target, where.settings) as setup:
            litestream.restore(setup, out, tmp, timestamp)
            ltx = litestream.replica_files(setup, out)
        os.chmod(tmp, 0o600)
        _identity(tmp)
        # Brought up to this schema and checked before it moves in (one full read: a large
        # file is checked once); what it replaces is kept as a backup.
        staged = sqlite3.connect(tmp, isolation_level=None)
        try:
            store.migrate_staged(staged)
            _checked(staged)
        finally:
            staged.close()
        if os.path.exists(out):
            saved = _set_aside(out, now)
        _replace(tmp, out)
    finally:
        for leftover in (tmp, f"{tmp}-wal", f"{tmp}-shm", f"{tmp}-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)
    conn = store.connect(out)
    try:
        conn.execute("PRAGMA journal_mode = WAL")  # what Litestream replicates
        leads = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    finally:
        conn.close()
    newest = [f["timestamp"] for f in ltx if f.get("level") == 0] or [f["timestamp"] for f in ltx]
    return Restored(out, saved, max(newest) if newest else None, leads)


def _identity(path: str) -> int:
    """The restored file is a salesflow database this version can open: its schema number."""
    try:
        conn = sqlite3.connect(files.sqlite_uri(path, mode="ro"), uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise SalesflowError(
            _("the replica did not restore to a database ({e})").format(e=e)
        ) from None
    if app_id != store.APPLICATION_ID:
        raise SalesflowError(_("the replica holds another application's database — not restored"))
    if version > LATEST:
        raise SalesflowError(
            _(
                "the replica comes from a newer salesflow (schema {version}, "
                "this one knows {latest}) — upgrade salesflow first"
            ).format(version=version, latest=LATEST)
        )
    return version


def _checked(conn: sqlite3.Connection) -> None:
    from salesflow.store.check import problems

    found = problems(conn)
    if found:
        raise SalesflowError(
            _("the restored database failed its check: {found} — nothing was replaced").format(
                found=found[0]
            )
        )


def _set_aside(out: str, now: datetime) -> str:
    from salesflow.store import backup

    conn = store.connect(out)
    try:
        return str(backup.backup(conn, backup.default_target(Path(out), now)).path)
    finally:
        conn.close()


def _replace(new: str, out: str) -> None:
    # The old WAL would be replayed onto the new file, and Litestream's local state
    # (.NAME-litestream) describes the old one: both go before the new file moves in.
    for side in (f"{out}-wal", f"{out}-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(side)
    folder, name = os.path.split(out)
    shutil.rmtree(os.path.join(folder, f".{name}-litestream"), ignore_errors=True)
    os.replace(new, out)


@dataclass(frozen=True)
class TakenOver:
    restored: Restored
    previous: leases.Lease | None
    forced: bool


def takeover(where: Where, now: datetime, tz: tzinfo, force: bool) -> TakenOver | None:
    """Take the lease and continue from the replica's latest state; None when this copy
    already holds it."""
    who = leases.me(where.db)
    remote = remote_lease(where)
    held = leases.state(remote, who, now)
    if held == leases.MINE and states.load(where.db).known_lease == remote:
        return None
    if held in (leases.THEIRS_LIVE, leases.THEIRS_EXPIRED) and not force:
        name = leases.holder_text(remote, who)
        if held == leases.THEIRS_LIVE:
            raise SalesflowError(
                _(
                    "{name} holds the pipeline (lease renewed until {expires}) — "
                    "run salesflow handover there first, or salesflow takeover "
                    "--force if {name} is gone"
                ).format(name=name, expires=_clock(remote.expires, tz))
            )
        raise SalesflowError(
            _(
                "{name}'s lease ran out at {expires} without a handover — "
                "salesflow takeover --force continues from the replica "
                "(changes it made after its last sync are lost)"
            ).format(name=name, expires=_clock(remote.expires, tz))
        )
    # The lease first: a replicate still running on the old holder sees it and stops.
    mine = leases.taken(who, now, lease_seconds(where.settings), None)
    put_lease(where, mine)
    restored = restore(where, where.db, now)
    states.save(where.db, states.State(restored_at=dates.to_utc_iso(now)).with_lease(mine))
    return TakenOver(restored, remote, held in (leases.THEIRS_LIVE, leases.THEIRS_EXPIRED))


@dataclass(frozen=True)
class HandedOver:
    stopped_pid: int | None
    txid: int | None
    as_of: str | None


def handover(where: Where, now: datetime, tz: tzinfo) -> HandedOver:
    """Stop this machine's replicate, ship the last changes, release the lease."""
    who = leases.me(where.db)
    remote = remote_lease(where)
    held = leases.state(remote, who, now)
    if held in (leases.THEIRS_LIVE, leases.THEIRS_EXPIRED):
        raise SalesflowError(
            _("{remote} holds the pipeline, not this copy — nothing to hand over here").format(
                remote=leases.holder_text(remote, who)
            )
        )
    if remote is not None and remote.released_at:
        raise SalesflowError(
            _(
                "the pipeline was already handed over at {released_at} — "
                "salesflow takeover on the machine that is to write"
            ).format(released_at=_clock(remote.released_at, tz))
        )
    local = states.load(where.db)
    stopped = _stop(where.db, local.pid) if states.running(local) else None
    with litestream.configured(where.db, where.target, where.settings) as setup:
        litestream.sync_once(setup)
        local_txid = litestream.local_txid(setup, where.db)
        files = litestream.replica_files(setup, where.db)
    shipped = max((int(f["max_txid"], 16) for f in files), default=None)
    if local_txid is not None and shipped is not None and local_txid > shipped:
        raise SalesflowError(
            _(
                "the replica has transaction {shipped:x} but this copy is at "
                "{local_txid:x} — the lease is kept; check the replica and "
                "run salesflow handover again"
            ).format(shipped=shipped, local_txid=local_txid)
        )
    base = remote or leases.taken(who, now, lease_seconds(where.settings), None)
    gone = leases.released(base, now)
    put_lease(where, gone)
    states.save(where.db, states.State(restored_at=local.restored_at).with_lease(gone))
    newest = max((f["timestamp"] for f in files), default=None)
    return HandedOver(stopped, shipped, newest)


def _stop(db: str, pid: int | None, wait_s: float = 30.0) -> int | None:
    """SIGTERM to this database's replicate; done once it has cleared its pid on the way out
    (or is gone)."""
    if not pid:
        return None
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if states.load(db).pid != pid:
            return pid
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        time.sleep(0.05)
    raise SalesflowError(
        _("salesflow replicate (pid {pid}) did not stop — stop it, then retry").format(pid=pid)
    )


def _clock(iso: str, tz: tzinfo) -> str:
    return f"{dates.from_utc_iso(iso).astimezone(tz):%Y-%m-%d %H:%M}"
