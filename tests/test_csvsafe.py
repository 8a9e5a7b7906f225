import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from salesflow import csvsafe


def test_formula_cells_are_escaped() -> None:
    assert csvsafe.escape("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    # A phone number calls nothing: data in a pipe, quoted only for Excel (which would read
    # +8613800000000 as 8.6E+12 and "+86 138 0000" as a formula error).
    assert csvsafe.escape("+86 138 0000 0000") == "+86 138 0000 0000"
    assert csvsafe.escape("+1 (555) 123-4567") == "+1 (555) 123-4567"
    assert csvsafe.escape("+86 138", excel=True) == "'+86 138"
    assert csvsafe.escape("+1+cmd|' /c calc'!A0") == "'+1+cmd|' /c calc'!A0"
    assert csvsafe.escape("+ call first") == "'+ call first"
    assert csvsafe.escape("+86 138 SUM(A1)") == "'+86 138 SUM(A1)"
    assert csvsafe.escape("'+86 138") == "''+86 138"  # looks escaped: one more quote
    for excel in (False, True):
        assert csvsafe.unescape(csvsafe.escape("+86 138", excel=excel)) == "+86 138"
        assert csvsafe.unescape(csvsafe.escape("'+86 138", excel=excel)) == "'+86 138"
    assert csvsafe.escape("@SUM(A1)") == "'@SUM(A1)"
    assert csvsafe.escape("\tx") == "'\tx"
    assert csvsafe.escape("-5.00") == "-5.00"  # a number is data
    assert csvsafe.escape("Acme") == "Acme"
    assert csvsafe.unescape(csvsafe.escape("'=x")) == "'=x"
    assert csvsafe.unescape("'quoted") == "'quoted"


@given(st.text() | st.text(alphabet=st.sampled_from("+'=86 -()1"), max_size=8), st.booleans())
def test_escape_round_trips(text: str, excel: bool) -> None:
    escaped = csvsafe.escape(text, excel=excel)
    assert csvsafe.unescape(escaped) == text
    if escaped != text:
        assert escaped.startswith("'")
        assert not escaped.startswith(csvsafe.TRIGGERS)
    elif text.startswith("+"):  # left as it is: a phone number, never for Excel
        assert not excel and set(text) <= set("+0123456789 ().-") and text[1:2].isdigit()


def _sql_escaped(values: list[object], excel: bool = False) -> list[object]:
    """The values through csvsafe.sql_escape, from a column of no type (so numbers and blobs
    stay numbers and blobs) and from a TEXT column."""
    conn = sqlite3.connect(":memory:")
    csvsafe.register(conn)
    conn.execute("CREATE TABLE t (i INTEGER PRIMARY KEY, v)")
    conn.executemany("INSERT INTO t (v) VALUES (?)", [(v,) for v in values])
    sql = f"SELECT {csvsafe.sql_escape('v', excel=excel)} FROM t ORDER BY i"
    return [v for (v,) in conn.execute(sql)]


# Cells that start with every character the rule looks at, and their neighbours.
EDGES = [
    "=1+1", "+86 138 0000 0000", "-5.00", "-5", "-5x", "- item", "-", "@SUM(A1)", "\tx", "\rx",
    "\0=cmd", "\0", "a\0b", "'=x", "''-x", "'quoted", "'", "'5", "", "0755 1234", "9=x",
    "+1 (555) 123-4567", "+86 138 x", "'+86 1", "+", "+ 1",
    "2026-11-23T09:00:00Z", ":x", "?x", "<x", ">x", "A", "Acme", "张伟", "~", "\x7f", " =x", "\n=x",
]  # fmt: skip


def test_sql_escape_gives_what_escape_gives() -> None:
    assert _sql_escaped(EDGES) == [csvsafe.escape(t) for t in EDGES]
    assert _sql_escaped(EDGES, excel=True) == [csvsafe.escape(t, excel=True) for t in EDGES]
    # Only text is ever escaped: numbers, blobs and NULL come back as they went in.
    assert _sql_escaped([-5, 0, -1.5, b"=1+1", None]) == [-5, 0, -1.5, b"=1+1", None]


@settings(max_examples=300)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("=+-@\t\r\0'09.:A a张\n,\""), max_size=6) | st.text(),
        max_size=20,
    )
)
def test_sql_escape_agrees_with_escape_on_any_text(texts: list[str]) -> None:
    assert _sql_escaped(texts) == [csvsafe.escape(t) for t in texts]
    assert _sql_escaped(texts, excel=True) == [csvsafe.escape(t, excel=True) for t in texts]
