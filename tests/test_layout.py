"""output/layout.py: tables laid out for a width never cut a figure; pipes get everything."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from salesflow.output import Column, layout, plain, render
from salesflow.output.terminal import Terminal


def _term(width: int = 160, *, fit: bool = True, color: bool = False) -> Terminal:
    out = io.StringIO()
    return Terminal(out=out, err=io.StringIO(), is_tty=fit, color=color, width=width, fit=fit)


def test_cells_count_cjk_double_and_marks_none() -> None:
    assert layout.cells("Acme") == 4
    assert layout.cells("张伟") == 4
    assert layout.cells("株式会社ABC") == 11
    assert layout.cells("e\u0301") == 1  # e + combining acute: one cell
    assert layout.cells("😀") == 2  # outside plain.py's ranges: unicodedata says wide


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.sampled_from(list("abcXYZ019 #-.,éüß陈建华青岛贸易（）、。한국カタかな—…→■")),
        max_size=20,
    )
)
def test_plain_widths_agree_with_rich(text: str) -> None:
    from rich.cells import cell_len

    known = plain.width(text)
    assert known is None or known == cell_len(text)
    assert layout.cells(text) == cell_len(text)


def test_shorten_by_cells_never_splits_a_wide_character() -> None:
    assert layout.shorten("深圳某科技有限公司", 8) == "深圳某…"  # 6 cells + the ellipsis
    assert layout.shorten("深圳某科技有限公司", 7) == "深圳某…"
    assert layout.shorten("Northcrest Medical", 8) == "Northcr…"
    assert layout.shorten("Acme", 4) == "Acme"
    assert layout.cells(layout.shorten("深圳某科技有限公司", 6)) == 5  # "深圳…"


def test_control_characters_are_shown_not_obeyed() -> None:
    assert layout.flat("a\x1b[31mred\nb\tc") == "a\\x1b[31mred b c"
    assert layout.flat("张伟") == "张伟"


def test_wrap_by_words_keeps_the_indent() -> None:
    assert layout.wrap("  … and 12 more: salesflow today --all", 20) == [
        "  … and 12 more:", "  salesflow today", "  --all"
    ]  # fmt: skip
    assert layout.wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_chinese_wraps_between_characters_not_at_the_only_space() -> None:
    # Breaking only at spaces left "当前宽度下隐藏了 7" alone on a line at 60 columns.
    text = "当前宽度下隐藏了 7 列：公司、分级、概率、来源、标签、下一步、到期 — 请加宽终端"
    lines = layout.wrap(text, 40)
    assert lines == [
        "当前宽度下隐藏了 7 列：公司、分级、概",
        "率、来源、标签、下一步、到期 — 请加宽终",
        "端",
    ]
    assert all(layout.cells(line) <= 40 for line in lines)
    # A number stays with its unit, spaced or not; a name the caller keeps is not split.
    assert layout.wrap(text, 18)[:2] == ["当前宽度下隐藏了", "7 列：公司、分级、"]
    assert layout.wrap("共计 12 天后到期", 7) == ["共计", "12 天后", "到期"]
    assert layout.wrap("共计12天后到期", 6) == ["共计", "12天后", "到期"]
    assert layout.wrap("来源、下一步、到期", 12, ["下一步"]) == ["来源、", "下一步、到期"]
    # Closing marks stay with what precedes them, opening marks with what follows.
    assert layout.wrap("甲乙丙丁，戊（己）", 10) == ["甲乙丙丁，", "戊（己）"]
    assert layout.wrap("甲乙丙（丁戊）", 6) == ["甲乙丙", "（丁", "戊）"]


COLUMNS = [
    Column("id", "#", justify="right"),
    Column("name", "Name"),
    Column("value", "Value", justify="right"),
    Column("tags", "Tags", hide=1),
    Column("source", "Source", hide=2),
]
ROWS = [
    {"id": 7, "name": "陈建华 青岛贸易有限公司", "value": "1,234,567.89 CNY", "tags": "vip,export",
     "source": "trade show"},
    {"id": 12, "name": "Grace García", "value": "", "tags": "", "source": "website"},
]  # fmt: skip


def _draw(term: Terminal) -> list[str]:
    render(ROWS, "table", term, columns=COLUMNS, title="Leads (2)")
    return term.out.getvalue().splitlines()


def test_a_pipe_gets_every_cell_whole_without_trailing_spaces() -> None:
    lines = _draw(_term(fit=False))
    assert lines[0] == "Leads (2)"  # no blank padded line first
    assert lines[1].split() == ["#", "Name", "Value", "Tags", "Source"]
    assert lines[3] == (
        "  7   陈建华 青岛贸易有限公司   1,234,567.89 CNY   vip,export   trade show"
    )
    assert all(line == line.rstrip() for line in lines)


def test_optional_columns_go_in_their_order_and_a_note_says_so() -> None:
    # Natural widths #: 2, Name 24, Value 16, Tags 10, Source 10 = 62 + 4 gaps of 3 + 2 edges
    # = 76. At 60 every text column can keep 8 cells: 2 + 8 + 16 + 8 + 8 + 4 gaps of 3 + 2
    # = 56, so nothing is hidden; the 4 cells left go to the name (12 cells).
    lines = _draw(_term(60))
    assert lines[1].split() == ["#", "Name", "Value", "Tags", "Source"]
    assert lines[3] == "  7   陈建华 青岛…   1,234,567.89 CNY   vip,exp…   trade s…"
    assert not any("hidden" in line for line in lines)
    assert max(layout.cells(line) for line in lines) <= 60
    # At 50 the Tags go (56 > 50): 2 + 8 + 16 + 8 + 3 gaps of 3 + 2 = 45, the 5 cells left go
    # to the name first (8/24 is the largest share lost) and, level with it, the source.
    lines = _draw(_term(50))
    assert lines[1].split() == ["#", "Name", "Value", "Source"]
    assert lines[5:7] == [
        "1 column hidden at this width: Tags — widen the",
        "terminal or use --format csv",
    ]
    # At 40 the Source goes too (45 > 40).
    lines = _draw(_term(40))
    assert lines[1].split() == ["#", "Name", "Value"]
    assert " ".join(lines[5:]).startswith("2 columns hidden at this width: Tags, Source")


def test_text_is_shortened_before_essential_figures_go_and_cards_come_last() -> None:
    lines = _draw(_term(40))
    # 2 + 2 + 16 + 2 gaps of 3 + 2 edges = 28: the name gets the other 12 cells.
    assert lines[3] == "  7   陈建华 青岛贸…   1,234,567.89 CNY"
    assert max(layout.cells(line) for line in lines) <= 40
    narrow = [Column("v", "Value", justify="right"), Column("w", "Other", justify="right")]
    term = _term(40)
    render([{"v": "9" * 20, "w": "8" * 20}], "table", term, columns=narrow)
    assert term.out.getvalue().splitlines() == ["", "Value: " + "9" * 20, "Other: " + "8" * 20, ""]


def test_colour_adds_codes_around_the_same_cells() -> None:
    import re

    term = _term(60, color=True)
    render(ROWS, "table", term, columns=COLUMNS, title="Leads (2)")
    coloured = term.out.getvalue()
    assert "\x1b[" in coloured
    plain_lines = [re.sub(r"\x1b\[[0-9;]*m", "", x).rstrip() for x in coloured.splitlines()]
    assert plain_lines == _draw(_term(60))
