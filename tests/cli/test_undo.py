"""Undo that cannot surprise: it says what it takes back, asks on a terminal when the command
is old or not the last one typed, lists what it can take back, and redo re-applies it."""

from __future__ import annotations

import json

from tests.conftest import dump


def names(ok) -> list[str]:
    return [r["name"] for r in json.loads(ok("lead", "list", "--all", "--format", "json").stdout)]


def data(db_path) -> list[str]:
    """The database without its undo journal (whose row ids an undo and redo move on)."""
    return [line for line in dump(db_path) if '"journal' not in line]


def at(monkeypatch, when: str) -> None:
    monkeypatch.setenv("SALESFLOW_NOW", when)


def test_undo_says_what_it_takes_back(ok) -> None:
    ok("lead", "add", "Ann", "--company", "Beta")
    said = ok("undo").stderr
    assert "Undo: salesflow lead add Ann --company Beta  (2026-11-23 09:00; 2 row(s): " in said
    assert "leads 1" in said and "stage_changes 1" in said
    assert "Undid: salesflow lead add Ann --company Beta" in said
    assert "salesflow redo re-applies it" in said


def test_a_terminal_is_asked_when_a_failed_command_came_after(
    ok, run, at_terminal, db_path, monkeypatch
) -> None:
    at(monkeypatch, "2026-11-22T09:00:00Z")
    ok("lead", "add", "Ann")
    ok("log", "1", "called")  # yesterday's
    at(monkeypatch, "2026-11-23T09:00:00Z")
    ok("lead", "add", "Bob")
    before = dump(db_path)
    failed = run("lead", "rm", "2", input="n\n")  # declined: nothing deleted
    assert failed.exit_code == 0
    asked = run("undo", input="n\n")
    assert asked.exit_code == 0
    assert "Your last command was salesflow lead rm 2, not this one — take it back?" in (
        asked.stderr + asked.stdout
    )
    assert "Nothing undone." in asked.stderr
    assert dump(db_path) == before
    assert "Undid: salesflow lead add Bob" in run("undo", input="y\n").stderr
    # The next one is yesterday's: asked, as it is not recent.
    old = run("undo", input="n\n")
    assert "That command ran 1 day(s) ago — take it back?" in old.stderr + old.stdout
    assert names(ok) == ["Ann"]
    assert "Undid: salesflow log 1 called" in ok("undo", "--yes").stderr


def test_right_after_the_command_no_question(ok, run, at_terminal) -> None:
    ok("lead", "add", "Ann")
    result = run("undo")  # no input given: a question would fail
    assert result.exit_code == 0 and "Undid: salesflow lead add Ann" in result.stderr
    # Walking back: an undo right after an undo is not asked either.
    ok("lead", "add", "Bob")
    ok("lead", "add", "Cy")
    assert run("undo").exit_code == 0
    assert "Undid: salesflow lead add Bob" in run("undo").stderr


def test_scripts_are_not_asked(ok, run, monkeypatch) -> None:
    at(monkeypatch, "2026-11-20T09:00:00Z")
    ok("lead", "add", "Ann")
    at(monkeypatch, "2026-11-23T09:00:00Z")
    ok("lead", "list")
    assert "Undid: salesflow lead add Ann" in ok("undo").stderr  # stdin is not a terminal


def test_undo_list(empty_db, ok, monkeypatch) -> None:
    assert "Nothing to undo." in ok("undo", "--list").stdout
    for i in range(22):
        at(monkeypatch, f"2026-11-23T09:{i:02d}:00Z")
        ok("lead", "add", f"L{i}")
    listed = json.loads(ok("undo", "--list", "--format", "json").stdout)
    assert len(listed) == 20
    assert listed[0] == {"command": "salesflow lead add L21", "at": "2026-11-23T09:21:00Z",
                         "rows": 2}  # fmt: skip
    assert listed[-1]["command"] == "salesflow lead add L2"
    assert "salesflow lead add L21" in ok("undo", "--list").stdout


def test_redo_reapplies_until_a_new_write(ok, db_path) -> None:
    ok("lead", "add", "Ann", "--company", "Beta", "--value", "1000")
    ok("log", "1", "called about the offer")
    after = data(db_path)
    ok("undo")
    ok("undo")
    assert names(ok) == []
    assert "Redid: salesflow lead add Ann" in ok("redo").stderr
    assert "Redid: salesflow log 1 'called about the offer'" in ok("redo").stderr
    assert data(db_path) == after
    assert "Nothing to redo" in ok("redo").stderr
    # A redone command is undoable again; a new write ends the redo.
    ok("undo")
    ok("lead", "add", "Bob")
    assert "Nothing to redo" in ok("redo").stderr
    assert names(ok) == ["Ann", "Bob"]
    ok("db", "check")


def test_redo_of_a_search_index_change(ok) -> None:
    ok("lead", "add", "Ann", "--note", "wants the premium plan")
    ok("undo")
    assert json.loads(ok("search", "premium", "--format", "json").stdout) == []
    ok("redo")
    found = json.loads(ok("search", "premium", "--format", "json").stdout)
    assert [h["ref"] for h in found] == ["#1"]
    ok("db", "check")


def test_nothing_to_undo_or_redo(empty_db, ok) -> None:
    assert "Nothing to undo." in ok("undo").stderr
    assert "Nothing to redo" in ok("redo").stderr


def test_undo_and_redo_never_create_a_database(fails, db_path) -> None:
    fails("undo", match="no salesflow database at")
    fails("redo", match="no salesflow database at")
    assert not db_path.exists()
