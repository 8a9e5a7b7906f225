"""Open follow-ups as an iCalendar file (RFC 5545) that calendar apps import.

A date-only follow-up is an all-day event on its local day; a timed one is a 30-minute event
at that instant, written in UTC so every calendar app shows it at the right local time
without a VTIMEZONE block. UIDs are derived from the follow-up's number and creation time, so
importing a fresh export again updates the same events instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from salesflow.i18n import _
from salesflow.output.terminal import Terminal
from salesflow.words import rhythm

PRODID = "-//salesflow//follow-ups//EN"
TIMED_LENGTH = timedelta(minutes=30)


def uid(row: dict[str, Any]) -> str:
    stamp = "".join(ch for ch in row["created_at"] if ch.isdigit())
    return f"followup-{row['id']}-{stamp}@salesflow"


def summary(row: dict[str, Any]) -> str:
    who = row["lead"] + (f" ({row['company']})" if row.get("company") else "")
    return f"{row['action']} — {who}"


def calendar(rows: Iterable[dict[str, Any]], *, tz: tzinfo, now: datetime) -> bytes:
    """Follow-up records (followups.Followup.record) as one VCALENDAR, CRLF line ends."""
    from icalendar import Calendar, Event  # heavy; only for this format

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("salesflow follow-ups"))
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for row in rows:
        event = Event()
        event.add("uid", uid(row))
        event.add("dtstamp", stamp)
        day = date.fromisoformat(row["due_date"])
        if row.get("due_time"):
            start = datetime.combine(day, time.fromisoformat(row["due_time"]), tzinfo=tz)
            start = start.astimezone(UTC)
            event.add("dtstart", start)
            event.add("dtend", start + TIMED_LENGTH)
        else:
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("transp", "TRANSPARENT")  # an all-day reminder does not block the day
        event.add("summary", summary(row))
        details = [
            _("salesflow follow-up #{id}").format(id=row["id"]),
            _("lead #{id} {name}").format(id=row["lead_id"], name=row["lead"]),
            _("stage {stage}").format(stage=row["stage"]),
        ]
        if row.get("recur"):
            details.append(_("repeats {every}").format(every=rhythm(row["recur"])))
        event.add("description", " · ".join(details))
        event.add("categories", ["salesflow"])
        cal.add_component(event)
    return cal.to_ical()


def write(data: bytes, term: Terminal) -> None:
    """Write the bytes as they are: RFC 5545 wants CRLF, which a text stream could alter."""
    buffer = getattr(term.raw, "buffer", None)
    if buffer is None:
        term.raw.write(data.decode("utf-8"))
        return
    term.raw.flush()
    buffer.write(data)
    buffer.flush()
