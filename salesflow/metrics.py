"""The numbers behind `salesflow report`, computed from the stored history as SQL aggregates.

Every figure is computed as it stood at one instant `t` (the last second of the `--as-of`
day, else now; events at `t` count) over a window of local days (`--since`/`--until`, default
all time). Without `--as-of` a lead's stage is read from `leads`; with it, from its last
`stage_changes` row at or before `t`.
The definitions are stated in salesflow/definitions.py (shown by `salesflow report --help`);
tests/test_metrics.py pins each one against values worked out by hand.

Queries return per-(stage, currency) or per-day aggregates, never every row: at 100k leads the
work stays inside SQLite. Days are local calendar days in the configured zone (DST included),
so a deal won the day it was created has a cycle of 0 days.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from salesflow import dates, pipeline
from salesflow.errors import SalesflowError
from salesflow.fx import Converter
from salesflow.pipeline import LOST, WON, Stage

# Sorting a materialized median input once is much cheaper than computing it three times.
_MATERIALIZED = "MATERIALIZED" if sqlite3.sqlite_version_info >= (3, 35, 0) else ""


# ---- the window ------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Which days count, and the instant `t` the numbers stand at (inclusive)."""

    since: date | None
    until: date | None
    as_of: date | None
    tz: tzinfo
    at: datetime  # aware UTC, the last instant counted: the as-of day's last second, else now
    ref_day: date  # the last local day covered: the as-of day, else today
    ended_before: date  # every local day before this one is over at `at`

    @property
    def t(self) -> str:
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
            "t": self.t,
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
            f"--as-of {as_of} is in the future — the history ends today ({today}); "
            "give today or an earlier day"
        )
    if since is not None and until is not None and since > until:
        raise SalesflowError(f"--since {since} is after --until {until} — swap them")
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
            for (start, _), (_, prev) in zip(self.segments[1:], self.segments, strict=False)
        )
        return f"(CASE {whens} ELSE {self.segments[-1][1]} END)"


def _offset_segments(tz: tzinfo, lo: datetime, hi: datetime) -> list[tuple[str, int]]:
    """[(UTC ISO start, offset seconds)] covering lo..hi; the first start is a placeholder."""

    def offset(epoch: int) -> int:
        moment = datetime.fromtimestamp(epoch, UTC).astimezone(tz)
        return int(moment.utcoffset().total_seconds())  # type: ignore[union-attr]

    day = 86400
    t, end = int(lo.timestamp()) - day, int(hi.timestamp()) + day
    current = offset(t)
    segments = [("", current)]
    while t < end:
        nxt = min(t + day, end)
        if offset(nxt) != current:
            a, b = t, nxt  # offset(a) == current != offset(b): find the first second of b's
            while b - a > 1:
                mid = (a + b) // 2
                a, b = (mid, b) if offset(mid) == current else (a, mid)
            current = offset(b)
            segments.append((dates.to_utc_iso(datetime.fromtimestamp(b, UTC)), current))
        t = nxt
    return segments


def jdn_to_date(jdn: int) -> date:
    return date.fromordinal(jdn - 1721425)


# Zone offsets are looked up between these years only; a stray older or later time (an import
# typo) takes the nearest known offset instead of making every report walk centuries.
_ZONE_SPAN = (datetime(1970, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def local_days(conn: sqlite3.Connection, w: Window) -> LocalDays:
    row = conn.execute(
        "SELECT (SELECT min(created_at) FROM leads), (SELECT min(happened_at) FROM activities)"
    ).fetchone()
    seen = []
    for text in filter(None, row):
        try:
            seen.append(dates.from_utc_iso(text))
        except SalesflowError:
            continue  # not a time this code wrote: the window's end still bounds the span
    lo = max(min([*seen, w.at]), _ZONE_SPAN[0])
    hi = min(max(w.at, lo), _ZONE_SPAN[1])
    return LocalDays(w.tz, min(lo, hi), hi)


# ---- the scope of one report: window, rates, stages, and each lead's state at t ----------

_STATE_COLUMNS = (
    "id, created_at, stage, closed_at, lost_reason, value_minor, currency, source, grade, "
    "expected_close, customer_id"
)


@dataclass
class Scope:
    """What every figure of one report shares. `source` is the table holding each lead's
    state at t: `leads` itself, or (with --as-of) a temporary table rebuilt from history."""

    conn: sqlite3.Connection
    w: Window
    conv: Converter
    stages: list[Stage]
    days: LocalDays
    source: str

    @property
    def params(self) -> dict[str, Any]:
        return self.w.params

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


def scope(conn: sqlite3.Connection, w: Window, conv: Converter) -> Scope:
    source = "leads"
    if w.as_of is not None:
        source = "temp.report_state"
        # Rebuilt once per command: each lead's last stage change before t.
        conn.execute("DROP TABLE IF EXISTS temp.report_state")
        conn.execute(
            "CREATE TEMP TABLE report_state (id INTEGER PRIMARY KEY, created_at TEXT, "
            "stage TEXT, closed_at TEXT, lost_reason TEXT, value_minor INTEGER, currency TEXT, "
            "source TEXT, grade TEXT, expected_close TEXT, customer_id INTEGER)"
        )
        lead_columns = ", ".join(f"l.{c.strip()}" for c in _STATE_COLUMNS.split(",")[5:])
        conn.execute(
            f"INSERT INTO temp.report_state ({_STATE_COLUMNS}) "
            "SELECT l.id, l.created_at, c.to_stage, "
            f"CASE WHEN c.to_stage IN ('{WON}', '{LOST}') THEN c.changed_at END, "
            f"CASE WHEN c.to_stage = '{LOST}' THEN trim(c.reason) END, {lead_columns} "
            "FROM leads l JOIN stage_changes c ON c.id = (SELECT c2.id FROM stage_changes c2 "
            "WHERE c2.lead_id = l.id AND c2.changed_at <= :t "
            "ORDER BY c2.changed_at DESC, c2.id DESC LIMIT 1) WHERE l.created_at <= :t",
            {"t": w.t},
        )
    return Scope(conn, w, conv, pipeline.stages(conn), local_days(conn, w), source)


# ---- tallies: the per-(key, stage, currency) counts most reports start from ----------


@dataclass(frozen=True)
class Tally:
    key: str | None
    stage: str
    currency: str
    cycle_days: int | None  # for deals won in the window: days from creation to won
    deals: int  # every lead in this stage at t
    value: int  # their value in minor units (missing values count 0)
    cohort: int  # ... of which created in the window
    cohort_value: int
    closed: int  # ... of which closed in the window (won/lost stages only)
    closed_value: int
    closed_valued: int  # closed ones that have a value


def _tally_in_order(sc: Scope, by: str | None) -> bool:
    """The plain stage/currency tallies of `leads` itself can be read off leads_tally."""
    return by is None and sc.source == "leads"


def tallies(sc: Scope, by: str | None = None, cycles: bool = True) -> list[Tally]:
    """Counts and value sums per (by, stage, currency, cycle days); `cycles=False` when the
    caller does not need won deals split by cycle length."""
    w, days = sc.w, sc.days
    key = f"nullif(trim({by}), '')" if by else "NULL"
    cohort = w.within("created_at")
    closed = f"closed_at IS NOT NULL AND {w.within('closed_at')}"
    # Without a window the cohort is every lead: the same aggregate twice is computed once.
    in_cohort = "count(*)" if cohort == "1" else f"sum({cohort})"
    cohort_value = "value_minor" if cohort == "1" else f"CASE WHEN {cohort} THEN value_minor END"
    if w.within("closed_at") == "1":
        closed = "closed_at IS NOT NULL"
    sums = (
        f"count(*), coalesce(sum(value_minor), 0), {in_cohort}, "
        f"coalesce(sum({cohort_value}), 0), sum({closed}), "
        f"coalesce(sum(CASE WHEN {closed} THEN value_minor END), 0), "
        f"count(CASE WHEN {closed} THEN value_minor END)"
    )
    span = f"{days.day('closed_at')} - {days.day('created_at')}"
    cycle = f"CASE WHEN stage = '{WON}' AND {closed} THEN {span} END"
    if _tally_in_order(sc, by):
        # Per stage and currency in leads_tally's order (no sort of every lead).
        rows = [
            Tally(None, stage, currency, None, *rest)
            for stage, currency, *rest in sc.conn.execute(
                f"SELECT stage, currency, {sums} FROM leads INDEXED BY leads_tally "
                "GROUP BY stage, currency",
                sc.params,
            )
        ]
        if not cycles:
            return rows
        # The deals won in the window by cycle length: counted apart, then taken off their
        # currency's won row, so every sum over the rows stays the same.
        counted: dict[str, int] = {}
        for currency, days_won, n in sc.conn.execute(
            f"SELECT currency, {span} AS cyc, count(*) FROM leads INDEXED BY leads_tally "
            f"WHERE stage = '{WON}' AND {closed} GROUP BY currency, cyc",
            sc.params,
        ):
            counted[currency] = counted.get(currency, 0) + n
            rows.append(Tally(None, WON, currency, days_won, 0, 0, 0, 0, n, 0, 0))
        return [
            replace(t, closed=t.closed - counted[t.currency])
            if t.stage == WON and t.cycle_days is None and t.currency in counted
            else t
            for t in rows
        ]
    group = f"{key} COLLATE NOCASE, " if by else ""
    rows = sc.conn.execute(
        f"SELECT min({key}), stage, currency, {cycle} AS cyc, {sums} "
        f"FROM {sc.scan} GROUP BY {group}stage, currency, cyc",
        sc.params,
    )
    return [Tally(*r) for r in rows]


def _money(conv: Converter, items: Iterable[tuple[str, int]]) -> Decimal:
    """Sum (currency, minor units) items in the base currency, noting what cannot be."""
    return sum((conv.to_base(cur, minor) for cur, minor in items), Decimal(0))


def ratio(num: float | Decimal | int, den: float | Decimal | int) -> float | None:
    return None if not den else round(float(Decimal(num) / Decimal(den)), 6)


# ---- medians from histograms -----------------------------------------------------


def _median(hist: dict[int, int]) -> float | None:
    """Median of integer values given as {value: count}."""
    n = sum(hist.values())
    if not n:
        return None
    lo_rank, hi_rank = (n - 1) // 2, n // 2
    seen, lo = 0, None
    for value in sorted(hist):
        seen += hist[value]
        if lo is None and seen > lo_rank:
            lo = value
        if seen > hi_rank:
            return (lo + value) / 2  # type: ignore[operator]
    raise AssertionError("unreachable")


def _mean(hist: dict[int, int]) -> float | None:
    n = sum(hist.values())
    return None if not n else round(sum(v * c for v, c in hist.items()) / n, 4)


def _cycles(rows: Iterable[Tally]) -> dict[int, int]:
    hist: dict[int, int] = {}
    for t in rows:
        if t.cycle_days is not None:
            hist[t.cycle_days] = hist.get(t.cycle_days, 0) + t.closed
    return hist


# ---- summary: the KPI board ------------------------------------------------------


@dataclass
class Summary:
    since: date | None
    until: date | None
    as_of: date | None
    currency: str
    leads_created: int
    open_deals: int
    won: int
    lost: int
    win_rate: float | None
    win_rate_by_value: float | None
    lead_to_win_rate: float | None
    avg_deal_size: Decimal | None
    cycle_days_median: float | None
    cycle_days_mean: float | None
    pipeline_value: Decimal
    weighted_pipeline: Decimal
    sales_velocity_per_day: Decimal | None
    followups_due: int
    followups_on_time: int
    followup_timeliness: float | None
    first_touch_leads: int
    first_touch_hours_median: float | None
    repeat_customers: int
    customers_won: int
    repeat_purchase_rate: float | None
    missing_rates: set[str] = field(default_factory=set)

    def record(self, conv: Converter) -> dict[str, Any]:
        """The stable machine shape of `report summary --format json`."""
        money = ("avg_deal_size", "pipeline_value", "weighted_pipeline", "sales_velocity_per_day")
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            if name == "missing_rates":
                continue
            value = getattr(self, name)
            if name in money:
                value = conv.text(value)
            elif isinstance(value, date):
                value = value.isoformat()
            out[name] = value
        out["unconverted_currencies"] = sorted(self.missing_rates)
        return out


def summary(sc: Scope) -> Summary:
    stage = sc.stage
    conv = sc.conv
    rows = tallies(sc)
    is_open = [t for t in rows if t.stage in stage and stage[t.stage].is_open]
    won = [t for t in rows if t.stage == WON]
    lost = [t for t in rows if t.stage == LOST]
    n_won, n_lost = sum(t.closed for t in won), sum(t.closed for t in lost)
    cohort = sum(t.cohort for t in rows)
    won_value = _money(conv, ((t.currency, t.closed_value) for t in won))
    lost_value = _money(conv, ((t.currency, t.closed_value) for t in lost))
    valued_won = sum(t.closed_valued for t in won if conv.can_convert(t.currency))
    avg_deal = won_value / valued_won if valued_won else None
    cycle = _cycles(won)
    pipeline_value = _money(conv, ((t.currency, t.value) for t in is_open))
    weighted = _money(
        conv, ((t.currency, t.value * stage[t.stage].probability) for t in is_open)
    ) / Decimal(100)
    open_deals = sum(t.deals for t in is_open)
    cycle_mean = _mean(cycle)
    velocity = None
    if n_won and avg_deal is not None and cycle_mean:
        # Exact arithmetic: the rounded win rate and mean would shift the money figure.
        mean_days = Decimal(sum(d * c for d, c in cycle.items())) / Decimal(sum(cycle.values()))
        velocity = Decimal(open_deals * n_won) / Decimal(n_won + n_lost) * avg_deal / mean_days
    due, on_time = followup_counts(sc)
    touched, first_touch = first_touch_median(sc)
    repeat, customers = repeat_customers(sc)
    return Summary(
        since=sc.w.since,
        until=sc.w.until,
        as_of=sc.w.as_of,
        currency=conv.base,
        leads_created=cohort,
        open_deals=open_deals,
        won=n_won,
        lost=n_lost,
        win_rate=ratio(n_won, n_won + n_lost),
        win_rate_by_value=ratio(won_value, won_value + lost_value),
        lead_to_win_rate=ratio(sum(t.cohort for t in won), cohort),
        avg_deal_size=avg_deal,
        cycle_days_median=_median(cycle),
        cycle_days_mean=cycle_mean,
        pipeline_value=pipeline_value,
        weighted_pipeline=weighted,
        sales_velocity_per_day=velocity,
        followups_due=due,
        followups_on_time=on_time,
        followup_timeliness=ratio(on_time, due),
        first_touch_leads=touched,
        first_touch_hours_median=first_touch,
        repeat_customers=repeat,
        customers_won=customers,
        repeat_purchase_rate=ratio(repeat, customers),
        missing_rates=set(conv.missing),
    )


_DUE_DAY = "CAST(julianday(due_date) + 0.5 AS INTEGER)"  # a YYYY-MM-DD as its day number


def _followups_due(sc: Scope) -> str:
    """SQL condition: a follow-up due in the window whose due day is over at t."""
    w = sc.w
    # `+` keeps SQLite off the due_date index for open-ended ranges that match nearly all.
    parts = ["due_date < :ended_before" if w.since else "+due_date < :ended_before"]
    parts += ["due_date >= :since_day"] if w.since else []
    parts += ["due_date <= :until_day"] if w.until else []
    parts += ["created_at <= :t"] if w.as_of else []
    return " AND ".join(parts)


# In UTC, a follow-up done by its due day (see _on_time); migration 7's partial index
# followups_on_time holds exactly the follow-ups this is true of.
ON_TIME_UTC = "done_at < due_date || 'T24'"


def _done_after_t(sc: Scope) -> bool:
    """Whether anything was done after t (an --as-of day): then "done by t" must be checked."""
    latest = sc.conn.execute("SELECT max(done_at) FROM followups").fetchone()[0]
    return latest is not None and latest > sc.w.t


def _on_time(sc: Scope) -> str:
    if sc.days.segments == [("", 0)]:
        # In UTC a stored time's day is its first ten characters, and every time of the due
        # day sorts before "<due day>T24": a string comparison, no date arithmetic per row
        # (NULL, not done, is no match). "Done by t" only matters when something was done
        # after t (an --as-of day): the latest done_at is one step into followups_due.
        by_t = "done_at <= :t AND " if _done_after_t(sc) else ""
        return f"coalesce({by_t}{ON_TIME_UTC}, 0)"
    return f"(done_at IS NOT NULL AND done_at <= :t AND {sc.days.day('done_at')} <= {_DUE_DAY})"


def followup_counts(sc: Scope) -> tuple[int, int]:
    """(follow-ups due in the window whose day has ended, of which done by their due day)."""
    if sc.days.segments == [("", 0)] and not sc.w.as_of and not _done_after_t(sc):
        # Two counts over indexes (followups_due_date, followups_on_time) instead of a pass
        # over every follow-up due: ~14 ms instead of ~28 at 226,000 of them.
        where = _followups_due(sc).replace("+due_date", "due_date")
        count = f"SELECT count(*) FROM followups WHERE {where}"
        due = sc.conn.execute(count, sc.params).fetchone()[0]
        done = sc.conn.execute(f"{count} AND {ON_TIME_UTC}", sc.params).fetchone()[0]
        return due, done
    row = sc.conn.execute(
        f"SELECT count(*), coalesce(sum({_on_time(sc)}), 0) FROM followups "
        f"WHERE {_followups_due(sc)}",
        sc.params,
    ).fetchone()
    return row[0], row[1]


# Hours from creation to first touch before clipping at 0, as indexed by leads_first_touch
# (migration 6): SQLite walks that index in this order only when the expression matches.
FIRST_TOUCH_SPAN = "(julianday(first_touch_at) - julianday(created_at))"


def first_touch_median(sc: Scope) -> tuple[int, float | None]:
    """(cohort leads touched by t, median hours from creation to their first activity).

    `leads.first_touch_at` is each lead's earliest activity: touched by t when it is at or
    before t. The median is read from the index, which keeps the hours in order."""
    w = sc.w
    where = (
        f"first_touch_at IS NOT NULL AND first_touch_at <= :t AND created_at <= :t "
        f"AND {w.within('created_at')}"
    )
    source = "leads INDEXED BY leads_first_touch"
    n = sc.conn.execute(f"SELECT count(*) FROM {source} WHERE {where}", sc.params).fetchone()[0]
    if not n:
        return 0, None
    # A touch dated before the lead was entered (imported history) counts as immediate;
    # clipping keeps the order, so the middle of the index is the middle of the hours.
    median = sc.conn.execute(
        f"SELECT avg(h) FROM (SELECT max(0.0, {FIRST_TOUCH_SPAN} * 24) AS h FROM {source} "
        f"WHERE {where} ORDER BY {FIRST_TOUCH_SPAN} LIMIT 2 - :n % 2 OFFSET (:n - 1) / 2)",
        {**sc.params, "n": n},
    ).fetchone()[0]
    return n, round(median, 4)


def _sql_median(
    conn: sqlite3.Connection, inner: str, params: dict[str, Any]
) -> tuple[int, float | None]:
    row = conn.execute(
        f"WITH v(h) AS {_MATERIALIZED} ({inner}), n(n) AS (SELECT count(*) FROM v) "
        "SELECT (SELECT n FROM n), (SELECT avg(h) FROM (SELECT h FROM v ORDER BY h "
        "LIMIT 2 - (SELECT n FROM n) % 2 OFFSET ((SELECT n FROM n) - 1) / 2))",
        params,
    ).fetchone()
    return row[0], None if row[1] is None else round(row[1], 4)


def repeat_customers(sc: Scope) -> tuple[int, int]:
    """(customers with >= 2 deals won in the window, customers with >= 1)."""
    # The won deals' rows of leads_tally: no look-up of each lead.
    source = "leads INDEXED BY leads_tally" if sc.source == "leads" else sc.source
    row = sc.conn.execute(
        "SELECT coalesce(sum(n >= 2), 0), count(*) FROM (SELECT customer_id, count(*) AS n "
        f"FROM {source} WHERE customer_id IS NOT NULL AND stage = '{WON}' "
        f"AND {sc.w.within('closed_at')} GROUP BY customer_id)",
        sc.params,
    ).fetchone()
    return row[0], row[1]


# ---- funnel and conversion -------------------------------------------------------


@dataclass
class Reach:
    """How far the cohort's deals got: reached counts per stage, and for calibration the
    closed deals (now won or lost) that reached each stage."""

    reached: dict[str, int]
    closed_reached: dict[str, int]
    won_reached: dict[str, int]


def _history_ends_by(sc: Scope) -> bool:
    """No stage change is later than t, so the stored per-lead facts describe the history
    up to t (the latest change is one step into stage_changes_changed_at)."""
    latest = sc.conn.execute("SELECT max(changed_at) FROM stage_changes").fetchone()[0]
    return latest is None or latest <= sc.w.t


def _reach_entered(sc: Scope, forward: list[Stage], outcome: bool) -> Reach:
    """`reach` from `leads.stages_entered`: the leads grouped by the stages they entered (a
    few hundred groups), then each group's furthest stage worked out here."""
    import json

    position = {s.name: s.position for s in forward}
    names = [s.name for s in forward]
    reached = dict.fromkeys(names, 0)
    closed_reached = dict.fromkeys(names, 0)
    won_reached = dict.fromkeys(names, 0)
    reached[LOST] = 0
    # In leads_tally's order (stage, currency first: no sort); currencies are added up here.
    rows = sc.conn.execute(
        "SELECT stage, stages_entered, lost_from, count(*) FROM leads INDEXED BY leads_tally "
        f"WHERE {sc.w.within('created_at')} "
        "GROUP BY stage, currency, stages_entered, lost_from",
        sc.params,
    )
    for stage, entered_text, lost_from, n in rows:
        entered = json.loads(entered_text)
        if not entered:
            continue  # no history: not in the funnel (db check reports such a lead)
        # Names the pipeline no longer has count as its first stage: every deal reached it.
        r = max(position.get(name, 0) for name in entered)
        ever_lost = LOST in entered
        if ever_lost:
            r = max(r, position.get(lost_from, 0))
            reached[LOST] += n
        for s in forward:
            if r >= s.position:
                reached[s.name] += n
                if stage in (WON, LOST):
                    closed_reached[s.name] += n
                    if stage == WON:
                        won_reached[s.name] += n
    if not outcome:
        return Reach(reached, {}, {})
    return Reach(reached, closed_reached, won_reached)


def reach(sc: Scope, outcome: bool = False) -> Reach:
    """Per lead: the furthest open-or-won stage it ever entered before t (lost has no place
    in that order: a lost deal reached what it entered before, lost_from included) and
    whether it ever entered lost; with `outcome`, also where it stands at t."""
    w = sc.w
    forward = [s for s in sc.stages if s.kind != "lost"]
    if sc.source == "leads" and _history_ends_by(sc):
        return _reach_entered(sc, forward, outcome)
    params = dict(sc.params)
    whens = []
    for i, s in enumerate(forward):
        params[f"s{i}"] = s.name
        whens.append(f"WHEN :s{i} THEN {s.position}")
    position = f"CASE to_stage {' '.join(whens)} END"
    lost_from = f"CASE l.lost_from {' '.join(whens)} END"
    cohort = ""
    if w.since or w.until:
        cohort = f"AND lead_id IN (SELECT id FROM leads WHERE {w.within('created_at')})"
    # Every deal reached the first stage, whatever names its history uses (an imported deal
    # has only its creation row; one from before a pipeline change, old stage names); a lost
    # deal also reached the stage it was lost from.
    per_lead = (
        f"SELECT lead_id, max(coalesce({position}, 0)) AS r, max(to_stage = '{LOST}') AS ever_lost "
        f"FROM stage_changes WHERE changed_at <= :t {cohort} GROUP BY lead_id"
    )
    per_lead = (
        f"SELECT p.lead_id, max(p.r, CASE WHEN p.ever_lost THEN coalesce({lost_from}, 0) "
        f"ELSE 0 END) AS r, p.ever_lost FROM ({per_lead}) p JOIN leads l ON l.id = p.lead_id"
    )
    # Conditional sums, not GROUP BY r: no sort of 100k rows for a handful of counts.
    counts = [f"sum(h.r >= {s.position})" for s in forward]
    sql = f"SELECT sum(h.ever_lost), {', '.join(counts)}"
    if outcome:
        closed = f"st.stage IN ('{WON}', '{LOST}')"
        sql += ", " + ", ".join(f"sum(h.r >= {s.position} AND {closed})" for s in forward)
        sql += ", " + ", ".join(f"sum(h.r >= {s.position} AND st.stage = '{WON}')" for s in forward)
        sql += f" FROM ({per_lead}) h JOIN {sc.source} st ON st.id = h.lead_id"
    else:
        sql += f" FROM ({per_lead}) h"
    row = [v or 0 for v in sc.conn.execute(sql, params).fetchone()]
    n = len(forward)
    names = [s.name for s in forward]
    reached = dict(zip(names, row[1 : 1 + n], strict=True))
    reached[LOST] = row[0]
    if not outcome:
        return Reach(reached, {}, {})
    closed_reached = dict(zip(names, row[1 + n : 1 + 2 * n], strict=True))
    won_reached = dict(zip(names, row[1 + 2 * n :], strict=True))
    return Reach(reached, closed_reached, won_reached)


# Whole UTC calendar days between entering and leaving a stage, as indexed by
# stage_changes_visits (migration 6): SQLite groups in index order only when this matches.
VISIT_DAYS = (
    "CAST(julianday(substr(left_at, 1, 10)) - julianday(substr(changed_at, 1, 10)) AS INTEGER)"
)
# A local day is its UTC day or a neighbour, so local days in stage = VISIT_DAYS + a shift of
# -2..2 (-1..1 where the zone's offsets never change sign). The shifts are counted in one
# packed sum, _PACK bits a count, so the local days are worked out once per visit.
_PACK = 31
_PACKS = {(-1, 1): "-1 THEN 1 WHEN 1 THEN 1 << 31", (-2, 2): "-2 THEN 1 WHEN 2 THEN 1 << 31"}


def stage_days(sc: Scope) -> dict[str, dict[int, int]]:
    """{open stage: {days in stage: visits}} for the cohort's visits begun before t.

    A visit ends at the lead's next stage change (`stage_changes.left_at`), or counts until t
    when it had not ended by then."""
    w, days = sc.w, sc.days
    if not sc.open_names:
        return {}
    cohort = ""
    if w.since or w.until:
        cohort = f"AND lead_id IN (SELECT id FROM leads WHERE {w.within('created_at')})"
    params = dict(sc.params)
    names = []
    for i, name in enumerate(sc.open_names):
        params[f"o{i}"] = name
        names.append(f":o{i}")
    wanted = set(sc.open_names)
    out: dict[str, dict[int, int]] = {}

    def add(stage: str, d: int, n: int) -> None:
        if n:
            hist = out.setdefault(stage, {})
            hist[d] = hist.get(d, 0) + n

    # Visits ended by t, counted per UTC-day span in index order (every stage: filtering on
    # the first index column would make SQLite hop between ranges; few visits are closed ones).
    # Every visit ended by t unless some ended later (history after an --as-of day).
    latest = sc.conn.execute("SELECT max(left_at) FROM stage_changes").fetchone()[0]
    ended = "1" if latest is None or latest <= w.t else "left_at <= :t"
    offsets = {offset for _, offset in days.segments}
    pairs: list[tuple[int, int]] = []  # the shifts that can happen, two per packed sum
    if offsets != {0}:  # not UTC: count the visits whose local span differs from the UTC one
        pairs = [(-1, 1)] if min(offsets) >= 0 or max(offsets) <= 0 else [(-1, 1), (-2, 2)]
    local = f"{days.day('left_at')} - {days.day('changed_at')} - {VISIT_DAYS}"
    packed = "".join(
        f", sum(CASE WHEN {ended} THEN CASE {local} WHEN {_PACKS[p]} END END)" for p in pairs
    )
    for stage, d, n, *sums in sc.conn.execute(
        f"SELECT to_stage, {VISIT_DAYS} AS d, sum({ended}){packed} "
        f"FROM stage_changes INDEXED BY stage_changes_visits "
        f"WHERE left_at IS NOT NULL {cohort} GROUP BY to_stage, d",
        params,
    ):
        if stage not in wanted:
            continue
        for (lo, hi), total in zip(pairs, sums, strict=True):
            total = total or 0
            low, high = total & ((1 << _PACK) - 1), total >> _PACK
            add(stage, d + lo, low)
            add(stage, d + hi, high)
            n -= low + high
        add(stage, d, n)
    # Visits still going on at t count until t: those not ended, and those ended after t.
    for going_on in ("left_at IS NULL", "left_at > :t"):
        for stage, d, n in sc.conn.execute(
            f"SELECT to_stage, {days.day(':t')} - {days.day('changed_at')} AS d, count(*) "
            f"FROM stage_changes INDEXED BY stage_changes_left WHERE {going_on} "
            f"AND to_stage IN ({', '.join(names)}) AND changed_at <= :t {cohort} "
            "GROUP BY to_stage, d",
            params,
        ):
            add(stage, d, n)
    return out


@dataclass
class FunnelRow:
    stage: str
    kind: str
    probability: int
    deals: int  # cohort deals in this stage at t
    value: Decimal
    weighted_value: Decimal
    reached: int
    conversion: float | None
    avg_days_in_stage: float | None
    median_days_in_stage: float | None
    visits: int

    def record(self, conv: Converter) -> dict[str, Any]:
        """The stable machine shape of one `report funnel --format json` row."""
        return {
            "stage": self.stage,
            "kind": self.kind,
            "probability": self.probability,
            "open_deals": self.deals if self.kind == "open" else None,
            "deals": self.deals,
            "value": conv.text(self.value),
            "weighted_value": conv.text(self.weighted_value),
            "currency": conv.base,
            "reached": self.reached,
            "conversion": self.conversion,
            "avg_days_in_stage": self.avg_days_in_stage,
            "median_days_in_stage": self.median_days_in_stage,
        }


@dataclass
class Bottleneck:
    from_stage: str
    to_stage: str
    conversion: float
    reached_from: int
    reached_to: int


@dataclass
class Funnel:
    rows: list[FunnelRow]
    weakest: Bottleneck | None  # the transition with the lowest conversion
    slowest: FunnelRow | None  # the open stage with the longest median time in stage
    missing_rates: set[str]


def funnel(sc: Scope) -> Funnel:
    reached = reach(sc).reached
    per_stage: dict[str, list[Tally]] = {}
    for t in tallies(sc, cycles=False):
        per_stage.setdefault(t.stage, []).append(t)
    times = stage_days(sc)
    rows: list[FunnelRow] = []
    previous: Stage | None = None
    for s in sc.stages:
        group = per_stage.get(s.name, [])
        value = _money(sc.conv, ((t.currency, t.cohort_value) for t in group))
        conversion = None
        if previous is not None and s.kind != "lost":
            conversion = ratio(reached[s.name], reached[previous.name])
        hist = times.get(s.name, {})
        rows.append(
            FunnelRow(
                stage=s.name,
                kind=s.kind,
                probability=s.probability,
                deals=sum(t.cohort for t in group),
                value=value,
                weighted_value=value * s.probability / Decimal(100),
                reached=reached[s.name],
                conversion=conversion,
                avg_days_in_stage=_mean(hist) if s.is_open else None,
                median_days_in_stage=_median(hist) if s.is_open else None,
                visits=sum(hist.values()),
            )
        )
        if s.kind != "lost":
            previous = s
    return Funnel(rows, _weakest(rows), _slowest(rows), set(sc.conv.missing))


def _weakest(rows: list[FunnelRow]) -> Bottleneck | None:
    best: Bottleneck | None = None
    forward = [r for r in rows if r.kind != "lost"]
    for prev, row in zip(forward, forward[1:], strict=False):
        if row.conversion is None:
            continue
        if best is None or row.conversion < best.conversion:
            best = Bottleneck(prev.stage, row.stage, row.conversion, prev.reached, row.reached)
    return best


def _slowest(rows: list[FunnelRow]) -> FunnelRow | None:
    timed = [r for r in rows if r.median_days_in_stage is not None]
    # max() keeps the first of equals: the earlier stage wins a tie.
    return max(timed, key=lambda r: r.median_days_in_stage or 0.0) if timed else None


@dataclass
class ConversionRow:
    stage: str
    next_stage: str
    reached: int
    reached_next: int
    conversion: float | None
    probability: int
    closed: int  # closed deals (now won or lost) that reached `stage`
    won: int
    observed_win_rate: float | None
    calibrated_probability: float

    def record(self) -> dict[str, Any]:
        return dict(self.__dict__)


# What the configured probability is worth, in closed deals, when calibrating: with n closed
# deals the observed rate gets weight n / (n + PRIOR_DEALS).
PRIOR_DEALS = 10
FEW_DEALS = 30  # below this many closed deals the calibrated figure leans on the prior


def calibrated(probability: int, closed: int, won: int) -> float:
    """P(won | reached s), shrunk toward the configured probability when deals are few."""
    return round((won + PRIOR_DEALS * probability / 100) / (closed + PRIOR_DEALS), 6)


def conversion(sc: Scope) -> list[ConversionRow]:
    r = reach(sc, outcome=True)
    forward = [s for s in sc.stages if s.kind != "lost"]
    rows = []
    for s, nxt in zip(forward, forward[1:], strict=False):
        closed, won = r.closed_reached[s.name], r.won_reached[s.name]
        rows.append(
            ConversionRow(
                stage=s.name,
                next_stage=nxt.name,
                reached=r.reached[s.name],
                reached_next=r.reached[nxt.name],
                conversion=ratio(r.reached[nxt.name], r.reached[s.name]),
                probability=s.probability,
                closed=closed,
                won=won,
                observed_win_rate=ratio(won, closed),
                calibrated_probability=calibrated(s.probability, closed, won),
            )
        )
    return rows


# ---- lost reasons ----------------------------------------------------------------


@dataclass
class LostRow:
    reason: str | None
    count: int
    share: float
    cumulative_share: float
    value: Decimal

    def record(self, conv: Converter) -> dict[str, Any]:
        values = (
            self.reason, self.count, self.share, self.cumulative_share, conv.text(self.value),
            conv.base,
        )  # fmt: skip
        return dict(zip(LOST_KEYS, values, strict=True))


# The columns of LostRow.record and GroupRow.record (after the group's own column), so an
# empty CSV/TSV report still has its header row.
LOST_KEYS = ["reason", "count", "share", "cumulative_share", "value", "currency"]
GROUP_KEYS = [
    "leads", "won", "lost", "win_rate", "lead_to_win_rate", "won_value", "avg_deal_size",
    "currency", "cycle_days_median",
]  # fmt: skip


def lost_reasons(sc: Scope) -> list[LostRow]:
    """Deals lost in the window by reason (trimmed, case-insensitive), most frequent first."""
    reason = "nullif(trim(lost_reason), '')"
    # The lost deals' rows of leads_tally, not a scan of every lead.
    source = "leads INDEXED BY leads_tally" if sc.source == "leads" else sc.scan
    rows = sc.conn.execute(
        f"SELECT min({reason}), currency, count(*), coalesce(sum(value_minor), 0) "
        f"FROM {source} WHERE stage = '{LOST}' AND {sc.w.within('closed_at')} "
        f"GROUP BY {reason} COLLATE NOCASE, currency",
        sc.params,
    ).fetchall()
    by_reason: dict[str, tuple[str | None, int, Decimal]] = {}
    for text, currency, n, minor in rows:
        fold = (text or "").casefold()
        shown, count, value = by_reason.get(fold, (text, 0, Decimal(0)))
        shown = min(shown, text) if shown and text else shown or text
        by_reason[fold] = (shown, count + n, value + sc.conv.to_base(currency, minor))
    ordered = sorted(by_reason.values(), key=lambda x: (-x[1], -x[2], x[0] or ""))
    total = sum(n for _, n, _ in ordered)
    out, running = [], 0
    for text, n, value in ordered:
        running += n
        out.append(LostRow(text, n, ratio(n, total) or 0.0, ratio(running, total) or 0.0, value))
    return out


# ---- per source / per grade ------------------------------------------------------


@dataclass
class GroupRow:
    key: str | None
    leads: int  # created in the window
    won: int  # closed in the window
    lost: int
    win_rate: float | None
    lead_to_win_rate: float | None
    won_value: Decimal
    avg_deal_size: Decimal | None
    cycle_days_median: float | None

    def record(self, name: str, conv: Converter) -> dict[str, Any]:
        values = (
            self.key, self.leads, self.won, self.lost, self.win_rate, self.lead_to_win_rate,
            conv.text(self.won_value), conv.text(self.avg_deal_size), conv.base,
            self.cycle_days_median,
        )  # fmt: skip
        return dict(zip([name, *GROUP_KEYS], values, strict=True))


def breakdown(sc: Scope, by: str) -> list[GroupRow]:
    """The summary's figures per `source` or `grade` (trimmed, case-insensitive)."""
    if by not in ("source", "grade"):
        raise ValueError(by)
    conv = sc.conv
    groups: dict[str, list[Tally]] = {}
    names: dict[str, str | None] = {}
    for t in tallies(sc, by):
        fold = (t.key or "").casefold()
        groups.setdefault(fold, []).append(t)
        # The same spelling whatever order SQLite returns the groups in.
        seen = names.get(fold, t.key)
        names[fold] = min(seen, t.key) if seen and t.key else seen or t.key
    if by == "grade":  # A, B and C always show, so a missing grade reads as zero
        for g in ("A", "B", "C"):
            groups.setdefault(g.casefold(), [])
            names.setdefault(g.casefold(), g)
    rows = []
    for fold, group in groups.items():
        won = [t for t in group if t.stage == WON]
        lost = [t for t in group if t.stage == LOST]
        n_won, n_lost = sum(t.closed for t in won), sum(t.closed for t in lost)
        leads = sum(t.cohort for t in group)
        value = _money(conv, ((t.currency, t.closed_value) for t in won))
        valued = sum(t.closed_valued for t in won if conv.can_convert(t.currency))
        rows.append(
            GroupRow(
                key=names[fold],
                leads=leads,
                won=n_won,
                lost=n_lost,
                win_rate=ratio(n_won, n_won + n_lost),
                lead_to_win_rate=ratio(sum(t.cohort for t in won), leads),
                won_value=value,
                avg_deal_size=value / valued if valued else None,
                cycle_days_median=_median(_cycles(won)),
            )
        )
    if by == "grade":
        rows.sort(key=lambda r: (r.key is None, r.key or ""))
    else:
        rows.sort(key=lambda r: (r.key is None, -r.leads, -r.won_value, r.key or ""))
    return rows


# ---- activity --------------------------------------------------------------------


@dataclass
class WeekRow:
    week: date  # the Monday the (local) week starts on
    touches: int
    by_kind: dict[str, int]  # the configured activity kinds, and "other" for any other
    leads_created: int
    followups_due: int
    followups_on_time: int

    def record(self, kinds: tuple[str, ...]) -> dict[str, Any]:
        """One week; a key per configured activity kind (`activity_kinds`), then `other`."""
        return {
            "week": self.week.isoformat(),
            "touches": self.touches,
            **{k: self.by_kind.get(k, 0) for k in (*kinds, "other")},
            "leads_created": self.leads_created,
            "followups_due": self.followups_due,
            "followups_on_time": self.followups_on_time,
            "followup_timeliness": ratio(self.followups_on_time, self.followups_due),
        }


@dataclass
class Activity:
    kinds: tuple[str, ...]
    weeks: list[WeekRow]
    followups_due: int
    followups_on_time: int
    followup_timeliness: float | None
    first_touch_leads: int
    first_touch_hours_median: float | None


def activity_window(w: Window, weeks: int) -> Window:
    """Without --since: the last `weeks` local weeks, ending with the week of --until (else
    of the reference day)."""
    if w.since is not None:
        return w
    last = w.until or w.ref_day
    monday = last - timedelta(days=last.weekday())
    return replace(w, since=monday - timedelta(weeks=weeks - 1))


def _first_day(sc: Scope) -> date:
    """The first local day anything happened: weeks before it would be empty rows."""
    row = sc.conn.execute(
        f"SELECT min({sc.days.day('created_at')}) FROM leads WHERE created_at = "
        "(SELECT min(created_at) FROM leads) UNION ALL "
        f"SELECT min({sc.days.day('happened_at')}) FROM activities WHERE happened_at = "
        "(SELECT min(happened_at) FROM activities) UNION ALL "
        f"SELECT min({_DUE_DAY}) FROM followups WHERE due_date = "
        "(SELECT min(due_date) FROM followups)"
    ).fetchall()
    found = [r[0] for r in row if r[0] is not None]
    return jdn_to_date(min(found)) if found else date.max


def activity(sc: Scope) -> Activity:
    """Touches per local week by kind, new leads, and follow-up timeliness per week due."""
    from salesflow.activities import kinds as configured_kinds

    w, days = sc.w, sc.days
    kinds = configured_kinds(sc.conn)
    last = w.until or w.ref_day
    first = max(w.since or last, _first_day(sc))
    weeks: dict[int, WeekRow] = {}
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        weeks[monday.toordinal() + 1721425] = WeekRow(monday, 0, {}, 0, 0, 0)
        monday += timedelta(weeks=1)
    # Julian Day Numbers: d % 7 == 0 on Mondays, so d - d % 7 is the week's Monday.
    # Grouped by day with a sum per kind: sorting on one small key is the cheap part.
    params = dict(sc.params)
    marks = []
    for i, kind in enumerate(kinds):
        params[f"k{i}"] = kind
        marks.append(f"sum(kind = :k{i} COLLATE NOCASE)")
    per_kind = ", ".join(marks)
    for d, n, *counts in sc.conn.execute(
        f"SELECT {days.day('happened_at')} AS d, count(*), {per_kind} FROM activities "
        f"WHERE happened_at <= :t AND {w.within('happened_at')} GROUP BY d",
        params,
    ):
        if (row := weeks.get(d - d % 7)) is not None:
            row.touches += n
            for kind, count in zip((*kinds, "other"), (*counts, n - sum(counts)), strict=True):
                row.by_kind[kind] = row.by_kind.get(kind, 0) + count
    for wk, n in sc.conn.execute(
        f"SELECT d - d % 7 AS wk, count(*) FROM (SELECT {days.day('created_at')} AS d "
        f"FROM leads WHERE created_at <= :t AND {w.within('created_at')}) GROUP BY wk",
        sc.params,
    ):
        if (row := weeks.get(wk)) is not None:
            row.leads_created = n
    for wk, n, ok in sc.conn.execute(
        f"SELECT d - d % 7 AS wk, count(*), sum(ok) FROM (SELECT {_DUE_DAY} AS d, "
        f"{_on_time(sc)} AS ok FROM followups WHERE {_followups_due(sc)}) GROUP BY wk",
        sc.params,
    ):
        if (row := weeks.get(wk)) is not None:
            row.followups_due, row.followups_on_time = n, ok
    due = sum(r.followups_due for r in weeks.values())
    on_time = sum(r.followups_on_time for r in weeks.values())
    touched, median = first_touch_median(sc)
    return Activity(
        kinds=kinds,
        weeks=list(weeks.values()),
        followups_due=due,
        followups_on_time=on_time,
        followup_timeliness=ratio(on_time, due),
        first_touch_leads=touched,
        first_touch_hours_median=median,
    )
