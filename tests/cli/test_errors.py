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


def test_domain_errors_say_what_was_wrong_and_the_cli_words_the_way_out(conn) -> None:
    # The domain's sentence names no command or option; the hint is data the CLI words.
    from salesflow import leads, quotes
    from salesflow.cli.hints import say
    from salesflow.errors import SalesflowError

    with pytest.raises(SalesflowError) as lead:
        leads.get(conn, 41)
    assert (lead.value.message, lead.value.hint.action) == ("no lead #41", "lead.list")
    assert say(lead.value) == "no lead #41 — see salesflow lead list --all"
    with pytest.raises(SalesflowError) as quote:
        quotes.resolve(conn, "q-2026-0009")
    assert quote.value.message == 'no quote "q-2026-0009"'
    assert say(quote.value) == 'no quote "q-2026-0009" — see salesflow quote list'
    with pytest.raises(SalesflowError) as value:
        leads.read_value("$5", "EUR", "USD")
    assert "--" not in value.value.message
    assert say(value.value) == '--value "$5" is in USD but --currency says EUR'


def test_every_hint_the_domain_gives_has_a_cli_wording() -> None:
    import ast
    from pathlib import Path

    import salesflow
    from salesflow.cli.hints import WORDING

    root = Path(salesflow.__file__).parent
    used = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Hint"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                used.add(node.args[0].value)
    assert used and used <= set(WORDING), used - set(WORDING)
    assert set(WORDING) <= used, set(WORDING) - used  # no wording left without its error
