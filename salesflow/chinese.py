"""Chinese as a seller types it: full-width forms and small numbers written in characters.

Only what money and date input need. Full-width ASCII (a Chinese input method's `５０，０００`,
`：`, `＋`) is folded to ASCII by a fixed table rather than NFKC, which would also turn
superscripts and circled digits into digits (`2²` → `22`) and so misread what was typed.
"""

from __future__ import annotations

import re

# U+FF01..U+FF5E are ASCII 0x21..0x7E shifted; U+3000 is the ideographic space.
_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5}
_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
# A count as a Chinese writes it: digits, or characters up to 九十九 (十, 十五, 二十, 两).
NUMBER = r"[0-9]{1,6}|[零〇一二两俩三四五六七八九十]{1,3}"


def halfwidth(text: str) -> str:
    """`５０，０００元` → `50,000元`; other characters are left as they are."""
    return text.translate(_HALF)


def number(text: str) -> int | None:
    """`15` → 15, `十五` → 15, `二十` → 20, `两` → 2, `二十五` → 25; None when `text` is no
    such number (`十十`, `五五`, `一百`)."""
    if text.isascii():
        return int(text) if text.isdigit() else None
    m = re.fullmatch(
        r"(?:(?P<tens>[二三四五六七八九])?(?P<ten>十))?(?P<unit>[一二两俩三四五六七八九])?", text
    )
    if m is None or not text:
        return _DIGITS.get(text)
    if m["tens"] and not m["ten"]:
        return None
    value = (_DIGITS[m["tens"]] if m["tens"] else 1) * 10 if m["ten"] else 0
    if m["unit"]:
        # 两 and 俩 say "two of", never a digit after 十 (十两 is a weight, not 12).
        if m["ten"] and m["unit"] in "两俩":
            return None
        value += _DIGITS[m["unit"]]
    return value


def grade(text: str) -> str:
    """A grade as typed, upper-cased: `a`, `A类`, `A级`, full-width `Ａ类` → `A` (checking that
    it is one of the grades is the caller's)."""
    return halfwidth(text).strip().upper().removesuffix("类").removesuffix("级").strip()
