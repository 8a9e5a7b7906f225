"""salesflow.followups and salesflow.activities, driven directly with a pinned clock and zone.

NOW = Mon 2026-11-23 09:00 UTC. Expected dates are read off a calendar, not recomputed.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from salesflow import activities, customers, followups, leads, moves, store
from salesflow.dates import Due
from salesflow.errors import SalesflowError

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NOW_ISO = "2026-11-23T09:00:00Z"
NY = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def new_lead(conn: sqlite3.Connection, name: str = "Ann", company: str | None = "Acme"):
    return leads.add(
        conn, leads.LeadFields(name=name, company=company), stage="lead", currency="USD",
        now_iso=NOW_ISO,
    )  # fmt: skip


def refused(call, *args, **kwargs) -> str:
    """The refusal as the command line words it (its hint included)."""
    from salesflow.cli.hints import say

    with pytest.raises(SalesflowError) as info:
        call(*args, **kwargs)
    assert "\n" not in info.value.message
    return say(info.value)


# ---- activities ------------------------------------------------------------------


def test_log_and_list_newest_first(conn) -> None:
    lead = new_lead(conn)
    activities.log(conn, lead, "Call", " wants 50 units ", happened_at=NOW_ISO, now_iso=NOW_ISO)
    activities.log(conn, lead, "email", "brochure", happened_at="2026-11-20T10:00:00Z",
                   now_iso=NOW_ISO)  # fmt: skip
    activities.log(conn, lead, "meeting", "demo", happened_at="2026-11-22T15:00:00Z",
                   now_iso=NOW_ISO)  # fmt: skip
    found = activities.for_lead(conn, lead.id)
    assert [(a.kind, a.note) for a in found] == [
        ("call", "wants 50 units"),  # kind folded to lower case, note trimmed
        ("meeting", "demo"),
        ("email", "brochure"),
    ]
    assert activities.last_touch(conn, lead.id) == NOW_ISO


def test_log_refusals(conn) -> None:
    lead = new_lead(conn)
    assert "needs a note" in refused(
        activities.log, conn, lead, "call", "  ", happened_at=NOW_ISO, now_iso=NOW_ISO
    )
    assert 'unknown activity kind "fax"' in refused(
        activities.log, conn, lead, "fax", "x", happened_at=NOW_ISO, now_iso=NOW_ISO
    )
    assert "in the future" in refused(
        activities.log, conn, lead, "call", "x", happened_at="2026-11-23T09:00:01Z",
        now_iso=NOW_ISO,
    )  # fmt: skip


def test_activity_kinds_are_configurable(conn) -> None:
    lead = new_lead(conn)
    store.set_setting(conn, "activity_kinds", "call,wechat")
    activities.log(conn, lead, "WeChat", "sent photos", happened_at=NOW_ISO, now_iso=NOW_ISO)
    assert "use one of: call, wechat, note" in refused(  # note: always a kind
        activities.log, conn, lead, "email", "x", happened_at=NOW_ISO, now_iso=NOW_ISO
    )


# ---- follow-ups ------------------------------------------------------------------


def test_add_stores_local_date_and_time(conn) -> None:
    lead = new_lead(conn)
    f = followups.add(conn, lead, "call CFO", Due(date(2026, 12, 1), time(14, 30)), now=NOW,
                      tz=SHANGHAI)  # fmt: skip
    assert (f.due_date, f.due_time, f.created_at, f.done_at) == (
        "2026-12-01",
        "14:30",
        NOW_ISO,
        None,
    )
    assert f.lead_name == "Ann" and f.company == "Acme" and f.stage == "lead"


def test_past_due_needs_force(conn) -> None:
    lead = new_lead(conn)
    yesterday = Due(date(2026, 11, 22), None)
    assert "already past" in refused(followups.add, conn, lead, "x", yesterday, now=NOW, tz=UTC)
    # 08:59 today has passed at 09:00; 09:01 has not.
    early = Due(date(2026, 11, 23), time(8, 59))
    assert "--force" in refused(followups.add, conn, lead, "x", early, now=NOW, tz=UTC)
    followups.add(conn, lead, "x", Due(date(2026, 11, 23), time(9, 1)), now=NOW, tz=UTC)
    f = followups.add(conn, lead, "late", yesterday, now=NOW, tz=UTC, force=True)
    assert f.when(NOW, UTC) == "overdue"
    assert "needs an action" in refused(
        followups.add, conn, lead, "  ", Due(date(2026, 12, 1), None), now=NOW, tz=UTC
    )


def test_complete_and_the_already_done_refusal(conn) -> None:
    lead = new_lead(conn)
    f = followups.add(conn, lead, "x", Due(date(2026, 11, 27), None), now=NOW, tz=UTC)
    assert followups.complete(conn, f, done_at=NOW_ISO, now=NOW, tz=UTC) is None
    done = followups.get(conn, f.id)
    assert done.done_at == NOW_ISO and done.when(NOW, UTC) == "done"
    assert "already done" in refused(followups.complete, conn, done, done_at=NOW_ISO, now=NOW,
                                     tz=UTC)  # fmt: skip
    assert "no follow-up #99" in refused(followups.get, conn, 99)


def test_resolve_by_number_or_by_lead(conn) -> None:
    acme = new_lead(conn)
    new_lead(conn, "Bob", "Beta")
    later = followups.add(conn, acme, "later", Due(date(2026, 11, 30), None), now=NOW, tz=UTC)
    # Same day: the timed one is earlier than the date-only one ("by end of day").
    by_eod = followups.add(conn, acme, "eod", Due(date(2026, 11, 25), None), now=NOW, tz=UTC)
    timed = followups.add(conn, acme, "am", Due(date(2026, 11, 25), time(10)), now=NOW, tz=UTC)
    assert followups.resolve(conn, "acme").id == timed.id
    assert followups.resolve(conn, f"#{later.id}").id == later.id
    assert [f.id for f in followups.open_for_lead(conn, acme.id)] == [timed.id, by_eod.id, later.id]
    assert "has no open follow-up" in refused(followups.resolve, conn, "beta")
    assert 'no lead matches "nobody"' in refused(followups.resolve, conn, "nobody")


@pytest.mark.parametrize(
    ("due", "text", "expected"),
    [
        # Overdue (due Fri 11-20): an offset counts from today, Mon 11-23.
        (Due(date(2026, 11, 20), None), "+2d", Due(date(2026, 11, 25), None)),
        # Due later (Mon 11-30): an offset pushes it further, never earlier.
        (Due(date(2026, 11, 30), None), "+2d", Due(date(2026, 12, 2), None)),
        (Due(date(2026, 11, 30), None), "in 1 week", Due(date(2026, 12, 7), None)),
        # Other forms mean what they always mean (from today); the time of day is kept.
        (Due(date(2026, 11, 20), time(14, 30)), "fri", Due(date(2026, 11, 27), time(14, 30))),
        (Due(date(2026, 11, 20), time(14, 30)), "tomorrow 08:00", Due(date(2026, 11, 24), time(8))),
        (Due(date(2026, 11, 20), None), "2026-12-01", Due(date(2026, 12, 1), None)),
    ],
)
def test_snooze(conn, due: Due, text: str, expected: Due) -> None:
    lead = new_lead(conn)
    f = followups.add(conn, lead, "x", due, now=NOW, tz=UTC, force=True)
    moved = followups.snooze(conn, f, text, now=NOW, tz=UTC)
    assert moved.due == expected


def test_snooze_refusals(conn) -> None:
    lead = new_lead(conn)
    f = followups.add(conn, lead, "x", Due(date(2026, 11, 20), None), now=NOW, tz=UTC, force=True)
    assert "leaves it overdue" in refused(followups.snooze, conn, f, "yesterday", now=NOW, tz=UTC)
    assert "cannot read date" in refused(followups.snooze, conn, f, "someday", now=NOW, tz=UTC)
    followups.complete(conn, f, done_at=NOW_ISO, now=NOW, tz=UTC)
    done = followups.get(conn, f.id)
    assert "nothing to snooze" in refused(followups.snooze, conn, done, "+1d", now=NOW, tz=UTC)


def test_search_groups_and_window(conn) -> None:
    lead = new_lead(conn)

    def add(day: date, at: time | None = None) -> int:
        return followups.add(conn, lead, "x", Due(day, at), now=NOW, tz=UTC, force=True).id

    late = add(date(2026, 11, 20))
    passed = add(date(2026, 11, 23), time(8))  # 08:00 today, now 09:00: overdue
    today = add(date(2026, 11, 23))
    soon = add(date(2026, 11, 30))  # today + 7: inside the default window
    later = add(date(2026, 12, 1))  # today + 8: outside it
    done = add(date(2026, 11, 24))
    followups.complete(conn, followups.get(conn, done), done_at=NOW_ISO, now=NOW, tz=UTC)

    def ids(**kw) -> list[tuple[int, str]]:
        return [(f.id, w) for f, w in followups.search(conn, now=NOW, tz=UTC, **kw)]

    assert ids() == [(late, "overdue"), (passed, "overdue"), (today, "today"), (soon, "upcoming")]
    assert ids(only="overdue") == [(late, "overdue"), (passed, "overdue")]
    assert ids(only="today") == [(today, "today")]
    assert ids(days=None)[-1] == (later, "later")
    assert len(ids(days=None)) == 5
    assert ids(days=0) == ids()[:3]


def test_overdue_follows_the_local_day_in_shanghai(conn) -> None:
    lead = new_lead(conn)
    f = followups.add(conn, lead, "x", Due(date(2026, 11, 23), None), now=NOW, tz=UTC)
    # 16:30 UTC is 00:30 on Tue 11-24 in Shanghai (UTC+8) but still Mon 11-23 in UTC.
    late_evening = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
    assert f.when(late_evening, UTC) == "today"
    assert f.when(late_evening, SHANGHAI) == "overdue"
    # 15:59 UTC is 23:59 in Shanghai: still due today there.
    assert f.when(datetime(2026, 11, 23, 15, 59, tzinfo=UTC), SHANGHAI) == "today"


@pytest.mark.parametrize(
    ("due", "now", "expected"),
    [
        # Spring forward, Sun 2026-03-08: the day ends at 24:00 EDT = 04:00 UTC on 03-09.
        (Due(date(2026, 3, 8), None), datetime(2026, 3, 9, 3, 59, tzinfo=UTC), "today"),
        (Due(date(2026, 3, 8), None), datetime(2026, 3, 9, 4, 0, tzinfo=UTC), "overdue"),
        # 02:30 does not exist that day: it means 03:30 EDT = 07:30 UTC.
        (Due(date(2026, 3, 8), time(2, 30)), datetime(2026, 3, 8, 7, 29, tzinfo=UTC), "today"),
        (Due(date(2026, 3, 8), time(2, 30)), datetime(2026, 3, 8, 7, 31, tzinfo=UTC), "overdue"),
        # Fall back, Sun 2026-11-01: the day ends at 24:00 EST = 05:00 UTC on 11-02 (a fixed
        # EDT offset would wrongly end it at 04:00 UTC).
        (Due(date(2026, 11, 1), None), datetime(2026, 11, 2, 4, 30, tzinfo=UTC), "today"),
        (Due(date(2026, 11, 1), None), datetime(2026, 11, 2, 5, 0, tzinfo=UTC), "overdue"),
        # 01:30 happens twice; the first (EDT, 05:30 UTC) counts.
        (Due(date(2026, 11, 1), time(1, 30)), datetime(2026, 11, 1, 5, 29, tzinfo=UTC), "today"),
        (Due(date(2026, 11, 1), time(1, 30)), datetime(2026, 11, 1, 5, 31, tzinfo=UTC), "overdue"),
    ],
)
def test_dst_days_in_new_york(conn, due: Due, now: datetime, expected: str) -> None:
    lead = new_lead(conn)
    f = followups.add(conn, lead, "x", due, now=now, tz=NY, force=True)
    assert f.when(now, NY) == expected
    found = dict((g.id, w) for g, w in followups.search(conn, now=now, tz=NY))
    assert found[f.id] == expected


# ---- recurring check-ins -----------------------------------------------------------


def won_customer(conn, name: str = "Acme", at: str = NOW_ISO):
    lead = new_lead(conn, "Ann", name)
    moves.advance(conn, lead, "won", now_iso=at)
    return customers.resolve(conn, name)


def walk(conn, customer, start: datetime, tz, steps: int) -> list[str]:
    """Set a monthly check-in on `start`, then complete each one on its due day."""
    _, f = customers.edit(conn, customer, checkin="every-1m", now=start, tz=tz)
    days = [f.due_date]
    for _ in range(steps):
        on_due = datetime.combine(date.fromisoformat(f.due_date), time(12), tzinfo=tz)
        f = followups.complete(conn, f, done_at=NOW_ISO, now=on_due, tz=tz)
        days.append(f.due_date)
    return days


def test_monthly_from_jan_31_lands_on_every_month_end(conn) -> None:
    customer = won_customer(conn)
    days = walk(conn, customer, datetime(2026, 1, 31, 4, tzinfo=UTC), SHANGHAI, 11)
    assert days == [
        "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31",
        "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31", "2027-01-31",
    ]  # fmt: skip


def test_monthly_from_the_30th_returns_to_the_30th_after_february(conn) -> None:
    customer = won_customer(conn)
    days = walk(conn, customer, datetime(2026, 1, 30, 12, tzinfo=UTC), UTC, 3)
    # Chaining would drift: Feb 28 + 1m = Mar 28. The series is counted from Jan 30.
    assert days == ["2026-02-28", "2026-03-30", "2026-04-30", "2026-05-30"]


def test_leap_february_and_a_late_completion(conn) -> None:
    customer = won_customer(conn)
    _, f = customers.edit(conn, customer, checkin="every-1m",
                          now=datetime(2028, 1, 31, 12, tzinfo=UTC), tz=UTC)  # fmt: skip
    assert f.due_date == "2028-02-29"  # 2028 is a leap year
    # Done five weeks late, on Apr 5: the next is the series' first date after Apr 5 (Apr 30),
    # not Mar 31, which would be overdue the moment it is created.
    nxt = followups.complete(
        conn, f, done_at="2028-04-05T12:00:00Z", now=datetime(2028, 4, 5, 12, tzinfo=UTC), tz=UTC
    )
    assert nxt.due_date == "2028-04-30" and nxt.recur == f.recur and nxt.customer_id == customer.id


def test_weekly_check_in(conn) -> None:
    customer = won_customer(conn)
    _, f = customers.edit(conn, customer, checkin="every 2w", now=NOW, tz=UTC)
    assert f.due_date == "2026-12-07"  # Mon 11-23 + 14 days
    nxt = followups.complete(conn, f, done_at=NOW_ISO, now=NOW, tz=UTC)  # done early
    assert nxt.due_date == "2026-12-21"


def test_a_bare_recurrence_is_anchored_on_its_due_day(conn) -> None:
    lead = new_lead(conn)
    f = followups.add(conn, lead, "x", Due(date(2026, 11, 30), None), now=NOW, tz=UTC)
    conn.execute("UPDATE followups SET recur = 'every-1m' WHERE id = ?", (f.id,))  # by hand
    nxt = followups.complete(conn, followups.get(conn, f.id), done_at=NOW_ISO, now=NOW, tz=UTC)
    assert nxt.due_date == "2026-12-31"  # Nov 30 is a month end: month ends follow
    conn.execute("UPDATE followups SET recur = 'monthly' WHERE id = ?", (nxt.id,))
    broken = followups.get(conn, nxt.id)
    assert broken.record("later")["recur"] == "monthly"  # listings still work
    assert "write it as every-3m" in refused(
        followups.complete, conn, broken, done_at=NOW_ISO, now=NOW, tz=UTC
    )
    assert followups.get(conn, nxt.id).done_at is None
