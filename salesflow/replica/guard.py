"""The check every command passes when a replica is set: writes only on the copy that holds
the lease, reads anywhere with a note of the copy's age. It reads the local state file, and
asks the replica only when this machine's own lease has run out or nothing is known yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from salesflow import dates
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.replica import lease as leases
from salesflow.replica import state as states
from salesflow.replica.storage import Unreachable


def check(
    db: str,
    settings: Callable[[], dict[str, str]],
    *,
    write: bool,
    now: datetime,
    tz: tzinfo,
    say: Callable[[str], None],
) -> None:
    local = states.load(db)
    known, who = local.known_lease, leases.me(db)
    held = leases.state(known, who, now)
    if not write:
        if known is not None and held != leases.MINE:
            say(_age_note(local, known, who, now))
        return
    if held == leases.MINE and dates.from_utc_iso(known.expires) > now:
        return
    if held in (leases.THEIRS_LIVE, leases.THEIRS_EXPIRED):
        raise SalesflowError(leases.refusal(known, who, now, tz))
    if known is not None and known.released_at:
        raise SalesflowError(handed_over(known, who, tz))
    # This machine's lease ran out (replicate is not running), or nothing is known yet.
    from salesflow.replica import flows

    try:
        remote = flows.remote_lease(flows.Where(db, settings()))
    except Unreachable:
        say(
            _(
                "Note: the replica cannot be reached to check the lease — "
                "writing here; run salesflow replicate to send this change "
                "off-site"
            )
        )
        return
    states.save(db, local.with_lease(remote))
    held = leases.state(remote, who, now)
    if held in (leases.THEIRS_LIVE, leases.THEIRS_EXPIRED):
        raise SalesflowError(leases.refusal(remote, who, now, tz))
    if remote is not None and remote.released_at:
        raise SalesflowError(handed_over(remote, who, tz))


def handed_over(lease: leases.Lease, who: leases.Holder, tz: tzinfo) -> str:
    name = _("this machine") if lease.holder == who else leases.holder_text(lease, who)
    when = dates.from_utc_iso(lease.released_at or lease.since).astimezone(tz)
    said = _(
        "{name} handed the pipeline over at {when} — run salesflow takeover "
        "here to write on this copy"
    )
    return said.format(name=name, when=f"{when:%Y-%m-%d %H:%M}")


def _age_note(local: states.State, known: leases.Lease, who: leases.Holder, now: datetime) -> str:
    if known.released_at:
        whose = _("{name} handed the pipeline over")
    else:
        whose = _("{name} holds the pipeline")
    whose = whose.format(name=leases.holder_text(known, who))
    if local.restored_at:
        age = _age(now - dates.from_utc_iso(local.restored_at))
        said = _("Note: a read-only copy restored {age} ago; {whose} (salesflow takeover to write)")
        return said.format(age=age, whose=whose)
    said = _("Note: this copy may be behind; {whose} (salesflow takeover to write)")
    return said.format(whose=whose)


def _age(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return _("less than a minute")
    if minutes < 120:
        return _("{count} min").format(count=minutes)
    hours = minutes // 60
    if hours < 48:
        return _("{count} h").format(count=hours)
    return _("{count} days").format(count=hours // 24)
