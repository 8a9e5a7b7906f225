"""salesflow.agenda: each section's rule, its limits and counts, with a pinned clock and zone.

NOW = Mon 2026-11-23 09:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from salesflow import activities, agenda, followups, leads, moves, pipeline, store
from salesflow.dates import Due

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NOW_ISO = "2026-11-23T09:00:00Z"
NY = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def lead(conn, name: str, created: str = NOW_ISO, stage: str = "lead"):
    return leads.add(conn, leads.LeadFields(name=name, company=f"{name} Co"), stage=stage,
                     currency="USD", now_iso=created)  # fmt: skip


def touch(conn, who, at: str) -> None:
    activities.log(conn, who, "call", "hi", happened_at=at, now_iso=NOW_ISO)


def plan(conn, who, day: date, at: time | None = None, now: datetime = NOW, tz=UTC):
    return followups.add(conn, who, "next", Due(day, at), now=now, tz=tz, force=True)


def ids(section: agenda.Section) -> list[int]:
    return [i.followup_id or i.lead_id for i in section.items]


def test_overdue_and_today(conn) -> None:
    a = lead(conn, "A")
    old = plan(conn, a, date(2026, 11, 16))  # a week late
    passed = plan(conn, a, date(2026, 11, 23), time(8, 30))  # 08:30 today, now 09:00
    coming = plan(conn, a, date(2026, 11, 23), time(9, 30))
    by_eod = plan(conn, a, date(2026, 11, 23))
    plan(conn, a, date(2026, 11, 24))  # tomorrow: neither
    done = plan(conn, a, date(2026, 11, 10))
    followups.complete(conn, done, done_at=NOW_ISO, now=NOW, tz=UTC)
    late = agenda.overdue(conn, NOW, UTC)
    assert ids(late) == [old.id, passed.id] and late.total == 2
    assert [i.days for i in late.items] == [7, 0]  # 11-23 minus 11-16 = 7 days late
    today = agenda.due_today(conn, NOW, UTC)
    assert ids(today) == [coming.id, by_eod.id] and today.total == 2
    limited = agenda.overdue(conn, NOW, UTC, limit=1)
    assert ids(limited) == [old.id] and limited.total == 2


def test_overdue_in_shanghai_and_on_new_york_dst_days(conn) -> None:
    a = lead(conn, "A")
    f = plan(conn, a, date(2026, 11, 23))
    # 16:30 UTC = 00:30 Tue in Shanghai: Monday's follow-up is overdue there, due today in UTC.
    evening = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
    assert ids(agenda.overdue(conn, evening, SHANGHAI)) == [f.id]
    assert ids(agenda.due_today(conn, evening, UTC)) == [f.id]
    # Fall-back Sunday 2026-11-01 ends at 05:00 UTC on 11-02 (EST, UTC-5).
    g = plan(conn, a, date(2026, 11, 1), now=datetime(2026, 11, 1, tzinfo=UTC), tz=NY)
    assert g.id not in ids(agenda.overdue(conn, datetime(2026, 11, 2, 4, 59, tzinfo=UTC), NY))
    assert g.id in ids(agenda.overdue(conn, datetime(2026, 11, 2, 5, 0, tzinfo=UTC), NY))
    # Spring-forward Sunday 2026-03-08 ends at 04:00 UTC on 03-09 (EDT, UTC-4).
    h = plan(conn, a, date(2026, 3, 8), now=datetime(2026, 3, 1, tzinfo=UTC), tz=NY)
    assert ids(agenda.due_today(conn, datetime(2026, 3, 9, 3, 59, tzinfo=UTC), NY)) == [h.id]
    assert h.id in ids(agenda.overdue(conn, datetime(2026, 3, 9, 4, 0, tzinfo=UTC), NY))


def test_unplanned(conn) -> None:
    a, b, c = lead(conn, "A"), lead(conn, "B", stage="proposal"), lead(conn, "C")
    won = lead(conn, "Won")
    moves.advance(conn, won, "won", now_iso=NOW_ISO)
    plan(conn, a, date(2026, 11, 30))
    done = plan(conn, c, date(2026, 11, 30))
    followups.complete(conn, done, done_at=NOW_ISO, now=NOW, tz=UTC)  # done: C has no next step
    touch(conn, c, "2026-11-20T09:00:00Z")
    section = agenda.unplanned(conn, NOW)
    # Later stage first (proposal before lead); A is planned; won deals are not in the pipeline.
    assert ids(section) == [b.id, c.id] and section.total == 2
    assert section.items[1].since == "2026-11-20T09:00:00Z"
    assert section.items[1].hours == 72 and section.items[1].days == 3  # 3 days to the minute
    assert section.items[0].since is None  # never touched
    limited = agenda.unplanned(conn, NOW, limit=1)
    assert ids(limited) == [b.id] and limited.total == 2


def test_stale_uses_each_stages_limit(conn) -> None:
    pipeline.set_pipeline(
        conn, [pipeline.parse_spec("lead:10"), pipeline.parse_spec("proposal:50:30")], {},
        NOW_ISO,
    )  # fmt: skip
    # Created 22 days ago, never touched: past lead's 14 days.
    old = lead(conn, "Old", created="2026-11-01T09:00:00Z")
    # Exactly 14 days idle is not "longer than" 14 days.
    edge = lead(conn, "Edge", created="2026-11-09T09:00:00Z")
    # Touched 10 days ago: fresh again.
    touched = lead(conn, "Touched", created="2026-10-01T09:00:00Z")
    touch(conn, touched, "2026-11-13T09:00:00Z")
    # 22 days idle, but proposal allows 30.
    slow = lead(conn, "Slow", created="2026-11-01T09:00:00Z", stage="proposal")
    # Created long ago, moved 5 days ago: the move counts as a sign of life.
    moved = lead(conn, "Moved", created="2026-09-01T09:00:00Z")
    moves.advance(conn, moved, "proposal", now_iso="2026-11-18T09:00:00Z")
    # Idle 40 days in proposal: past 30.
    older = lead(conn, "Older", created="2026-10-14T09:00:00Z", stage="proposal")
    section = agenda.stale(conn, NOW)
    assert ids(section) == [older.id, old.id]  # longest idle first
    assert [i.days for i in section.items] == [40, 22]  # 10-14→11-23 = 17+23; 11-01→11-23 = 22
    assert {edge.id, touched.id, slow.id, moved.id}.isdisjoint(ids(section))
    plan(conn, old, date(2026, 11, 30))  # a plan is not a touch: still stale
    assert old.id in ids(agenda.stale(conn, NOW))
    lost = leads.get(conn, old.id)
    moves.advance(conn, lost, "lost", now_iso="2026-11-01T09:00:00Z", reason="gone")
    assert ids(agenda.stale(conn, NOW)) == [older.id]  # closed deals are never stale
    # Renaming the stage a deal sits in (stages set --map) is not a touch: still stale.
    idle = lead(conn, "Idle", created="2026-11-02T09:00:00Z")  # 21 days idle in "lead"
    assert ids(agenda.stale(conn, NOW)) == [older.id, idle.id]
    specs = [pipeline.parse_spec("new:10"), pipeline.parse_spec("proposal:50:30")]
    pipeline.set_pipeline(conn, specs, {"lead": "new"}, NOW_ISO)
    assert leads.get(conn, idle.id).stage == "new"
    assert ids(agenda.stale(conn, NOW)) == [older.id, idle.id]


def test_first_touch(conn) -> None:
    day = timedelta(hours=24)
    late = lead(conn, "Late", created="2026-11-22T08:00:00Z")  # 25 h ago
    edge = lead(conn, "Edge", created="2026-11-22T09:00:00Z")  # exactly 24 h ago: not past
    fresh = lead(conn, "Fresh", created="2026-11-23T07:00:00Z")  # 2 h ago
    touched = lead(conn, "Touched", created="2026-11-20T08:00:00Z")
    touch(conn, touched, "2026-11-22T08:00:00Z")  # late, but touched: no longer flagged
    section = agenda.first_touch_missed(conn, NOW, day)
    assert ids(section) == [late.id] and section.items[0].hours == 25
    assert {edge.id, fresh.id, touched.id}.isdisjoint(ids(section))
    two_hours = agenda.first_touch_missed(conn, NOW, timedelta(hours=2))
    assert ids(two_hours) == [late.id, edge.id]  # fresh is exactly 2 h old: not past
    store.set_setting(conn, "first_touch", "90min")
    assert agenda.first_touch_limit(conn) == timedelta(minutes=90)
    assert ids(agenda.agenda(conn, NOW, UTC)[4]) == [late.id, edge.id, fresh.id]


def test_default_first_touch_is_24_hours(conn) -> None:
    assert agenda.first_touch_limit(conn) == timedelta(hours=24)


def test_agenda_order_and_records(conn) -> None:
    a = lead(conn, "A", created="2026-11-01T09:00:00Z")
    plan(conn, a, date(2026, 11, 20))
    sections = agenda.agenda(conn, NOW, UTC, limit=5)
    assert [s.name for s in sections] == list(agenda.SECTIONS)
    assert [s.total for s in sections] == [1, 0, 0, 1, 1]
    rec = sections[0].items[0].record()
    assert rec["section"] == "overdue" and rec["lead"] == "A" and rec["company"] == "A Co"
    assert rec["due_date"] == "2026-11-20" and rec["days"] == 3
    assert set(rec) == set(sections[3].items[0].record())  # one shape for every section


def test_agenda_reads_only_what_it_shows(conn) -> None:
    """The limit is applied in SQL: a query plan check would be brittle, so count rows
    fetched through a trace of the statements instead."""
    for i in range(30):
        lead(conn, f"L{i}", created="2026-10-01T09:00:00Z")
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    sections = agenda.agenda(conn, NOW, UTC, limit=3)
    conn.set_trace_callback(None)
    assert [len(s.items) for s in sections] == [0, 0, 3, 3, 3]
    assert [s.total for s in sections] == [0, 0, 30, 30, 30]
    assert all("LIMIT 3" in s for s in statements if "FROM leads l JOIN stages" in s)
