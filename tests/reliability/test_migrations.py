"""A database made by every earlier schema version upgrades with its data intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from salesflow import store
from salesflow.store import APPLICATION_ID
from salesflow.store.migrations import LATEST


def make_old(path: Path, version: int) -> None:
    """A file as salesflow at schema `version` left it, with a lead, a move and a setting."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    store._migrate(conn, path, 0, upto=version)
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO leads (id, name, company, value_minor, currency, stage, created_at, "
        "updated_at) VALUES (7, '张伟', '深圳某科技有限公司', 50000000, 'CNY', 'contacted', "
        "'2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z')"
    )
    conn.execute(
        "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at) VALUES "
        "(7, NULL, 'lead', '2026-01-02T03:04:05Z'), "
        "(7, 'lead', 'contacted', '2026-01-03T00:00:00Z')"
    )
    conn.execute("INSERT INTO settings VALUES ('currency', 'CNY')")
    conn.execute("COMMIT")
    conn.close()


@pytest.mark.parametrize("version", range(1, LATEST))
def test_upgrade_from(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.db"
    make_old(path, version)
    conn = store.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute("SELECT name, company, value_minor, stage FROM leads").fetchall() == [
        ("张伟", "深圳某科技有限公司", 50000000, "contacted")
    ]
    assert conn.execute("SELECT count(*) FROM stage_changes").fetchone()[0] == 2
    assert store.get_setting(conn, "currency") == "CNY"
    backup = store.backup_path(path, f"schema{version}")
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == version


def test_upgraded_database_passes_check(tmp_path: Path) -> None:
    from salesflow.dbcheck import problems

    path = tmp_path / "old.db"
    make_old(path, 1)
    assert problems(store.connect(path)) == []
