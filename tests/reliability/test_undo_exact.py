"""For every write command: `command; undo` leaves the database exactly as before."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from salesflow.cli import app
from tests.conftest import dump

DATA = Path(__file__).resolve().parent.parent / "data"
# Each write command with arguments that succeed on the `two_leads` pipeline (+ `prepare`).
WRITES: dict[str, list[list[str]]] = {
    "lead add": [
        ["lead", "add", "王芳", "--company", "杭州某贸易公司", "--value", "3万", "--tag", "x"]
    ],
    "lead edit": [["lead", "edit", "1", "--value", "1", "--bant", "b=yes", "--tag", "y"]],
    "lead rm": [["lead", "rm", "1", "--yes"]],
    "advance": [
        ["advance", "1"],
        ["advance", "2", "lost", "--reason", "price"],
        ["advance", "3", "--reopen"],
        ["advance", "1", "won"],
    ],
    "stages preset": [["stages", "preset", "seed6", "--map", "lead=identify"]],
    "stages set": [["stages", "set", "线索:10", "报价:60", "--map", "lead=线索"]],
    "config set": [["config", "set", "currency", "CNY"]],
    "config unset": [["config", "unset", "seller.name"]],
    "import leads": [
        ["import", "leads", str(DATA / "leads_zh.csv")],
        ["import", "leads", str(DATA / "leads_zh.csv"), "--on-duplicate", "update"],
    ],
    "import activities": [["import", "activities", str(DATA / "activities.csv")]],
    "db restore": [],  # replaces the whole file; not an undoable command (it keeps a backup)
}
READS = {
    "lead list", "lead show", "stages", "db path", "db check", "db info", "db backup",
    "config get", "config list", "undo", "export",
}  # fmt: skip


def leaf_commands(group, prefix: str = "") -> set[str]:
    names = set()
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        if hasattr(cmd, "commands") and cmd.commands:
            names |= leaf_commands(cmd, full + " ")
            if getattr(cmd, "invoke_without_command", False):
                names.add(full)
        else:
            names.add(full)
    return names


def test_every_command_is_classified() -> None:
    commands = leaf_commands(typer.main.get_command(app))
    assert commands == set(WRITES) | READS, commands ^ (set(WRITES) | READS)


def prepare(ok) -> None:
    ok("lead", "add", "Closed Co", "--company", "Lost Ltd")
    ok("advance", "3", "lost", "--reason", "timing")
    ok("config", "set", "seller.name", "Li Ming")


CASES = [(name, args) for name, variants in WRITES.items() for args in variants]


@pytest.mark.parametrize(("name", "args"), CASES, ids=[" ".join(a) for _, a in CASES])
def test_command_then_undo_is_exact(ok, two_leads, db_path, name: str, args: list[str]) -> None:
    prepare(ok)
    before = dump(db_path)
    ok(*args)
    assert dump(db_path) != before, "the command changed nothing"
    assert "Undid:" in ok("undo").stderr
    assert dump(db_path) == before
