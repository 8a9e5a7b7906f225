"""leads.touched_at and leads.idle_since (salesflow/touches.py): written with every activity and
move, taken back by undo, and caught by `db check` when they disagree with the rows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from salesflow import activities, leads, moves, pipeline, store, touches
from salesflow.store import journal

NOW_ISO = "2026-11-23T09:00:00Z"
DATA = Path(__file__).resolve().parent / "data"


def facts(conn: sqlite3.Connection, lead_id: int) -> tuple[str | None, str]:
    return conn.execute(
        "SELECT touched_at, idle_since FROM leads WHERE id = ?", (lead_id,)
    ).fetchone()


def new_lead(conn: sqlite3.Connection, name: str, created: str) -> leads.Lead:
    return leads.add(conn, leads.LeadFields(name=name), stage="lead", currency="USD",
                     now_iso=created)  # fmt: skip


def log(conn: sqlite3.Connection, lead: leads.Lead, at: str) -> None:
    activities.log(conn, lead, "call", "hi", happened_at=at, now_iso=NOW_ISO)


def test_a_new_lead_is_idle_since_its_creation_and_never_touched(conn) -> None:
    a = new_lead(conn, "A", "2026-11-01T09:00:00Z")
    assert facts(conn, a.id) == (None, "2026-11-01T09:00:00Z")


def test_touches_and_moves_move_the_facts_forward_only(conn) -> None:
    a = new_lead(conn, "A", "2026-11-01T09:00:00Z")
    log(conn, a, "2026-11-10T09:00:00Z")
    assert facts(conn, a.id) == ("2026-11-10T09:00:00Z", "2026-11-10T09:00:00Z")
    # Logged afterwards, for an earlier day: the latest touch stays the latest.
    log(conn, a, "2026-11-05T09:00:00Z")
    assert facts(conn, a.id) == ("2026-11-10T09:00:00Z", "2026-11-10T09:00:00Z")
    moves.advance(conn, leads.get(conn, a.id), "proposal", now_iso="2026-11-15T09:00:00Z")
    # A move is a sign of life for idle_since, not a touch.
    assert facts(conn, a.id) == ("2026-11-10T09:00:00Z", "2026-11-15T09:00:00Z")
    log(conn, a, "2026-11-20T09:00:00Z")
    assert facts(conn, a.id) == ("2026-11-20T09:00:00Z", "2026-11-20T09:00:00Z")
    assert touches.problems(conn) == []


def test_a_pipeline_remap_is_not_a_sign_of_life(conn) -> None:
    a = new_lead(conn, "A", "2026-11-01T09:00:00Z")
    specs = [pipeline.parse_spec("new:10"), pipeline.parse_spec("proposal:50")]
    pipeline.set_pipeline(conn, specs, {"lead": "new"}, NOW_ISO)
    assert leads.get(conn, a.id).stage == "new"
    assert facts(conn, a.id) == (None, "2026-11-01T09:00:00Z")
    assert touches.problems(conn) == []


def test_undo_takes_the_facts_back(conn) -> None:
    a = new_lead(conn, "A", "2026-11-01T09:00:00Z")
    with store.transaction(conn, command="log", now_iso=NOW_ISO):
        log(conn, a, "2026-11-20T09:00:00Z")
    with store.transaction(conn, command="advance", now_iso=NOW_ISO):
        moves.advance(conn, leads.get(conn, a.id), "proposal", now_iso="2026-11-22T09:00:00Z")
    assert facts(conn, a.id) == ("2026-11-20T09:00:00Z", "2026-11-22T09:00:00Z")
    with store.transaction(conn, write=True):
        journal.undo_last(conn)
    assert facts(conn, a.id) == ("2026-11-20T09:00:00Z", "2026-11-20T09:00:00Z")
    with store.transaction(conn, write=True):
        journal.undo_last(conn)
    assert facts(conn, a.id) == (None, "2026-11-01T09:00:00Z")
    assert touches.problems(conn) == []


def test_migration_fills_existing_leads(tmp_path: Path) -> None:
    """A schema-4 database with history gets the facts worked out from its rows."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {store.APPLICATION_ID}")
    store._migrate(conn, path, 0, upto=4)
    conn.executescript(
        "INSERT INTO leads (id, name, currency, stage, created_at, updated_at) VALUES "
        "(1, 'Touched', 'USD', 'proposal', '2026-10-01T00:00:00Z', 't'), "
        "(2, 'Remapped', 'USD', 'lead', '2026-10-02T00:00:00Z', 't'), "
        "(3, 'Moved late', 'USD', 'quote', '2026-10-03T00:00:00Z', 't');"
        "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, note) VALUES "
        "(1, NULL, 'lead', '2026-10-01T00:00:00Z', 'created'), "
        "(1, 'lead', 'proposal', '2026-10-05T00:00:00Z', NULL), "
        "(2, NULL, 'lead', '2026-10-02T00:00:00Z', 'created'), "
        "(2, 'old', 'lead', '2026-11-01T00:00:00Z', 'pipeline changed'), "
        "(3, NULL, 'lead', '2026-10-03T00:00:00Z', 'created'), "
        "(3, 'lead', 'quote', '2026-11-10T00:00:00Z', NULL);"
        "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) VALUES "
        "(1, 'call', 'x', '2026-10-20T00:00:00Z', 't'), "
        "(1, 'call', 'x', '2026-10-09T00:00:00Z', 't'), "
        "(3, 'call', 'x', '2026-11-01T00:00:00Z', 't');"
    )
    conn.close()
    conn = store.connect(path)
    rows = conn.execute("SELECT id, touched_at, idle_since FROM leads ORDER BY id").fetchall()
    assert rows == [
        (1, "2026-10-20T00:00:00Z", "2026-10-20T00:00:00Z"),  # latest of 2 touches > move 10-05
        (2, None, "2026-10-02T00:00:00Z"),  # the remap on 11-01 does not count
        (3, "2026-11-01T00:00:00Z", "2026-11-10T00:00:00Z"),  # the move is later than the touch
    ]
    assert touches.problems(conn) == []


def test_db_check_catches_stale_facts(ok, run, two_leads, db_path: Path) -> None:
    ok("log", "1", "called", "--at", "2026-11-20 10:00")
    assert "passed every check" in ok("db", "check").stdout
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE leads SET touched_at = '2026-11-01T00:00:00Z' WHERE id = 1")
    conn.execute("UPDATE leads SET idle_since = '2026-01-01T00:00:00Z' WHERE id = 2")
    conn.commit()
    conn.close()
    result = run("db", "check")
    assert result.exit_code == 1
    assert (
        "lead #1: touched_at is 2026-11-01T00:00:00Z but its latest activity is "
        "2026-11-20T10:00:00Z" in result.stdout
    )
    assert "lead #2: idle_since is 2026-01-01T00:00:00Z, not " + "2026-11-23T09:00:00Z" in (
        result.stdout
    )


def test_import_activities_and_its_undo(ok, two_leads, db_path: Path) -> None:
    # activities.csv: lead 1 at 2026-11-20 10:00 and 2026-11-21 08:00, lead 2 on 2026-11-22.
    ok("import", "activities", str(DATA / "activities.csv"))
    conn = sqlite3.connect(db_path)
    assert facts(conn, 1) == ("2026-11-21T08:00:00Z", "2026-11-23T09:00:00Z")  # created now
    assert facts(conn, 2) == ("2026-11-22T00:00:00Z", "2026-11-23T09:00:00Z")
    conn.close()
    conn = sqlite3.connect(db_path)
    # Two undo steps whatever the number of rows: delete the appended activities, and work
    # the two leads' facts out again from the activities there were before.
    steps = [r[0] for r in conn.execute("SELECT sql FROM journal_steps ORDER BY id")][-2:]
    assert steps[0].startswith('DELETE FROM "activities" WHERE rowid > ')
    assert steps[1].startswith("UPDATE leads SET touched_at = ") and "id IN (1,2)" in steps[1]
    conn.close()
    ok("undo")
    conn = sqlite3.connect(db_path)
    assert facts(conn, 1) == (None, "2026-11-23T09:00:00Z")
    assert touches.problems(conn) == []
    conn.close()
    assert "passed every check" in ok("db", "check").stdout


def test_lead_rm_and_its_undo(ok, two_leads, db_path: Path) -> None:
    ok("log", "2", "called", "--at", "2026-11-20 10:00")
    ok("lead", "rm", "2", "--yes")
    ok("undo")
    conn = sqlite3.connect(db_path)
    assert facts(conn, 2) == ("2026-11-20T10:00:00Z", "2026-11-23T09:00:00Z")
    conn.close()
    assert "passed every check" in ok("db", "check").stdout


def test_demo_writes_the_facts(tmp_path: Path) -> None:
    from salesflow import demo

    conn = store.connect(tmp_path / "demo.db")
    with store.transaction(conn, command="demo", now_iso=NOW_ISO):
        demo.fill(conn, leads=120, seed=3, now=datetime(2026, 11, 23, 9, tzinfo=UTC), tz=UTC,
                  currency="USD")  # fmt: skip
    assert touches.problems(conn) == []
    untouched = conn.execute("SELECT count(*) FROM leads WHERE touched_at IS NULL").fetchone()
    assert untouched[0] < 120  # the demo's leads have touches: the check compared real values
