"""Chinese punctuation in the Chinese interface: lists joined with 、, full-width colons and
brackets after Chinese text, no space between two Chinese words salesflow puts together."""

from __future__ import annotations

import re

import pytest

from salesflow import i18n

CJK = "[\u4e00-\u9fff]"
# What an English pattern leaves in Chinese text: `序号, 职务`, `截至今日: 50%`, `逾期跟进 (19)`.
HALF_WIDTH = re.compile(f"{CJK}, {CJK}|{CJK}: |{CJK} \\(\\d")

VIEWS = [
    ["today"],
    ["digest"],
    ["digest", "--format", "text"],
    ["followup", "list"],
    ["report", "summary"],
    ["report", "funnel"],
    ["report", "trend"],
    ["report", "trend", "--metric", "win_rate"],
    ["report", "products"],
    ["report", "breakdown", "--by", "source"],
    ["lead", "list"],
    ["lead", "show", "1"],
    ["customer", "list"],
    ["quote", "list"],
]


@pytest.fixture
def demo(ok) -> None:
    ok("--lang", "zh_CN", "demo", "--leads", "120", "--currency", "CNY")


def test_main_views_use_chinese_punctuation(demo, ok):
    for args in VIEWS:
        out = ok("--lang", "zh_CN", "--width", "120", *args).stdout
        bad = [line for line in out.splitlines() if HALF_WIDTH.search(line)]
        assert not bad, (args, bad)


def test_headings_have_full_width_brackets_and_no_stray_space(demo, ok):
    today = ok("--lang", "zh_CN", "--width", "120", "today").stdout
    assert re.search(r"逾期跟进（\d+）", today)
    by_source = ok("--lang", "zh_CN", "--width", "120", "report", "breakdown", "--by", "source")
    assert by_source.stdout.startswith("按来源 · ")
    funnel = ok("--lang", "zh_CN", "--width", "120", "report", "funnel").stdout
    assert funnel.startswith("销售漏斗 · 线索创建于全部时间 · ")
    # English keeps its spaces and brackets.
    assert re.search(r"Overdue follow-ups \(\d+\)", ok("--width", "120", "today").stdout)
    assert "leads created all time" in ok("--width", "120", "report", "funnel").stdout


def test_trend_so_far_has_a_full_width_colon(demo, ok):
    out = ok("--lang", "zh_CN", "--width", "120", "report", "trend").stdout
    assert re.search(r"\d{4}-\d\d 截至今日：", out)


def test_language_aware_list_join_and_phrase():
    try:
        i18n.use("zh_CN")
        assert i18n.join(["序号", "职务", "省份"]) == "序号、职务、省份"
        assert i18n.bracketed("逾期跟进", 19) == "逾期跟进（19）"
        assert i18n.labelled("2026-12 截至今日", "50.0%") == "2026-12 截至今日：50.0%"
        assert i18n.phrase("线索创建于", "全部时间") == "线索创建于全部时间"
        assert (
            i18n.phrase("线索创建于", "2026-01-01 … 2026-12-03")
            == "线索创建于 2026-01-01 … 2026-12-03"
        )
        assert i18n.phrase("", "全部时间") == "全部时间"
    finally:
        i18n.use("en")
    assert i18n.join(["a", "b", "c"]) == "a, b, c"
    assert i18n.bracketed("Overdue", 19) == "Overdue (19)"
    assert i18n.labelled("2026-12 so far", "50.0%") == "2026-12 so far: 50.0%"
    assert i18n.phrase("leads created", "all time") == "leads created all time"


def test_the_import_report_lists_columns_with_the_enumeration_comma(ok, tmp_path):
    ok("lead", "add", "王五")
    sheet = tmp_path / "s.csv"
    sheet.write_text("联系人,职务,省份,序号\n张三,经理,广东,1\n")
    out = ok("--lang", "zh_CN", "import", "leads", str(sheet), "--dry-run").stdout
    assert "（没有对应字段）：职务、省份、序号" in out and not HALF_WIDTH.search(out), out
