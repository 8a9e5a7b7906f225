"""The compact undo step for bulk inserts (journal.bulk_insert)."""

import sqlite3
from pathlib import Path

import pytest

from salesflow import leads, store
from salesflow.store import journal
from tests.conftest import dump

NOW = "2026-11-23T09:00:00Z"


def new(name: str) -> leads.NewLead:
    return leads.NewLead(name=name, stage="lead", currency="CNY", created_at=NOW, updated_at=NOW)


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    conn = store.connect(tmp_path / "sf.db")
    with store.transaction(conn, command="lead add", now_iso=NOW):
        leads.insert(conn, [new("张伟"), new("Jane Roe")])
    return conn


def steps(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT sql FROM journal_steps ORDER BY id")]


def test_a_bulk_insert_is_one_step_per_table_and_undo_is_exact(conn, tmp_path) -> None:
    before, kept = dump(tmp_path / "sf.db"), steps(conn)
    with store.transaction(conn, command="import leads x.csv", now_iso=NOW):
        conn.execute("UPDATE leads SET grade = 'A' WHERE id = 1")  # journalled row by row
        with journal.bulk_insert(conn, "leads", "stage_changes"):
            added = leads.insert(conn, [new(f"Lead {i}") for i in range(500)])
    assert added == range(3, 503)
    # 2 leads existed, so the 500 new ones are ids 3..502, and so are their history rows
    # (the 2 earlier leads have history rows 1 and 2).
    assert steps(conn)[len(kept) :] == [
        steps(conn)[len(kept)],  # the UPDATE's inverse
        'DELETE FROM "leads" WHERE rowid BETWEEN 3 AND 502',
        'DELETE FROM "stage_changes" WHERE rowid BETWEEN 3 AND 502',
    ]
    with store.transaction(conn, write=True):
        undone = journal.undo_last(conn)
    assert undone is not None and undone.command == "import leads x.csv"
    assert undone.rows == 1 + 500 + 500  # the update, the leads, their history rows
    assert dump(tmp_path / "sf.db") == before
    # The ids come free again: importing once more numbers the leads the same way.
    with (
        store.transaction(conn, command="again", now_iso=NOW),
        journal.bulk_insert(conn, "leads", "stage_changes"),
    ):
        assert leads.insert(conn, [new("x")]) == range(3, 4)


def test_outside_a_journalled_command_it_changes_nothing(conn) -> None:
    kept = steps(conn)
    with store.transaction(conn, write=True), journal.bulk_insert(conn, "leads"):
        leads.insert(conn, [new("x")])
    assert steps(conn) == kept


def test_other_changes_inside_the_block_are_refused(conn, tmp_path) -> None:
    before = dump(tmp_path / "sf.db")
    with (
        pytest.raises(RuntimeError, match="may only insert into leads, stage_changes"),
        store.transaction(conn, command="bad", now_iso=NOW),
        journal.bulk_insert(conn, "leads", "stage_changes"),
    ):
        # Deleting the newest lead frees its id: the insert reuses it, so counts alone
        # would not see it.
        conn.execute("DELETE FROM stage_changes WHERE lead_id = 2")
        conn.execute("DELETE FROM leads WHERE id = 2")
        leads.insert(conn, [new("y")])
    assert dump(tmp_path / "sf.db") == before


def test_inserts_into_another_table_are_refused(conn, tmp_path) -> None:
    before = dump(tmp_path / "sf.db")
    with (
        pytest.raises(RuntimeError, match="1 row changes but 0 appended"),
        store.transaction(conn, command="bad", now_iso=NOW),
        journal.bulk_insert(conn, "leads"),
    ):
        store.set_setting(conn, "currency", "CNY")
    assert dump(tmp_path / "sf.db") == before


def test_an_empty_bulk_insert_leaves_no_journal_entry(conn) -> None:
    count = conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    with (
        store.transaction(conn, command="import nothing", now_iso=NOW),
        journal.bulk_insert(conn, "leads", "stage_changes"),
    ):
        leads.insert(conn, [])
    assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == count
