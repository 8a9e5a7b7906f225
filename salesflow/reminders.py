"""Reminders for `salesflow remind`, run from cron every few minutes: each open follow-up is
reminded exactly once for each time it is due.

- A timed follow-up ("call CFO 14:30") is due at its local time; a date-only one at the
  morning of its day (`remind.morning`, default 08:00 local).
- A run reminds every open follow-up whose moment falls in the window from `CATCH_UP`
  before now to `within` after now and that was not reminded of that moment before: the
  `reminders` table (migration 9) remembers each (follow-up, due moment) reminded, so two runs
  never repeat one and a missed run is caught up by the next. Snoozing a follow-up gives it a
  new moment, so it is reminded again at the new time.
- The bookkeeping is not a change the user made: it is written without an undo journal entry,
  so `salesflow undo` still takes back the user's last command, not the last cron run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from salesflow import dates, store
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import _

CATCH_UP = timedelta(hours=24)
DEFAULT_MORNING = "08:00"


@dataclass(frozen=True)
class Reminder:
    followup_id: int
    lead_id: int | None
    lead: str  # "#12 Jane Roe (Acme Ltd)"
    action: str
    due_date: str  # local YYYY-MM-DD
    due_time: str | None  # local HH:MM, None for a date-only follow-up
    moment: str  # UTC ISO: when it is reminded

    @property
    def key(self) -> str:
        """The due moment as the user set it: a snooze makes a new one."""
        return f"{self.due_date} {self.due_time}" if self.due_time else self.due_date

    def record(self) -> dict[str, object]:
        return {"followup_id": self.followup_id, "lead_id": self.lead_id, "lead": self.lead,
                "action": self.action, "due_date": self.due_date, "due_time": self.due_time,
                "remind_at": self.moment}  # fmt: skip


def morning(conn: sqlite3.Connection) -> time:
    return time.fromisoformat(store.get_setting(conn, "remind.morning") or DEFAULT_MORNING)


def parse_within(text: str) -> timedelta:
    """How far ahead a run reminds: 15m, 15min, 1h, 0 (only what is due now or before)."""
    if text.strip() == "0":
        return timedelta(0)
    unit_text = text.strip().lower()
    if unit_text.endswith("m") and not unit_text.endswith("min"):
        unit_text += "in"  # 15m: minutes here, never months
    try:
        n, unit = dates.parse_period(unit_text)
    except SalesflowError:
        n, unit = 0, ""
    minutes = {"min": 1, "h": 60, "d": 1440}.get(unit)
    if minutes is None or n * minutes > 7 * 1440:
        raise SalesflowError(
            _('"{text}" is not a time span of minutes or hours up to 7 days').format(text=text),
            hint=Hint("remind.within", text=text),
        )
    return timedelta(minutes=n * minutes)


def _moment(day: date, at: time, tz: tzinfo) -> datetime:
    local = datetime.combine(day, at)
    # The wall clock's own offset (fold 0 on a repeated hour, the shifted time in a gap).
    offset = local.replace(tzinfo=tz).utcoffset() or timedelta(0)
    return (local - offset).replace(tzinfo=UTC)


def due(conn: sqlite3.Connection, now: datetime, tz: tzinfo, within: timedelta) -> list[Reminder]:
    """The reminders a run at `now` owes: due in [now - CATCH_UP, now + within], open, and not
    reminded of that moment yet; oldest first."""
    start, end = now - CATCH_UP, now + within
    first_time = morning(conn)
    # Due dates are local days: one day of slack each side covers every zone's offset.
    rows = conn.execute(
        "SELECT f.id, f.lead_id, f.action, f.due_date, f.due_time, l.name, l.company "
        "FROM followups f LEFT JOIN leads l ON l.id = f.lead_id "
        "WHERE f.done_at IS NULL AND f.due_date BETWEEN ? AND ? "
        "AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.followup_id = f.id "
        "AND r.due = f.due_date || coalesce(' ' || f.due_time, ''))",
        (
            (start - timedelta(days=1)).date().isoformat(),
            (end + timedelta(days=1)).date().isoformat(),
        ),
    )
    found: list[Reminder] = []
    for id_, lead_id, action, due_date, due_time, name, company in rows:
        at = time.fromisoformat(due_time) if due_time else first_time
        moment = _moment(date.fromisoformat(due_date), at, tz)
        if start <= moment <= end:
            who = f"#{lead_id} {name}" + (f" ({company})" if company else "") if name else ""
            found.append(Reminder(id_, lead_id, who, action, due_date, due_time,
                                  dates.to_utc_iso(moment)))  # fmt: skip
    found.sort(key=lambda r: (r.moment, r.followup_id))
    return found


def mark(conn: sqlite3.Connection, reminders: list[Reminder], now_iso: str) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO reminders (followup_id, due, reminded_at) VALUES (?, ?, ?)",
        [(r.followup_id, r.key, now_iso) for r in reminders],
    )


def unmark(conn: sqlite3.Connection, reminders: list[Reminder]) -> None:
    """Give back the claims of reminders that could not be delivered: the next run retries."""
    conn.executemany(
        "DELETE FROM reminders WHERE followup_id = ? AND due = ?",
        [(r.followup_id, r.key) for r in reminders],
    )
