"""Days as a seller reads them in the active language: the weekday beside an ISO date
(`2026-12-01 Tue`, `2026-12-01 周二`) and a heading's day (`Tue 2026-12-01`, `12月1日 周二`).

Dates themselves stay ISO 8601 in every language; only the weekday and a heading's wording
follow the language. English keeps strftime's C-locale names (Python never sets the locale).
"""

from __future__ import annotations

from datetime import date

from salesflow.i18n import active

_ZH_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def weekday(day: date) -> str:
    """`Tue`, or `周二` in Chinese."""
    if active() == "zh_CN":
        return _ZH_WEEKDAYS[day.weekday()]
    return f"{day:%a}"


def heading(day: date) -> str:
    """A heading's day: `Tue 2026-12-01`, or `12月1日 周二` in Chinese."""
    if active() == "zh_CN":
        return f"{day.month}月{day.day}日 {weekday(day)}"
    return f"{day:%a %Y-%m-%d}"


def dated(day: date) -> str:
    """A day with its year, for what is kept and read later (the digest): `Tue 2026-12-01`,
    or `2026-12-01 周二` in Chinese."""
    if active() == "zh_CN":
        return f"{day.isoformat()} {weekday(day)}"
    return f"{day:%a %Y-%m-%d}"
