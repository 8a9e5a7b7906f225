"""output/plain.py must write exactly what Rich writes without colour, or step aside (None)."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from salesflow.output import Column, plain, render
from salesflow.output.terminal import Terminal

# Characters from inside and outside plain.py's known ranges, markup and control characters,
# so both the drawn and the step-aside cases are exercised.
_ALPHABET = st.sampled_from(
    list("abcXYZ019 #-.,&()'/:") + list("éüßøÅçñ·") + list("陈建华青岛贸易有限公司（）、。")
    + list("한국カタかな") + list("—…→■") + ["[", "]", "\t", "\n", "😀", "\u0301", "\u3000"]
)  # fmt: skip
_GOOD = st.sampled_from(
    list("abcXYZ019 #-.,&()'/:éüßøÅçñ·陈建华青岛贸易有限公司（）、。한국カタかな—…→■")
)
# Mostly text plain.py draws (with spaces at the edges too), some it must hand back to Rich.
_TEXT = st.text(_GOOD, max_size=14) | st.text(_ALPHABET, max_size=14)


def _terminal(width: int = 160) -> Terminal:
    return Terminal(out=io.StringIO(), err=io.StringIO(), is_tty=False, color=False, width=width)


def _rich_table(headers, justify, rows, title, width) -> str:
    from rich import box
    from rich.table import Table

    term = _terminal(width)
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for h, j in zip(headers, justify, strict=True):
        table.add_column(h, justify=j, overflow="fold")
    for row in rows:
        table.add_row(*row)
    term.console().print(table)
    return term.out.getvalue()


@st.composite
def _tables(draw):
    n = draw(st.integers(1, 5))
    headers = draw(st.lists(_TEXT, min_size=n, max_size=n))
    justify = draw(st.lists(st.sampled_from(["left", "right", "center"]), min_size=n, max_size=n))
    rows = draw(st.lists(st.lists(_TEXT, min_size=n, max_size=n), max_size=6))
    title = draw(st.none() | _TEXT)
    width = draw(st.sampled_from([20, 40, 160]))
    return headers, justify, rows, title, width


@settings(max_examples=1500, deadline=None)
@given(_tables())
def test_plain_table_is_richs_table_or_none(case) -> None:
    headers, justify, rows, title, width = case
    text = plain.table(headers, justify, rows, title=title, max_width=width)
    if text is not None:
        assert text == _rich_table(headers, justify, rows, title, width)


@settings(max_examples=1000, deadline=None)
@given(_TEXT, st.sampled_from([8, 160]))
def test_plain_line_is_richs_print_or_none(text: str, width: int) -> None:
    written = plain.line(text, width)
    if written is not None:
        term = _terminal(width)
        term.console().print(text)
        assert written == term.out.getvalue()


def test_everyday_tables_are_drawn_without_rich() -> None:
    """The cases the fast path is for — Latin and CJK names, empty cells, a right-aligned
    number column — are drawn by plain.py (not handed back to Rich)."""
    headers, justify = ["#", "Lead", "Company"], ["right", "left", "left"]
    rows = [["7", "陈建华", "青岛某贸易有限公司"], ["12", "Grace García", ""]]
    text = plain.table(headers, justify, rows, title="Overdue (2)", max_width=160)
    assert text == _rich_table(headers, justify, rows, "Overdue (2)", 160)
    # Widths: "12" 2, "Grace García" 12, 青岛某贸易有限公司 9 × 2 = 18 cells; no padding at the
    # outer edges, 1 + 1 around the two inner borders: 2 + 12 + 18 + 2 + 2 + 2 borders = 40.
    lines = text.splitlines()
    assert [len(line) for line in lines[1:4]] == [40, 40, 40]
    assert lines[2] == " " + " #" + "   " + "Lead" + " " * 8 + "   " + "Company" + " " * 11 + " "
    assert lines[4] == " " + " 7" + "   " + "陈建华" + " " * 6 + "   " + "青岛某贸易有限公司" + " "
    assert plain.line("  … and 3 more: salesflow today --all", 160) is not None


def test_render_through_plain_matches_rich() -> None:
    rows = [
        {"id": 3, "name": "Acme 株式会社", "note": None},
        {"id": 10, "name": "Zed", "note": "x"},
    ]
    cols = [Column("id", "#", justify="right"), Column("name", "Name"), Column("note", "Note")]
    term = _terminal()
    render(rows, "table", term, columns=cols, title="Leads")
    headers, justify = ["#", "Name", "Note"], ["right", "left", "left"]
    cells = [["3", "Acme 株式会社", ""], ["10", "Zed", "x"]]
    assert term.out.getvalue() == _rich_table(headers, justify, cells, "Leads", 160)


def test_wide_or_marked_up_tables_are_left_to_rich() -> None:
    assert plain.table(["a"], ["left"], [["x" * 200]], title=None, max_width=160) is None
    assert plain.table(["a"], ["left"], [["[bold]x"]], title=None, max_width=160) is None
    assert plain.table(["a"], ["left"], [["two\nlines"]], title=None, max_width=160) is None
    assert plain.table(["a"], ["left"], [["😀"]], title=None, max_width=160) is None


def _without_plain(monkeypatch) -> None:
    """Every plain-text shortcut declines, so Rich draws everything."""

    monkeypatch.setattr(plain, "line", lambda *a, **k: None)
    monkeypatch.setattr(plain, "table", lambda *a, **k: None)
    monkeypatch.setattr(plain, "grid", lambda *a, **k: None)
    monkeypatch.setattr(plain, "board", lambda *a, **k: None)


def test_piped_reports_are_what_rich_draws(ok, monkeypatch) -> None:
    ok("demo", "--leads", "300", "--seed", "3")
    commands = [
        ("report", "funnel"), ("report", "funnel", "--bars", "value"),
        ("report", "funnel", "--since", "2026-10-01"), ("report", "summary"),
        ("report", "summary", "--since", "2026-11-01"),
    ]  # fmt: skip

    # That these take the plain path at all is tests/test_everyday.py's list.
    fast = [ok(*c).stdout for c in commands]
    _without_plain(monkeypatch)
    assert [ok(*c).stdout for c in commands] == fast
