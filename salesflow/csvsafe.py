"""Spreadsheet formula escaping for CSV/TSV cells (OWASP CSV injection).

A text cell starting with one of these characters gets a leading `'`, so Excel or LibreOffice
shows it instead of running it. Import strips exactly that escape again.

A phone number (`+86 138 0000 0000`: a + then digits, spaces, dashes, dots, brackets) calls no
function and reaches nothing outside the sheet, so it is data, like `-5.00`: a pipe gets it as
stored. Only `--excel` output quotes it too, because Excel would read it as arithmetic
(`+8613800000000` becomes 8.6E+12, the spaced form a #NULL! error) instead of showing it.

The rule lives here once, in `escape`. A large export applies it inside its SQLite query
(`sql_escape`), which calls `escape` itself, registered on the connection by `register`,
only for the few cells that could need it.
"""

from __future__ import annotations

import re
import sqlite3

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_PHONE = re.compile(r"\+[0-9][0-9 ().-]*")
# The first characters that can make escape() change a cell: a trigger, or the quote of a
# cell that already looks escaped.
RISKY = frozenset((*TRIGGERS, "'"))


def _triggers(cell: str) -> bool:
    # Plain numbers (money as "-5.00") are data, not formulas; leave them for the spreadsheet.
    return cell.startswith(TRIGGERS) and not _NUMBER.fullmatch(cell)


def escape(cell: str, *, excel: bool = False) -> str:
    """`cell` as a spreadsheet shows it rather than runs it; `excel`: a phone number too."""
    # A cell that already looks escaped gets one more quote, so unescape() is exact whichever
    # way the file was written.
    if (_triggers(cell) and (excel or not _PHONE.fullmatch(cell))) or (
        cell.startswith("'") and _triggers(cell.lstrip("'"))
    ):
        return "'" + cell
    return cell


def unescape(cell: str) -> str:
    if cell.startswith("'") and escape(cell[1:], excel=True) == cell:
        return cell[1:]
    return cell


SQL_FUNCTION = "salesflow_csv_escape"
EXCEL_FUNCTION = "salesflow_csv_escape_excel"
# Triggers no plain number starts with: a cell starting with one is escaped whatever follows
# (+ only for Excel: elsewhere a phone number is not). NUL is left to escape(), as SQLite's
# text functions stop at it.
_ALWAYS = tuple(t for t in TRIGGERS if t != "\0" and not _NUMBER.match(t + "1"))
# Every risky character sorts below this one, and none is a digit.
_ABOVE = chr(max(map(ord, RISKY)) + 1)
if any(c.isdigit() for c in RISKY) or not _ABOVE.isalnum():  # pragma: no cover
    raise AssertionError("sql_escape's range test no longer covers every risky character")


def sql_escape(x: str, *, excel: bool = False) -> str:
    """SQL giving `escape(x, excel=excel)` for a text value and any other value unchanged
    (NULL stays NULL).

    The rule stays `escape`: SQLite only compares the first character, so the common cell (a
    name, a time, a date, an empty tag list) costs a comparison or two in C instead of a call
    into Python; a cell starting with one of `_ALWAYS` (the + of a phone number) gets its quote
    in SQL, and only the rest that could need it (-, ', NUL) calls `escape` itself, registered
    by `register`. Numbers sort before text and blobs after it, so they never match.
    tests/test_csvsafe.py checks this against `escape` on arbitrary text."""
    always = " ".join(f"WHEN {_sql_char(t)} THEN '''' || {x}" for t in _ALWAYS if excel or t != "+")
    function = EXCEL_FUNCTION if excel else SQL_FUNCTION
    return (
        f"CASE WHEN {x} < '{_ABOVE}' AND ({x} < '0' OR {x} > '9') AND {x} > '' "
        f"THEN (CASE substr({x}, 1, 1) {always} ELSE {function}({x}) END) ELSE {x} END"
    )


def register(conn: sqlite3.Connection) -> None:
    """Make the SQL from `sql_escape` runnable on this connection."""
    conn.create_function(SQL_FUNCTION, 1, _escape_value, deterministic=True)
    conn.create_function(EXCEL_FUNCTION, 1, _escape_excel, deterministic=True)


def _escape_value(value: object) -> object:
    return escape(value) if isinstance(value, str) else value


def _escape_excel(value: object) -> object:
    return escape(value, excel=True) if isinstance(value, str) else value


def _sql_char(char: str) -> str:
    return f"'{char}'" if char.isprintable() and char != "'" else f"char({ord(char)})"
