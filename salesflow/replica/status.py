"""`salesflow replica status`: is replication running, who holds the lease, how far behind the
replica is, and how much it stores."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from salesflow import dates
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.replica import lease as leases
from salesflow.replica import litestream
from salesflow.replica import state as states
from salesflow.replica.flows import Where, remote_lease
from salesflow.replica.target import redacted


def status(where: Where, now: datetime, tz: tzinfo) -> list[dict[str, Any]]:
    local = states.load(where.db)
    running = states.running(local)
    rows: list[dict[str, Any]] = [
        {"item": "replica", "value": redacted(where.target)},
        {"item": "database", "value": where.db},
        {
            "item": "replicate",
            "value": _("running (pid {pid})").format(pid=local.pid)
            if running
            else _("not running"),
        },
    ]
    try:
        rows.append({"item": "lease", "value": _lease_text(remote_lease(where), where.db, tz)})
    except SalesflowError as e:
        rows.append({"item": "lease", "value": _("unknown: {reason}").format(reason=e.message)})
    with litestream.configured(where.db, where.target, where.settings) as setup:
        files = litestream.replica_files(setup, where.db)
        local_txid = litestream.local_txid(setup, where.db)
    newest = max(files, key=lambda f: int(f["max_txid"], 16), default=None)
    shipped = int(newest["max_txid"], 16) if newest else None
    synced = _synced(local, running, where.db)
    rows += [
        {"item": "local_txid", "value": local_txid},
        {"item": "replica_txid", "value": shipped},
        {"item": "last_replicated", "value": _local(newest["timestamp"], tz) if newest else None},
        {"item": "last_sync", "value": _local(synced, tz) if synced else None},
        {"item": "lag", "value": _lag(local_txid, shipped, synced, now)},
        {"item": "replica_size_bytes", "value": sum(int(f.get("size", 0)) for f in files)},
    ]
    return rows


def _synced(local: states.State, running: bool, db: str) -> str | None:
    if running and local.socket:
        from salesflow.replica.replicating import last_sync

        return last_sync(local.socket, db) or local.synced_at
    return local.synced_at


def _lag(local_txid: int | None, shipped: int | None, synced: str | None, now: datetime) -> str:
    if shipped is None:
        return _("nothing replicated yet")
    if local_txid is None:
        return _("unknown: replicate has not run on this copy yet")
    if local_txid <= shipped:
        return _("0 (the replica has every change)")
    behind = _("{count} Litestream transaction(s) behind").format(count=local_txid - shipped)
    if synced:
        seconds = int((now - dates.from_utc_iso(synced)).total_seconds())
        behind += _(", last sync {seconds} s ago").format(seconds=seconds)
    return behind


def _lease_text(lease: leases.Lease | None, db: str, tz: tzinfo) -> str:
    if lease is None:
        return _("none taken yet")
    who = leases.me(db)
    name = _("this copy") if lease.holder == who else leases.holder_text(lease, who)
    if lease.released_at:
        return _("released by {name} at {at}").format(name=name, at=_local(lease.released_at, tz))
    since, until = _local(lease.since, tz), _local(lease.expires, tz)
    if until[:10] == since[:10]:
        until = until[11:]  # the same day: the time says it
    return _("held by {name} since {since}, until {until}").format(
        name=name, since=since, until=until
    )


def _local(iso: str, tz: tzinfo) -> str:
    stamp = iso if iso.endswith("Z") or "+" in iso else iso + "Z"
    return f"{dates.from_utc_iso(stamp).astimezone(tz):%Y-%m-%d %H:%M:%S}"
