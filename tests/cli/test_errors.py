"""The error boundary: one line, the right exit code, no traceback, database unchanged."""

from pathlib import Path


def test_text_file_as_database(fails, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 100)
    fails("--db", str(path), "lead", "list", match="not a salesflow database")
    assert path.read_text() == "not a database\n" * 100


def test_unwritable_db_path(fails, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    fails("--db", str(blocker / "sf.db"), "lead", "add", "X", match="cannot create the database")


def test_debug_shows_the_traceback(run, monkeypatch) -> None:
    monkeypatch.setenv("SALESFLOW_DEBUG", "1")
    result = run("lead", "show", "99")
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "Error: no lead #99" in result.stderr


def test_bad_pinned_clock(ok, fails, monkeypatch) -> None:
    ok("stages")
    monkeypatch.setenv("SALESFLOW_NOW", "yesterday-ish")
    fails("lead", "add", "X", match="SALESFLOW_NOW")
