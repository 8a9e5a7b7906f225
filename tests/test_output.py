"""The machine formats of output.render: the fast way of writing plain rows gives exactly the
bytes of the careful way."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesflow.output import write_delimited, write_tsv

# Text with everything CSV and TSV treat specially, and plain text.
CELL = st.text(alphabet=st.sampled_from(",\"\r\n\t\\'=+-@ a张0"), max_size=5) | st.text(max_size=8)
ROWS = st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(CELL, min_size=n, max_size=n)))


def csv_module(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@given(ROWS)
def test_plain_csv_rows_are_what_the_csv_module_writes(rows: list[list[str]]) -> None:
    header = [f"c{i}" for i in range(len(rows[0]))] if rows else ["c0"]
    out = io.StringIO()
    assert write_delimited(rows, out, raw=True, keys=header) == len(rows)
    assert out.getvalue() == csv_module(header, rows)


@given(ROWS)
def test_plain_tsv_rows_escape_tabs_newlines_and_backslashes(rows: list[list[str]]) -> None:
    header = [f"c{i}" for i in range(len(rows[0]))] if rows else ["c0"]
    out = io.StringIO()
    assert write_tsv(rows, out, raw=True, keys=header) == len(rows)
    escaped = [
        "\t".join(c.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                  .replace("\r", "\\r") for c in row)
        for row in [header, *rows]
    ]  # fmt: skip
    assert out.getvalue() == "".join(line + "\n" for line in escaped)


def test_rows_of_other_values_and_of_one_empty_cell() -> None:
    out = io.StringIO()
    write_delimited([[1, None, "a,b", True], [""], ["x", "y"]], out, raw=True, keys=["a", "b"])
    # None is empty, a bool reads true/false, a lone empty cell is "" (else the line would be
    # blank and a reader would skip it).
    assert out.getvalue() == 'a,b\r\n1,,"a,b",true\r\n""\r\nx,y\r\n'
    out = io.StringIO()
    write_tsv([[1, None, "a\tb"], [""]], out, raw=True, keys=["a"])
    assert out.getvalue() == "a\n1\t\ta\\tb\n\n"


def test_without_raw_every_text_cell_is_formula_escaped() -> None:
    # A phone number is data (csvsafe); a + before anything else is escaped.
    rows = [["+86 1", "=1+1", "-5.00", "ok"], ["a", "+b", "c", "'@x"]]
    out = io.StringIO()
    write_delimited(rows, out, raw=False, keys=["a", "b", "c", "d"])
    assert out.getvalue() == "a,b,c,d\r\n+86 1,'=1+1,-5.00,ok\r\na,'+b,c,''@x\r\n"
    out = io.StringIO()
    write_tsv(rows, out, raw=False, keys=["a", "b", "c", "d"])
    assert out.getvalue() == "a\tb\tc\td\n+86 1\t'=1+1\t-5.00\tok\na\t'+b\tc\t''@x\n"


def test_order_is_kept_across_batches_of_joined_lines() -> None:
    # 2,500 rows, every seventh needing quotes: joined lines are written in batches, quoted
    # ones at once, and the file must still be in row order.
    rows = [[str(i), f"note {i}, with a comma" if i % 7 == 0 else "plain"] for i in range(2500)]
    out = io.StringIO()
    write_delimited(rows, out, raw=True, keys=["id", "note"])
    assert out.getvalue() == csv_module(["id", "note"], rows)
    assert [r[0] for r in csv.reader(io.StringIO(out.getvalue()))][1:] == [
        str(i) for i in range(2500)
    ]


def _tty(width: int):
    import io

    from salesflow.output.terminal import Terminal

    out = io.StringIO()
    return out, Terminal(out=out, err=io.StringIO(), is_tty=True, color=True, width=width)


def _plain(text: str) -> list[str]:
    import re

    return [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in text.splitlines()]


def test_narrow_terminal_keeps_figures_and_stages_whole() -> None:
    from rich.cells import cell_len

    from salesflow.output import render
    from salesflow.output.views import lead_columns

    rows = [
        {"id": 109, "name": "宋芳", "company": "南京鼎丰新材料股份有限公司", "stage": "negotiation",
         "grade": "C", "value": "10500.00", "currency": "USD", "probability": 80,
         "source": "cold call", "tags": ["hardware", "renewal"]},
    ]  # fmt: skip
    out, term = _tty(80)
    render(rows, "table", term, columns=lead_columns())
    lines = _plain(out.getvalue())
    assert any("10,500.00 USD" in line for line in lines), lines
    assert any("negotiation" in line for line in lines), lines
    assert max(cell_len(line) for line in lines) <= 80


def test_narrow_terminal_hides_optional_columns_and_says_so() -> None:
    from salesflow.output import render
    from salesflow.output.reports import funnel_columns

    row = {"stage": "negotiation", "deals": 4, "value": 8962500, "weighted_value": 4075155,
           "reached": 184, "conversion": 0.793, "avg_days_in_stage": 10.9,
           "median_days_in_stage": 8.0}  # fmt: skip
    out, term = _tty(60)
    render([row], "table", term, columns=funnel_columns())
    lines = _plain(out.getvalue())
    assert max(len(line) for line in lines) <= 60, lines
    body = next(line for line in lines if "negotiation" in line)
    # Edges 2 + Stage 11, Now 3, Value 9, Reached 7, Conv 5 + 4 gaps of 3 = 49 cells; Avg days
    # and Med days go first, then Weighted (3 + 9 more: 61).
    assert body.split() == ["negotiation", "4", "8,962,500", "184", "79.3%"]
    note = " ".join(lines[lines.index(body) + 1 :])
    assert note.startswith("3 columns hidden at this width: Weighted, Avg days, Med days —")
    wide, term = _tty(160)  # room enough: every column
    render([row], "table", term, columns=funnel_columns())
    assert "hidden" not in wide.getvalue()
    assert _plain(wide.getvalue())[2].split() == [
        "negotiation", "4", "8,962,500", "4,075,155", "184", "79.3%", "10.9", "8.0"
    ]  # fmt: skip


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("text", ["Bad [/x] close", "Acme [sic] Ltd", "[bold]Markup[/bold]"])
def test_user_text_in_a_table_is_never_rich_markup(color: bool, text: str) -> None:
    import io

    from salesflow.output import Column, render
    from salesflow.output.terminal import Terminal

    out = io.StringIO()
    term = Terminal(out=out, err=io.StringIO(), is_tty=color, color=color, width=120)
    render([{"name": text, "n": 1}], "table", term, columns=[Column("name", "Name"),
           Column("n", "N", justify="right")])  # fmt: skip
    assert text in "\n".join(_plain(out.getvalue()))
