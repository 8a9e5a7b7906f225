"""won and lost are names too; renaming a stage keeps its history (issue 13).

The clock is pinned per command (SALESFLOW_NOW); time in stage is worked out by hand from
the moves below, in whole UTC days."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

NOW = "2026-11-23T09:00:00Z"  # Monday


def data(result):
    return json.loads(result.stdout)


@pytest.fixture
def at(ok, monkeypatch):
    def run(when: str, *args: str):
        monkeypatch.setenv("SALESFLOW_NOW", when)
        result = ok(*args)
        monkeypatch.setenv("SALESFLOW_NOW", NOW)
        return result

    return run


@pytest.fixture
def history(at) -> None:
    """Three deals through `proposal` of the default pipeline:
    A: proposal 11-03 → quote 11-10: 7 days; B: proposal 11-05 → quote 11-08: 3 days;
    C: proposal since 11-13, still there on 11-23: 10 days.
    proposal: mean (7 + 3 + 10) / 3 = 6.67 days, median 7; reached by all three."""
    for name in ("A", "B", "C"):
        at("2026-11-01T09:00:00Z", "lead", "add", name)
    at("2026-11-03T09:00:00Z", "advance", "A", "proposal")
    at("2026-11-10T09:00:00Z", "advance", "A", "quote")
    at("2026-11-05T09:00:00Z", "advance", "B", "proposal")
    at("2026-11-08T09:00:00Z", "advance", "B", "quote")
    at("2026-11-13T09:00:00Z", "advance", "C", "proposal")


def funnel_row(ok, stage: str) -> tuple:
    rows = {r["stage"]: r for r in data(ok("report", "funnel", "--format", "json"))}
    r = rows[stage]
    return r["reached"], round(r["avg_days_in_stage"], 2), r["median_days_in_stage"]


def test_the_history_before_any_rename(ok, history) -> None:
    assert funnel_row(ok, "proposal") == (3, 6.67, 7.0)


B2B_WITH = ["lead:10", "contacted:20", "qualified:35", "{p}:50", "quote:65", "negotiation:80"]


def test_stages_set_map_to_a_new_name_is_a_rename_that_keeps_history(ok, history) -> None:
    specs = [s.format(p="方案") for s in B2B_WITH]
    result = ok("stages", "set", *specs, "--map", "proposal=方案")
    assert "renamed proposal to 方案, history kept" in result.stderr
    # Was (before the fix) a remap row for C at 11-23: 方案 averaged 0.0 days.
    assert funnel_row(ok, "方案") == (3, 6.67, 7.0)
    card = data(ok("lead", "show", "C", "--format", "json"))
    assert card["lead"]["stage"] == "方案"
    assert [(h["from"], h["to"]) for h in card["history"]] == [(None, "lead"), ("lead", "方案")]


def test_stages_rename_keeps_time_in_stage_and_reached(ok, history) -> None:
    ok("stages", "rename", "proposal", "方案")
    assert funnel_row(ok, "方案") == (3, 6.67, 7.0)
    ok("stages", "rename", "方案", "解决方案")
    assert funnel_row(ok, "解决方案") == (3, 6.67, 7.0)
    assert "passed every check" in ok("db", "check").stdout  # derived facts kept in step
    assert "proposal" not in ok("export", "stage-changes", "--format", "csv").stdout
    ok("undo")
    assert funnel_row(ok, "方案") == (3, 6.67, 7.0)
    ok("advance", "C", "quote")  # the renamed stage is the one deals move through
    assert data(ok("lead", "show", "C", "--format", "json"))["history"][-1]["from"] == "方案"


def test_merging_two_stages_is_still_a_recorded_move(ok, history) -> None:
    # quote stays: C's move into it is recorded, its history keeps the word proposal.
    result = ok("stages", "set", "lead:10", "quote:65", "--map", "proposal=quote")
    assert "moved 1 lead(s) out of proposal" in result.stderr
    card = data(ok("lead", "show", "C", "--format", "json"))
    assert card["history"][-1]["from"] == "proposal" and card["history"][-1]["to"] == "quote"


def test_a_rename_follows_the_quote_stage_setting(ok) -> None:
    ok("config", "set", "quote.stage", "proposal")
    ok("stages", "rename", "proposal", "方案")
    assert ok("config", "get", "quote.stage").stdout.strip() == "方案"


def test_won_and_lost_by_their_chinese_names(ok, at, db_path) -> None:
    result = ok("stages", "set", "线索:10", "方案:50", "报价:65", "--won", "成交", "--lost", "丢单")
    assert "Warning" not in result.stderr
    shown = data(ok("stages", "--format", "json"))
    assert [(s["name"], s["kind"]) for s in shown] == [
        ("线索", "open"), ("方案", "open"), ("报价", "open"), ("成交", "won"), ("丢单", "lost"),
    ]  # fmt: skip
    at("2026-11-20T10:00:00Z", "lead", "add", "张伟", "--value", "5万")
    at("2026-11-20T10:00:00Z", "lead", "add", "李娜")
    at("2026-11-20T10:00:00Z", "lead", "add", "王芳")
    moved = at("2026-11-20T15:00:00Z", "advance", "张伟", "成交")
    assert "#1 张伟: 线索 → 成交" in moved.stderr
    at("2026-11-20T16:00:00Z", "advance", "李娜", "丢单", "--reason", "价格")
    at("2026-11-20T16:00:00Z", "advance", "王芳", "won")  # the kind's name works too
    # Stored by kind: every rule keeps reading won/lost.
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT stage FROM leads ORDER BY id").fetchall() == [
            ("won",), ("lost",), ("won",),
        ]  # fmt: skip
    for word in ("成交", "won", "WON"):
        listed = data(ok("lead", "list", "--all", "--stage", word, "--format", "json"))
        assert [(r["name"], r["stage"]) for r in listed] == [("张伟", "成交"), ("王芳", "成交")]
    card = data(ok("lead", "show", "李娜", "--format", "json"))
    assert card["lead"]["stage"] == "丢单" and card["history"][-1]["to"] == "丢单"
    funnel = [r["stage"] for r in data(ok("report", "funnel", "--format", "json"))]
    assert funnel == ["线索", "方案", "报价", "成交", "丢单"]
    digest = data(ok("digest", "--format", "json"))
    changes = next(s for s in digest["sections"] if s["key"] == "changes")
    assert [(r["change"], r["to"]) for r in changes["rows"] if r["change"] != "new"] == [
        ("won", "成交"), ("lost", "丢单"), ("won", "成交"),
    ]  # fmt: skip
    summary = data(ok("report", "summary", "--format", "json"))
    assert (summary["won"], summary["lost"]) == (2, 1)  # the kinds still count
    exported = list(csv.DictReader(io.StringIO(ok("export", "leads", "--format", "csv").stdout)))
    assert [(r["stage"], r["stage_kind"]) for r in exported] == [
        ("成交", "won"), ("丢单", "lost"), ("成交", "won"),
    ]  # fmt: skip


def test_an_export_with_display_names_imports_back(ok, tmp_path) -> None:
    ok("stages", "set", "线索:10", "--won", "成交", "--lost", "丢单")
    ok("lead", "add", "张伟")
    ok("advance", "1", "成交")
    path = tmp_path / "leads.csv"
    ok("export", "leads", "-o", str(path))
    ok("lead", "rm", "1", "--yes")
    ok("import", "leads", str(path))
    assert data(ok("export", "leads", "--format", "json"))[0]["stage_kind"] == "won"


def test_rename_the_closed_stages_and_back(ok) -> None:
    ok("lead", "add", "张伟")
    ok("stages", "rename", "won", "成交")
    ok("advance", "1", "成交")
    assert data(ok("lead", "show", "1", "--format", "json"))["lead"]["stage"] == "成交"
    ok("stages", "rename", "成交", "won")  # the plain name again
    assert data(ok("lead", "show", "1", "--format", "json"))["lead"]["stage"] == "won"
    ok("stages", "rename", "lost", "丢单")
    ok("undo")
    assert [s["name"] for s in data(ok("stages", "--format", "json"))][-2:] == ["won", "lost"]


def test_later_pipeline_changes_keep_the_closed_names(ok) -> None:
    ok("stages", "set", "线索:10", "--won", "成交", "--lost", "丢单")
    ok("stages", "preset", "simple", "--map", "线索=lead")
    assert [s["name"] for s in data(ok("stages", "--format", "json"))] == [
        "lead", "quote", "成交", "丢单",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("spec", "kind"),
    [("成交:100", "--won 成交"), ("丢单:0", "--lost 丢单"), ("签约:90", "--won 签约")],
)
def test_an_open_stage_that_reads_like_a_closed_one_warns(ok, spec: str, kind: str) -> None:
    result = ok("stages", "set", "线索:10", spec)
    assert "Warning" in result.stderr and kind in result.stderr
    assert "reads like" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stages", "set", "线索:10", "成交:100", "--won", "成交"), '"成交" is the won stage'),
        (("stages", "set", "线索:10", "won:100"), '"won" is the won stage'),
        (("stages", "set", "线索:10", "--won", "结束", "--lost", "结束"), "two different names"),
        (("stages", "rename", "proposal", "quote"), 'already a stage "quote"'),
        (("stages", "rename", "proposal", "WON"), 'already a stage "WON"'),
        (("stages", "rename", "won", "lost"), 'already a stage "lost"'),
        (("stages", "rename", "nosuch", "x"), 'unknown stage "nosuch"'),
        (("stages", "rename", "proposal", "  "), "a stage needs a name"),
        (("stages", "set", "线索:10", "--won", " "), "a stage needs a name"),
        (("advance", "1", "成交"), 'unknown stage "成交"'),
    ],
)
def test_bad_stage_names_change_nothing(ok, fails, args, message: str) -> None:
    ok("lead", "add", "张伟")
    fails(*args, match=message)


def test_a_closed_name_clashes_with_an_open_stage(ok, fails) -> None:
    ok("stages", "rename", "won", "成交")
    fails("stages", "rename", "proposal", "成交", match='already a stage "成交"')
    fails("stages", "rename", "lost", "成交", match='already a stage "成交"')


def test_messages_name_the_closed_stage_as_the_seller_does(ok, fails) -> None:
    ok("stages", "rename", "won", "成交")
    ok("lead", "add", "张伟")
    ok("advance", "1", "won")
    fails("advance", "1", "proposal", match="#1 张伟 is 成交 — reopen it first")
    fails("advance", "1", "--reopen", "成交", match="is already in stage 成交")


def test_a_stage_name_typo_gets_the_nearest_name(ok, fails, two_leads) -> None:
    fails(
        "advance", "1", "wonn",
        match='Error: unknown stage "wonn" — did you mean "won"? The stages are: lead, '
        "contacted, qualified, proposal, quote, negotiation, won, lost",
    )  # fmt: skip
    fails("lead", "list", "--stage", "Qualifed", match='did you mean "qualified"?')
    ok(
        "stages", "set", "线索:10", "需求分析:35", "报价:65", "--map", "contacted=线索",
        "--map", "qualified=需求分析", "--map", "proposal=需求分析", "--map", "quote=报价",
        "--map", "negotiation=报价", "--map", "lead=线索", "--won", "成交", "--lost", "丢单",
    )  # fmt: skip
    fails("advance", "1", "需求分折", match='did you mean "需求分析"?')
    fails("advance", "1", "成交了", match='did you mean "成交"?')
    fails("--lang", "zh_CN", "advance", "1", "报价单", match="你是不是想用“报价”？")
    fails("advance", "1", "heaven", match='unknown stage "heaven" — the stages are: 线索')
