import sqlite3
import stat
from pathlib import Path

import pytest

from salesflow import store
from salesflow.errors import SalesflowError
from salesflow.store import journal
from salesflow.store.migrations import LATEST, MIGRATIONS


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_first_use_creates_file_and_folder_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "sf.db"
    seen: list[Path] = []
    conn = store.connect(path, on_created=seen.append)
    assert seen == [path]
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID


def test_every_migration_applies_in_order(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "sf.db")
    numbers = [n for n, _, _ in MIGRATIONS]
    assert numbers == list(range(1, len(numbers) + 1))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"leads", "stage_changes", "stages", "settings", "journal", "journal_steps"} <= tables
    # Every user table is journalled for undo.
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    for table in journal.journalled_tables(conn):
        assert {f"journal_{table}_{e}" for e in ("insert", "update", "delete")} <= triggers


def test_older_schema_is_upgraded_after_a_backup(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "sf.db"
    store.connect(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO settings VALUES ('currency', 'CNY')")
    conn.commit()
    conn.close()
    extra = (LATEST + 1, "test step", "CREATE TABLE extra (id INTEGER PRIMARY KEY, x TEXT);")
    monkeypatch.setattr(store, "MIGRATIONS", [*MIGRATIONS, extra])
    monkeypatch.setattr(store, "LATEST", LATEST + 1)
    conn = store.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST + 1
    assert store.get_setting(conn, "currency") == "CNY"
    backup = store.backup_path(path, f"schema{LATEST}")
    assert backup.exists() and mode(backup) == 0o600
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert "journal_extra_insert" in {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
    }


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sf.db"
    store.connect(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.close()
    with pytest.raises(SalesflowError, match="newer salesflow"):
        store.connect(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"hello, I am a text file\n" * 50, "not a salesflow database"), (b"", "empty file")],
)
def test_foreign_files_are_refused_and_untouched(tmp_path: Path, content: bytes, message) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(SalesflowError, match=message):
        store.connect(path)
    assert path.read_bytes() == content


def test_another_apps_sqlite_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SalesflowError, match="another application"):
        store.connect(path)
    assert path.read_bytes() == before


def test_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"  # a path under a regular file fails even for root
    blocker.write_text("x")
    with pytest.raises(SalesflowError, match="cannot create the database"):
        store.connect(blocker / "sub" / "sf.db")


def test_transaction_rolls_back_whole(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "sf.db")
    with pytest.raises(RuntimeError), store.transaction(conn, command="x", now_iso="t"):
        store.set_setting(conn, "a", "1")
        raise RuntimeError
    assert store.all_settings(conn) == {}
    assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == 0


def test_journal_keeps_a_bounded_history(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(journal, "KEEP", 3)
    conn = store.connect(tmp_path / "sf.db")
    for i in range(6):
        with store.transaction(conn, command=f"set {i}", now_iso="t"):
            store.set_setting(conn, "k", str(i))
    commands = [r[0] for r in conn.execute("SELECT command FROM journal ORDER BY id")]
    assert commands == ["set 3", "set 4", "set 5"]
    with store.transaction(conn, write=True):
        journal.undo_last(conn)
    assert store.get_setting(conn, "k") == "4"


def _bulk(conn: sqlite3.Connection, n: int) -> None:
    conn.executemany(
        "INSERT INTO leads (name, currency, stage, created_at, updated_at) "
        "VALUES (?, 'USD', 'lead', 't', 't')",
        [(f"n{i}",) for i in range(n)],
    )
    conn.executemany(
        "INSERT INTO stage_changes (lead_id, to_stage, changed_at) "
        "SELECT id, 'lead', 't' FROM leads WHERE id > ?",
        [(conn.execute("SELECT max(id) FROM leads").fetchone()[0] - n,)],
    )


def test_compact_inserts_journal_one_step_per_table_and_undo_exactly(tmp_path: Path) -> None:
    from tests.conftest import dump

    path = tmp_path / "sf.db"
    conn = store.connect(path)
    with store.transaction(conn, command="before", now_iso="t"):
        _bulk(conn, 2)
    before = dump(path)
    with store.transaction(conn, command="bulk", now_iso="t"):
        store.set_setting(conn, "currency", "CNY")  # outside the block: journalled per row
        with journal.compact_inserts(conn, ("customers", "leads", "stage_changes")):
            _bulk(conn, 500)
    steps = [r[0] for r in conn.execute(
        "SELECT sql FROM journal_steps WHERE journal_id = (SELECT max(id) FROM journal) ORDER BY id"
    )]  # fmt: skip
    # 1 settings row + 1 step per table that got rows (customers got none): 3, not 1,001.
    assert steps[1:] == [
        'DELETE FROM "leads" WHERE rowid > 2 AND rowid <= 502 /* 500 */',
        'DELETE FROM "stage_changes" WHERE rowid > 2 AND rowid <= 502 /* 500 */',
    ]
    assert len(steps) == 3
    with store.transaction(conn, write=True):
        assert journal.undo_last(conn).command == "bulk"
    assert dump(path) == before


def test_compact_inserts_refuses_a_block_that_changes_old_rows(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "sf.db")
    with store.transaction(conn, command="before", now_iso="t"):
        _bulk(conn, 2)
    with (
        pytest.raises(RuntimeError, match="may only append"),
        store.transaction(conn, command="bad", now_iso="t"),
        journal.compact_inserts(conn, ("leads", "stage_changes")),
    ):
        _bulk(conn, 3)
        conn.execute("UPDATE leads SET name = 'x' WHERE id = 1")
    assert conn.execute("SELECT count(*) FROM leads").fetchone()[0] == 2
    assert conn.execute("SELECT name FROM leads WHERE id = 1").fetchone()[0] == "n0"


def test_compact_inserts_outside_a_command_only_runs_the_block(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "sf.db")
    with store.transaction(conn, write=True), journal.compact_inserts(conn, ("leads",)):
        _bulk(conn, 3)
    assert conn.execute("SELECT count(*) FROM leads").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM journal_steps").fetchone()[0] == 0


def test_a_new_database_starts_with_the_b2b_pipeline(tmp_path: Path) -> None:
    # Migration 1 writes the default stages itself (the store imports no sales code), so
    # they must stay what pipeline.PRESETS["b2b"] says, followed by won and lost.
    from salesflow import pipeline

    conn = store.connect(tmp_path / "sf.db")
    got = [(s.name, s.position, s.probability, s.kind, s.stale_days) for s in pipeline.stages(conn)]
    conn.close()
    b2b = pipeline.PRESETS["b2b"]
    want = [(n, i, p, "open", pipeline.DEFAULT_STALE_DAYS) for i, (n, p) in enumerate(b2b)]
    want += [("won", len(b2b), 100, "won", 14), ("lost", len(b2b) + 1, 0, "lost", 14)]
    assert got == want
