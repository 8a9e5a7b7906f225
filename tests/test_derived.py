"""The derived facts stored for the reports (store/derived.py, migration 6): their values on
the book of tests/reportbook.py worked out by hand, the report figures read through them
against the same figures computed the long way from the raw history, and `db check`
catching a stale value."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from salesflow import metrics
from salesflow.store import derived
from tests.reportbook import Book, at, build


@pytest.fixture
def book(tmp_path: Path) -> Book:
    return build(tmp_path / "sf.db")


def _left(conn: sqlite3.Connection, lead_id: int) -> list[tuple[str, str | None]]:
    return conn.execute(
        "SELECT to_stage, left_at FROM stage_changes WHERE lead_id = ? ORDER BY changed_at, id",
        (lead_id,),
    ).fetchall()


def test_each_visit_ends_at_the_next_change(book: Book) -> None:
    # A: lead 11-02 → contacted 11-03 → qualified 11-05 → proposal 11-09 → won 11-12 (now).
    assert _left(book.conn, 1) == [
        ("lead", at("2026-11-03")),
        ("contacted", at("2026-11-05")),
        ("qualified", at("2026-11-09")),
        ("proposal", at("2026-11-12")),
        ("won", None),
    ]
    # F was created and never moved: its one visit goes on.
    assert _left(book.conn, 6) == [("lead", None)]


def test_first_touch_is_the_earliest_activity(book: Book) -> None:
    got = dict(book.conn.execute("SELECT name, first_touch_at FROM leads"))
    # A: call 11-02 15:00 before the email 11-03; C: visit 11-03 21:00; E: meeting 11-12
    # before the note 11-17; D, F and G have no touch.
    assert got == {
        "A": at("2026-11-02", 15),
        "B": at("2026-11-03"),
        "C": at("2026-11-03", 21),
        "D": None,
        "E": at("2026-11-12"),
        "F": None,
        "G": None,
    }


def test_stages_entered_in_name_order(book: Book) -> None:
    got = dict(book.conn.execute("SELECT name, stages_entered FROM leads"))
    assert got["A"] == '["contacted","lead","proposal","qualified","won"]'
    assert got["C"] == '["lead","lost","qualified"]'  # skipped contacted
    assert got["F"] == '["lead"]'


def test_a_backdated_move_and_touch_reorder_the_facts(book: Book) -> None:
    # F (lead since 11-16): a move dated 11-20, then an earlier one at 11-18 slotted in
    # before it — the lead visit now ends 11-18, the contacted visit 11-20.
    book.move(6, "qualified", at("2026-11-20"))
    book.conn.execute(
        "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at) "
        "VALUES (6, 'lead', 'contacted', ?)",
        (at("2026-11-18"),),
    )
    assert _left(book.conn, 6) == [
        ("lead", at("2026-11-18")),
        ("contacted", at("2026-11-20")),
        ("qualified", None),
    ]
    # Taking the 11-18 move out again joins the visits back up.
    book.conn.execute("DELETE FROM stage_changes WHERE lead_id = 6 AND to_stage = 'contacted'")
    assert _left(book.conn, 6) == [("lead", at("2026-11-20")), ("qualified", None)]
    # A touch of A dated before its first (imported history) becomes the first touch; moving
    # it to another lead gives the first touch back.
    book.touch(1, at("2026-11-01"))
    first = "SELECT first_touch_at FROM leads WHERE id = ?"
    assert book.conn.execute(first, (1,)).fetchone()[0] == at("2026-11-01")
    book.conn.execute(
        "UPDATE activities SET lead_id = 6 WHERE happened_at = ?", (at("2026-11-01"),)
    )
    assert book.conn.execute(first, (1,)).fetchone()[0] == at("2026-11-02", 15)
    assert book.conn.execute(first, (6,)).fetchone()[0] == at("2026-11-01")
    assert derived.problems(book.conn) == []


def test_time_in_stage_by_hand(book: Book) -> None:
    # Visits (UTC days): lead A 1, B 2, C 0, D 0, E 1, F 11-16 → now 11-23 = 7, G 1;
    # contacted A 2, B 2, E 5; qualified A 4, C 7; proposal A 3, E 11-16 → now = 7.
    assert metrics.stage_days(book.scope()) == {
        "lead": {0: 2, 1: 3, 2: 1, 7: 1},
        "contacted": {2: 2, 5: 1},
        "qualified": {4: 1, 7: 1},
        "proposal": {3: 1, 7: 1},
    }
    # As of the end of 11-10: A's proposal visit (11-09 →) goes on until 11-10 = 1 day; E,
    # created 11-10, sits 0 days in lead; C's qualified visit ended 11-10 (7 days); F and G
    # do not exist yet.
    assert metrics.stage_days(book.scope(as_of=date(2026, 11, 10))) == {
        "lead": {0: 3, 1: 1, 2: 1},
        "contacted": {2: 2},
        "qualified": {4: 1, 7: 1},
        "proposal": {1: 1},
    }


def test_time_in_stage_counts_local_days(tmp_path: Path) -> None:
    b = Book(tmp_path / "sf.db")
    # Shanghai is UTC+8, New York UTC-5 in November.
    # X: 11-02 20:00Z → 11-04 01:00Z: 2 UTC days; Shanghai 11-03 04:00 → 11-04 09:00 = 1;
    #    New York 11-02 15:00 → 11-03 20:00 = 1.
    x = b.add("X", at("2026-11-02", 20))
    b.move(x, "contacted", at("2026-11-04", 1))
    # Y: 11-02 10:00Z → 11-04 17:00Z: 2 UTC days; Shanghai 11-02 18:00 → 11-05 01:00 = 3;
    #    New York 11-02 05:00 → 11-04 12:00 = 2.
    y = b.add("Y", at("2026-11-02", 10))
    b.move(y, "contacted", at("2026-11-04", 17))
    lead = {z: metrics.stage_days(b.scope(tz=z))["lead"] for z in ("UTC", "Asia/Shanghai")}
    assert lead == {"UTC": {2: 2}, "Asia/Shanghai": {1: 1, 3: 1}}
    assert metrics.stage_days(b.scope(tz="America/New_York"))["lead"] == {1: 1, 2: 1}


# ---- the same figures the long way, from the raw history ------------------------------


def _stage_days_long_way(sc: metrics.Scope) -> dict[str, dict[int, int]]:
    """Time in stage by the definition, with a window function over every stage change."""
    w, days = sc.window, sc.days
    cohort = ""
    if w.since or w.until:
        cohort = f"AND lead_id IN (SELECT id FROM leads WHERE {w.within('created_at')})"
    out: dict[str, dict[int, int]] = {}
    for stage, d, n in sc.conn.execute(
        f"SELECT stage, {days.day('left_at')} - {days.day('entered_at')} AS d, count(*) "
        "FROM (SELECT to_stage AS stage, changed_at AS entered_at, coalesce(lead(changed_at) "
        "OVER (PARTITION BY lead_id ORDER BY changed_at, id), :at) AS left_at "
        f"FROM stage_changes WHERE changed_at <= :at {cohort}) GROUP BY stage, d",
        sc.params,
    ):
        if stage in sc.open_names:
            out.setdefault(stage, {})[d] = n
    return out


def _first_touch_long_way(sc: metrics.Scope) -> tuple[int, float | None]:
    hours = sorted(
        max(0.0, (f - c) * 24)
        for f, c in sc.conn.execute(
            "SELECT julianday((SELECT min(happened_at) FROM activities a "
            "WHERE a.lead_id = l.id AND a.happened_at <= :at)), julianday(created_at) "
            f"FROM leads l WHERE created_at <= :at AND {sc.window.within('created_at')}",
            sc.params,
        )
        if f is not None
    )
    if not hours:
        return 0, None
    mid = (len(hours) - 1) // 2
    return len(hours), round((hours[mid] + hours[len(hours) // 2]) / 2, 4)


WINDOWS: list[dict[str, Any]] = [
    {},
    {"since": date(2026, 3, 1), "until": date(2026, 8, 31)},
    {"as_of": date(2026, 6, 15)},
    {"since": date(2026, 1, 1), "as_of": date(2026, 9, 30)},
]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded demo written as one journalled command: the bulk path, whose triggers pause
    while it appends and whose facts are then refreshed in one pass."""
    from datetime import UTC, datetime

    from salesflow import demo, store

    path = tmp_path_factory.mktemp("demo") / "sf.db"
    conn = store.connect(path)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with store.transaction(conn, command="demo", now_iso="2026-11-23T09:00:00Z"):
        demo.fill(conn, leads=400, seed=11, now=now, tz=UTC, currency="USD")
    assert derived.problems(conn) == []
    conn.close()
    return path


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York", "Europe/London"])
@pytest.mark.parametrize("window", WINDOWS, ids=["all", "since-until", "as-of", "since-as-of"])
def test_reports_read_through_the_facts_match_the_long_way(
    demo_db: Path, zone: str, window: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sc = Book(demo_db).scope(tz=zone, **window)
    assert metrics.stage_days(sc) == _stage_days_long_way(sc)
    assert metrics.first_touch_median(sc) == _first_touch_long_way(sc)
    fast_reach = metrics.reach(sc, outcome=True)
    fast_tallies = metrics.tallies(sc)
    # The long way for reach and tallies: one aggregate over every stage change, and a
    # scan of every lead grouped by stage, currency and cycle.
    monkeypatch.setattr(metrics.stages, "_history_ends_by", lambda sc: False)
    monkeypatch.setattr(metrics.tally, "_tally_in_order", lambda sc, by: False)
    assert fast_reach == metrics.reach(sc, outcome=True)
    assert _totals(fast_tallies) == _totals(metrics.tallies(sc))


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai"])
@pytest.mark.parametrize("window", WINDOWS, ids=["all", "since-until", "as-of", "since-as-of"])
def test_followup_counts_through_the_on_time_index_match_one_pass(
    demo_db: Path, zone: str, window: dict[str, Any]
) -> None:
    sc = Book(demo_db).scope(tz=zone, **window)
    # The one pass over every follow-up due, as before migration 7.
    expected = sc.conn.execute(
        f"SELECT count(*), coalesce(sum({metrics.habits._on_time(sc)}), 0) FROM followups "
        f"WHERE {metrics.habits._followups_due(sc)}",
        sc.params,
    ).fetchone()
    assert metrics.followup_counts(sc) == tuple(expected)
    assert expected[0] > expected[1] > 0  # the demo has late and on-time follow-ups here
    if zone == "UTC" and "as_of" not in window:  # the index path was taken
        plan = sc.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT count(*) FROM followups "
            f"WHERE due_date < :ended_before AND {metrics.ON_TIME_UTC}",
            sc.params,
        ).fetchall()
        assert "followups_on_time" in str(plan)


def _totals(rows: list[metrics.Tally]) -> tuple[dict, dict]:
    """What the reports take from tallies: every sum per (stage, currency), and the won
    deals' cycle lengths (the rows may be split differently)."""
    sums: dict[tuple[str, str], list[int]] = {}
    for t in rows:
        got = sums.setdefault((t.stage, t.currency), [0] * 7)
        for i, v in enumerate((t.deals, t.value, t.cohort, t.cohort_value, t.closed,
                               t.closed_value, t.closed_valued)):  # fmt: skip
            got[i] += v
    return sums, metrics.cycle_histogram(rows)


def test_a_stale_fact_is_caught_by_db_check(book: Book) -> None:
    assert derived.problems(book.conn) == []
    # Hand edits bypass the triggers (only moves of rows fire them).
    book.conn.execute(
        "UPDATE stage_changes SET left_at = NULL WHERE lead_id = 1 AND to_stage = 'lead'"
    )
    book.conn.execute("UPDATE leads SET first_touch_at = ? WHERE id = 5", (at("2026-11-13"),))
    book.conn.execute("UPDATE leads SET stages_entered = '[\"lead\"]' WHERE id = 3")
    book.conn.execute("UPDATE leads SET first_touch_at = NULL WHERE id = 2")
    problems = derived.problems(book.conn)
    assert problems == [
        "stage change #1 of lead #1: left_at is empty but the lead's next change is at "
        "2026-11-03T09:00:00Z",
        "lead #2: first_touch_at is empty but its first activity is at 2026-11-03T09:00:00Z",
        "lead #5: first_touch_at is 2026-11-13T09:00:00Z but its first activity is at "
        "2026-11-12T09:00:00Z",
        'lead #3: stages_entered is ["lead"] but its history has entered '
        '["lead","lost","qualified"]',
    ]


def test_db_check_names_stale_facts(ok, fails, db_path: Path) -> None:
    ok("lead", "add", "Acme")
    ok("advance", "1")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE stage_changes SET left_at = '2001-01-01T00:00:00Z' WHERE id = 1")
    conn.commit()
    conn.close()
    result = fails("db", "check", match="1 problem(s) found")
    assert "problem: stage change #1 of lead #1: left_at is 2001-01-01T00:00:00Z" in result.stdout


def test_many_stale_facts_are_summed_up(book: Book) -> None:
    book.conn.execute("UPDATE stage_changes SET left_at = 'x'")
    problems = derived.problems(book.conn, shown=2)
    # 19 stage changes in the book (7 creations; moves A 4, B 2, C 2, D 1, E 2, G 1), all
    # now wrong: two shown, 17 summed up.
    assert len(problems) == 3 and problems[-1] == "… and 17 more stage changes with a wrong left_at"
