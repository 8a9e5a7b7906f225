"""The seller's day (issue 15): `log --done N` closes the follow-up named, lost reasons offered
in completion, and a digest that covers everything since the last digest."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def two_followups(ok, two_leads) -> None:
    """Lead #1 with #1 "Chase quote" (due first) and #2 "answer on discount"; lead #2 with #3."""
    ok("followup", "add", "1", "Chase quote", "--due", "tomorrow")
    ok("followup", "add", "1", "answer on discount", "--due", "fri")
    ok("followup", "add", "2", "call back", "--due", "fri")


def _open(ok, lead: str) -> list[int]:
    rows = json.loads(ok("followup", "list", "--lead", lead, "-f", "json").stdout)
    return [r["id"] for r in rows if r["done_at"] is None]


def test_done_n_closes_that_follow_up(ok, two_followups) -> None:
    result = ok("log", "1", "agreed 5% discount", "--kind", "call", "--done", "2")
    assert 'Done: follow-up #2 "answer on discount"' in result.stderr
    assert _open(ok, "1") == [1]  # "Chase quote" stays open
    shown = json.loads(ok("lead", "show", "1", "-f", "json").stdout)
    assert shown["activities"][0]["note"] == "agreed 5% discount"
    ok("undo", "--yes")  # one command: the touch and the closing go back together
    assert _open(ok, "1") == [1, 2]
    assert json.loads(ok("lead", "show", "1", "-f", "json").stdout)["activities"] == []


def test_done_n_before_the_note_and_with_a_hash(ok, two_followups) -> None:
    ok("log", "1", "--done", "agreed", "#2")
    assert _open(ok, "1") == [1]


def test_done_alone_closes_the_earliest_and_says_which(ok, two_followups) -> None:
    result = ok("log", "1", "sent the quote again", "--done")
    assert 'Done: follow-up #1 "Chase quote", the earliest of 2 open' in result.stderr
    assert "--done N closes another" in result.stderr
    assert _open(ok, "1") == [2]
    result = ok("log", "1", "discussed", "--done")  # the only one left: no choice to explain
    assert result.stderr.splitlines()[-1] == 'Done: follow-up #2 "answer on discount"'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("log", "1", "x", "--done", "3"), 'follow-up #3 "call back" is on lead #2, not on #1'),
        (("log", "1", "x", "--done", "9"), "no follow-up #9"),
        (("log", "1", "called", "them", "--done"), '--done takes a follow-up number (5, #5), '
         'not "them"'),
        (("log", "1", "called", "them"), '"them" after the note: a follow-up number goes with '
         "--done"),
        (("log", "1", "x", "2"), "goes with --done"),
        (("log", "1", "x", "--done", "0"), "no follow-up #0"),
    ],
)  # fmt: skip
def test_bad_done_numbers(ok, fails, two_followups, args, message) -> None:
    fails(*args, match=message)


def test_a_follow_up_done_already_is_refused(ok, fails, two_followups) -> None:
    ok("followup", "done", "2")
    fails(
        "log", "1", "x", "--done", "2", match='follow-up #2 "answer on discount" was already done'
    )


def test_done_with_a_value_in_one_word_is_a_usage_error(fails, two_followups) -> None:
    fails("log", "1", "x", "--done=2", code=2, match="--done")


def test_lost_reasons_are_offered_in_completion_and_free_text_is_taken(ok, two_leads, db_path):
    from tests.cli.test_completion import complete_bash

    line = "salesflow advance 1 lost --reason "
    assert complete_bash(db_path, line) == []  # no categories, no reasons given yet
    ok("config", "set", "lost_reasons", "预算不足=无预算,没预算;价格高=太贵,price too high")
    ok("advance", "2", "lost", "--reason", "went with a competitor")  # free text is taken
    ok("lead", "add", "Li Lei", "--company", "Wuhan Co")
    ok("advance", "3", "lost", "--reason", "没预算")  # a synonym: offered as its category
    assert complete_bash(db_path, line) == ["预算不足", "价格高", "went with a competitor"]
    assert complete_bash(db_path, line + "预") == ["预算不足"]
    assert complete_bash(db_path, line + "wen") == ["went with a competitor"]
    assert complete_bash(db_path, "salesflow advance 1 lost -r 价") == ["价格高"]
    lost = json.loads(ok("report", "lost", "-f", "json").stdout)
    assert {(r["reason"], r["count"]) for r in lost} == {
        ("预算不足", 1),
        ("went with a competitor", 1),
    }


def _changes(ok, *args: str) -> tuple[str, list[tuple[str, int]]]:
    d = json.loads(ok("digest", "--format", "json", *args).stdout)
    section = next((s for s in d["sections"] if s["key"] == "changes"), None)
    if section is None:
        return "", []
    return section["title"], [(r["change"], r["lead_id"]) for r in section["rows"]]


def test_the_digest_covers_everything_since_the_last_digest(ok, monkeypatch, tmp_path) -> None:
    def at(when: str, *args: str) -> None:
        monkeypatch.setenv("SALESFLOW_NOW", when)
        ok(*args)

    at("2026-11-17T12:00:00Z", "lead", "add", "Tuesday Co")  # 1
    # Wednesday's digest covers Tuesday.
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-18T07:00:00Z")
    assert _changes(ok) == ("Changes since Tue 2026-11-17", [("new", 1)])
    at("2026-11-18T15:00:00Z", "lead", "add", "Wednesday Co")  # 2
    at("2026-11-19T15:00:00Z", "lead", "add", "Thursday Co")  # 3
    at("2026-11-20T10:00:00Z", "advance", "3", "won")  # Friday
    at("2026-11-21T11:00:00Z", "advance", "2", "lost", "--reason", "budget")  # Saturday
    # No digest on Thursday or Friday (a day off): Monday's starts where Wednesday's ended,
    # not at Friday, the last working day — Wednesday's and Thursday's leads are not lost.
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T07:00:00Z")
    since_wednesday = [("new", 2), ("new", 3), ("won", 3), ("lost", 2)]
    assert _changes(ok, "--since", "2026-11-20") == ("Changes since Fri 2026-11-20",
                                              [("won", 3), ("lost", 2)])  # fmt: skip
    assert _changes(ok) == ("Changes since Wed 2026-11-18", since_wednesday)
    assert _changes(ok) == ("Changes since Wed 2026-11-18", since_wednesday)  # same day again
    text = ok("digest").stdout  # the text cron mails, too
    assert "Changes since Wed 2026-11-18 (4)" in text and "#2 Wednesday Co" in text
    # Tuesday: Monday's digest ran, so the window is Monday alone again.
    at("2026-11-23T10:00:00Z", "lead", "add", "Monday Co")  # 4
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-24T07:00:00Z")
    assert _changes(ok) == ("Changes since Mon 2026-11-23", [("new", 4)])


def test_without_a_digest_before_it_is_the_last_working_day(ok, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-20T10:00:00Z")
    ok("lead", "add", "Friday Co")
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T07:00:00Z")
    # A state folder salesflow cannot write: the digest works, remembering nothing.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    assert _changes(ok) == ("Changes since Fri 2026-11-20", [("new", 1)])
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-25T07:00:00Z")  # Wednesday, nothing kept
    assert _changes(ok) == ("", [])
