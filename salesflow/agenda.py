"""What needs doing: overdue and today's follow-ups, unplanned leads, stale deals and missed
first touches. `salesflow today` shows these; the daily digest reuses the same functions.

Each function is one SQL query with a LIMIT and a window count, so the agenda costs the same
on a pipeline of ten leads or ten thousand: only the rows shown are loaded.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from salesflow import config, dates
from salesflow.followups import OPEN_INDEX, Followup, passed_times

SECTIONS = ("overdue", "today", "unplanned", "stale", "first_touch")
_PERIOD = {
    "min": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}
_LEAD = "l.id, l.name, l.company, l.stage"
_OPEN_LEADS = "FROM leads l JOIN stages s ON s.name = l.stage AND s.kind = 'open'"


@dataclass(frozen=True)
class Item:
    """One agenda line: a follow-up (overdue, today) or a lead (unplanned, stale, first_touch)."""

    section: str
    lead_id: int
    lead: str
    company: str | None
    stage: str
    followup_id: int | None = None
    action: str | None = None
    due_date: str | None = None  # local date of a follow-up
    due_time: str | None = None
    since: str | None = None  # UTC: last touch (unplanned, stale) or creation (first_touch)
    days: int | None = None  # days late (overdue), idle days (stale), days waiting …
    hours: int | None = None  # whole hours since `since`

    def record(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Section:
    name: str
    items: list[Item]
    total: int  # all matching, even beyond the limit


def agenda(
    conn: sqlite3.Connection, now: datetime, tz: tzinfo, *, limit: int | None = None
) -> list[Section]:
    """Every section in the order `today` shows them."""
    return [
        overdue(conn, now, tz, limit=limit),
        due_today(conn, now, tz, limit=limit),
        unplanned(conn, now, limit=limit),
        stale(conn, now, limit=limit),
        first_touch_missed(conn, now, first_touch_limit(conn), limit=limit),
    ]


def overdue(
    conn: sqlite3.Connection, now: datetime, tz: tzinfo, *, limit: int | None = None
) -> Section:
    """Open follow-ups past due, the oldest first. Anything due before today (local) is
    overdue by date alone; today's timed ones are checked with dates.is_overdue."""
    today = dates.local_today(now, tz)
    day = today.isoformat()
    passed = passed_times(conn, now, tz, today)
    total = conn.execute(
        f"SELECT count(*) FROM followups f WHERE {_OPEN} AND f.due_date < ?", (day,)
    ).fetchone()[0]
    rows = _followups(conn, "f.due_date < ?", (day,), limit)
    if passed:  # today's that have passed come after every earlier day's
        if limit is None or len(rows) < limit:
            more = None if limit is None else limit - len(rows)
            rows += _followups(conn, f"f.due_date = ? AND f.due_time IN ({_marks(passed)})",
                               (day, *passed), more)  # fmt: skip
        total += _count_today(conn, day, f"f.due_time IN ({_marks(passed)})", passed)
    return Section("overdue", [_followup_item("overdue", f, today) for f in rows], total)


def due_today(
    conn: sqlite3.Connection, now: datetime, tz: tzinfo, *, limit: int | None = None
) -> Section:
    """Open follow-ups due today (local) and not yet past their time."""
    today = dates.local_today(now, tz)
    day = today.isoformat()
    passed = passed_times(conn, now, tz, today)
    # (An empty IN () list leaves SQLite no plan under INDEXED BY: no passed times, no filter.)
    still = f"(f.due_time IS NULL OR f.due_time NOT IN ({_marks(passed)}))" if passed else "1"
    rows = _followups(conn, f"f.due_date = ? AND {still}", (day, *passed), limit)
    total = _count_today(conn, day, still, passed)
    return Section("today", [_followup_item("today", f, today) for f in rows], total)


def unplanned(conn: sqlite3.Connection, now: datetime, *, limit: int | None = None) -> Section:
    """Open deals with no open follow-up: nobody has decided the next step. Latest stages
    first (closest to money), then by number."""
    # The partial index of open follow-ups is a tenth the size of followups_lead: each of
    # the open deals' probes is cheaper (the planner picks the covering one otherwise).
    no_step = (
        "NOT EXISTS (SELECT 1 FROM followups f INDEXED BY followups_open_lead "
        "WHERE f.lead_id = l.id AND f.done_at IS NULL)"
    )
    total = conn.execute(
        "SELECT count(*) FROM stages s JOIN leads l ON l.stage = s.name "
        f"WHERE s.kind = 'open' AND {no_step}"
    ).fetchone()[0]
    rows: list[tuple] = []
    # Stage by stage, latest first: within a stage leads_stage is in id order, so each query
    # stops at the rows still wanted instead of sorting every unplanned deal. (Stages that
    # share a position are read together, in id order, as one ORDER BY would.)
    by_position: dict[int, list[str]] = {}
    for name, position in conn.execute(
        "SELECT name, position FROM stages WHERE kind = 'open' ORDER BY position DESC"
    ):
        by_position.setdefault(position, []).append(name)
    for names in by_position.values():
        if limit is not None and len(rows) >= limit:
            break
        rows += conn.execute(
            f"SELECT {_LEAD}, l.touched_at, ? FROM leads l INDEXED BY leads_stage "
            f"WHERE {'l.stage = ?' if len(names) == 1 else f'l.stage IN ({_marks(tuple(names))})'} "
            f"AND {no_step} ORDER BY l.id "
            f"{_limit(None if limit is None else limit - len(rows))}",
            (total, *names),
        ).fetchall()
    return _lead_section("unplanned", rows, now)


def stale(conn: sqlite3.Connection, now: datetime, *, limit: int | None = None) -> Section:
    """Open deals idle longer than their stage's limit (`stages.stale_days`), longest idle
    first. Idle since = the latest logged touch or stage move (creation counts as a move; a
    pipeline remap by `stages set --map` does not: nobody touched the deal) — stored on the
    lead as `idle_since` (touches.py), so each stage is one range of the leads_idle index."""
    where = (
        "FROM stages s JOIN leads l INDEXED BY leads_idle ON l.stage = s.name "
        "WHERE s.kind = 'open' "
        "AND l.idle_since < strftime('%Y-%m-%dT%H:%M:%SZ', :now, '-' || s.stale_days || ' days')"
    )
    params = {"now": dates.to_utc_iso(now)}
    total = conn.execute(f"SELECT count(*) {where}", params).fetchone()[0]
    # The longest idle ids from the index alone, then only those leads' rows.
    rows = conn.execute(
        f"WITH idle AS (SELECT l.id, l.idle_since {where} ORDER BY l.idle_since, l.id "
        f"{_limit(limit)}) SELECT {_LEAD}, idle.idle_since, :total FROM idle "
        "JOIN leads l ON l.id = idle.id ORDER BY idle.idle_since, idle.id",
        {**params, "total": total},
    ).fetchall()
    return _lead_section("stale", rows, now)


def first_touch_missed(
    conn: sqlite3.Connection, now: datetime, within: timedelta, *, limit: int | None = None
) -> Section:
    """Open leads created longer than `within` ago that still have no logged activity, the
    longest waiting first. (A late first touch stops the flag; reports measure the delay.)"""
    deadline = dates.to_utc_iso(now - within)
    rows = conn.execute(
        f"SELECT {_LEAD}, l.created_at, count(*) OVER () {_OPEN_LEADS} "
        "WHERE l.touched_at IS NULL AND l.created_at < ? "
        f"ORDER BY l.created_at, l.id {_limit(limit)}",
        (deadline,),
    ).fetchall()
    return _lead_section("first_touch", rows, now)


def first_touch_limit(conn: sqlite3.Connection) -> timedelta:
    """The `first_touch` setting (config.py checked it) as a time span."""
    from salesflow.dates import parse_period

    n, unit = parse_period(config.first_touch(conn))
    return n * _PERIOD[unit]


# ---- internals -------------------------------------------------------------------

_FOLLOWUP = (
    "f.id, f.lead_id, f.customer_id, f.action, f.due_date, f.due_time, f.created_at, "
    "f.done_at, f.recur, l.name, l.company, l.stage"
)
_FOLLOWUPS = "FROM followups f JOIN leads l ON l.id = f.lead_id"
_FOLLOWUP_ORDER = "f.due_date, f.due_time IS NULL, f.due_time, f.id"


def _limit(limit: int | None) -> str:
    return "" if limit is None else f"LIMIT {int(limit)}"


_OPEN = "f.done_at IS NULL"


def _marks(values: tuple[str, ...]) -> str:
    return ", ".join("?" * len(values))


def _followups(
    conn: sqlite3.Connection, where: str, params: tuple, limit: int | None
) -> list[Followup]:
    rows = conn.execute(
        f"SELECT {_FOLLOWUP} {_FOLLOWUPS} WHERE {_OPEN} AND {where} "
        f"ORDER BY {_FOLLOWUP_ORDER} {_limit(limit)}",
        params,
    )
    return [Followup(*r) for r in rows]


def _count_today(conn: sqlite3.Connection, day: str, where: str, params: tuple) -> int:
    return conn.execute(
        f"SELECT count(*) FROM followups f {OPEN_INDEX} WHERE {_OPEN} AND f.due_date = ? "
        f"AND {where}",
        (day, *params),
    ).fetchone()[0]


def _followup_item(section: str, f: Followup, today: Any) -> Item:
    return Item(
        section=section,
        lead_id=f.lead_id,
        lead=f.lead_name,
        company=f.company,
        stage=f.stage,
        followup_id=f.id,
        action=f.action,
        due_date=f.due_date,
        due_time=f.due_time,
        days=(today - f.due.day).days,
    )


def _lead_section(name: str, rows: list[tuple], now: datetime) -> Section:
    items = []
    for lead_id, lead, company, stage, since, _total in rows:
        waited = now - dates.from_utc_iso(since) if since else None
        items.append(
            Item(
                section=name,
                lead_id=lead_id,
                lead=lead,
                company=company,
                stage=stage,
                since=since,
                days=waited.days if waited is not None else None,
                hours=int(waited.total_seconds() // 3600) if waited is not None else None,
            )
        )
    return Section(name, items, rows[0][-1] if rows else 0)
