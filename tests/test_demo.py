"""The demo generator: same seed same data, and a history that obeys every rule of the app."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from salesflow import demo, pipeline, store
from salesflow.store.check import problems
from tests.conftest import dump

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
NOW_ISO = "2026-11-23T09:00:00Z"


def filled(
    path: Path, *, leads: int = 300, seed: int = 7, tz=UTC, currency: str = "USD"
) -> tuple[sqlite3.Connection, demo.DemoSummary]:
    conn = store.connect(path)
    with store.transaction(conn, write=True):
        summary = demo.fill(conn, leads=leads, seed=seed, now=NOW, tz=tz, currency=currency)
    return conn, summary


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[sqlite3.Connection, demo.DemoSummary]:
    """One 300-lead demo database shared by the read-only checks below."""
    return filled(tmp_path_factory.mktemp("demo") / "sf.db")


def one(conn: sqlite3.Connection, sql: str, *params: object) -> object:
    return conn.execute(sql, params).fetchone()[0]


def test_same_seed_same_database_other_seed_other_data(tmp_path: Path) -> None:
    a, _ = filled(tmp_path / "a.db", leads=120, seed=42)
    b, _ = filled(tmp_path / "b.db", leads=120, seed=42)
    c, _ = filled(tmp_path / "c.db", leads=120, seed=43)
    for conn in (a, b, c):
        conn.close()
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")
    assert dump(tmp_path / "a.db") != dump(tmp_path / "c.db")


def test_summary_counts_are_the_rows_written(sample) -> None:
    conn, s = sample
    assert s.leads == one(conn, "SELECT count(*) FROM leads") == 300
    assert s.open + s.won + s.lost == 300
    assert s.won == one(conn, "SELECT count(*) FROM leads WHERE stage = 'won'")
    assert s.lost == one(conn, "SELECT count(*) FROM leads WHERE stage = 'lost'")
    assert s.stage_changes == one(conn, "SELECT count(*) FROM stage_changes")
    assert s.activities == one(conn, "SELECT count(*) FROM activities")
    assert s.followups == one(conn, "SELECT count(*) FROM followups")
    assert s.open_followups == one(conn, "SELECT count(*) FROM followups WHERE done_at IS NULL")
    # Date-only dues before today, plus timed ones today whose time has passed (TZ is UTC).
    assert s.overdue_followups == one(
        conn,
        "SELECT count(*) FROM followups WHERE done_at IS NULL AND (due_date < '2026-11-23' "
        "OR (due_date = '2026-11-23' AND due_time <= '09:00'))",
    )
    assert s.customers == one(conn, "SELECT count(*) FROM customers")
    assert s.repeat_customers == one(
        conn,
        "SELECT count(*) FROM (SELECT customer_id FROM leads WHERE stage = 'won' "
        "GROUP BY customer_id HAVING count(*) >= 2)",
    )
    assert s.reopened == one(
        conn, "SELECT count(DISTINCT lead_id) FROM stage_changes WHERE from_stage = 'lost'"
    )


def test_a_realistic_mix(sample) -> None:
    conn, s = sample
    assert s.open > 0 and s.won > 0 and s.lost > 0 and s.reopened > 0 and s.repeat_customers > 0
    # About ten touches a lead (the 100k leads ≈ 1M activities).
    assert 8 <= s.activities / s.leads <= 12
    assert one(conn, "SELECT count(DISTINCT source) FROM leads") >= 6
    assert one(conn, "SELECT count(DISTINCT lost_reason) FROM leads") >= 5
    assert one(conn, "SELECT count(DISTINCT kind) FROM activities") == 5
    assert {r[0] for r in conn.execute("SELECT DISTINCT segment FROM customers")} == {
        "key", "smb", "individual",
    }  # fmt: skip
    # CJK and Latin people and companies, and leads without a company.
    assert one(conn, "SELECT count(*) FROM leads WHERE company LIKE '%有限公司'") > 0
    assert one(conn, "SELECT count(*) FROM leads WHERE company GLOB '*[A-Za-z]*'") > 0
    assert one(conn, "SELECT count(*) FROM leads WHERE company IS NULL") > 0
    assert one(conn, "SELECT count(*) FROM leads WHERE unicode(name) > 0x4E00") > 0
    assert one(conn, "SELECT count(*) FROM stage_changes WHERE note = 'skipped a stage'") > 0
    # Leads arrive over the twelve months before now.
    first, last = conn.execute("SELECT min(created_at), max(created_at) FROM leads").fetchone()
    assert "2025-11-23" <= first < "2026-01-01" and "2026-11-01" <= last <= NOW_ISO


def test_grades_differ_in_win_rate_and_cycle(sample) -> None:
    conn, _ = sample
    rows = {
        g: (won / (won + lost), cycle)
        for g, won, lost, cycle in conn.execute(
            "SELECT grade, sum(stage = 'won'), sum(stage = 'lost'), "
            "avg(CASE WHEN stage = 'won' THEN julianday(closed_at) - julianday(created_at) END) "
            "FROM leads GROUP BY grade"
        )
    }
    assert rows["A"][0] > rows["B"][0] > rows["C"][0]
    assert rows["A"][1] < rows["B"][1]


def test_db_check_finds_nothing(sample) -> None:
    conn, _ = sample
    assert problems(conn) == []


def test_every_history_follows_the_pipeline_and_ends_in_the_current_stage(sample) -> None:
    conn, _ = sample
    position = {s.name: s.position for s in pipeline.stages(conn)}
    first_open = pipeline.open_stages(conn)[0].name
    leads = {r[0]: r[1:] for r in conn.execute(
        "SELECT id, stage, closed_at, lost_reason, lost_from, created_at FROM leads"
    )}  # fmt: skip
    history: dict[int, list[tuple]] = {}
    for row in conn.execute(
        "SELECT lead_id, from_stage, to_stage, changed_at, reason FROM stage_changes "
        "ORDER BY lead_id, changed_at, id"
    ):
        history.setdefault(row[0], []).append(row[1:])
    assert history.keys() == leads.keys()
    for lead_id, moves in history.items():
        stage, closed_at, lost_reason, lost_from, created_at = leads[lead_id]
        assert moves[0][:2] == (None, first_open) and moves[0][2] == created_at
        for (_, prev_to, prev_at, _), (frm, to, at, reason) in zip(moves, moves[1:], strict=False):
            assert frm == prev_to and at > prev_at, (lead_id, moves)
            if frm == "lost":  # a reopening goes back to where it was lost
                assert to != "won" and to != "lost"
            elif to == "lost":
                assert reason
            elif to != "won":  # forwards, one stage or (rarely) two
                assert position[to] - position[frm] in (1, 2), (lead_id, moves)
            else:
                assert position[frm] == position["won"] - 1  # won from the last open stage
        assert moves[-1][1] == stage
        if stage in ("won", "lost"):
            assert closed_at == moves[-1][2]
        else:
            assert closed_at is None
        if stage == "lost":
            assert lost_reason == moves[-1][3] and lost_from == moves[-1][0]
        else:
            assert lost_reason is None and lost_from is None


def test_touches_and_follow_ups_sit_inside_the_lead_lifetime(sample) -> None:
    conn, _ = sample
    outside = one(
        conn,
        "SELECT count(*) FROM activities a JOIN leads l ON l.id = a.lead_id "
        "WHERE a.happened_at < l.created_at OR a.happened_at > coalesce(l.closed_at, ?) "
        "OR a.created_at < a.happened_at OR a.created_at > ?",
        NOW_ISO,
        NOW_ISO,
    )
    assert outside == 0
    bad_followups = one(
        conn,
        "SELECT count(*) FROM followups f JOIN leads l ON l.id = f.lead_id "
        "WHERE f.created_at < l.created_at OR f.created_at > ? "
        "OR f.done_at < f.created_at OR f.done_at > coalesce(l.closed_at, ?) "
        "OR f.due_date < substr(l.created_at, 1, 10) "
        "OR (f.done_at IS NULL AND l.stage IN ('won', 'lost'))",
        NOW_ISO,
        NOW_ISO,
    )
    assert bad_followups == 0
    # Every lead was touched, the first touch after it came in.
    assert (
        one(conn, "SELECT count(*) FROM leads WHERE id NOT IN (SELECT lead_id FROM activities)")
        == 0
    )


def test_follow_ups_overdue_today_upcoming_on_time_and_late(sample) -> None:
    conn, _ = sample
    kinds = dict(
        conn.execute(
            "SELECT CASE WHEN done_at IS NULL THEN "
            "(CASE WHEN due_date < '2026-11-23' THEN 'overdue' "
            "WHEN due_date = '2026-11-23' THEN 'today' ELSE 'upcoming' END) "
            "WHEN substr(done_at, 1, 10) <= due_date THEN 'on time' ELSE 'late' END, count(*) "
            "FROM followups GROUP BY 1"
        ).fetchall()
    )
    assert set(kinds) == {"overdue", "today", "upcoming", "on time", "late"}
    assert kinds["on time"] > kinds["late"]
    # Most open deals have a next step; some are unplanned.
    planned = one(
        conn,
        "SELECT count(DISTINCT f.lead_id) FROM followups f JOIN leads l ON l.id = f.lead_id "
        "WHERE f.done_at IS NULL",
    )
    open_deals = one(conn, "SELECT count(*) FROM leads WHERE stage NOT IN ('won', 'lost')")
    assert 0.6 * open_deals < planned < open_deals


def test_customers_are_exactly_the_won_deals(sample) -> None:
    conn, _ = sample
    assert (
        one(conn, "SELECT count(*) FROM leads WHERE (stage = 'won') != (customer_id IS NOT NULL)")
        == 0
    )
    mismatched = one(
        conn,
        "SELECT count(*) FROM leads l JOIN customers c ON c.id = l.customer_id "
        "WHERE c.name != coalesce(l.company, l.name)",
    )
    assert mismatched == 0
    # A customer exists from its first win.
    assert (
        one(
            conn,
            "SELECT count(*) FROM customers c WHERE created_at != "
            "(SELECT min(closed_at) FROM leads WHERE customer_id = c.id)",
        )
        == 0
    )
    individuals = one(
        conn,
        "SELECT count(*) FROM customers c JOIN leads l ON l.customer_id = c.id "
        "WHERE (c.segment = 'individual') != (l.company IS NULL)",
    )
    assert individuals == 0


def test_open_deals_have_expected_close_dates_and_money_is_minor_units(sample) -> None:
    conn, _ = sample
    assert one(conn, "SELECT count(*) FROM leads WHERE stage NOT IN ('won', 'lost') "
                     "AND expected_close IS NULL") == 0  # fmt: skip
    assert one(conn, "SELECT count(*) FROM leads WHERE value_minor % 100 != 0") == 0
    assert one(conn, "SELECT count(DISTINCT currency) FROM leads") == 1


def test_local_dates_follow_the_zone(tmp_path: Path) -> None:
    # 09:00 UTC on Nov 23 is 17:00 in Shanghai: still Nov 23 there; due dates are local days.
    conn, s = filled(tmp_path / "sh.db", leads=80, tz=ZoneInfo("Asia/Shanghai"), currency="CNY")
    assert problems(conn) == []
    assert one(conn, "SELECT max(happened_at) FROM activities") <= NOW_ISO
    # Nobody calls at night: 00:00-06:59 in Shanghai is 16:00-22:59 UTC.
    night = one(
        conn,
        "SELECT count(*) FROM activities WHERE substr(happened_at, 12, 2) BETWEEN '16' AND '22'",
    )
    assert night == 0
    assert one(conn, "SELECT count(*) FROM leads WHERE company LIKE '%有限公司'") > 30


def test_a_custom_pipeline_is_walked_as_it_is(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "sf.db")
    with store.transaction(conn, write=True):
        pipeline.set_pipeline(conn, pipeline.preset("seed6"), {}, "2026-11-23T00:00:00Z")
        demo.fill(conn, leads=60, seed=1, now=NOW, tz=UTC, currency="EUR")
    assert problems(conn) == []
    used = {r[0] for r in conn.execute("SELECT DISTINCT to_stage FROM stage_changes")}
    assert used <= {"identify", "demo", "needs & solution", "quote/contract", "won", "lost"}


def test_adds_after_existing_leads_and_joins_existing_customers(tmp_path: Path) -> None:
    conn, _ = filled(tmp_path / "sf.db", leads=50)
    before = dump(tmp_path / "sf.db")
    with store.transaction(conn, write=True):
        demo.fill(conn, leads=50, seed=7, now=NOW, tz=UTC, currency="USD")
    after = dump(tmp_path / "sf.db")
    assert set(before) <= set(after)  # nothing that was there changed
    assert one(conn, "SELECT min(id), max(id) FROM leads") == 1
    assert one(conn, "SELECT count(*) FROM leads") == 100
    # Seed 7 twice: the same customers win again and join the existing rows, no duplicates.
    assert one(conn, "SELECT count(*) FROM customers") == one(
        conn, "SELECT count(DISTINCT coalesce(company, name)) FROM leads WHERE stage = 'won'"
    )
    assert problems(conn) == []


def test_progress_reports_every_step_to_the_end(tmp_path: Path) -> None:
    seen: dict[str, tuple[int, int]] = {}
    conn = store.connect(tmp_path / "sf.db")
    with store.transaction(conn, write=True):
        demo.fill(
            conn, leads=2500, seed=1, now=NOW, tz=UTC, currency="USD",
            progress=lambda step, done, total: seen.__setitem__(step, (done, total)),
        )  # fmt: skip
    assert seen == {"leads": (2500, 2500), "activities": (2500, 2500), "follow-ups": (2500, 2500)}


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Shanghai", "Pacific/Chatham"])
def test_the_integer_clock_agrees_with_datetime(zone: str) -> None:
    from salesflow import dates

    tz = ZoneInfo(zone)
    clock = demo._Clock(NOW, tz)
    # Every day of the year, morning and evening, across both DST switches.
    for day in range(clock.first, 30):
        for minute in (8 * 60, 19 * 60 + 30):
            ts = clock.at(day, minute)
            local = datetime.fromtimestamp(ts, tz)
            assert (local.hour, local.minute) == divmod(minute, 60), (day, local)
            assert clock.local_date(day) == local.date().isoformat()
            assert clock.day_of(ts) == day
            assert clock.iso(ts) == dates.to_utc_iso(local)
