"""The fast path (cli/fast.py): runs ordinary command lines without Typer, exactly as Typer
would, and leaves everything else to Typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from salesflow.cli import fast
from salesflow.cli.commands import COMMANDS, load
from tests import fastparity

# Every declared command is plannable, except a group with a callback (`stages` lists the
# pipeline when given no sub-command; Typer decides that).
NOT_FAST = {"stages"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_declared_so_the_fast_path_can_read_it(name: str) -> None:
    group = load(name)
    if name in NOT_FAST:
        assert group.callback_ is not None
        return
    for registered in group.commands:
        fast._declared(registered.func)  # raises Unplanned on anything it cannot parse


def test_command_names_match_typers() -> None:
    import typer

    from salesflow.cli.typer_build import to_typer

    for name in COMMANDS:
        group = load(name)
        if len(group.commands) < 2:
            continue
        click_group = typer.main.get_command(to_typer(group))
        names = {fast.command_name(r) for r in group.commands}
        assert names == set(click_group.list_commands(None)), name  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "argv",
    [
        ["lead", "list", "--format", "CSV"],  # case-insensitive choice
        ["lead", "list", "-f", "json", "--closed"],
        ["lead", "list", "--open", "--limit=5", "--sort", "value"],
        ["lead", "add", "王芳", "-c", "上海贸易", "-t", "a", "--tag", "b", "--value", "5k"],
        ["lead", "add", "Ann", "--note=- call back -"],
        ["lead", "add", "--", "-Ann"],
        ["--db", "x.db", "lead", "show", "1"],
        ["--db=x.db", "today", "--format", "ndjson"],
        ["followup", "add", "1", "send proposal", "--due", "fri", "--force"],
        ["advance", "1", "lost", "--reason", "price"],
        ["report", "funnel", "--since", "2026-01-01"],
        ["export", "leads", "-o", "out.csv", "--raw"],
        ["digest", "--format", "html", "--fail-on-overdue"],
    ],
)
def test_fast_path_calls_what_typer_calls(argv: list[str]) -> None:
    assert fast.plan(argv) is not None, argv
    fastparity.check(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["lead", "list", "--help"],
        ["lead", "list", "-h"],
        ["--version"],
        ["lead"],  # a bare group prints its help
        ["lead", "add"],  # missing argument: Typer's message
        ["lead", "add", "Ann", "Bob"],  # one argument too many
        ["lead", "list", "--limit", "0"],  # below min=1
        ["lead", "list", "--limit", "ten"],
        ["lead", "list", "--format", "xml"],
        ["lead", "list", "--bogus"],
        ["lead", "add", "Ann", "--note", "-x"],  # a value that looks like an option
        ["lead", "add", "Ann", "-c", "A", "-c", "B"],  # given twice
        ["lead", "add", "Ann", "-cAcme"],  # glued short option
        ["lead", "list", "--closed=yes"],
        ["stages"],
        ["nosuch"],
        ["--db"],
        [],
    ],
)
def test_unusual_command_lines_are_left_to_typer(argv: list[str]) -> None:
    assert fast.plan(argv) is None


def _salesflow(*args: str, db: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SALESFLOW_DB": str(db), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "salesflow", *args], capture_output=True, text=True, env=env,
        input=stdin, timeout=60,
    )  # fmt: skip


def test_errors_and_exit_codes_on_the_fast_path(db_path: Path) -> None:
    assert _salesflow("lead", "add", "Ann", db=db_path).returncode == 0
    missing = _salesflow("lead", "show", "99", db=db_path)
    assert (missing.returncode, missing.stderr) == (
        1,
        "Error: no lead #99 — see salesflow lead list --all\n",
    )
    wrong = _salesflow("followup", "add", "1", "call", "--due", "31/02", db=db_path)
    assert wrong.returncode == 1 and wrong.stderr.startswith("Error: ")
    assert len(wrong.stderr.splitlines()) == 1 and "Traceback" not in wrong.stderr
    usage = _salesflow("lead", "list", "--limit", "0", db=db_path)  # Typer's path
    assert usage.returncode == 2 and usage.stderr.startswith("Error: ")
    listed = _salesflow("lead", "list", "--format", "json", db=db_path)
    assert (
        listed.returncode == 0 and '"name": "Ann"' in listed.stdout and "\x1b[" not in listed.stdout
    )


def test_digest_exit_code_3_on_the_fast_path(db_path: Path) -> None:
    _salesflow("lead", "add", "Ann", db=db_path)
    _salesflow("followup", "add", "1", "call", "--due", "2026-11-20", "--force", db=db_path)
    assert _salesflow("digest", "--fail-on-overdue", db=db_path).returncode == 3


def test_a_reader_that_leaves_early_is_not_an_error(db_path: Path) -> None:
    for n in range(3):
        _salesflow("lead", "add", f"Lead {n}", db=db_path)
    env = {**os.environ, "SALESFLOW_DB": str(db_path)}
    script = f"{sys.executable} -m salesflow lead list --format csv | head -c 1"
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, env=env)
    assert done.stderr == ""
