"""Dates and times as a Chinese seller says them: 明天, 下周五, 3天后, 月底, 下月15号, 下午3点.

salesflow.dates calls these with text it has already folded (full-width to ASCII, lower case,
single spaces). Each returns None when the text is none of its forms, so dates.py goes on to
its own grammar and, failing that, refuses the text: nothing here guesses.

The rules (tests/test_dates_zh.py pins each with dates worked out from a calendar):

- Weeks run Monday to Sunday (周日 is the week's last day). 本周五/这周五 is Friday of this
  week, even when it has passed; 下周五 is Friday of next week (on a Wednesday that is nine
  days ahead, not two); 上周五 of last week, 下下周五 of the week after next. A bare 周五 is
  the first Friday after today, like `fri`.
- 3天后/3日后 is three days ahead, 两周后 fourteen, 3个月后 three months (clipped at a month
  end like `+3m`), 3天前 three days back; a bare 15天, 2周 or 3个月 is ahead, like `30d`.
- 月底/本月底/月末 is this month's last day, 下月底 next month's; 年底 is 31 December.
- 下月15号/下个月15日 is the 15th of next month (in December: January of next year);
  本月15号 this month's; a day the month does not have is refused.
- 明年3月1日 is next year's; 12月1日 this year's (dates.py reads 2026年12月1日).
- A clock time: 15点, 3点半, 下午3点, 下午3:30, 上午10点15分, 晚上8点; 下午/晚上 add twelve
  hours to 1–11; 中午1点 is 13:00; 凌晨12点 is 00:00.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from salesflow.chinese import NUMBER, number

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEK_SHIFT = {"上": -1, "上个": -1, "本": 0, "这": 0, "这个": 0, "下": 1, "下个": 1, "下下": 2}
_WEEKDAY = re.compile(
    r"(?P<rel>下下|下个|上个|这个|[上本这下])?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])"
)
_UNIT = r"(?P<unit>天|日|周|个星期|星期|个礼拜|礼拜|个月|月|年)"
_OFFSET = re.compile(rf"\+?(?P<n>{NUMBER}) ?{_UNIT}(?P<dir>以后|之后|后|以前|之前|前)?")
_UNITS = {"天": "d", "日": "d", "周": "w", "星期": "w", "个星期": "w", "礼拜": "w"}
_UNITS |= {"个礼拜": "w", "个月": "m", "月": "m", "年": "y"}
_MONTH = r"(?P<rel>本|这个|这|下个|下|上个|上)?月"
_MONTH_END = re.compile(rf"{_MONTH}(?:底|末)")
_MONTH_DAY = re.compile(rf"{_MONTH}(?P<d>[0-9]{{1,2}})[号日]")
_NEXT_YEAR = re.compile(r"(?P<rel>今年|明年|去年)(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})[号日]")
_WORDS = {"大后天": 3, "大前天": -3}
_PARTS = r"上午|早上|早晨|凌晨|中午|下午|傍晚|晚上"
_CLOCK = (
    rf"(?P<part>{_PARTS})? ?(?:(?P<h>{NUMBER})点(?:(?P<half>半)|(?P<m>[0-9]{{1,2}})分?)?"
    rf"|(?P<hh>[0-9]{{1,2}}):(?P<mm>[0-9]{{2}}))"
)
_DATE_AND_CLOCK = re.compile(rf"(?P<day>.*?) ?(?P<clock>{_CLOCK})")


def split_clock(s: str) -> tuple[str, str] | None:
    """`明天下午3点` → (`明天`, `下午3点`); `下午3点` → (``, `下午3点`); None when `s` ends in no
    Chinese clock time (`15:00` alone is dates.py's, so a part of day or 点 is needed)."""
    m = _DATE_AND_CLOCK.fullmatch(s)
    if m is None or not (m["part"] or m["h"] is not None):
        return None
    return m["day"], m["clock"]


def clock(s: str) -> time | None:
    """The time of day `s` says, or None when it says none that exists (下午13点, 25点)."""
    m = re.fullmatch(_CLOCK, s)
    if m is None:
        return None
    if m["hh"] is not None:
        hour, minute = int(m["hh"]), int(m["mm"])
    else:
        found = number(m["h"])
        if found is None:
            return None
        hour, minute = found, 30 if m["half"] else int(m["m"] or 0)
    hour = _on_the_clock(m["part"], hour)
    if hour is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def _on_the_clock(part: str | None, hour: int) -> int | None:
    if part in ("下午", "傍晚", "晚上"):
        if 1 <= hour <= 11:
            return hour + 12
        return hour if 12 <= hour <= 23 and not (part == "晚上" and hour == 12) else None
    if part == "中午":
        return hour + 12 if 1 <= hour <= 2 else hour if hour in (11, 12) else None
    if part == "凌晨":
        return 0 if hour == 12 else hour if hour <= 6 else None
    if part is not None:  # 上午, 早上, 早晨: the morning
        return hour if hour <= 12 else None
    return hour


def day(s: str, today: date) -> date | None:
    """The date `s` names, or None when it is none of the forms above."""
    if s in _WORDS:
        return today + timedelta(days=_WORDS[s])
    if m := _WEEKDAY.fullmatch(s):
        wd = _WEEKDAYS[m["wd"]]
        if m["rel"] is None:  # like `fri`: the first one after today
            return today + timedelta(days=(wd - today.weekday()) % 7 or 7)
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=7 * _WEEK_SHIFT[m["rel"]] + wd)
    if (m := _OFFSET.fullmatch(s)) and (n := number(m["n"])) is not None:
        return _offset(today, n, m["unit"], m["dir"])
    if m := _MONTH_END.fullmatch(s):
        year, month = _month(today, m["rel"])
        return _last_day(year, month)
    if s in ("年底", "年末", "今年底", "今年年底"):
        return date(today.year, 12, 31)
    return None


def month_day(s: str, today: date) -> tuple[int, int, int] | None:
    """(year, month, day) of `下月15号`, `本月3日`, `明年3月1日`, unchecked: dates.py says
    why a day the month lacks is no date."""
    if m := _MONTH_DAY.fullmatch(s):
        year, month = _month(today, m["rel"])
        return year, month, int(m["d"])
    if m := _NEXT_YEAR.fullmatch(s):
        shift = {"今年": 0, "明年": 1, "去年": -1}[m["rel"]]
        return today.year + shift, int(m["m"]), int(m["d"])
    return None


def period(s: str) -> tuple[int, str] | None:
    """`15天` → (15, "d"), `两周` → (2, "w"), `3个月` → (3, "m"), `1年`, `2小时`, `45分钟`;
    None otherwise. A bare 月 is a month's name (3月 is March), so months need 个."""
    m = re.fullmatch(
        rf"(?P<n>{NUMBER}) ?(?P<unit>天|周|个星期|星期|个礼拜|礼拜|个月|年|个?小时|分钟)", s
    )
    if m is None or (n := number(m["n"])) is None:
        return None
    unit = m["unit"]
    if unit.endswith("小时"):
        return n, "h"
    return n, "min" if unit == "分钟" else _UNITS[unit]


def _offset(today: date, n: int, unit: str, direction: str | None) -> date | None:
    # Without 后/前, 15日 is the 15th and 3月 is March: only 天, 周, 个月, 年 stand alone.
    if direction is None and unit in ("日", "月"):
        return None
    back = direction is not None and direction.endswith("前")
    from salesflow.dates import add_period

    return add_period(today, -n if back else n, _UNITS[unit])


def _month(today: date, rel: str | None) -> tuple[int, int]:
    shift = {"下": 1, "下个": 1, "上": -1, "上个": -1}.get(rel or "", 0)
    index = today.year * 12 + today.month - 1 + shift
    return index // 12, index % 12 + 1


def _last_day(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)
