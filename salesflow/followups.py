"""Follow-ups: the dated next steps that keep every deal moving.

A due is a LOCAL calendar date (plus an optional local HH:MM) in the user's zone, so "due
Friday" stays Friday whatever the UTC offset; `dates.is_overdue` decides lateness. A
recurring follow-up (an after-sales check-in) keeps its series in `recur` as
`every-<N><d|w|m|y>@<anchor date>`: the next one is always counted from the anchor, so a
series started on the 30th comes back on the 30th after February instead of drifting to the
28th.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from salesflow import dates
from salesflow.dates import Due
from salesflow.errors import Hint, NotFound, SalesflowError
from salesflow.i18n import _
from salesflow.leads import Lead

_COLUMNS = (
    "f.id, f.lead_id, f.customer_id, f.action, f.due_date, f.due_time, f.created_at, "
    "f.done_at, f.recur, l.name, l.company, l.stage"
)
_FROM = "FROM followups f JOIN leads l ON l.id = f.lead_id"
# Earliest first; on one day a timed due comes before a date-only one ("by end of day").
_ORDER = "f.due_date, f.due_time IS NULL, f.due_time, f.id"
WHENS = ("overdue", "today", "upcoming", "later", "done")
# Open follow-ups by (due_date, due_time IS NULL, due_time), a partial index holding only the
# open ones: it answers a day's counts and times alone, where the planner would otherwise read
# every row of the day for its due_time.
OPEN_INDEX = "INDEXED BY followups_open"


@dataclass(frozen=True)
class Recurrence:
    n: int
    unit: str  # d | w | m | y
    anchor: date

    @property
    def every(self) -> str:
        return f"every-{self.n}{self.unit}"

    def text(self) -> str:
        return f"{self.every}@{self.anchor.isoformat()}"

    @classmethod
    def parse(cls, text: str, anchor: date | None = None) -> Recurrence:
        """Read `recur`; a bare `every-3m` (written by hand or by another tool) is anchored on
        `anchor`, the follow-up's own due day."""
        m = re.fullmatch(r"every-([1-9][0-9]*)([dwmy])(?:@([0-9]{4}-[0-9]{2}-[0-9]{2}))?", text)
        if not m or not (m[3] or anchor):
            raise SalesflowError(
                _(
                    'cannot read the recurrence "{text}" of a follow-up — write it as every-3m'
                ).format(text=text)
            )
        return cls(int(m[1]), m[2], date.fromisoformat(m[3]) if m[3] else anchor)

    def after(self, day: date) -> date:
        return dates.series_after(self.anchor, self.n, self.unit, day)


@dataclass(frozen=True)
class Followup:
    id: int
    lead_id: int
    customer_id: int | None
    action: str
    due_date: str  # local YYYY-MM-DD
    due_time: str | None  # local HH:MM
    created_at: str
    done_at: str | None
    recur: str | None
    lead_name: str
    company: str | None
    stage: str

    @property
    def due(self) -> Due:
        at = time.fromisoformat(self.due_time) if self.due_time else None
        return Due(date.fromisoformat(self.due_date), at)

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def due_text(self) -> str:
        return self.due_date + (f" {self.due_time}" if self.due_time else "")

    @property
    def label(self) -> str:
        return f'#{self.id} "{self.action}"'

    @property
    def every(self) -> str | None:
        """The rhythm of a recurring follow-up (`every-3m`); an unreadable one as stored."""
        if not self.recur:
            return None
        try:
            return Recurrence.parse(self.recur, self.due.day).every
        except SalesflowError:
            return self.recur

    def when(self, now: datetime, tz: tzinfo, days: int = 7) -> str:
        """overdue | today | upcoming (within `days`) | later | done — the listing's groups."""
        if self.done_at is not None:
            return "done"
        if dates.is_overdue(self.due, now, tz):
            return "overdue"
        today = dates.local_today(now, tz)
        day = self.due.day
        if day == today:
            return "today"
        return "upcoming" if day <= today + timedelta(days=days) else "later"

    def record(self, when: str) -> dict[str, Any]:
        """The stable machine shape of a follow-up (JSON, CSV …): RECORD_KEYS."""
        values = (
            self.id, self.lead_id, self.lead_name, self.company, self.stage, self.action,
            self.due_date, self.due_time, when, when == "overdue", self.every, self.customer_id,
            self.created_at, self.done_at,
        )  # fmt: skip
        return dict(zip(RECORD_KEYS, values, strict=True))


# The columns of `record()`, so an empty CSV/TSV listing still has its header row.
RECORD_KEYS = [
    "id", "lead_id", "lead", "company", "stage", "action", "due_date", "due_time", "when",
    "overdue", "recur", "customer_id", "created_at", "done_at",
]  # fmt: skip


def _row(r: tuple) -> Followup:
    return Followup(*r)


def get(conn: sqlite3.Connection, followup_id: int) -> Followup:
    row = conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE f.id = ?", (followup_id,)).fetchone()
    if row is None:
        raise NotFound(
            _("no follow-up #{followup_id}").format(followup_id=followup_id),
            hint=Hint("followup.list_all"),
        )
    return _row(row)


def open_for_lead(conn: sqlite3.Connection, lead_id: int) -> list[Followup]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE f.lead_id = ? AND f.done_at IS NULL ORDER BY {_ORDER}",
        (lead_id,),
    )
    return [_row(r) for r in rows]


def for_lead(conn: sqlite3.Connection, lead_id: int) -> list[Followup]:
    """Open follow-ups (earliest due first), then done ones (latest done first)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE f.lead_id = ? "
        f"ORDER BY f.done_at IS NOT NULL, f.done_at DESC, {_ORDER}",
        (lead_id,),
    )
    return [_row(r) for r in rows]


def earliest_open(conn: sqlite3.Connection, lead: Lead) -> Followup:
    found = open_for_lead(conn, lead.id)
    if not found:
        raise SalesflowError(
            _("{label} has no open follow-up").format(label=lead.label),
            hint=Hint("followup.list_lead", lead=lead.id),
        )
    return found[0]


def to_close(conn: sqlite3.Connection, lead: Lead, number: str | None) -> Followup:
    """The follow-up a touch on `lead` completes (`log … --done [N]`): number N (`5`, `#5`),
    which must be the lead's own, else the lead's earliest open one. complete() refuses one
    that is already done."""
    if number is None:
        return earliest_open(conn, lead)
    text = number.strip()
    if not re.fullmatch(r"#?[0-9]+", text):
        raise SalesflowError(
            _(
                '--done takes a follow-up number (5, #5), not "{text}"; a note of several '
                "words goes in quotes"
            ).format(text=number)
        )
    found = get(conn, int(text.lstrip("#")))
    if found.lead_id != lead.id:
        raise SalesflowError(
            _("follow-up {label} is on lead #{other}, not on {lead}").format(
                label=found.label, other=found.lead_id, lead=lead.label
            ),
            hint=Hint("followup.list_lead", lead=lead.id),
        )
    return found


def resolve(conn: sqlite3.Connection, ref: str) -> Followup:
    """A follow-up by its number (`5`, `#5`), or a lead reference meaning that lead's
    earliest open follow-up (`acme`)."""
    from salesflow import leads

    text = ref.strip()
    if re.fullmatch(r"#?[0-9]+", text):
        return get(conn, int(text.lstrip("#")))
    return earliest_open(conn, leads.resolve(conn, text))


def check_action(action: str) -> str:
    text = " ".join(action.split())
    if not text:
        raise SalesflowError(_('a follow-up needs an action, e.g. "send proposal"'))
    return text


def add(
    conn: sqlite3.Connection,
    lead: Lead,
    action: str,
    due: Due,
    *,
    now: datetime,
    tz: tzinfo,
    force: bool = False,
    customer_id: int | None = None,
    recur: Recurrence | None = None,
) -> Followup:
    """Plan a next step. A due already past is refused unless `force` (back-filling a plan)."""
    text = check_action(action)
    if dates.is_overdue(due, now, tz) and not force:
        raise SalesflowError(
            _("due {due} is already past").format(due=_due_text(due)), hint=Hint("followup.force")
        )
    cur = conn.execute(
        "INSERT INTO followups (lead_id, customer_id, action, due_date, due_time, created_at, "
        "recur) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            lead.id,
            customer_id,
            text,
            due.day.isoformat(),
            due.at.strftime("%H:%M") if due.at else None,
            dates.to_utc_iso(now),
            recur.text() if recur else None,
        ),
    )
    return get(conn, int(cur.lastrowid))


def closing_time(followup: Followup, done_at: str) -> str:
    """When a touch at `done_at` (UTC ISO) closes it: never before it existed, so timeliness
    (done by the due date) counts an earlier touch no better than closing it at creation."""
    created = followup.created_at
    return created if dates.from_utc_iso(done_at) < dates.from_utc_iso(created) else done_at


def complete(
    conn: sqlite3.Connection, followup: Followup, *, done_at: str, now: datetime, tz: tzinfo
) -> Followup | None:
    """Mark done at `done_at` (UTC ISO; see closing_time). A recurring one plans its next
    occurrence, which is returned: the first date of its series after both its due day and
    today, so finishing a late check-in does not create one that is overdue at once."""
    if followup.done_at is not None:
        raise SalesflowError(
            _("follow-up {label} was already done on {done_at}").format(
                label=followup.label, done_at=_local(followup.done_at, tz)
            ),
            hint=Hint("followup.list"),
        )
    series = Recurrence.parse(followup.recur, followup.due.day) if followup.recur else None
    done_at = closing_time(followup, done_at)
    conn.execute("UPDATE followups SET done_at = ? WHERE id = ?", (done_at, followup.id))
    if series is None:
        return None
    after = max(followup.due.day, dates.local_today(now, tz))
    nxt = Due(series.after(after), followup.due.at)
    cur = conn.execute(
        "INSERT INTO followups (lead_id, customer_id, action, due_date, due_time, created_at, "
        "recur) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            followup.lead_id,
            followup.customer_id,
            followup.action,
            nxt.day.isoformat(),
            followup.due_time,
            dates.to_utc_iso(now),
            followup.recur,
        ),
    )
    return get(conn, int(cur.lastrowid))


def _local(utc_iso: str, tz: tzinfo) -> str:
    return dates.from_utc_iso(utc_iso).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def next_steps(conn: sqlite3.Connection, lead_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each lead's next step: its earliest open follow-up as (action, due `YYYY-MM-DD[ HH:MM]`),
    read through followups_open_lead, in batches under SQLite's variable limit."""
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(lead_ids), 500):
        chunk = lead_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for lead_id, action, due_date, due_time in conn.execute(
            "SELECT lead_id, action, due_date, due_time FROM followups "
            f"WHERE lead_id IN ({marks}) AND done_at IS NULL "
            "ORDER BY lead_id, due_date, due_time IS NULL, due_time, id",
            chunk,
        ):
            if lead_id not in found:
                found[lead_id] = (action, due_date + (f" {due_time}" if due_time else ""))
    return found


def drop_open_steps(conn: sqlite3.Connection, lead_id: int) -> list[str]:
    """Remove a closed deal's open next steps ("send the quote", "chase Q-…"): they cannot be
    done any more, and a dropped step is neither on time nor late in the timeliness figure.
    Recurring after-sales check-ins stay. Returns the dropped ones (`#7 chase Q-2026-0001`)."""
    where = "lead_id = ? AND done_at IS NULL AND recur IS NULL"
    dropped = [
        f"#{i} {action}"
        for i, action in conn.execute(
            f"SELECT id, action FROM followups WHERE {where} ORDER BY id", (lead_id,)
        )
    ]
    conn.execute(f"DELETE FROM followups WHERE {where}", (lead_id,))
    return dropped


def snooze(
    conn: sqlite3.Connection,
    followup: Followup,
    text: str,
    *,
    now: datetime,
    tz: tzinfo,
    date_order: str | None = None,
) -> Followup:
    """Move an open follow-up later. An offset (`+2d`, `in 3 days`) counts from its due day,
    or from today when it is already overdue, so a snooze never pulls a date earlier; any
    other expression (`fri`, `2026-12-01 10:00`) is that date. The time of day is kept unless
    the new expression gives one."""
    if followup.done_at is not None:
        raise SalesflowError(
            _("follow-up {label} was already done on {done_at} — nothing to snooze").format(
                label=followup.label, done_at=_local(followup.done_at, tz)
            )
        )
    today = dates.local_today(now, tz)
    base = max(followup.due.day, today) if _is_offset(text) else today
    # parse_due reads "today" from its `now`; noon on `base` in the user's zone is that day.
    due = dates.parse_due(text, datetime.combine(base, time(12), tzinfo=tz), tz, date_order)
    if due.at is None and followup.due.at is not None:
        due = Due(due.day, followup.due.at)
    if dates.is_overdue(due, now, tz):
        raise SalesflowError(
            _("snoozing to {due} leaves it overdue — pick a later date (+2d, fri, …)").format(
                due=_due_text(due)
            )
        )
    conn.execute(
        "UPDATE followups SET due_date = ?, due_time = ? WHERE id = ?",
        (due.day.isoformat(), due.at.strftime("%H:%M") if due.at else None, followup.id),
    )
    return get(conn, followup.id)


def search(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    tz: tzinfo,
    only: str | None = None,
    days: int | None = 7,
    lead_id: int | None = None,
) -> list[tuple[Followup, str]]:
    """Open follow-ups with their group (see Followup.when), earliest due first.

    `only`: "overdue" or "today" narrows to that group; otherwise everything due up to `days`
    days ahead (all open ones when `days` is None). The date bound is applied in SQL, so a
    long backlog of later follow-ups is never loaded for the daily view."""
    today = dates.local_today(now, tz)
    where = ["f.done_at IS NULL"]
    params: list[Any] = []
    if only == "overdue":
        where.append("f.due_date <= ?")
        params.append(today.isoformat())
    elif only == "today":
        where.append("f.due_date = ?")
        params.append(today.isoformat())
    elif days is not None:
        where.append("f.due_date <= ?")
        params.append((today + timedelta(days=days)).isoformat())
    if lead_id is not None:
        where.append("f.lead_id = ?")
        params.append(lead_id)
    rows = conn.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE {' AND '.join(where)} ORDER BY {_ORDER}", params
    )
    found = [(f, f.when(now, tz, 7 if days is None else days)) for f in map(_row, rows)]
    if only:
        found = [(f, w) for f, w in found if w == only]
    return found


@dataclass(frozen=True)
class Group:
    when: str  # overdue | today | upcoming | later, as Followup.when
    items: list[Followup]  # the first `limit`, earliest due first
    total: int  # all of the group's follow-ups


def grouped(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    tz: tzinfo,
    only: str | None = None,
    days: int | None = 7,
    lead_id: int | None = None,
    limit: int | None = None,
) -> list[Group]:
    """What `search` finds, by group, for a table that shows at most `limit` rows of each:
    every group is a range of due dates (today split by the times already past), so each is
    counted and its first rows read from the open follow-ups index, not loaded whole."""
    today = dates.local_today(now, tz)
    day = today.isoformat()
    ahead = (today + timedelta(days=7 if days is None else days)).isoformat()
    passed = passed_times(conn, now, tz, today)
    marks = ", ".join("?" * len(passed))
    # (An empty IN () list leaves SQLite no plan under INDEXED BY: no passed times, no IN.)
    ranges: dict[str, tuple[str, tuple[Any, ...]]] = {
        "overdue": (
            f"f.due_date <= ? AND (f.due_date < ? OR f.due_time IN ({marks}))",
            (day, day, *passed),
        )
        if passed
        else ("f.due_date < ?", (day,)),
        "today": (
            f"f.due_date = ? AND (f.due_time IS NULL OR f.due_time NOT IN ({marks}))",
            (day, *passed),
        )
        if passed
        else ("f.due_date = ?", (day,)),
        "upcoming": ("f.due_date > ? AND f.due_date <= ?", (day, ahead)),
        "later": ("f.due_date > ?", (ahead,)),
    }
    if only is not None:
        chosen = [only]
    elif days is not None:
        chosen = ["overdue", "today", "upcoming"]  # the window ends where "later" begins
    else:
        chosen = list(ranges)
    found = []
    for when in chosen:
        where, params = ranges[when]
        where = f"f.done_at IS NULL AND {where}"
        if lead_id is not None:
            where += " AND f.lead_id = ?"
            params = (*params, lead_id)
        index = OPEN_INDEX if lead_id is None else ""
        total = conn.execute(f"SELECT count(*) FROM followups f {index} WHERE {where}", params)
        rows = conn.execute(
            f"SELECT {_COLUMNS} {_FROM} WHERE {where} ORDER BY {_ORDER}"
            + ("" if limit is None else f" LIMIT {int(limit)}"),
            params,
        )
        found.append(Group(when, [_row(r) for r in rows], total.fetchone()[0]))
    return found


def passed_times(conn: sqlite3.Connection, now: datetime, tz: tzinfo, today: date) -> tuple:
    """Today's due times (HH:MM) of open follow-ups that have already passed. Whether a time
    has passed depends only on the time (the day is today), so dates.is_overdue is asked once
    per distinct time, not once per follow-up."""
    times = conn.execute(
        f"SELECT DISTINCT due_time FROM followups {OPEN_INDEX} WHERE done_at IS NULL "
        "AND due_date = ? AND due_time IS NOT NULL",
        (today.isoformat(),),
    ).fetchall()
    return tuple(
        t for (t,) in times if dates.is_overdue(Due(today, time.fromisoformat(t)), now, tz)
    )


def _is_offset(text: str) -> bool:
    return bool(re.match(r"\s*(\+|in\s)", text.lower()))


def _due_text(due: Due) -> str:
    return due.day.isoformat() + (f" {due.at.strftime('%H:%M')}" if due.at else "")
