"""`salesflow replicate`: Litestream in the foreground, with the lease renewed beside it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, tzinfo

from salesflow import dates
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.replica import lease as leases
from salesflow.replica import litestream
from salesflow.replica import state as states
from salesflow.replica.flows import NOT_HOLDER, Where, put_lease, remote_lease
from salesflow.replica.storage import Unreachable
from salesflow.replica.target import lease_seconds

STOP_WAIT_S = 30.0


def claim(where: Where, now: datetime, tz: tzinfo) -> leases.Lease:
    """Take (or renew) the lease to start replicating, refusing while another copy holds it
    or when this copy was handed over (another machine may have written since)."""
    who = leases.me(where.db)
    remote = remote_lease(where)
    held = leases.state(remote, who, now)
    if held in (leases.THEIRS_LIVE, leases.THEIRS_EXPIRED):
        raise SalesflowError(leases.refusal(remote, who, now, tz), exit_code=NOT_HOLDER)
    if remote is not None and remote.released_at:
        from salesflow.replica.guard import handed_over

        raise SalesflowError(handed_over(remote, who, tz), exit_code=NOT_HOLDER)
    mine = leases.taken(who, now, lease_seconds(where.settings), remote)
    put_lease(where, mine)
    return mine


def run(
    where: Where,
    clock: Callable[[], datetime],
    tz: tzinfo,
    stopping: Callable[[], bool],
    say: Callable[[str], None],
) -> str:
    """Replicate until `stopping()` turns true; returns the reason it ended. Raises when
    Litestream dies or another copy takes the lease."""
    mine = claim(where, clock(), tz)
    seconds = lease_seconds(where.settings)
    renew_every = max(1.0, seconds / 3)
    local = states.load(where.db).with_lease(mine)
    with litestream.configured(where.db, where.target, where.settings) as setup:
        child = litestream.start(setup)
        local = replace(local, pid=os.getpid(), socket=setup.socket)
        states.save(where.db, local)
        try:
            next_renewal = time.monotonic() + renew_every
            while not stopping():
                code = child.poll()
                if code is not None:
                    raise SalesflowError(
                        _("litestream stopped (exit {code}) — see its lines above").format(
                            code=code
                        )
                    )
                if time.monotonic() >= next_renewal:
                    next_renewal = time.monotonic() + renew_every
                    try:
                        local, mine = _renew(where, local, mine, clock(), seconds, say)
                    except _HandedOver:
                        return "handed over"
                time.sleep(0.1)
            return "stopped"
        finally:
            _stop(child)
            states.save(where.db, replace(states.load(where.db), pid=None, socket=None))


class _HandedOver(Exception):
    """`salesflow handover` released the lease while this replicate ran."""


def _renew(where, local, mine, now, seconds, say):
    who = leases.me(where.db)
    try:
        remote = remote_lease(where)
    except Unreachable as e:
        say(
            _("Warning: {message}; the lease is renewed when it answers again").format(
                message=e.message
            )
        )
        return local, mine
    if leases.state(remote, who, now) != leases.MINE:
        states.save(where.db, local.with_lease(remote))
        if remote is not None and remote.released_at and remote.holder == who:
            raise _HandedOver
        taker = leases.holder_text(remote, who) if remote else "someone"
        raise SalesflowError(
            _(
                "{taker} took over the pipeline — this copy no longer "
                "writes; salesflow takeover here to continue from the replica"
            ).format(taker=taker),
            exit_code=NOT_HOLDER,
        )
    mine = leases.taken(who, now, seconds, remote)
    try:
        put_lease(where, mine)
    except Unreachable as e:
        say(
            _("Warning: {message}; the lease is renewed when it answers again").format(
                message=e.message
            )
        )
        return local, mine
    synced = last_sync(local.socket, where.db)
    local = replace(local.with_lease(mine), synced_at=synced or local.synced_at)
    states.save(where.db, local)
    return local, mine


def last_sync(sock: str | None, db: str) -> str | None:
    if not sock:
        return None
    try:
        rows = litestream.databases(sock)
    except (OSError, ValueError):
        return None
    real = os.path.realpath(db)
    for row in rows:
        if row.get("path") == real and row.get("last_sync_at"):
            stamp = row["last_sync_at"]
            return dates.to_utc_iso(dates.from_utc_iso(stamp[:19] + "Z"))
    return None


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is not None:
        return
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(STOP_WAIT_S)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
