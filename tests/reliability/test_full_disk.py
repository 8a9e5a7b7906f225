"""Running out of space: one clear error, exit 1, the earlier data intact."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from salesflow import store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny_fs(tmp_path: Path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=800k", "tmpfs", str(mount)],
                          capture_output=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({made.stderr.decode().strip()}); "
                    "test_page_limit_is_a_clear_error covers the same path")  # fmt: skip
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_filesystem(tiny_fs: Path) -> None:
    db = tiny_fs / "sf.db"
    env = {**os.environ, "SALESFLOW_DB": str(db)}
    note = "x" * 20_000
    added, last = 0, None
    for i in range(200):
        argv = [sys.executable, "-m", "salesflow", "lead", "add", f"L{i}", "--note", note]
        last = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
        if last.returncode != 0:
            break
        added += 1
    assert last is not None and last.returncode == 1, "the disk never filled"
    assert last.stderr.strip().splitlines() == [
        "Error: the disk is full — nothing was changed; free some space and try again"
    ]
    assert added > 0
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM leads").fetchone()[0] == added
    finally:
        conn.close()  # an open file keeps the tmpfs busy at umount


def test_page_limit_is_a_clear_error(run, db_path: Path, monkeypatch) -> None:
    assert run("lead", "add", "Before").exit_code == 0
    real_connect = store.connect

    def limited(path, on_created=None):
        conn = real_connect(path, on_created)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(store, "connect", limited)
    result = run("lead", "add", "Big", "--note", "y" * 200_000)
    assert result.exit_code == 1
    assert "the disk is full" in result.stderr
    conn = sqlite3.connect(db_path)
    assert [r[0] for r in conn.execute("SELECT name FROM leads")] == ["Before"]
