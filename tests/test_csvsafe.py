from hypothesis import given
from hypothesis import strategies as st

from salesflow import csvsafe


def test_formula_cells_are_escaped() -> None:
    assert csvsafe.escape("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csvsafe.escape("+86 138") == "'+86 138"
    assert csvsafe.escape("@SUM(A1)") == "'@SUM(A1)"
    assert csvsafe.escape("\tx") == "'\tx"
    assert csvsafe.escape("-5.00") == "-5.00"  # a number is data
    assert csvsafe.escape("Acme") == "Acme"
    assert csvsafe.unescape(csvsafe.escape("'=x")) == "'=x"
    assert csvsafe.unescape("'quoted") == "'quoted"


@given(st.text())
def test_escape_round_trips(text: str) -> None:
    escaped = csvsafe.escape(text)
    assert csvsafe.unescape(escaped) == text
    if escaped != text:
        assert escaped.startswith("'")
        assert not escaped.startswith(csvsafe.TRIGGERS)
