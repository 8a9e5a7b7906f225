"""Money as a person reads it on a terminal or in the digest: `505,000.00 CNY`, or with
`config set money.display wan` the Chinese units 万 (10⁴) and 亿 (10⁸): `50.5万 CNY`.

The mode is a process setting, like the language: the command line reads `money.display` from
the database and calls `use()`; output code only formats. Machine formats (csv, tsv, json,
ndjson) never come here: they write the exact decimal string beside the currency.

万 form: below 1万 the amount is shown as usual (`9,999.00`); from 1万 it is the amount in
万, rounded half-up to two decimals with trailing zeros dropped (`505000` → `50.5万`,
`19539800` → `1,953.98万`); from 1亿 (or when the 万 figure rounds to 10,000) in 亿 the same
way (`123456789` → `1.23亿`). The integer part keeps its thousands separators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal

MODES = ("plain", "wan")
# The mode is set on every command's path; decimal and money load only when money is shown.
_mode = "plain"


def use(mode: str | None) -> None:
    """Show money in `mode` (`plain` or `wan`) from now on in this process."""
    global _mode
    _mode = "wan" if mode == "wan" else "plain"


def mode() -> str:
    return _mode


def wan(amount: Decimal) -> str | None:
    """`amount` in 万 or 亿 (`50.5万`, `1.23亿`); None below 1万, where it reads as usual."""
    from decimal import ROUND_HALF_UP, Decimal

    wan_, yi, cents = Decimal(10_000), Decimal(100_000_000), Decimal("0.01")
    size = abs(amount)
    if size < wan_:
        return None
    units = (size / wan_).quantize(cents, ROUND_HALF_UP)
    suffix = "万"
    if units >= wan_:  # 1亿 or more, also 9,999.995万 and up
        units = (size / yi).quantize(cents, ROUND_HALF_UP)
        suffix = "亿"
    text = f"{units:,.2f}".rstrip("0").rstrip(".")
    return ("-" if amount < 0 else "") + text + suffix


def display(minor: int | None, currency: str | None) -> str:
    """`money.display` in the active mode: `505,000.00 CNY` or `50.5万 CNY`."""
    from salesflow import money

    if minor is None or currency is None:
        return ""
    if _mode == "wan":
        short = wan(money.to_decimal(minor, currency))
        if short is not None:
            return f"{short} {currency}"
    return money.display(minor, currency)


def whole(amount: Decimal) -> str:
    """A figure in whole units for a report table (`12,500`), or in 万 (`1.25万`)."""
    from decimal import ROUND_HALF_UP, Decimal

    if _mode == "wan":
        short = wan(amount)
        if short is not None:
            return short
    return f"{amount.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"
