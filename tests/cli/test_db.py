import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from salesflow.store.migrations import LATEST
from tests.conftest import dump

ROOT = Path(__file__).resolve().parents[2]


def test_backup_is_consistent_checked_and_private(ok, two_leads, db_path: Path, tmp_path) -> None:
    target = tmp_path / "copy.db"
    result = ok("db", "backup", str(target))
    assert "integrity ok" in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT name FROM leads ORDER BY id").fetchall() == [
        ("张伟",),
        ("Jane Roe",),
    ]
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_default_backup_name_sits_next_to_the_database(ok, two_leads, db_path: Path) -> None:
    ok("db", "backup")
    expected = db_path.with_name("sf.db.20261123T090000Z.bak")
    assert expected.exists()
    info = {r["item"]: r["value"] for r in json.loads(ok("db", "info", "--format", "json").stdout)}
    assert info["last_backup"] == str(expected)
    assert info["schema_version"] == LATEST and info["rows.leads"] == 2
    assert info["path"] == str(db_path)


def test_backup_refuses_to_overwrite(ok, fails, two_leads, tmp_path) -> None:
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    fails("db", "backup", str(target), match="already exists")
    assert target.read_text() == "keep me"


def test_backups_are_private_under_umask_022(ok, two_leads, db_path: Path, tmp_path) -> None:
    target = tmp_path / "umask.db"
    env = {**os.environ, "SALESFLOW_DB": str(db_path)}
    subprocess.run(
        [sys.executable, "-m", "salesflow", "db", "backup", str(target)], env=env, cwd=ROOT,
        check=True, capture_output=True, preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_check_passes_then_finds_planted_problems(ok, run, two_leads, db_path: Path) -> None:
    assert "passed every check" in ok("db", "check").stdout
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE leads SET stage = 'limbo' WHERE id = 1")
    conn.execute("UPDATE leads SET value_minor = 12.5 WHERE id = 2")
    conn.execute("UPDATE leads SET stage = 'won' WHERE id = 2")
    conn.commit()
    conn.close()
    result = run("db", "check")
    assert result.exit_code == 1
    out = result.stdout
    assert 'lead #1 is in stage "limbo", which the pipeline does not have' in out
    assert 'lead #2 is in stage "won" but its history ends in "lead"' in out
    assert "lead #2 is won but has no closing time" in out
    assert "leads.value_minor holds 1 non-integer amount(s)" in out
    assert 'lead #1 is in stage "limbo" but its history ends in "lead"' in out
    assert result.stderr.startswith("Error: 5 problem(s) found")


def test_restore_checks_backs_up_and_replaces(
    ok, two_leads, db_path, tmp_path, at_terminal
) -> None:
    saved = tmp_path / "saved.db"
    ok("db", "backup", str(saved))
    expected = dump(saved)
    ok("lead", "add", "After the backup")
    assert "Nothing restored." in ok("db", "restore", str(saved), input="n\n").stderr
    result = ok("db", "restore", str(saved), "--yes")
    assert "the previous database is saved as" in result.stderr
    names = [r["name"] for r in json.loads(ok("lead", "list", "--format", "json").stdout)]
    assert names == ["张伟", "Jane Roe"]
    assert [line for line in dump(db_path) if "journal" not in line] == [
        line for line in expected if "journal" not in line
    ]
    previous = db_path.with_name("sf.db.20261123T090000Z.bak")
    prev = sqlite3.connect(previous).execute("SELECT count(*) FROM leads").fetchone()[0]
    assert prev == 3


def test_backups_in_the_same_second_get_their_own_names(ok, two_leads, db_path) -> None:
    # The clock is pinned: `db backup` then `db restore` of it name their copies in one second.
    ok("db", "backup")
    first = db_path.with_name("sf.db.20261123T090000Z.bak")
    assert first.exists()
    result = ok("db", "restore", str(first), "--yes")
    second = db_path.with_name("sf.db.20261123T090000Z-2.bak")
    assert f"the previous database is saved as {second}" in result.stderr
    ok("db", "backup")
    assert db_path.with_name("sf.db.20261123T090000Z-3.bak").exists()


def test_restore_refuses_foreign_and_newer_files(ok, fails, two_leads, tmp_path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello\n" * 100)
    fails("db", "restore", str(text), "--yes", match="not a salesflow database")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    fails("db", "restore", str(other), "--yes", match="not a salesflow database")
    newer = tmp_path / "newer.db"
    ok("db", "backup", str(newer))
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    fails("db", "restore", str(newer), "--yes", match="newer salesflow")
    fails("db", "restore", str(tmp_path / "missing.db"), "--yes", match="is not a file")
