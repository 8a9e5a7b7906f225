"""Amounts written out in words, as quotes and invoices carry them beside the figures.

Chinese capitals (金额大写) follow the People's Bank of China's rules for bills and settlement
vouchers (see the README and tests/test_money_words.py). Where the rules allow two forms we
write one and read both:

- after 元, when the 元 digit (or a run of zeros ending there) is 0 and 角 is not, we write 零
  (¥1,680.32 → 壹仟陆佰捌拾元零叁角贰分; ¥1,000,000.10 → 壹佰万元零壹角);
- at 万 and 亿, when that digit is 0 and the next group's 千 is not, we leave 零 out when the
  group's own unit is written (¥107,000.53 → 壹拾万柒仟元零伍角叁分), and write it when the
  whole group is zero and no unit stands between the digits (¥100,005,000 →
  壹亿零伍仟元整), where 壹亿伍仟元 would read as 1.5 亿;
- a leading ten is 壹拾 (¥10 → 壹拾元整), as the banking rules require;
- after 角 no 整; after 元 always 整 (正 is read too); an amount under one yuan has no 元
  (¥0.50 → 伍角), zero is 零元整.
"""

from __future__ import annotations

from salesflow.errors import SalesflowError
from salesflow.i18n import _

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")  # within a group of four digits
PREFIX = "人民币"


def rmb_capitals(fen: int, *, prefix: bool = True) -> str:
    """An amount in fen (CNY minor units) in Chinese capitals: 169454800 →
    人民币壹佰陆拾玖万肆仟伍佰肆拾捌元整. Negative amounts are refused."""
    if fen < 0:
        raise SalesflowError(_("a negative amount cannot be written in Chinese capitals"))
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    if yuan >= 10**16:
        raise SalesflowError(_("amount too large to write in Chinese capitals"))
    words = _yuan_words(yuan)
    if words:
        words += "元"
    if not jiao and not fen_digit:
        words = (words or "零元") + "整"
    else:
        if words and (jiao == 0 or yuan % 10 == 0):
            words += "零"  # rule 4 (角 is 0), or our choice under rule 3 (元 digit is 0)
        if jiao:
            words += DIGITS[jiao] + "角"
        if fen_digit:
            words += DIGITS[fen_digit] + "分"
    return (PREFIX if prefix else "") + words


def _yuan_words(yuan: int) -> str:
    """Whole yuan in capitals without 元; empty for 0. 亿 counts may pass 万 (¥1,0001,0000,0000
    → 壹万零壹亿), as amounts of 万亿 are said."""
    for unit, size in (("亿", 10**8), ("万", 10**4)):
        if yuan >= size:
            high, low = divmod(yuan, size)
            words = _yuan_words(high) + unit
            if not low:
                return words
            # Zeros between the unit and the next digit are one 零 (rule 2), except where
            # the next digit is the very next one (千万 or 千): then the unit itself stands
            # between the digits and 零 is left out (rule 3: ¥107,000 → 壹拾万柒仟).
            return words + ("零" if low < size // 10 else "") + _yuan_words(low)
    out = ""
    gap = False
    for position, char in enumerate(f"{yuan:04d}"):
        d = int(char)
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out += "零"  # rule 2: a run of zeros between digits is one 零
        gap = False
        out += DIGITS[d] + _SMALL_UNITS[3 - position]
    return out


# Reading capitals back: the form we write and every form the banking rules allow.
_UNIT_VALUES = {"拾": 10, "佰": 100, "仟": 1000}


def parse_rmb_capitals(text: str) -> int:
    """The amount in fen that Chinese capitals name, e.g. 人民币壹拾万零柒仟元伍角叁分 →
    10700053. Accepts 零 where the rules let it be left out, 整 or 正, a bare 拾 for ten,
    and no 人民币 prefix."""
    s = "".join(text.split()).removeprefix(PREFIX)
    if not s:
        raise SalesflowError(_('"{text}" is not an amount in Chinese capitals').format(text=text))
    whole, sep, cents = s.partition("元")
    if not sep:  # under one yuan: 伍角, 伍分
        whole, cents = "", s
    if cents in ("整", "正"):
        cents = ""
    elif cents.endswith(("整", "正")) and cents[:-1].endswith("角"):
        cents = cents[:-1]
    if not sep and not cents:
        raise SalesflowError(_('"{text}" is not an amount in Chinese capitals').format(text=text))
    return _parse_yuan(whole, text) * 100 + _parse_cents(cents, text)


def _parse_yuan(s: str, text: str) -> int:
    total = 0  # finished 亿 sections
    wan = 0  # the 万 part of the current 亿 section
    section = 0  # below 万
    number: int | None = None
    for char in s:
        if char == "零":
            continue
        if char in DIGITS:
            if number is not None:
                raise SalesflowError(
                    _('"{text}": two digits without a unit between them').format(text=text)
                )
            number = DIGITS.index(char)
        elif char in _UNIT_VALUES:
            if number is None and not (char == "拾" and section == 0):
                raise SalesflowError(
                    _('"{text}": {char} without a digit before it').format(text=text, char=char)
                )
            section += (1 if number is None else number) * _UNIT_VALUES[char]
            number = None
        elif char == "万":
            wan = (section + (number or 0)) * 10_000
            section, number = 0, None
        elif char == "亿":
            total = (total + wan + section + (number or 0)) * 100_000_000
            wan, section, number = 0, 0, None
        else:
            raise SalesflowError(
                _('"{text}": {char} is not a capital digit or unit').format(text=text, char=char)
            )
    return total + wan + section + (number or 0)


def _parse_cents(s: str, text: str) -> int:
    s = s.removeprefix("零")
    value = 0
    for unit, weight in (("角", 10), ("分", 1)):
        if len(s) >= 2 and s[1] == unit and s[0] in DIGITS:
            value += DIGITS.index(s[0]) * weight
            s = s[2:].removeprefix("零")
    if s:
        raise SalesflowError(_('"{text}": cannot read "{s}" after 元').format(text=text, s=s))
    return value


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ("", " thousand", " million", " billion", " trillion")


def english_words(minor: int, currency: str, exponent: int) -> str:
    """An amount in English words as export documents write it: 169454805 CNY →
    'CNY one million six hundred ninety-four thousand five hundred forty-eight and 05/100
    only'. `exponent` is the currency's number of decimals."""
    if minor < 0:
        raise SalesflowError(_("a negative amount cannot be written in words"))
    whole, part = divmod(minor, 10**exponent)
    words = _english_whole(whole)
    if part:
        words += f" and {part:0{exponent}d}/{10**exponent}"
    return f"{currency} {words} only"


def _english_whole(n: int) -> str:
    if n == 0:
        return "zero"
    chunks: list[str] = []
    scale = 0
    while n:
        n, chunk = divmod(n, 1000)
        if chunk:
            if scale >= len(_SCALES):
                raise SalesflowError(_("amount too large to write in words"))
            chunks.append(_english_below_thousand(chunk) + _SCALES[scale])
        scale += 1
    return " ".join(reversed(chunks))


def _english_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        parts.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    elif rest:
        parts.append(_ONES[rest])
    return " ".join(parts)
