"""salesflow and Litestream share the WAL: salesflow never forces a checkpoint past frames a
reader (Litestream) still holds, and Litestream's own tables stay out of undo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from salesflow import store
from salesflow.store import journal
from salesflow.store.migrations import LATEST, MIGRATIONS


def test_migration_safety_copy_has_what_only_the_wal_holds(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "sf.db"
    store.connect(path).close()
    # Litestream's stand-in: a read transaction held open across the next commit, so no
    # checkpoint can move that commit out of the WAL.
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM leads").fetchone()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO settings VALUES ('currency', 'CNY')")
    writer.close()
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.5)
    extra = (LATEST + 1, "test step", "CREATE TABLE extra (id INTEGER PRIMARY KEY);")
    monkeypatch.setattr(store, "MIGRATIONS", [*MIGRATIONS, extra])
    monkeypatch.setattr(store, "LATEST", LATEST + 1)
    try:
        store.connect(path).close()
    finally:
        reader.close()
    copy = sqlite3.connect(store.backup_path(path, f"schema{LATEST}"))
    assert copy.execute("SELECT value FROM settings WHERE key = 'currency'").fetchone() == ("CNY",)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_litestream_tables_are_not_journalled(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "sf.db"
    conn = store.connect(path)
    # What `litestream replicate` creates in the database it watches.
    conn.execute("CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)")
    conn.execute("CREATE TABLE _litestream_lock (id INTEGER)")
    conn.close()
    extra = (LATEST + 1, "test step", "CREATE TABLE extra (id INTEGER PRIMARY KEY);")
    monkeypatch.setattr(store, "MIGRATIONS", [*MIGRATIONS, extra])
    monkeypatch.setattr(store, "LATEST", LATEST + 1)
    conn = store.connect(path)  # a migration reinstalls every table's undo triggers
    tables = journal.journalled_tables(conn)
    assert "extra" in tables and "leads" in tables
    assert not [t for t in tables if t.startswith("_litestream")]
    triggers = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
    assert not [t for t in triggers if "_litestream" in t]
    conn.execute("INSERT INTO _litestream_seq (id, seq) VALUES (1, 1)")
    assert conn.execute("SELECT count(*) FROM journal_steps").fetchone()[0] == 0
