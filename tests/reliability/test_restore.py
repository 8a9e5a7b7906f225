"""`db restore` while other processes write, and `undo` after a restore."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.procs import ROOT, env_for, sf

# Each line it prints is a note whose `log` command exited 0.
WRITER = """
import sys
from salesflow.cli import app
from typer.testing import CliRunner
runner, w, stop = CliRunner(), sys.argv[1], sys.argv[2]
i = 0
while True:
    import os
    if os.path.exists(stop):
        break
    note = f"w{w}-{i}"
    if runner.invoke(app, ["log", "1", note]).exit_code == 0:
        print(note, flush=True)
    i += 1
"""


def notes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT note FROM activities")}
    finally:
        conn.close()


def restore_race(tmp_path: Path, restores: int) -> None:
    db = tmp_path / "live.db"
    assert sf(db, "lead", "add", "Ann").returncode == 0
    assert sf(db, "log", "1", "before the backup").returncode == 0
    assert sf(db, "db", "backup", str(tmp_path / "good.bak")).returncode == 0
    stop = tmp_path / "stop"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(w), str(stop)],
            cwd=ROOT,
            env=env_for(db),
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for w in range(2)
    ]
    saved: list[Path] = []
    try:
        time.sleep(1.0)  # both writers are writing
        for _ in range(restores):
            r = sf(db, "db", "restore", "--yes", str(tmp_path / "good.bak"))
            assert r.returncode == 0, r.stderr
            saved.append(Path(r.stderr.split("saved as ")[1].split(" (salesflow undo")[0].strip()))
            time.sleep(0.3)
    finally:
        stop.touch()
        written = {line for w in writers for line in w.communicate()[0].split()}
    assert all(w.returncode == 0 for w in writers)
    assert len(written) > restores  # the writers really wrote around the restores
    kept = notes(db).union(*(notes(p) for p in saved))
    assert written - kept == set(), "notes whose command exited 0 were lost"
    # Writes that waited for the lock landed in the restored database.
    assert notes(db) - {"before the backup"}


def test_restore_racing_writers_loses_no_committed_write(tmp_path: Path) -> None:
    restore_race(tmp_path, restores=4)


@pytest.mark.slow
def test_restore_racing_writers_many_trials(tmp_path: Path) -> None:
    restore_race(tmp_path, restores=16)


def names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM leads ORDER BY id")]
    finally:
        conn.close()


def saved_as(result) -> Path:
    return Path(result.stderr.split("saved as ")[1].split(" (salesflow undo")[0].strip())


def test_undo_after_restore_swaps_the_previous_database_back(ok, db_path: Path, tmp_path) -> None:
    ok("lead", "add", "Ann")
    ok("db", "backup", str(tmp_path / "good.bak"))
    ok("lead", "add", "Bob")
    saved = saved_as(ok("db", "restore", "--yes", str(tmp_path / "good.bak")))
    assert names(db_path) == ["Ann"]
    undone = ok("undo")
    assert "Undid: salesflow db restore --yes" in undone.stderr
    assert str(saved) in undone.stderr
    assert names(db_path) == ["Ann", "Bob"]
    # The history before the restore is back too: the next undo takes back `lead add Bob`.
    assert "Undid: salesflow lead add Bob" in ok("undo").stderr
    assert names(db_path) == ["Ann"]


def test_commands_after_a_restore_are_undone_before_it(ok, db_path: Path, tmp_path) -> None:
    ok("lead", "add", "Ann")
    ok("db", "backup", str(tmp_path / "good.bak"))
    ok("lead", "add", "Bob")
    ok("db", "restore", "--yes", str(tmp_path / "good.bak"))
    ok("lead", "add", "Cy")
    assert "lead add Cy" in ok("undo").stderr
    assert "db restore" in ok("undo").stderr
    assert names(db_path) == ["Ann", "Bob"]


def test_undo_of_a_restore_whose_safety_copy_is_gone_says_so(ok, fails, tmp_path) -> None:
    ok("lead", "add", "Ann")
    ok("db", "backup", str(tmp_path / "good.bak"))
    saved_as(ok("db", "restore", "--yes", str(tmp_path / "good.bak"))).unlink()
    fails("undo", match="is gone — nothing was undone")


def test_undo_message_shortens_a_long_command_line(ok) -> None:
    ok("lead", "add", "Ann")
    items = [arg for i in range(60) for arg in ("--item", f"Part {i}; 1; {i}")]
    ok("quote", "new", "1", *items)
    said = ok("undo").stderr.strip().splitlines()[-1]  # after the "Undo: …" it announces
    assert said.startswith("Undid: salesflow quote new 1 --item")
    assert "…" in said and len(said) < 240


def test_restore_of_a_backup_with_another_page_size(ok, db_path: Path, tmp_path) -> None:
    ok("lead", "add", "Ann")
    big = tmp_path / "big-pages.bak"
    ok("db", "backup", str(big))
    conn = sqlite3.connect(big)
    conn.execute("PRAGMA page_size = 8192")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 8192
    conn.close()
    ok("lead", "add", "Bob")
    ok("db", "restore", "--yes", str(big))
    assert names(db_path) == ["Ann"]
    assert "passed every check" in ok("db", "check").stdout


def test_a_refused_restore_leaves_no_safety_copy(ok, fails, db_path: Path, tmp_path) -> None:
    ok("lead", "add", "Ann")
    bad = tmp_path / "bad.bak"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    fails("db", "restore", "--yes", str(bad))
    assert sorted(p.name for p in db_path.parent.iterdir() if ".bak" in p.name) == []
