"""The corners of the Chinese interface the README tour does not walk: db check findings,
item/value tables, replica status, setting descriptions, export's tables, the time-zone error,
the confirmation prompt, search references, and what the demo writes into the database."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.test_chinese_tour import catalog_words, spoken, table_names, words


@pytest.fixture(scope="module")
def english() -> set[str]:
    return catalog_words()


def leaks(text: str, english: set[str], allowed: set[str] = frozenset()) -> set[str]:
    """English words of the catalog in `text`, outside syntax and `allowed` (data)."""
    return (words(spoken(text)) & english) - allowed


def test_db_check_findings_are_chinese(ok, run, two_leads, db_path: Path, english) -> None:
    ok("log", "1", "first call")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE leads SET touched_at = NULL WHERE id = 1")
    conn.execute("UPDATE leads SET first_touch_at = '2020-01-01T00:00:00Z' WHERE id = 2")
    conn.commit()
    conn.close()
    result = run("--lang", "zh_CN", "db", "check")
    assert result.exit_code == 1
    assert "线索 #1：touched_at 为 空，但其最近一次活动是" in result.stdout
    assert "线索 #2：first_touch_at 为 2020-01-01T00:00:00Z，但其第一次活动在" in result.stdout
    assert not leaks(result.output, english), result.output
    # English is as it was.
    assert "lead #1: touched_at is empty but its latest activity is" in run("db", "check").stdout


def test_fact_tables_name_their_items_in_chinese(ok, two_leads, db_path: Path, english) -> None:
    ok("config", "set", "currency", "CNY")
    info = ok("--lang", "zh_CN", "db", "info").stdout
    for label in (
        "项目",
        "值",
        "路径",
        "大小（字节）",
        "结构版本",
        "可撤销的命令数",
        "行数：leads",
    ):
        assert label in info, label
    settings = ok("--lang", "zh_CN", "config", "list").stdout
    assert "设置项" in settings and "currency" in settings and "CNY" in settings
    for text in (info, settings):
        # Table names and setting keys are the database's own.
        assert not leaks(text, english, table_names(db_path) | {"currency"}), text
    # Machine formats keep their keys; English tables show them.
    rows = json.loads(ok("--lang", "zh_CN", "db", "info", "-f", "json").stdout)
    assert {"path", "size_bytes", "rows.leads"} <= {r["item"] for r in rows}
    assert "size_bytes" in ok("db", "info").stdout
    assert ok("config", "list").stdout.split()[:2] == ["key", "value"]


def test_replica_status_values_follow_the_language() -> None:
    from salesflow import i18n
    from salesflow.replica import status

    now = datetime(2026, 11, 23, 9, 0, 10, tzinfo=UTC)
    i18n.use("zh_CN")
    try:
        assert status._lag(7, None, None, now) == "尚未复制任何内容"
        assert status._lag(9, 7, "2026-11-23T09:00:00Z", now) == (
            "落后 2 个 Litestream 事务，最近一次同步在 10 秒前"
        )
        assert status._lease_text(None, "/tmp/x.db", UTC) == "尚无人取得"
    finally:
        i18n.use("en")
    assert status._lag(9, 7, None, now) == "2 Litestream transaction(s) behind"
    assert status._lag(7, 7, None, now) == "0 (the replica has every change)"


def test_setting_descriptions_are_translated_with_their_defaults() -> None:
    from salesflow import config, i18n

    assert config.describe("quote.valid_days") == (
        f"how long a new quote is valid, in days, default {config.DEFAULT_QUOTE_VALID_DAYS}"
    )
    i18n.use("zh_CN")
    try:
        assert config.describe("quote.valid_days") == (
            f"新报价单的有效天数，默认 {config.DEFAULT_QUOTE_VALID_DAYS}"
        )
        untranslated = [k for k, v in config.DESCRIPTIONS.items() if config.describe(k) == v]
    finally:
        i18n.use("en")
    assert not untranslated, untranslated


def test_export_help_says_what_each_table_holds(ok) -> None:
    zh = ok("--lang", "zh_CN", "export", "--help").stdout
    assert "每条线索一行" in zh and "每个客户一行" in zh
    from salesflow.output.layout import cells

    assert max(cells(line) for line in zh.splitlines()) <= 80, zh  # CJK counted as two cells
    assert "one row per lead, open and closed" in ok("export", "--help").stdout


def test_time_zone_error_in_chinese(fails, two_leads) -> None:
    fails("--lang", "zh_CN", "config", "set", "timezone", "Mars/Olympus", match="未知的时区")
    fails("config", "set", "timezone", "Mars/Olympus", match='unknown time zone "Mars/Olympus"')


def test_confirmation_asks_in_chinese_and_takes_shi(ok, two_leads, at_terminal) -> None:
    declined = ok("--lang", "zh_CN", "lead", "rm", "1", input="否\n")
    assert "[y=是/N=否]" in declined.stderr
    assert ok("lead", "show", "1").exit_code == 0  # still there
    ok("--lang", "zh_CN", "lead", "rm", "1", input="是\n")
    listed = json.loads(ok("lead", "list", "--format", "json").stdout)
    assert [r["id"] for r in listed] == [2]
    assert "[y/N]" in ok("lead", "rm", "2", input="y\n").stderr


def test_search_names_a_follow_up_in_chinese(ok, two_leads) -> None:
    ok("followup", "add", "1", "Call about the pilot", "--due", "tomorrow")
    zh = ok("--lang", "zh_CN", "search", "pilot").stdout
    assert "跟进 1" in zh and "follow-up" not in zh
    hit = json.loads(ok("--lang", "zh_CN", "search", "pilot", "-f", "json").stdout)[0]
    assert hit["ref"] == "follow-up 1"  # machine formats keep the value
    assert "follow-up 1" in ok("search", "pilot").stdout


def _texts(db_path: Path) -> tuple[set[str], set[str]]:
    conn = sqlite3.connect(db_path)
    try:
        actions = {a for (a,) in conn.execute("SELECT action FROM followups")}
        notes = {n for (n,) in conn.execute("SELECT note FROM stage_changes") if n}
    finally:
        conn.close()
    return actions, notes


def test_demo_writes_salesflow_s_own_text_in_the_language_of_the_moment(ok, db_path: Path) -> None:
    ok("--lang", "zh_CN", "demo", "--leads", "120")
    actions, notes = _texts(db_path)
    assert any(a.startswith("跟进报价 Q-") for a in actions)
    assert "售后回访" in actions and "创建" in notes and "跳过了一个阶段" in notes
    assert not any(a.startswith("Chase quote") or a == "after-sales check-in" for a in actions)
    assert not {"created", "skipped a stage", "reopened: back in touch"} & notes


def test_english_demo_writes_english(ok, db_path: Path) -> None:
    ok("demo", "--leads", "120")
    actions, notes = _texts(db_path)
    assert any(a.startswith("Chase quote Q-") for a in actions)
    assert "after-sales check-in" in actions and "created" in notes
    # Only its Chinese leads' chases and check-ins are Chinese (tests/cli/test_trial_misc.py).
    with sqlite3.connect(db_path) as conn:
        english = conn.execute(
            "SELECT f.action FROM followups f JOIN leads l ON l.id = f.lead_id "
            "WHERE l.name NOT GLOB '*[一-龥]*'"
        ).fetchall()
    assert not {"跟进报价", "售后回访"} & {a[:4] for (a,) in english}


def test_help_names_value_types_in_chinese_and_keeps_its_columns(ok) -> None:
    from salesflow.output.layout import cells

    zh = ok("--lang", "zh_CN", "lead", "list", "--help").stdout
    assert "--stage <文本>" in zh and "--limit <整数>" in zh and "<str>" not in zh
    # Descriptions start in one column, counted in cells (<文本> takes six).
    starts = {
        cells(line[: line.index(text)])
        for line, text in (
            (next(x for x in zh.splitlines() if "--stage <文本>" in x), "只看这个阶段"),
            (next(x for x in zh.splitlines() if x.strip().startswith("-a, --all")), "未结和"),
        )
    }
    assert len(starts) == 1, zh
    en = ok("lead", "list", "--help").stdout
    assert "--stage <str>" in en and "--limit <int range>" in en


def test_undo_list_and_quote_render_speak_chinese(ok, two_leads, tmp_path: Path) -> None:
    zh = ok("--lang", "zh_CN", "undo", "--list").stdout
    assert zh.split()[:3] == ["命令", "时间", "改动行数"]
    assert "2026-11-23 09:00" in zh  # local time, as every table shows it
    en = ok("undo", "--list").stdout
    assert en.split()[:3] == ["Command", "When", "Rows"]
    ok("quote", "new", "1", "--item", "网关; 2; 980")
    said = ok("--lang", "zh_CN", "quote", "render", "Q-2026-0001", "-o", str(tmp_path / "q.md"))
    assert said.stderr.strip().endswith("（中文）")


def test_segments_read_as_chinese_shows_them(ok, fails, two_leads) -> None:
    ok("advance", "1", "won")
    ok("--lang", "zh_CN", "customer", "edit", "1", "--segment", "大客户")
    assert (
        json.loads(ok("customer", "show", "1", "-f", "json").stdout)["customer"]["segment"] == "key"
    )
    ok("customer", "edit", "1", "--segment", "中小企业")
    assert (
        json.loads(ok("customer", "show", "1", "-f", "json").stdout)["customer"]["segment"] == "smb"
    )
    fails("--lang", "zh_CN", "customer", "edit", "1", "--segment", "vip", match="大客户")


def test_a_pipeline_change_note_is_shown_in_chinese(ok, two_leads, db_path: Path) -> None:
    ok("advance", "1")  # contacted
    ok("advance", "2", "qualified")
    # Two stages into one: not a rename, so the leads are moved, with a note saying why.
    ok("stages", "set", "lead:10", "talk:30", "--map", "contacted=talk", "--map", "qualified=talk")
    zh = ok("--lang", "zh_CN", "lead", "show", "1").stdout
    assert "销售流程已更改" in zh and "pipeline changed" not in zh
    conn = sqlite3.connect(db_path)
    try:  # stored as the marker the queries find
        notes = {
            n for (n,) in conn.execute("SELECT note FROM stage_changes WHERE to_stage = 'talk'")
        }
    finally:
        conn.close()
    assert notes == {"pipeline changed"}


def test_digest_changes_read_as_chinese(ok, two_leads) -> None:
    # Lost on Friday: the Monday digest's changes run up to the start of today.
    ok(
        "advance",
        "2",
        "lost",
        "--reason",
        "预算不足",
        env={"SALESFLOW_NOW": "2026-11-20T10:00:00Z"},
    )
    zh = ok("--lang", "zh_CN", "digest", "--format", "text", "--since", "2026-11-20").stdout
    assert "丢单：#2 Jane Roe（Acme Ltd） lead → lost（预算不足）" in zh, zh
    en = ok("digest", "--format", "text", "--since", "2026-11-20").stdout
    assert "lost: #2 Jane Roe (Acme Ltd) lead → lost (预算不足)" in en, en


def test_bant_answers_in_chinese_punctuation(ok, two_leads) -> None:
    ok("lead", "edit", "1", "--bant", "budget=yes")
    assert "预算：是  决策权：未知" in ok("--lang", "zh_CN", "lead", "show", "1").stdout
    assert "budget: yes  authority: unknown" in ok("lead", "show", "1").stdout


def test_unknown_activity_kind_lists_the_chinese_names(fails, two_leads) -> None:
    fails("--lang", "zh_CN", "log", "1", "x", "--kind", "fax", match="call/电话, email/邮件")
    fails("log", "1", "x", "--kind", "fax", match="use one of: call, email, meeting, visit, note")
