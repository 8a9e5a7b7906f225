"""The lease: which copy of the pipeline may write. `lease.json` beside the replica names its
holder (host, user, database path), since when, and until when it is good unless renewed;
`replicate` renews it while it runs, `handover` releases it, `takeover` takes it."""

from __future__ import annotations

import getpass
import json
import os
import socket
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from salesflow import dates
from salesflow.errors import SalesflowError
from salesflow.i18n import _

FREE, MINE, THEIRS_LIVE, THEIRS_EXPIRED = "free", "mine", "theirs-live", "theirs-expired"


@dataclass(frozen=True)
class Holder:
    host: str
    user: str
    db: str

    def __str__(self) -> str:
        return self.host


@dataclass(frozen=True)
class Lease:
    host: str
    user: str
    db: str
    since: str
    expires: str
    released_at: str | None = None

    @property
    def holder(self) -> Holder:
        return Holder(self.host, self.user, self.db)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"


def me(db_path: str) -> Holder:
    # The database path is part of the identity: two copies on one machine are two writers.
    return Holder(socket.gethostname(), getpass.getuser(), os.path.realpath(db_path))


def from_json(text: str | bytes, where: str) -> Lease:
    try:
        data = json.loads(text)
        return Lease(
            host=str(data["host"]),
            user=str(data["user"]),
            db=str(data["db"]),
            since=str(data["since"]),
            expires=str(data["expires"]),
            released_at=data.get("released_at"),
        )
    except (ValueError, KeyError, TypeError) as e:
        raise SalesflowError(
            _(
                "{where} is not a lease salesflow wrote ({e}) — remove it, then salesflow takeover"
            ).format(where=where, e=e)
        ) from None


def state(lease: Lease | None, who: Holder, now: datetime) -> str:
    if lease is None or lease.released_at:
        return FREE
    if lease.holder == who:
        return MINE
    return THEIRS_LIVE if dates.from_utc_iso(lease.expires) > now else THEIRS_EXPIRED


def taken(who: Holder, now: datetime, seconds: int, previous: Lease | None) -> Lease:
    """A new or renewed lease for `who`: `since` is kept across renewals."""
    since = previous.since if previous and state(previous, who, now) == MINE else None
    return Lease(
        who.host,
        who.user,
        who.db,
        since or dates.to_utc_iso(now),
        dates.to_utc_iso(now + timedelta(seconds=seconds)),
    )


def released(lease: Lease, now: datetime) -> Lease:
    return replace(lease, released_at=dates.to_utc_iso(now))


def holder_text(lease: Lease, who: Holder) -> str:
    """`desk-pc`, or `this machine (/path/b.db)` when only the database path differs."""
    if lease.host == who.host and lease.user == who.user:
        return f"{lease.host} ({lease.db})"
    return lease.host if lease.user == who.user else f"{lease.user}@{lease.host}"


def refusal(lease: Lease, who: Holder, now: datetime, tz) -> str:
    """The line a write command stops with while another copy holds the pipeline."""
    name, since = holder_text(lease, who), _clock(lease.since, now, tz)
    if state(lease, who, now) == THEIRS_LIVE:
        said = _(
            "{name} holds the pipeline since {since} — run salesflow handover there, "
            "or salesflow takeover here"
        )
        return said.format(name=name, since=since)
    said = _(
        "{name} held the pipeline since {since} and its lease ran out at {expires} without a "
        "handover — run salesflow takeover --force here to continue from the replica"
    )
    return said.format(name=name, since=since, expires=_clock(lease.expires, now, tz))


def _clock(iso: str, now: datetime, tz) -> str:
    moment = dates.from_utc_iso(iso).astimezone(tz)
    if moment.date() == now.astimezone(tz).date():
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")
