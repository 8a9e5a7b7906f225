"""Defects a new-user trial found: follow-ups closed before they existed, undo counts, the merge
question, config defaults and base-currency rates, demo data, option hints, redo of imports."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def test_a_touch_before_a_follow_up_existed_closes_it_at_its_creation(ok, db_path: Path) -> None:
    ok("lead", "add", "Ann", "--company", "Acme")
    # Created now (Mon 2026-11-23 09:00 UTC), due last Friday: it is late from the start.
    ok("followup", "add", "1", "demo", "--due", "2026-11-20", "--force")
    done = ok("log", "1", "demo done", "--at", "2026-11-19 15:00", "--done")
    assert "Done: follow-up #1" in done.stderr
    assert (
        'Follow-up #1 "demo" was created at 2026-11-23 09:00, after this touch: '
        "it counts as done then, not before it existed"
    ) in done.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT done_at FROM followups").fetchone() == ("2026-11-23T09:00:00Z",)
        # The touch itself keeps the time it happened.
        assert conn.execute("SELECT happened_at FROM activities").fetchone() == (
            "2026-11-19T15:00:00Z",
        )
    summary = json.loads(
        ok("report", "summary", "--since", "2026-11-01", "--format", "json").stdout
    )
    # Due Friday, done (at the earliest) Monday: one due, none on time.
    assert (summary["followups_due"], summary["followups_on_time"]) == (1, 0)


def test_a_touch_after_the_follow_up_was_created_closes_it_then(ok, db_path: Path) -> None:
    ok("lead", "add", "Ann")
    ok("followup", "add", "1", "demo", "--due", "2026-11-25")
    done = ok(
        "--lang", "zh_CN", "log", "1", "demo done", "--at", "2026-11-23 15:00", "--done",
        env={"SALESFLOW_NOW": "2026-11-24T09:00:00Z"},
    )  # fmt: skip
    assert "创建于" not in done.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT done_at FROM followups").fetchone() == ("2026-11-23T15:00:00Z",)


def test_the_note_about_closing_at_creation_in_chinese(ok) -> None:
    ok("lead", "add", "Ann")
    ok("followup", "add", "1", "demo", "--due", "2026-11-25")
    done = ok("--lang", "zh_CN", "log", "1", "做完了", "--at", "yesterday 15:00", "--done")
    assert '跟进 #1 "demo" 创建于 2026-11-23 09:00，晚于这次接触' in done.stderr


def _csv(path: Path, rows: int, start: int = 0) -> str:
    lines = ["name,company,email"] + [
        f"Person {i},Firm {i},p{i}@example.com" for i in range(start, start + rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_undo_list_counts_what_each_import_changed_however_many_come_after(
    ok, tmp_path: Path
) -> None:
    ok("import", "leads", _csv(tmp_path / "small.csv", 4))
    # Each new lead is one `leads` row and one `stage_changes` row (its creation): 4 + 4.
    listed = json.loads(ok("undo", "--list", "--format", "json").stdout)
    assert [e["rows"] for e in listed] == [8]
    ok("import", "leads", _csv(tmp_path / "big.csv", 30, start=100))
    listed = json.loads(ok("undo", "--list", "--format", "json").stdout)
    # The later import's 30 + 30 rows are its own, not also the first import's.
    assert [e["rows"] for e in listed] == [60, 8]
    undone = ok("undo", "--yes").stderr
    assert "60 row(s): leads 30, stage_changes 30" in undone
    assert "(2026-11-23 09:00, 60 row(s)) — a bulk load is not kept for redo" in undone
    assert [e["rows"] for e in json.loads(ok("undo", "--list", "--format", "json").stdout)] == [8]


def test_undoing_a_merge_says_one_count_twice(ok) -> None:
    ok("lead", "add", "Ann", "--company", "Acme")
    ok("lead", "add", "Ann B", "--company", "Acme", "--value", "40300")
    ok("log", "2", "called", "--kind", "call")
    ok("followup", "add", "2", "chase", "--due", "2026-11-25")
    ok("lead", "merge", "1", "2", "--yes")
    # Rows the merge changed: the activity and the follow-up moved (1 + 1); lead #1 filled and
    # #2 deleted (2); #2's creation moved, the closing "merged" row added, and #1's creation
    # row given its left_at (3) — 7.
    listed = json.loads(ok("undo", "--list", "--format", "json").stdout)
    assert listed[0]["rows"] == 7
    undone = ok("undo", "--yes").stderr
    assert "7 row(s): activities 1, followups 1, leads 2, stage_changes 3" in undone
    assert "(2026-11-23 09:00, 7 row(s)) — salesflow redo re-applies it" in undone
    said = ok("--lang", "zh_CN", "redo").stderr
    assert "7 行" in said
    undone = ok("--lang", "zh_CN", "undo", "--yes").stderr
    assert "（2026-11-23 09:00，7 行）——salesflow redo 可重新执行" in undone


def test_an_import_that_added_rows_is_not_redone_one_that_only_updated_is(
    ok, tmp_path: Path, db_path: Path
) -> None:
    ok("import", "leads", _csv(tmp_path / "reg.csv", 2))
    undone = ok("undo", "--yes").stderr
    assert "a bulk load is not kept for redo: run the command again to redo it" in undone
    assert "redo re-applies" not in undone
    assert "Nothing to redo" in ok("redo").stderr
    ok("import", "leads", str(tmp_path / "reg.csv"))
    assert "批量导入不保留重做" in ok("--lang", "zh_CN", "undo", "--yes").stderr
    ok("import", "leads", str(tmp_path / "reg.csv"))
    phones = tmp_path / "phones.csv"
    phones.write_text("name,company,email,phone\nPerson 0,Firm 0,p0@example.com,+1 555 0100\n")
    ok("import", "leads", str(phones), "--on-duplicate", "update")
    undone = ok("undo", "--yes").stderr
    assert "(2026-11-23 09:00, 1 row(s)) — salesflow redo re-applies it" in undone
    ok("redo")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT phone FROM leads WHERE id = 1").fetchone() == ("+1 555 0100",)


def _quote_stage_duplicate(ok) -> None:
    ok("lead", "add", "Wang Fang", "--company", "Acme", "--value", "12000")
    ok("lead", "add", "Wang F", "--company", "Acme Ltd", "--value", "40300")
    ok("advance", "2", "quote")
    ok("quote", "new", "2", "--item", "Router; 2; 20150")
    ok("followup", "add", "2", "chase", "--due", "2026-11-25")


def test_the_merge_question_names_what_the_merged_away_lead_brings(ok, fails) -> None:
    _quote_stage_duplicate(ok)
    fails(
        "lead", "merge", "1", "2",
        match="Error: Merge lead #2 Wang F (Acme Ltd) into #1 Wang Fang (Acme) and delete "
        "#2 Wang F (Acme Ltd); its 1 follow-up, 1 quote move to #1; not kept from #2: its open "
        "stage quote (#1 stays at lead), its value 40,300.00 USD: pass --yes to confirm",
    )  # fmt: skip
    fails(
        "--lang", "zh_CN", "lead", "merge", "1", "2",
        match="；它的 1 条跟进、1 份报价将移到 #1；#2 不保留的：其进行中的阶段 quote"
        "（#1 保持在 lead）、其金额 40,300.00 USD：请加 --yes 确认",
    )  # fmt: skip
    # Taking OTHER's stage keeps it; KEEP has a value, so OTHER's is still not kept.
    fails(
        "lead", "merge", "1", "2", "--stage-from", "other",
        match="move to #1; not kept from #2: its value 40,300.00 USD: pass --yes",
    )  # fmt: skip
    # The other way round #1 has no rows to move, and its (earlier) stage and value are lost.
    fails(
        "lead", "merge", "2", "1",
        match="delete #1 Wang Fang (Acme); not kept from #1: its open stage lead (#2 stays at "
        "quote), its value 12,000.00 USD: pass --yes",
    )  # fmt: skip


def test_the_merge_question_wraps_between_words_at_60_columns(ok, at_terminal) -> None:
    _quote_stage_duplicate(ok)
    asked = ok("--width", "60", "lead", "merge", "1", "2", input="n\n").stderr
    shown, _, after = asked.partition("[y/N] ")
    assert after == "Nothing merged.\n"  # the answer typed is not echoed here
    question = (shown + "[y/N]").splitlines()
    assert len(question) == 4 and all(len(line) <= 59 for line in question), question
    words = " ".join(question).split()
    # Each number, amount and label whole on one line.
    for whole in ("#1", "#2", "40,300.00", "(Acme", "Ltd);"):
        assert whole in words, (whole, question)
    assert " ".join(question) == (
        "Merge lead #2 Wang F (Acme Ltd) into #1 Wang Fang (Acme) and delete #2 Wang F "
        "(Acme Ltd); its 1 follow-up, 1 quote move to #1; not kept from #2: its open stage "
        "quote (#1 stays at lead), its value 40,300.00 USD? [y/N]"
    )


def test_no_exchange_rate_for_the_base_currency(ok, fails) -> None:
    ok("lead", "add", "Ann")
    fails(
        "config", "set", "fx.USD", "7.1",
        match="Error: USD is the base currency: reports need no rate for it — fx.XXX rates "
        "say what other currencies are worth in USD",
    )  # fmt: skip
    fails("config", "set", "fx.usd", "7.1", match="USD is the base currency")
    ok("config", "set", "currency", "CNY")
    fails("--lang", "zh_CN", "config", "set", "fx.CNY", "2", match="CNY 是本位币")
    ok("config", "set", "fx.USD", "7.1")
    assert ok("config", "get", "fx.USD").stdout == "7.1\n"


def test_config_get_shows_the_default_in_effect(ok, fails) -> None:
    ok("lead", "add", "Ann")
    got = ok("config", "get", "currency")
    assert (got.stdout, got.stderr) == ("USD\n", "currency is not set: USD is its default\n")
    assert ok("config", "get", "quote.valid_days").stdout == "30\n"
    assert ok("config", "get", "workdays").stdout == "mon,tue,wed,thu,fri\n"
    assert ok("config", "get", "activity_kinds").stdout == "call,email,meeting,visit,note\n"
    got = ok("--lang", "zh_CN", "config", "get", "rounding")
    assert (got.stdout, got.stderr) == ("half-up\n", "rounding 未设置：默认值为 half-up\n")
    got = ok("config", "get", "timezone")  # the tests' TZ=UTC
    assert (got.stdout, got.stderr) == (
        "UTC\n",
        "timezone is not set: UTC (the system's) is in effect\n",
    )
    ok("config", "set", "currency", "EUR")
    got = ok("config", "get", "currency")
    assert (got.stdout, got.stderr) == ("EUR\n", "")
    # No default: still an error.
    fails("config", "get", "seller.name", match='setting "seller.name" is not set')


def test_a_fresh_demo_has_no_leads_sharing_a_phone_by_chance(ok, db_path: Path) -> None:
    ok("demo")
    pairs = json.loads(ok("lead", "dupes", "--format", "json").stdout)
    assert [p for p in pairs if "same phone" in p["reason"]] == []
    with sqlite3.connect(db_path) as conn:
        # Only a returning customer's contact keeps the phone of the deal before.
        shared = conn.execute(
            "SELECT count(*) FROM leads a JOIN leads b ON a.phone = b.phone AND a.id < b.id "
            "WHERE a.name != b.name"
        ).fetchone()[0]
    assert shared == 0


def _han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


WON_EN = ("PO received", "signed annual contract", "deposit paid", "signed after pilot")


def test_demo_writes_follow_ups_and_won_notes_in_each_lead_language(ok, db_path: Path) -> None:
    ok("--lang", "zh_CN", "demo", "--currency", "CNY")
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute(
            "SELECT l.name, l.won_note, f.action FROM leads l LEFT JOIN followups f "
            "ON f.lead_id = l.id"
        ).fetchall()
    chinese = [r for r in rows if _han(r[0])]
    assert len({r[0] for r in chinese}) > 100
    # What salesflow itself writes — quote chases, check-ins, won notes — is Chinese for a
    # Chinese lead.
    assert not [r for r in chinese if r[2] and r[2].startswith(("Chase quote", "after-sales"))]
    assert not [r for r in chinese if r[1] in WON_EN]
    # A Chinese demo writes its own text in Chinese for its English-named leads too.
    assert not [r for r in rows if r[1] in WON_EN or (r[2] or "").startswith("Chase quote")]
    assert any(r[2] and r[2].startswith("跟进报价 Q-") for r in chinese)
    assert any(r[2] == "售后回访" for r in chinese)
    assert any(r[1] == "定金已付" for r in chinese)


def test_an_english_demo_chases_its_chinese_leads_in_chinese(ok, db_path: Path) -> None:
    ok("demo")
    with sqlite3.connect(db_path) as conn:
        chases = conn.execute(
            "SELECT l.name, f.action FROM followups f JOIN leads l ON l.id = f.lead_id "
            "WHERE f.action LIKE 'Chase quote %' OR f.action LIKE '跟进报价 %'"
        ).fetchall()
    assert {_han(name) for name, _ in chases} == {True, False}
    assert all(action.startswith("跟进报价") == _han(name) for name, action in chases)


def test_a_global_option_given_before_and_after_the_command_is_given_twice(
    run, empty_db: Path, tmp_path: Path
) -> None:
    result = run("--db", str(empty_db), "lead", "list", "--db", "x.db")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: No such option: --db. --db is given twice ({empty_db} before the command, "
        "x.db after it): give it once, before the command"
    )
    assert "--db x.db lead list" not in result.stderr
    assert not (tmp_path / "x.db").exists()
    zh = run("--lang", "zh_CN", "lead", "list", "--lang=en")
    assert zh.exit_code == 2
    assert "--lang 给了两次（命令前为 zh_CN，命令后为 en）：只给一次，放在命令前面" in zh.stderr
    # Given once, after the command: moved before it, as before.
    once = run("lead", "list", "--db", "x.db")
    assert "Global options go before the command: salesflow --db x.db lead list" in once.stderr


def test_digest_since_a_future_day_says_it_is_in_the_future(ok, fails) -> None:
    ok("lead", "add", "Ann")
    fails(
        "digest", "--since", "2027-01-01",
        match="Error: --since 2027-01-01 is in the future (today is 2026-11-23): the digest "
        "lists changes up to where today begins — give an earlier day",
    )  # fmt: skip
    fails("digest", "--since", "today", match="Error: --since today is today: the digest")
    fails("--lang", "zh_CN", "digest", "--since", "2027-01-01", match="在未来（今天是 2026-11-23）")
    ok("digest", "--since", "yesterday")
