"""The seller's habits: follow-up timeliness, time to first touch, and `report activity`'s
touches, new leads and follow-ups per local week."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from salesflow.metrics.tally import ratio
from salesflow.metrics.windows import Scope, Window, jdn_to_date

# ---- follow-ups and first touch ------------------------------------------------

_DUE_DAY = "CAST(julianday(due_date) + 0.5 AS INTEGER)"  # a YYYY-MM-DD as its day number


def _followups_due(scope: Scope) -> str:
    """SQL condition: a follow-up due in the window whose due day is over at the instant."""
    window = scope.window
    # `+` keeps SQLite off the due_date index for open-ended ranges that match nearly all.
    # Of the two upper bounds only the lower one is written (it implies the other): given
    # both, SQLite may range up to the later one and test the earlier on every row.
    column = "due_date" if window.since else "+due_date"
    if window.until is not None and window.until < window.ended_before:
        parts = [f"{column} <= :until_day"]
    else:
        parts = [f"{column} < :ended_before"]
    parts += ["due_date >= :since_day"] if window.since else []
    parts += ["created_at <= :at"] if window.as_of else []
    return " AND ".join(parts)


# In UTC, a follow-up done by its due day (see _on_time); migration 7's partial index
# followups_on_time holds exactly the follow-ups this is true of.
ON_TIME_UTC = "done_at < due_date || 'T24'"


def _done_later(scope: Scope) -> bool:
    """Whether anything was done after the instant (an --as-of day): then "done by the
    instant" must be checked."""
    latest = scope.conn.execute(
        "SELECT max(done_at) FROM followups WHERE done_at IS NOT NULL"
    ).fetchone()[0]
    return latest is not None and latest > scope.window.at_iso


def _on_time(scope: Scope) -> str:
    if scope.days.segments == [("", 0)]:
        # In UTC a stored time's day is its first ten characters, and every time of the due
        # day sorts before "<due day>T24": a string comparison, no date arithmetic per row
        # (NULL, not done, is no match). "Done by the instant" only matters when something was done
        # after the instant (an --as-of day): the latest done_at is one step into followups_done.
        by_t = "done_at <= :at AND " if _done_later(scope) else ""
        return f"coalesce({by_t}{ON_TIME_UTC}, 0)"
    return f"(done_at IS NOT NULL AND done_at <= :at AND {scope.days.day('done_at')} <= {_DUE_DAY})"


def followup_counts(scope: Scope) -> tuple[int, int]:
    """(follow-ups due in the window whose day has ended, of which done by their due day)."""
    if scope.days.segments == [("", 0)] and not scope.window.as_of and not _done_later(scope):
        # Two counts over indexes (followups_due_date, followups_on_time) instead of a pass
        # over every follow-up due.
        where = _followups_due(scope).replace("+due_date", "due_date")
        count = f"SELECT count(*) FROM followups WHERE {where}"
        due = scope.conn.execute(count, scope.params).fetchone()[0]
        done = scope.conn.execute(f"{count} AND {ON_TIME_UTC}", scope.params).fetchone()[0]
        return due, done
    row = scope.conn.execute(
        f"SELECT count(*), coalesce(sum({_on_time(scope)}), 0) FROM followups "
        f"WHERE {_followups_due(scope)}",
        scope.params,
    ).fetchone()
    return row[0], row[1]


# Hours from creation to first touch before clipping at 0, as indexed by leads_first_touch
# (migration 6): SQLite walks that index in this order only when the expression matches.
FIRST_TOUCH_SPAN = "(julianday(first_touch_at) - julianday(created_at))"


def first_touch_median(scope: Scope) -> tuple[int, float | None]:
    """(cohort leads touched by the instant, median hours from creation to their first activity).

    `leads.first_touch_at` is each lead's earliest activity: touched by the instant when it is at or
    before the instant. The median is read from the index, which keeps the hours in order."""
    window = scope.window
    # created_at <= :at, or before the window's end when that comes first (it implies the
    # other): one upper bound, so the count is a range of leads_created_at up to it.
    created = "created_at <= :at"
    if window.end is not None and window.end <= window.at_iso:
        created = "created_at < :end"
    since = " AND created_at >= :start" if window.since else ""
    where = f"first_touch_at IS NOT NULL AND first_touch_at <= :at AND {created}{since}"
    source = "leads INDEXED BY leads_first_touch"
    # Counted off leads_created_at, where the window's days are one range (report trend asks
    # for many windows); the median then walks leads_first_touch in hours order.
    count = f"SELECT count(*) FROM leads INDEXED BY leads_created_at WHERE {where}"
    n = scope.conn.execute(count, scope.params).fetchone()[0]
    if not n:
        return 0, None
    # A touch dated before the lead was entered (imported history) counts as immediate;
    # clipping keeps the order, so the middle of the index is the middle of the hours.
    median = scope.conn.execute(
        f"SELECT avg(h) FROM (SELECT max(0.0, {FIRST_TOUCH_SPAN} * 24) AS h FROM {source} "
        f"WHERE {where} ORDER BY {FIRST_TOUCH_SPAN} LIMIT 2 - :n % 2 OFFSET (:n - 1) / 2)",
        {**scope.params, "n": n},
    ).fetchone()[0]
    return n, round(median, 4)


def first_touch_hits(scope: Scope, limit: timedelta) -> tuple[int, int]:
    """(cohort leads first touched within `limit` of their creation, cohort leads whose
    `limit` had run out by the instant): the first-touch hit rate's parts. Two index counts:
    leads_created_at for the leads due, leads_first_touch (in hours order) for the hits."""
    from salesflow import dates

    window = scope.window
    cutoff = dates.to_utc_iso(window.at - limit)
    params = {**scope.params, "cutoff": cutoff, "days": limit.total_seconds() / 86400}
    cohort = f"created_at <= :cutoff AND {window.within('created_at')}"
    due = scope.conn.execute(
        f"SELECT count(*) FROM leads INDEXED BY leads_created_at WHERE {cohort}", params
    ).fetchone()[0]
    hits = scope.conn.execute(
        "SELECT count(*) FROM leads INDEXED BY leads_first_touch WHERE first_touch_at IS NOT NULL "
        f"AND {FIRST_TOUCH_SPAN} <= :days AND {cohort}",
        params,
    ).fetchone()[0]
    return hits, due


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


def activity_window(window: Window, weeks: int) -> Window:
    """Without --since: the last `weeks` local weeks, ending with the week of --until (else
    of the reference day)."""
    if window.since is not None:
        return window
    last = window.until or window.ref_day
    monday = last - timedelta(days=last.weekday())
    return replace(window, since=monday - timedelta(weeks=weeks - 1))


def _first_day(scope: Scope) -> date:
    """The first local day anything happened: weeks before it would be empty rows."""
    row = scope.conn.execute(
        f"SELECT min({scope.days.day('created_at')}) FROM leads WHERE created_at = "
        "(SELECT min(created_at) FROM leads) UNION ALL "
        f"SELECT min({scope.days.day('happened_at')}) FROM activities WHERE happened_at = "
        "(SELECT min(happened_at) FROM activities) UNION ALL "
        f"SELECT min({_DUE_DAY}) FROM followups WHERE due_date = "
        "(SELECT min(due_date) FROM followups)"
    ).fetchall()
    found = [r[0] for r in row if r[0] is not None]
    return jdn_to_date(min(found)) if found else date.max


def activity(scope: Scope) -> Activity:
    """Touches per local week by kind, new leads, and follow-up timeliness per week due."""
    from salesflow.activities import kinds as configured_kinds

    window, days = scope.window, scope.days
    kinds = configured_kinds(scope.conn)
    last = window.until or window.ref_day
    first = max(window.since or last, _first_day(scope))
    weeks: dict[int, WeekRow] = {}
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        weeks[monday.toordinal() + 1721425] = WeekRow(monday, 0, {}, 0, 0, 0)
        monday += timedelta(weeks=1)
    # Julian Day Numbers: d % 7 == 0 on Mondays, so d - d % 7 is the week's Monday.
    # Grouped by day with a sum per kind: sorting on one small key is the cheap part.
    params = dict(scope.params)
    marks = []
    for i, kind in enumerate(kinds):
        params[f"k{i}"] = kind
        marks.append(f"sum(kind = :k{i} COLLATE NOCASE)")
    per_kind = ", ".join(marks)
    for d, n, *counts in scope.conn.execute(
        f"SELECT {days.day('happened_at')} AS d, count(*), {per_kind} FROM activities "
        f"WHERE happened_at <= :at AND {window.within('happened_at')} GROUP BY d",
        params,
    ):
        if (row := weeks.get(d - d % 7)) is not None:
            row.touches += n
            for kind, count in zip((*kinds, "other"), (*counts, n - sum(counts)), strict=True):
                row.by_kind[kind] = row.by_kind.get(kind, 0) + count
    for wk, n in scope.conn.execute(
        f"SELECT d - d % 7 AS wk, count(*) FROM (SELECT {days.day('created_at')} AS d "
        f"FROM leads WHERE created_at <= :at AND {window.within('created_at')}) GROUP BY wk",
        scope.params,
    ):
        if (row := weeks.get(wk)) is not None:
            row.leads_created = n
    for wk, n, ok in scope.conn.execute(
        f"SELECT d - d % 7 AS wk, count(*), sum(ok) FROM (SELECT {_DUE_DAY} AS d, "
        f"{_on_time(scope)} AS ok FROM followups WHERE {_followups_due(scope)}) GROUP BY wk",
        scope.params,
    ):
        if (row := weeks.get(wk)) is not None:
            row.followups_due, row.followups_on_time = n, ok
    due = sum(r.followups_due for r in weeks.values())
    on_time = sum(r.followups_on_time for r in weeks.values())
    touched, median = first_touch_median(scope)
    return Activity(
        kinds=kinds,
        weeks=list(weeks.values()),
        followups_due=due,
        followups_on_time=on_time,
        followup_timeliness=ratio(on_time, due),
        first_touch_leads=touched,
        first_touch_hours_median=median,
    )
