"""The display width of text without Rich or unicodedata, for the everyday characters.

Importing Rich's console and table, and laying out a table with it, cost more than the rest
of an everyday command (`today`, `followup list`) together, so tables are drawn by
output/layout.py, which measures each cell here first (the ranges below agree with Rich's own
cell widths, checked in tests/test_layout.py) and falls back to unicodedata for the rest.
"""

from __future__ import annotations

from bisect import bisect_right

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
