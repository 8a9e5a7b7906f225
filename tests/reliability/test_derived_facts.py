"""Every write command keeps the stored derived facts (stage_changes.left_at,
leads.first_touch_at, leads.stages_entered) equal to what the history says, and undo puts
them back exactly (test_undo_exact compares whole dumps, these columns included)."""

from __future__ import annotations

import sqlite3

import pytest

from salesflow.store import derived
from tests.reliability.test_undo_exact import CASES, prepare


def facts(db_path) -> tuple[list, list]:
    conn = sqlite3.connect(db_path)
    try:
        left = conn.execute("SELECT id, left_at FROM stage_changes ORDER BY id").fetchall()
        leads = conn.execute(
            "SELECT id, first_touch_at, stages_entered FROM leads ORDER BY id"
        ).fetchall()
        assert derived.problems(conn) == []
        return left, leads
    finally:
        conn.close()


@pytest.mark.parametrize(("name", "args"), CASES, ids=[" ".join(a) for _, a in CASES])
def test_command_keeps_the_facts_right(ok, two_leads, db_path, name: str, args: list[str]) -> None:
    prepare(ok)
    before = facts(db_path)
    ok(*args)
    facts(db_path)  # asserts db check finds no stale fact
    ok("undo")
    assert facts(db_path) == before


def test_a_backdated_touch_and_a_removed_lead(ok, two_leads, db_path) -> None:
    ok("log", "1", "met at the fair", "--kind", "meeting", "--at", "2026-11-01 10:00")
    conn = sqlite3.connect(db_path)
    first = conn.execute("SELECT first_touch_at FROM leads WHERE id = 1").fetchone()[0]
    conn.close()
    assert first == "2026-11-01T10:00:00Z"  # TZ=UTC in the tests
    ok("lead", "rm", "1", "--yes")
    facts(db_path)
    ok("undo")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT first_touch_at FROM leads WHERE id = 1").fetchone()[0] == first
    conn.close()
