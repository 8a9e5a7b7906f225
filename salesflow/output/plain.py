"""Tables and lines as plain text, character for character what Rich writes for them when there
is no colour (stdout piped, or NO_COLOR), for the everyday case only.

Importing Rich's console and table, and laying out a table with it, cost more than the rest
of an everyday command (`today`, `followup list`) together. A piped table without
colour is only text, so it is written here — when every cell is one line of characters whose
width is known (the ranges below, checked against Rich's own table in tests/test_output_plain.py),
with no `[` (Rich markup), and when the table fits the width. Anything else returns None and
Rich draws it as before: a narrow terminal's folded columns, emoji, markup, control
characters.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

# (first, last, cells) code point ranges whose width Rich agrees with; others are unknown.
_RANGES = (
    (0x21, 0x7E, 1),  # printable ASCII (the space is handled apart)
    (0xA1, 0x2FF, 1),  # Latin-1 and Latin extended, IPA, spacing modifiers
    (0x370, 0x482, 1),  # Greek, Cyrillic
    (0x2010, 0x2027, 1),  # dashes, quotes, bullet, ellipsis
    (0x2030, 0x205E, 1),
    (0x2190, 0x21FF, 1),  # arrows
    (0x2500, 0x25FC, 1),  # box drawing, shapes
    (0x3001, 0x3029, 2),  # CJK punctuation
    (0x3030, 0x303E, 2),
    (0x3041, 0x3096, 2),  # hiragana
    (0x309B, 0x30FF, 2),  # katakana
    (0x4E00, 0x9FFF, 2),  # CJK unified ideographs
    (0xAC00, 0xD7A3, 2),  # Hangul syllables
    (0xFF01, 0xFF60, 2),  # fullwidth forms
    (0xFFE0, 0xFFE6, 2),
)
_STARTS = [r[0] for r in _RANGES]


def width(text: str) -> int | None:
    """Terminal cells `text` takes, as Rich counts them; None when it has a character outside
    the known ranges (or a control character: a tab, a newline …)."""
    if text.isascii():
        return len(text) if text.isprintable() else None
    cells = 0
    for ch in text:
        code = ord(ch)
        if code == 0x20:
            cells += 1
            continue
        i = bisect_right(_STARTS, code) - 1
        if i < 0 or code > _RANGES[i][1]:
            return None
        cells += _RANGES[i][2]
    return cells


def _safe(text: str, lead: bool = False) -> int | None:
    # Rich reads `[` as markup, and trims spaces at the edges of text it justifies (a
    # printed line keeps its indent: `lead`).
    if "[" in text or text != (text.rstrip(" ") if lead else text.strip(" ")):
        return None
    return width(text)


def line(text: str, max_width: int) -> str | None:
    """`console.print(text)` without colour: the text and a newline, when it fits one line."""
    cells = _safe(text, lead=True) if text else 0
    if cells is None or cells > max_width:
        return None
    return text + "\n"


def table(
    headers: Sequence[str],
    justify: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None,
    max_width: int,
) -> str | None:
    """What Rich prints for `Table(title=title, box=box.SIMPLE_HEAD, title_justify="left",
    pad_edge=False)` with these columns (left, right or centre justified) and rows, or None
    when this table is not the simple case."""
    n = len(headers)
    if n == 0 or any(j not in ("left", "right", "center") for j in justify):
        return None
    sizes: list[list[int]] = []
    widest = [0] * n
    for cells in (headers, *rows):
        measured = []
        for i, text in enumerate(cells):
            cells_of = _safe(text) if text else 0
            if cells_of is None:
                return None
            measured.append(cells_of)
            if cells_of > widest[i]:
                widest[i] = cells_of
        sizes.append(measured)
    if 0 in widest:
        return None
    # One space of padding on each side of a cell except the outer edges (pad_edge=False), one
    # space of border at each edge and between columns (SIMPLE_HEAD draws only spaces there).
    total = sum(widest) + 2 * (n - 1) + 2 + (n - 1)
    if total > max_width:
        return None
    out = []
    if title:
        title_cells = _safe(title)
        if title_cells is None or title_cells > total:
            return None
        out.append(title + " " * (total - title_cells))
    out.append(" " * total)
    for r, (cells, measured) in enumerate(zip((headers, *rows), sizes, strict=True)):
        parts = []
        for text, cells_of, room, how in zip(cells, measured, widest, justify, strict=True):
            parts.append(_aligned(text, room - cells_of, how))
        out.append(" " + "   ".join(parts) + " ")
        if r == 0:
            out.append(" " + "─" * (total - 2) + " ")
    out.append(" " * total)
    return "\n".join(out) + "\n"


def _aligned(text: str, spare: int, how: str) -> str:
    if how == "right":
        return " " * spare + text
    if how == "center":  # Rich puts the odd space on the right
        return " " * (spare // 2) + text + " " * (spare - spare // 2)
    return text + " " * spare


def grid(cells: list[list[str]], justify: str, max_width: int) -> str | None:
    """What Rich prints for `Table.grid(padding=(0, 1))` of one-line cells without colour: each
    column as wide as its widest cell, one space between columns; None when not that simple."""
    if not cells or any("[" in c for row in cells for c in row):  # "[": Rich markup
        return None
    widths = [[width(c) for c in row] for row in cells]
    if any(w is None for ws in widths for w in ws):
        return None
    room = [max((ws[i] for ws in widths), default=0) for i in range(len(justify))]
    if sum(room) + len(room) - 1 > max_width:
        return None
    lines = []
    for row, ws in zip(cells, widths, strict=True):
        parts = [
            c + " " * (r - w) if how == "l" else " " * (r - w) + c
            for c, w, r, how in zip(row, ws, room, justify, strict=True)
        ]
        lines.append(" ".join(parts) + "\n")
    return "".join(lines)


def board(panels: list[tuple[str, list[tuple[str, str]]]], max_width: int) -> str | None:
    """What Rich prints without colour for the board: a `Table.grid(padding=(0, 4))` of four
    panels, two by two, each a `Table.grid(padding=(0, 2))` of its name over label/value rows;
    None when a cell is not plain one-line text or the board does not fit."""
    drawn = []
    for name, items in panels:
        rows = [(name, ""), *items]
        if any("[" in c for row in rows for c in row):  # Rich markup
            return None
        sizes = [(width(label), width(value)) for label, value in rows]
        if any(w is None for pair in sizes for w in pair):
            return None
        left = max(w for w, _ in sizes)
        right = max(w for _, w in sizes)
        lines = [
            label + " " * (left - lw + 2 + right - vw) + value
            for (label, value), (lw, vw) in zip(rows, sizes, strict=True)
        ]
        drawn.append((left + 2 + right, lines))
    first = max(drawn[0][0], drawn[2][0])
    second = max(drawn[1][0], drawn[3][0])
    if first + 4 + second > max_width:
        return None
    out = []
    for (w1, a), (w2, b) in ((drawn[0], drawn[1]), (drawn[2], drawn[3])):
        if out:
            out.append(" " * (first + 4 + second))
        for n in range(max(len(a), len(b))):
            one = a[n] + " " * (first - w1) if n < len(a) else " " * first
            two = b[n] + " " * (second - w2) if n < len(b) else " " * second
            out.append(one + " " * 4 + two)
    return "\n".join(out) + "\n"
