"""What salesflow shows, in Chinese: table headers, report titles and call-outs, the agenda,
cards, the hidden-columns line, at 60 columns too. English is covered, unchanged, by every
other test."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from salesflow import i18n
from salesflow.cli import app
from salesflow.output.layout import cells
from salesflow.output.views import lead_columns
from tests.cli import test_width
from tests.cli.test_reports import pipeline  # noqa: F401 - the fixture the reports use
from tests.cli.test_width import demo_db  # noqa: F401 - the demo database the width test uses


@pytest.fixture
def zh(ok):
    """Run a command in Chinese; the process language goes back to English afterwards."""

    def invoke(*args: str, **kw):
        try:
            return ok("--lang", "zh_CN", *args, **kw)
        finally:
            i18n.use("en")

    return invoke


def lines_of(text: str) -> list[str]:
    return [x for x in text.splitlines() if x.strip()]


def test_funnel_in_chinese(zh, pipeline) -> None:  # noqa: F811
    out = zh("report", "funnel").stdout
    lines = lines_of(out)
    assert lines[0] == "销售漏斗 · 线索创建于全部时间 · 本位币 USD"
    head = next(x for x in lines if x.lstrip().startswith("阶段"))
    assert head.split() == [
        "阶段",
        "当前",
        "金额",
        "加权",
        "到达",
        "转化率",
        "平均天数",
        "中位天数",
    ]
    # lead → contacted: 2 of the 4 leads reached contacted (Ann, won; and Cat, who skipped it).
    assert "最薄弱环节：lead → contacted 转化率 50.0%（到达 lead 的 4 个商机中有 2 个）。" in out
    # Cat has sat in proposal since 11-09: 14 days to 11-23, her one visit.
    assert "商机在 proposal 停留最久：中位数 14.0 天（平均 14.0 天，1 次停留）。" in out
    assert "Weakest" not in out and "Stage" not in out


def test_summary_board_in_chinese(zh, pipeline) -> None:  # noqa: F811
    out = zh("report", "summary").stdout
    assert out.startswith("概览 · 全部时间 · 本位币 USD\n")
    for label, figure in (
        ("赢单率", "50.0%"),  # 1 won / (1 won + 1 lost)
        ("新增线索", "4"),
        ("成交 / 丢单", "1 / 1"),
        ("平均成交额", "10,000"),
    ):
        assert re.search(re.escape(label) + r" +" + re.escape(figure) + r"( |$)", out, re.M), label
    for panel in ("销售管道", "成果", "速度", "习惯"):
        assert panel in out.split()


def test_targets_and_lost_in_chinese(zh, ok, pipeline) -> None:  # noqa: F811
    ok("target", "set", "2026-11", "40000")
    out = zh("report", "targets").stdout
    assert out.startswith("目标 · 本位币 USD\n")
    assert lines_of(out)[1].split()[:4] == ["期间", "目标", "成交", "已完成"]
    # 10,000 won of 40,000: a quarter done.
    row = next(x for x in out.splitlines() if x.lstrip().startswith("2026-11"))
    assert row.split()[1:4] == ["40,000", "10,000", "25.0%"]
    assert "预计：按当前速度到期间结束时的成交额。" in out
    lost = zh("report", "lost").stdout
    assert lost.startswith("丢单原因 · 丢单于全部时间 · 本位币 USD\n")
    assert lines_of(lost)[1].split()[:3] == ["原因", "商机", "占比"]


def test_agenda_in_chinese(zh, ok) -> None:
    ok("lead", "add", "张伟", "--company", "深圳某科技有限公司")
    ok("followup", "add", "1", "发送报价", "--due", "2026-11-20", "--force")
    out = zh("today").stdout
    lines = lines_of(out)
    # The clock is Monday 2026-11-23; the follow-up was due Friday, three days ago.
    assert lines[0] == "今日待办 11月23日 周一（UTC）"
    assert lines[1] == "逾期跟进（1）"
    assert lines[2].split() == ["跟进#", "到期", "逾期", "行动", "线索", "公司"]
    assert lines[4].split() == [
        "1",
        "2026-11-20",
        "周五",
        "3天",
        "发送报价",
        "#1",
        "张伟",
        "深圳某科技有限公司",
    ]
    listing = zh("followup", "list").stdout
    assert lines_of(listing)[0] == "已逾期（1）"
    assert "2026-11-20 周五" in listing


def test_lead_and_customer_cards_in_chinese(zh, ok) -> None:
    ok("lead", "add", "张伟", "--company", "深圳某科技有限公司", "--value", "50000")
    ok("log", "1", "问了预算", "--kind", "call")
    card = zh("lead", "show", "1").stdout
    for label in ("阶段", "金额", "创建时间", "阶段历史", "活动"):
        assert label in card, label
    assert "电话" in card  # the kind of touch, as a Chinese seller names it
    assert "Stage" not in card and "call" not in card


def test_hidden_columns_line_and_width_in_chinese(zh, ok) -> None:
    ok("lead", "add", "张伟", "--company", "深圳某科技有限公司", "--value", "50000",
       "--source", "展会", "--tag", "vip")  # fmt: skip
    out = zh("lead", "list", "--width", "60").stdout
    assert all(cells(x) <= 60 for x in out.splitlines()), out
    note = next(x for x in out.splitlines() if "隐藏了" in x)
    assert note.startswith("当前宽度下隐藏了 ") and "标签" in note
    assert "50,000.00" in out


def test_text_written_in_chinese_stays_as_written(zh, ok) -> None:
    ok("lead", "add", "张伟", "--company", "深圳某科技有限公司", "--currency", "CNY")
    ok("quote", "new", "1", "--item", "年度服务; 1; 50000", "--valid", "30d")
    zh("quote", "send", "Q-2026-0001")
    # Written while Chinese was active: the chase follow-up, the touch and the stage note.
    followups = json.loads(ok("followup", "list", "--format", "json").stdout)
    assert [f["action"] for f in followups] == ["跟进报价 Q-2026-0001"]
    card = json.loads(ok("lead", "show", "1", "--format", "json").stdout)
    assert [a["note"] for a in card["activities"]] == ["已发送报价 Q-2026-0001（50,000.00 CNY）"]
    assert card["history"][-1]["note"] == "已发送报价 Q-2026-0001"
    # Read in English afterwards, it is shown as it was written.
    assert "跟进报价 Q-2026-0001" in ok("followup", "list").stdout
    ok("quote", "accept", "Q-2026-0001")  # in English: its stage note is English
    card = json.loads(ok("lead", "show", "1", "--format", "json").stdout)
    assert card["history"][-1]["note"] == "quote Q-2026-0001 accepted"
    assert card["activities"][-1]["note"] == "已发送报价 Q-2026-0001（50,000.00 CNY）"
    zh("customer", "edit", "1", "--checkin", "every-3m")
    checkin = json.loads(ok("followup", "list", "--all", "--format", "json").stdout)
    assert "售后回访" in [f["action"] for f in checkin]


def test_text_written_in_english_stays_english(zh, ok) -> None:
    ok("lead", "add", "Ann", "--currency", "USD")
    ok("quote", "new", "1", "--item", "Audit; 1; 2000")
    ok("quote", "send", "Q-2026-0001")
    out = zh("followup", "list").stdout
    assert "Chase quote Q-2026-0001" in out and "已逾期" not in out
    assert "未来 7 天（1）" in out or "以后（1）" in out


@pytest.fixture
def overdue_lead(ok) -> None:
    """张伟, grade A, 50,000 CNY, a follow-up due Friday 2026-11-20; the clock is Monday."""
    ok("lead", "add", "张伟", "--company", "深圳某科技", "--value", "50000", "--currency", "CNY",
       "--grade", "A")  # fmt: skip
    ok("followup", "add", "1", "发送报价", "--due", "2026-11-20", "--force")


def test_digest_text_and_markdown_in_chinese(zh, overdue_lead) -> None:
    text = zh("digest", "--format", "text").stdout.splitlines()
    assert text[0] == "salesflow 每日摘要 2026-11-23 周一（UTC）：未结商机 1 个；逾期跟进 1。"
    assert "逾期跟进（1）" in text
    assert (
        "  - 发送报价 — #1 张伟（深圳某科技） [lead] A · 50,000.00 CNY"
        "（到期 2026-11-20，已逾期3天）" in text
    )
    md = zh("digest", "--format", "md").stdout
    assert md.startswith("# salesflow 每日摘要 2026-11-23 周一（UTC）")
    assert "\n## 逾期跟进（1）\n" in md


def test_digest_html_speaks_the_active_language(zh, ok, overdue_lead) -> None:
    page = zh("digest", "--format", "html").stdout
    assert page.startswith('<!DOCTYPE html><html lang="zh-CN">')
    assert ">跟进</th>" in page and ">阶段 · 金额</th>" in page and "逾期3天" in page
    assert "Follow-up" not in page and " late" not in page
    english = ok("digest", "--format", "html").stdout
    assert english.startswith('<!DOCTYPE html><html lang="en">') and "3 days late" in english


def test_digest_json_keeps_english_keys(zh, ok, overdue_lead) -> None:
    data = json.loads(zh("digest", "--format", "json").stdout)
    english = json.loads(ok("digest", "--format", "json").stdout)
    assert data.keys() == english.keys() and data["counts"] == english["counts"] == {"overdue": 1}
    (section,) = data["sections"]
    assert section.keys() == english["sections"][0].keys()
    assert section["rows"] == english["sections"][0]["rows"]  # data, not words
    assert (section["title"], english["sections"][0]["title"]) == ("逾期跟进", "Overdue follow-ups")


def test_money_display_wan_on_the_terminal_only(zh, ok, fails) -> None:
    ok("config", "set", "currency", "CNY")  # the reports' base currency
    ok("lead", "add", "张伟", "--value", "505000", "--currency", "CNY")
    ok("lead", "add", "李娜", "--value", "8500", "--currency", "CNY")
    ok("lead", "add", "王芳", "--value", "123456789", "--currency", "CNY")
    ok("config", "set", "money.display", "wan")
    table = zh("lead", "list").stdout
    assert "50.5万 CNY" in table and "8,500.00 CNY" in table and "1.23亿 CNY" in table
    assert "505,000" not in table
    english = ok("lead", "list").stdout  # a display setting, whatever the language
    assert "50.5万 CNY" in english
    # Machine formats keep the exact amount.
    rows = json.loads(ok("lead", "list", "--format", "json").stdout)
    assert [r["value"] for r in rows] == ["505000.00", "8500.00", "123456789.00"]
    for fmt in ("csv", "tsv", "ndjson"):
        out = ok("lead", "list", "--format", fmt).stdout
        assert "万" not in out and "亿" not in out and "505000.00" in out, fmt
    digest = json.loads(ok("digest", "--format", "json").stdout)
    assert "万" not in json.dumps(digest, ensure_ascii=False)
    # The report tables: 505,000 + 8,500 + 123,456,789 = 123,970,289 in lead → 1.24亿.
    funnel = zh("report", "funnel", "--width", "120").stdout
    table = funnel[funnel.index(" 阶段") :]
    row = next(x for x in table.splitlines() if x.lstrip().startswith("lead "))
    assert row.split()[1:3] == ["3", "1.24亿"]
    ok("config", "set", "money.display", "plain")
    assert "505,000.00 CNY" in ok("lead", "list").stdout
    fails("config", "set", "money.display", "lakh", match='money.display "lakh" — use plain or wan')


def _invoke_zh(db, *args: str) -> str:
    from tests.cli import test_width

    try:
        env = {"SALESFLOW_NOW": test_width.NOW, "TZ": "UTC", "SALESFLOW_DB": str(db)}
        result = CliRunner().invoke(app, ["--lang", "zh_CN", *args], env=env,
                                    catch_exceptions=False)  # fmt: skip
    finally:
        i18n.use("en")
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def _hidden_zh(shown: str) -> set[str]:
    # Chinese wraps between any two characters: the line is read back without its breaks.
    flat = "".join(x.strip() for x in shown.splitlines())
    found = re.search(r"当前宽度下隐藏了 ?\d+ ?列：(.+?) ?— ?请加宽终端", flat)
    return set(found.group(1).split("、")) if found else set()


@pytest.mark.parametrize("command", list(test_width.COMMANDS), ids=" ".join)
def test_chinese_tables_keep_every_figure_whole(demo_db, command: tuple[str, ...]) -> None:  # noqa: F811
    """The face issue's width test, in Chinese (headers two cells a character): at 40, 60
    and 100 columns no line is wider than the terminal and every figure is whole, or its
    column is named hidden — in Chinese."""
    data = json.loads(test_width.invoke(demo_db, *command, "--format", "json"))
    rows = data if isinstance(data, list) else [data]
    rules = test_width.COMMANDS[command]
    for width in (40, 60, 100):
        shown = _invoke_zh(demo_db, *command, "--width", str(width))
        too_wide = [x for x in shown.splitlines() if test_width.cells(x) > width]
        assert not too_wide, (command, width, too_wide)
        hidden = _hidden_zh(shown)
        i18n.use("zh_CN")
        try:
            # A column's Chinese header, as the hidden-columns line names it.
            header_zh = {h: i18n._(h) for h, _rule in rules.values() if h}
        finally:
            i18n.use("en")
        expected: Counter[str] = Counter()
        for row in rows:
            for key, (header, rule) in rules.items():
                if row.get(key) is None or header_zh.get(header) in hidden:
                    continue
                if key == "status":  # a quote's status is a word, shown in Chinese
                    continue
                figure = rule(row[key], row)
                for one in [figure] if isinstance(figure, str) else figure or []:
                    expected[one] += 1
        missing = {f: n for f, n in expected.items() if test_width.occurrences(f, shown) < n}
        assert not missing, (command, width, missing, shown)
        assert not re.search(r"\b(Stage|Value|Leads|Due|Won)\b", shown), (command, width)


def test_stage_history_note_of_a_new_lead_in_its_language(zh, ok) -> None:
    zh("lead", "add", "张伟")
    ok("lead", "add", "Ann")
    notes = [
        json.loads(ok("lead", "show", ref, "--format", "json").stdout)["history"][0]["note"]
        for ref in ("1", "2")
    ]
    assert notes == ["创建", "created"]


def test_customer_card_keeps_times_whole_at_60_columns(ok) -> None:
    ok("lead", "add", "Omar Martinez", "--company", "Oakbridge Design B.V.", "--value", "3489.60")
    ok("advance", "1", "won", "--note", "PO received after a long negotiation")
    ok("log", "1", "Confirmed the meeting by email with the whole buying team", "--kind", "email")
    shown = ok("customer", "show", "1", "--width", "60").stdout
    # The clock is 2026-11-23 09:00 UTC: the win and the touch carry that time, whole.
    deal = next(x for x in shown.splitlines() if "3,489.60 USD" in x and "Omar" in x)
    assert "2026-11-23 09:00" in deal, shown  # the Won column, never cropped
    touch = next(x for x in shown.splitlines() if x.lstrip().startswith("2026-11-23 09:00"))
    assert "email" in touch.split()
    assert all(cells(x) <= 60 for x in shown.splitlines())


def test_mail_import_notes_in_the_language_of_the_import(zh, ok, db_path, tmp_path) -> None:
    from tests.cli import test_import_email as mail

    ok("config", "set", "me.emails", "me@mine.com")
    early = {"SALESFLOW_NOW": "2026-11-01T09:00:00Z"}
    ok("lead", "add", "Jane Roe", "--company", "Acme", "--email", "jane@acme.com", env=early)
    box = mail.write(tmp_path, "Inbox", mail.THUNDERBIRD)
    out = zh("import", "email", box).stdout
    assert "邮件活动" in out
    notes = [row[2].splitlines()[0] for row in mail.activities(db_path)]
    assert notes == ["已发送：Quote for 50 units — v2", "已收到：Re: Quote for 50 units"]


def test_quote_screen_in_chinese(zh, ok) -> None:
    ok("lead", "add", "张伟", "--company", "深圳某科技", "--currency", "CNY")
    ok("quote", "new", "1", "--item", "年度服务; 2; 25000", "--tax", "13%")
    shown = zh("quote", "show", "Q-2026-0001").stdout
    assert shown.splitlines()[0].split()[:2] == ["Q-2026-0001", "草稿"]
    assert "描述" in shown and "单价" in shown and "有效期至" in shown
    # 2 × 25,000 = 50,000; 13% tax 6,500; 56,500 in all.
    assert re.search(r"小计 +50,000\.00", shown) and re.search(r"增值税 13% +6,500\.00", shown)
    assert "56,500.00" in shown
    listing = zh("quote", "list").stdout
    assert lines_of(listing)[0].split()[:2] == ["报价单", "线索"] and "草稿" in listing
    english = ok("quote", "show", "Q-2026-0001").stdout
    assert "draft" in english.splitlines()[0] and "Subtotal" in english


def test_chinese_hidden_columns_note_keeps_numbers_and_names_whole(demo_db) -> None:  # noqa: F811
    """The hidden-columns line wraps between the names it lists, never between a number and
    its unit (7 列) nor inside a name (下一步), at every width from 40 to 80."""
    i18n.use("zh_CN")
    try:
        names = {i18n._(c.header) for c in lead_columns() if c.hide}
    finally:
        i18n.use("en")
    seen = 0
    for width in range(40, 81, 2):
        shown = _invoke_zh(demo_db, "lead", "list", "--width", str(width))
        lines = shown.splitlines()
        start = next((n for n, x in enumerate(lines) if x.startswith("当前宽度下隐藏了")), None)
        if start is None:
            continue
        seen += 1
        note = lines[start:]
        assert all(test_width.cells(x) <= width for x in note), (width, note)
        assert re.search(r"\d+ 列：", "".join(note)), (width, note)
        for above, below in itertools.pairwise(note):
            assert not (above.rstrip()[-1:].isdigit() and below[:1] == "列"), (width, note)
            for name in names:
                for cut in range(1, len(name)):
                    split = above.endswith(name[:cut]) and below.startswith(name[cut:])
                    assert not split, (width, name, note)
    assert seen >= 10
