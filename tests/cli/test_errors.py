"""The error boundary: one line, the right exit code, no traceback, database unchanged."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


def test_text_file_as_database(fails, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 100)
    fails("--db", str(path), "lead", "list", match="not a salesflow database")
    assert path.read_text() == "not a database\n" * 100


def test_unwritable_db_path(fails, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    fails("--db", str(blocker / "sf.db"), "lead", "add", "X", match="cannot create the database")


def test_debug_shows_the_traceback(empty_db, run, monkeypatch) -> None:
    monkeypatch.setenv("SALESFLOW_DEBUG", "1")
    result = run("lead", "show", "99")
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "Error: no lead #99" in result.stderr


def test_bad_pinned_clock(empty_db, ok, fails, monkeypatch) -> None:
    ok("stages")
    monkeypatch.setenv("SALESFLOW_NOW", "yesterday-ish")
    fails("lead", "add", "X", match="SALESFLOW_NOW")


def test_usage_errors_are_one_line_wherever_they_arise(fails) -> None:
    # A missing choice argument: Click lists the choices on lines of their own.
    fails("export", code=2, match="Missing argument 'TABLE'. Choose from: leads, activities")
    # Typos among the root's own options, before any command.
    fails("--dbb", "x", "lead", "list", code=2, match="No such option: --dbb")
    fails("-V", code=2, match="No such option: -V")
    fails("--db", "x.db", "--bogus", "lead", "list", code=2, match="No such option: --bogus")


def test_ctrl_c_ends_quietly_with_130(capsys) -> None:
    from salesflow.cli.boundary import guarded

    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(SystemExit) as stopped:
        guarded(interrupted)
    assert stopped.value.code == 130
    assert capsys.readouterr().err == "\nInterrupted.\n"


@pytest.mark.parametrize("argv", [["lead", "show", "1"], ["report", "funnel"], ["lead", "list"]])
def test_a_reader_that_left_is_not_an_error_for_rich_output_either(db_path, argv) -> None:

    env = {**os.environ, "SALESFLOW_DB": str(db_path), "NO_COLOR": "1"}
    subprocess.run([sys.executable, "-m", "salesflow", "lead", "add", "Ann"], env=env, check=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "salesflow", *argv], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    proc.stdout.close()  # the reader leaves before the command writes a byte
    err = proc.stderr.read()
    assert (proc.wait(), err) == (0, b"")
