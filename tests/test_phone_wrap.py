"""A phone number is read whole, like a figure: never broken over two lines."""

from __future__ import annotations

import re

import pytest

from salesflow.output import layout


def test_wrap_keeps_a_phone_number_on_one_line():
    assert layout.wrap("call +86 139 8855 8674 now please", 18) == [
        "call",
        "+86 139 8855 8674",
        "now please",
    ]
    assert layout.wrap("office (021) 6234-5678 ext", 16) == ["office", "(021) 6234-5678", "ext"]
    # Numbers that are not a phone still break at their spaces.
    assert layout.wrap("from 2026-01-01 … 2026-12-03", 16) == ["from 2026-01-01", "… 2026-12-03"]
    assert layout.wrap("7 12 9", 3) == ["7", "12", "9"]


def test_wrap_items_breaks_after_the_separator():
    items = ["北京远达贸易有限公司", "马婷", "ting.ma@bj.example", "+86 139 8855 8674"]
    assert layout.wrap_items(items, 40) == [
        "北京远达贸易有限公司 · 马婷 ·",
        "ting.ma@bj.example · +86 139 8855 8674",
    ]
    assert layout.wrap_items(items, 24) == [
        "北京远达贸易有限公司 ·",
        "马婷 ·",
        "ting.ma@bj.example ·",
        "+86 139 8855 8674",
    ]


@pytest.fixture
def quote(ok) -> str:
    ok("lead", "add", "马婷", "-c", "北京远达贸易有限公司", "-e", "ting.ma@bj-yuanda-trade.example",
       "-p", "+86 139 8855 8674")  # fmt: skip
    ok("quote", "new", "1", "--item", "控制柜; 5; 40000; 台", "--item", "年度维保服务; 1; 160000")
    return "Q-2026-0001"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_quote_show_never_breaks_the_phone(ok, quote, lang):
    for width in ("40", "60", "80"):
        out = ok("--lang", lang, "--width", width, "quote", "show", quote).stdout
        lines = out.splitlines()
        assert any("+86 139 8855 8674" in line for line in lines), (width, out)
        assert all(layout.cells(line) <= int(width) for line in lines), (width, out)
        assert not re.search(r"^\s*·", out, re.M), out  # the separator ends a line
    cards = ok("--lang", lang, "--width", "40", "quote", "show", quote).stdout
    assert ("描述：" if lang == "zh_CN" else "Description:") in cards
