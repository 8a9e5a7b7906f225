"""Commands that only read never create a database: a missing file is one error that names
the path and where it came from (--db, SALESFLOW_DB, the default data folder)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from salesflow.cli.commands import reads_only
from tests.reliability.test_undo_exact import READS, WRITES

ROOT = Path(__file__).resolve().parents[2]
READ_LINES = [
    ["digest"], ["today"], ["report", "summary"], ["report", "lost", "--format", "csv"],
    ["lead", "list"], ["lead", "show", "1"], ["export", "leads"], ["db", "path"],
    ["db", "info"], ["db", "check"], ["stages"], ["followup", "list"], ["search", "张伟"],
    ["config", "list"], ["quote", "list"], ["customer", "list"], ["target", "list"], ["undo"],
]  # fmt: skip


def test_every_command_is_classified_as_the_undo_test_does() -> None:
    for command in READS:
        assert reads_only(command.split()), command
    for command in WRITES:
        assert not reads_only(command.split()), command
    assert reads_only(["--db", "x.db", "report", "funnel", "--since", "2026-01-01"])
    assert reads_only(["--db=x.db", "lead", "show", "3"])
    assert not reads_only(["--db", "x.db", "lead", "add", "list"])
    assert not reads_only(["stages", "preset", "simple"])


@pytest.mark.parametrize("argv", READ_LINES, ids=" ".join)
def test_a_missing_database_is_an_error_and_stays_missing(fails, db_path, argv) -> None:
    fails(*argv, match=f"no salesflow database at {db_path} (the path from SALESFLOW_DB)")
    assert not db_path.exists() and not db_path.parent.exists()


def test_the_error_names_db_and_the_default_folder(fails, tmp_path, monkeypatch) -> None:
    other = tmp_path / "nope.db"
    fails("--db", str(other), "digest", match=f"database at {other} (the path from --db)")
    monkeypatch.delenv("SALESFLOW_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    default = tmp_path / "xdg" / "salesflow" / "salesflow.db"
    fails("today", match=f"no salesflow database at {default} (the path from the default data")
    assert not (tmp_path / "xdg").exists()


def test_writes_still_create_and_say_so(run, db_path) -> None:
    result = run("lead", "add", "Ann")
    assert result.exit_code == 0
    assert f"Created a new salesflow database at {db_path}" in result.stderr
    assert run("digest").exit_code == 0


def test_cron_without_home_creates_nothing(tmp_path) -> None:
    """`env -i salesflow digest`: no HOME, no SALESFLOW_DB — the default path is reported."""
    code = "from salesflow.store import default_path; print(default_path())"
    probe = [sys.executable, "-c", code]
    bare = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    default = Path(subprocess.run(probe, env=bare, capture_output=True, text=True).stdout.strip())
    if default.exists():
        pytest.skip(f"this machine has a database at the default path {default}")
    out = subprocess.run(
        [sys.executable, "-m", "salesflow", "digest"], env=bare, capture_output=True, text=True,
        cwd=tmp_path,
    )  # fmt: skip
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        f"Error: no salesflow database at {default} (the path from the default data folder) — "
        "check the path; a command that writes (salesflow lead add …, import, demo) creates it"
    ]
    assert not default.exists()
