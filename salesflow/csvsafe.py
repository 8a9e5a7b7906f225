"""Spreadsheet formula escaping for CSV/TSV cells (OWASP CSV injection).

A text cell starting with one of these characters gets a leading `'`, so Excel or LibreOffice
shows it instead of running it. Import strips exactly that escape again.
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _triggers(cell: str) -> bool:
    # Plain numbers (money as "-5.00") are data, not formulas; leave them for the spreadsheet.
    return cell.startswith(TRIGGERS) and not _NUMBER.fullmatch(cell)


def escape(cell: str) -> str:
    # A cell that already looks escaped gets one more quote, so unescape() is exact.
    if _triggers(cell) or (cell.startswith("'") and _triggers(cell.lstrip("'"))):
        return "'" + cell
    return cell


def unescape(cell: str) -> str:
    if cell.startswith("'") and escape(cell[1:]) == cell:
        return cell[1:]
    return cell
