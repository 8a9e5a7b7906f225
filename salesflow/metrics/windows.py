"""The window a report covers and its scope: which local days count, the instant the numbers
stand at, local calendar days in SQL, and each lead's state at that instant.

Every figure is computed as it stood at one instant, `Window.at` (the last second of the
`--as-of` day, else now; events at that instant count) over a window of local days
(`--since`/`--until`, default all time). Without `--as-of` a lead's stage is read from `leads`;
with it, from its last `stage_changes` row at or before the instant. Days are local calendar
days in the configured zone (DST included), so a deal won the day it was created has a cycle
of 0 days."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from salesflow import dates, pipeline
from salesflow.errors import Hint, SalesflowError
from salesflow.fx import Converter
from salesflow.i18n import _
from salesflow.pipeline import LOST, WON, Stage

# ---- the window ------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Which days count, and the instant `at` the numbers stand at (inclusive)."""

    since: date | None
    until: date | None
    as_of: date | None
    tz: tzinfo
    at: datetime  # aware UTC, the last instant counted: the as-of day's last second, else now
    ref_day: date  # the last local day covered: the as-of day, else today
    ended_before: date  # every local day before this one is over at `at`

    @property
    def at_iso(self) -> str:
        return dates.to_utc_iso(self.at)

    @property
    def start(self) -> str | None:
        return None if self.since is None else dates.to_utc_iso(day_start(self.since, self.tz))

    @property
    def end(self) -> str | None:
        if self.until is None:
            return None
        if self.until == date.max:  # no day after it: nothing stored is that late anyway
            return "9999-12-31T23:59:59Z"
        return dates.to_utc_iso(day_start(self.until + timedelta(days=1), self.tz))

    @property
    def params(self) -> dict[str, Any]:
        return {
            "at": self.at_iso,
            "start": self.start,
            "end": self.end,
            "since_day": self.since.isoformat() if self.since else None,
            "until_day": self.until.isoformat() if self.until else None,
            "ended_before": self.ended_before.isoformat(),
        }

    def within(self, column: str) -> str:
        """SQL: `column` (a UTC time) falls in the window; always true without bounds."""
        parts = [f"{column} >= :start"] if self.since else []
        parts += [f"{column} < :end"] if self.until else []
        return " AND ".join(parts) or "1"


def day_start(day: date, tz: tzinfo) -> datetime:
    """The UTC instant local `day` begins (a midnight inside a DST gap moves forward)."""
    try:
        return datetime.combine(day, time(0)).replace(tzinfo=tz).astimezone(UTC)
    except OverflowError:  # 0001-01-01 east of UTC begins in year 0: start at the very first
        return datetime.min.replace(tzinfo=UTC)


def window(
    now: datetime,
    tz: tzinfo,
    since: date | None = None,
    until: date | None = None,
    as_of: date | None = None,
) -> Window:
    today = dates.local_today(now, tz)
    if as_of is not None and as_of > today:
        raise SalesflowError(
            _("{as_of} is in the future — the history ends today ({today})").format(
                as_of=as_of, today=today
            ),
            hint=Hint("report.as_of_future", as_of=as_of, today=today),
        )
    if since is not None and until is not None and since > until:
        raise SalesflowError(
            _("the window starts on {since}, after it ends on {until}").format(
                since=since, until=until
            ),
            hint=Hint("report.since_until", since=since, until=until),
        )
    # A window that starts after its last day counts nothing: all zeros would read as a
    # quiet period, not as a typo in the date.
    if since is not None and as_of is None and since > today:
        raise SalesflowError(
            _("{since} is in the future — the history ends today ({today})").format(
                since=since, today=today
            ),
            hint=Hint("report.since_future", since=since, today=today),
        )
    if since is not None and as_of is not None and since > as_of:
        raise SalesflowError(
            _("the window starts on {since}, after the day it is seen from ({as_of})").format(
                since=since, as_of=as_of
            ),
            hint=Hint("report.since_as_of", since=since, as_of=as_of),
        )
    if as_of is None:
        return Window(
            since, until, None, tz, now.astimezone(UTC).replace(microsecond=0), today, today
        )
    end = as_of + timedelta(days=1)
    # Stored times have whole seconds: the day's last second stands for its end.
    last = day_start(end, tz) - timedelta(seconds=1)
    return Window(since, until, as_of, tz, last, as_of, end)


# ---- local days in SQL -----------------------------------------------------------


class LocalDays:
    """SQL turning a stored UTC time into the Julian Day Number of its local calendar day.

    SQLite only knows UTC and the process's zone, so the configured zone's UTC offsets over
    the data's time span are written into the SQL as a CASE over the transition instants.
    Integer seconds keep the result exact at local midnight (julianday() alone is a float)."""

    def __init__(self, tz: tzinfo, lo: datetime, hi: datetime) -> None:
        self.segments = _offset_segments(tz, lo, hi)

    def day(self, column: str) -> str:
        offset = self._offset(column)
        return f"((CAST(round(julianday({column}) * 86400) AS INTEGER) + 43200 + {offset}) / 86400)"

    def _offset(self, column: str) -> str:
        first = self.segments[0][1]
        if len(self.segments) == 1:
            return str(first)
        whens = " ".join(
            f"WHEN {column} < '{start}' THEN {prev}"
            for (start, __), (__, prev) in zip(self.segments[1:], self.segments, strict=False)
        )
        return f"(CASE {whens} ELSE {self.segments[-1][1]} END)"


def _offset_segments(tz: tzinfo, lo: datetime, hi: datetime) -> list[tuple[str, int]]:
    """[(UTC ISO start, offset seconds)] covering lo..hi; the first start is a placeholder."""

    def offset(epoch: int) -> int:
        moment = datetime.fromtimestamp(epoch, UTC).astimezone(tz)
        return int(moment.utcoffset().total_seconds())  # type: ignore[union-attr]

    day = 86400
    second, end = int(lo.timestamp()) - day, int(hi.timestamp()) + day
    current = offset(second)
    segments = [("", current)]
    while second < end:
        nxt = min(second + day, end)
        if offset(nxt) != current:
            a, b = second, nxt  # offset(a) == current != offset(b): find the first second of b's
            while b - a > 1:
                mid = (a + b) // 2
                a, b = (mid, b) if offset(mid) == current else (a, mid)
            current = offset(b)
            segments.append((dates.to_utc_iso(datetime.fromtimestamp(b, UTC)), current))
        second = nxt
    return segments


def jdn_to_date(jdn: int) -> date:
    return date.fromordinal(jdn - 1721425)


# Zone offsets are looked up between these years only; a stray older or later time (an import
# typo) takes the nearest known offset instead of making every report walk centuries.
_ZONE_SPAN = (datetime(1970, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def local_days(conn: sqlite3.Connection, window: Window) -> LocalDays:
    row = conn.execute(
        "SELECT (SELECT min(created_at) FROM leads), (SELECT min(happened_at) FROM activities)"
    ).fetchone()
    seen = []
    for text in filter(None, row):
        try:
            seen.append(dates.from_utc_iso(text))
        except SalesflowError:
            continue  # not a time this code wrote: the window's end still bounds the span
    lo = max(min([*seen, window.at]), _ZONE_SPAN[0])
    hi = min(max(window.at, lo), _ZONE_SPAN[1])
    return LocalDays(window.tz, min(lo, hi), hi)


# ---- the scope of one report: window, rates, stages, and each lead's state then --------

_STATE_COLUMNS = (
    "id, created_at, stage, closed_at, lost_reason, value_minor, currency, source, grade, "
    "expected_close, customer_id"
)


@dataclass
class Scope:
    """What every figure of one report shares. `source` is the table holding each lead's
    state at the instant: `leads` itself, or (with --as-of) a temporary table rebuilt from
    history."""

    conn: sqlite3.Connection
    window: Window
    converter: Converter
    stages: list[Stage]
    days: LocalDays
    source: str

    @property
    def params(self) -> dict[str, Any]:
        return self.window.params

    @property
    def scan(self) -> str:
        # Most figures read nearly every lead: a plain scan beats an index that would be
        # followed by one table lookup per row (SQLite guesses ranges are selective).
        return f"{self.source} NOT INDEXED"

    @property
    def stage(self) -> dict[str, Stage]:
        return {s.name: s for s in self.stages}

    @property
    def open_names(self) -> list[str]:
        return [s.name for s in self.stages if s.is_open]


def scope(conn: sqlite3.Connection, window: Window, converter: Converter) -> Scope:
    source = "leads"
    if window.as_of is not None:
        source = "temp.report_state"
        _rebuild_state(conn, window)
    return Scope(conn, window, converter, pipeline.stages(conn), local_days(conn, window), source)


def _rebuild_state(conn: sqlite3.Connection, window: Window) -> None:
    """temp.report_state: each lead created by the instant as it stood then, from its last
    stage change by the instant. `entered_at` is when that stage visit began, `left_at` when
    it ended (after the instant; NULL: it is still going on, the lead has not moved since)."""
    conn.execute("DROP TABLE IF EXISTS temp.report_state")
    conn.execute(
        "CREATE TEMP TABLE report_state (id INTEGER PRIMARY KEY, created_at TEXT, "
        "stage TEXT, closed_at TEXT, lost_reason TEXT, value_minor INTEGER, currency TEXT, "
        "source TEXT, grade TEXT, expected_close TEXT, customer_id INTEGER, "
        "entered_at TEXT, left_at TEXT)"
    )
    lead_columns = ", ".join(f"l.{c.strip()}" for c in _STATE_COLUMNS.split(",")[5:])
    # Leads in id order, each with one step into its history in stage_changes_history: the
    # order both are stored in, so the reads stay local.
    conn.execute(
        f"INSERT INTO temp.report_state ({_STATE_COLUMNS}, entered_at, left_at) "
        "SELECT l.id, l.created_at, c.to_stage, "
        f"CASE WHEN c.to_stage IN ('{WON}', '{LOST}') THEN c.changed_at END, "
        f"CASE WHEN c.to_stage = '{LOST}' THEN trim(c.reason) END, {lead_columns}, "
        "c.changed_at, c.left_at "
        "FROM leads l JOIN stage_changes c ON c.id = (SELECT c2.id FROM stage_changes c2 "
        "WHERE c2.lead_id = l.id AND c2.changed_at <= :at "
        "ORDER BY c2.changed_at DESC, c2.id DESC LIMIT 1) WHERE l.created_at <= :at",
        {"at": window.at_iso},
    )
