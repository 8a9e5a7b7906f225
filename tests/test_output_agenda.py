"""The follow-up views and the .ics writer, without a database: rows in, text or bytes out."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from salesflow.output import ics
from salesflow.output.agenda import followup_list
from salesflow.output.terminal import Terminal

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


def row(id: int, due_date: str, due_time: str | None = None, when: str = "upcoming", **kw):
    base = {
        "id": id, "lead_id": 1, "lead": "张伟", "company": "深圳某科技有限公司", "stage": "lead",
        "action": f"action {id}", "due_date": due_date, "due_time": due_time, "when": when,
        "overdue": when == "overdue", "recur": None, "customer_id": None,
        "created_at": "2026-11-20T08:15:00Z", "done_at": None,
    }  # fmt: skip
    return base | kw


def terminal(color: bool) -> tuple[Terminal, io.StringIO]:
    out = io.StringIO()
    return Terminal(out=out, err=io.StringIO(), is_tty=color, color=color, width=120), out


def test_overdue_rows_are_red_on_a_colour_terminal_only() -> None:
    rows = [row(1, "2026-11-20", when="overdue"), row(2, "2026-11-26")]
    term, out = terminal(color=True)
    followup_list(rows, "table", term, days=7)
    text = out.getvalue()
    red = "\x1b[31m"
    overdue_part, _, upcoming_part = text.partition("Next 7 days")
    assert red in overdue_part and "action 1" in overdue_part
    assert red not in upcoming_part and "action 2" in upcoming_part
    plain, out = terminal(color=False)
    followup_list(rows, "table", plain, days=7)
    assert "\x1b[" not in out.getvalue()
    assert "Overdue (1)" in out.getvalue() and "2026-11-20 Fri" in out.getvalue()


def parse(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_ics_parses_back_with_all_day_and_timed_events() -> None:
    rows = [
        row(1, "2026-11-27"),
        row(2, "2026-12-01", "14:30", recur="every-3m"),
        row(3, "2026-03-08", "02:30"),  # does not exist in New York: 03:30 EDT
        row(4, "2026-11-01", "01:30"),  # happens twice: the first, EDT
    ]
    data = ics.calendar(rows, tz=NY, now=NOW)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    events = parse(data)
    assert [str(e["uid"]) for e in events] == [
        f"followup-{i}-20261120081500@salesflow" for i in (1, 2, 3, 4)
    ]
    all_day = events[0]
    assert all_day.decoded("dtstart") == date(2026, 11, 27)
    assert all_day.decoded("dtend") == date(2026, 11, 28)
    assert str(all_day["summary"]) == "action 1 — 张伟 (深圳某科技有限公司)"
    # 14:30 EST (UTC-5) = 19:30 UTC.
    assert events[1].decoded("dtstart") == datetime(2026, 12, 1, 19, 30, tzinfo=UTC)
    assert events[1].decoded("dtend") == datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    assert "repeats every 3 months" in str(events[1]["description"])
    assert events[2].decoded("dtstart") == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert events[3].decoded("dtstart") == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    assert events[0].decoded("dtstamp") == NOW


def test_ics_uids_are_stable_across_exports() -> None:
    first = parse(ics.calendar([row(1, "2026-11-27"), row(2, "2026-11-30")], tz=UTC, now=NOW))
    # Snoozed and exported a day later: same events, new dates.
    later = datetime(2026, 11, 24, 9, tzinfo=UTC)
    second = parse(ics.calendar([row(1, "2026-11-29"), row(2, "2026-11-30")], tz=UTC, now=later))
    assert [e["uid"] for e in first] == [e["uid"] for e in second]
    assert second[0].decoded("dtstart") == date(2026, 11, 29)


def test_ics_write_keeps_crlf() -> None:
    class Binary(io.StringIO):
        def __init__(self) -> None:
            super().__init__()
            self.buffer = io.BytesIO()

    term, _ = terminal(color=False)
    term.raw = Binary()  # a machine format: the raw stream, not the one that shows controls
    ics.write(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", term)
    assert term.raw.buffer.getvalue() == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
