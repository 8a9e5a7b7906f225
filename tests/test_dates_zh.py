"""Dates, times and periods as a Chinese seller writes them (issue 13, salesflow.dates_zh).

"Now" is passed in. Expected dates are worked out by hand from a calendar: 2026-11-23 is a
Monday, so its week runs Mon 11-23 … Sun 11-29; 2026-11-29 is that Sunday, 2026-11-27 the
Friday, 2026-12-02 a Wednesday; 2027 is not a leap year, 2028 is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesflow import customers
from salesflow.chinese import number
from salesflow.dates import Due, parse_date, parse_due, parse_period
from salesflow.errors import SalesflowError

MON = date(2026, 11, 23)
WED = date(2026, 12, 2)
FRI = date(2026, 11, 27)
SUN = date(2026, 11, 29)


def refused(call, *args) -> str:
    with pytest.raises(SalesflowError) as info:
        call(*args)
    assert "\n" not in info.value.message
    return info.value.message


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (MON, "今天", date(2026, 11, 23)),
        (MON, "明天", date(2026, 11, 24)),
        (MON, "后天", date(2026, 11, 25)),
        (MON, "大后天", date(2026, 11, 26)),
        # weeks run Monday to Sunday
        (MON, "下周一", date(2026, 11, 30)),
        (MON, "下周五", date(2026, 12, 4)),
        (MON, "下星期五", date(2026, 12, 4)),
        (MON, "下个礼拜五", date(2026, 12, 4)),
        (MON, "下周日", date(2026, 12, 6)),
        (MON, "下周天", date(2026, 12, 6)),
        (MON, "本周五", date(2026, 11, 27)),
        (MON, "这周五", date(2026, 11, 27)),
        (MON, "上周五", date(2026, 11, 20)),
        (MON, "下下周一", date(2026, 12, 7)),
        (MON, "周五", date(2026, 11, 27)),  # like `fri`: the first Friday after today
        (WED, "下周五", date(2026, 12, 11)),  # Friday of next week, not the day after tomorrow
        (WED, "下周一", date(2026, 12, 7)),
        (WED, "本周五", date(2026, 12, 4)),
        (WED, "本周一", date(2026, 11, 30)),  # this week's Monday has passed: still that day
        (FRI, "周五", date(2026, 12, 4)),  # on a Friday, like `fri`: a week away
        (FRI, "本周五", date(2026, 11, 27)),  # ... while 本周五 is today
        (SUN, "下周一", date(2026, 11, 30)),  # Sunday ends the week: next week starts tomorrow
        (SUN, "本周五", date(2026, 11, 27)),
        (SUN, "本周日", date(2026, 11, 29)),
        (SUN, "周日", date(2026, 12, 6)),
        (date(2026, 12, 31), "下周一", date(2027, 1, 4)),  # Thu 12-31: across the year
        # counts of days, weeks, months, years
        (MON, "3天后", date(2026, 11, 26)),
        (MON, "3日后", date(2026, 11, 26)),
        (MON, "三天后", date(2026, 11, 26)),
        (MON, "十天以后", date(2026, 12, 3)),
        (MON, "十五天后", date(2026, 12, 8)),
        (MON, "两周后", date(2026, 12, 7)),
        (MON, "2个星期后", date(2026, 12, 7)),
        (MON, "3个月后", date(2027, 2, 23)),
        (MON, "1年后", date(2027, 11, 23)),
        (MON, "3天前", date(2026, 11, 20)),
        (MON, "15天", date(2026, 12, 8)),  # a bare period is ahead, like 30d
        (MON, "2周", date(2026, 12, 7)),
        (MON, "3个月", date(2027, 2, 23)),
        (MON, "+3天", date(2026, 11, 26)),
        (date(2026, 11, 30), "3个月后", date(2027, 2, 28)),  # clipped at February's end
        # month ends
        (MON, "月底", date(2026, 11, 30)),
        (MON, "本月底", date(2026, 11, 30)),
        (MON, "月末", date(2026, 11, 30)),
        (MON, "下月底", date(2026, 12, 31)),
        (WED, "下个月底", date(2027, 1, 31)),
        (date(2027, 2, 10), "月底", date(2027, 2, 28)),
        (date(2028, 2, 10), "月底", date(2028, 2, 29)),  # leap year
        (date(2027, 1, 31), "下月底", date(2027, 2, 28)),
        (MON, "年底", date(2026, 12, 31)),
        # a day of this or next month
        (MON, "下月15号", date(2026, 12, 15)),
        (MON, "下个月15日", date(2026, 12, 15)),
        (WED, "下月15号", date(2027, 1, 15)),  # in December: January of next year
        (WED, "下个月15日", date(2027, 1, 15)),
        (MON, "本月15号", date(2026, 11, 15)),
        (MON, "12月1日", date(2026, 12, 1)),
        (MON, "12月1号", date(2026, 12, 1)),
        (MON, "2026年12月1日", date(2026, 12, 1)),
        (MON, "明年3月1日", date(2027, 3, 1)),
        # full-width digits from a Chinese input method
        (MON, "３天后", date(2026, 11, 26)),
        (MON, "１２月１日", date(2026, 12, 1)),
    ],
)
def test_chinese_dates(today: date, text: str, expected: date) -> None:
    assert parse_date(text, today) == expected


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年12月1日 14:30", Due(date(2026, 12, 1), time(14, 30))),
        ("2026年12月1日14:30", Due(date(2026, 12, 1), time(14, 30))),
        ("明天下午3点", Due(date(2026, 11, 24), time(15, 0))),
        ("明天 下午3点", Due(date(2026, 11, 24), time(15, 0))),
        ("12月1日下午3点半", Due(date(2026, 12, 1), time(15, 30))),
        ("下周一上午10点15分", Due(date(2026, 11, 30), time(10, 15))),
        ("下周五 下午3:30", Due(date(2026, 12, 4), time(15, 30))),
        ("后天晚上8点", Due(date(2026, 11, 25), time(20, 0))),
        ("明天中午12点", Due(date(2026, 11, 24), time(12, 0))),
        ("明天中午1点", Due(date(2026, 11, 24), time(13, 0))),
        ("明天凌晨2点", Due(date(2026, 11, 24), time(2, 0))),
        ("明天15点", Due(date(2026, 11, 24), time(15, 0))),
        ("明天十点", Due(date(2026, 11, 24), time(10, 0))),
        ("明天１５：００", Due(date(2026, 11, 24), time(15, 0))),
        ("下午3点", Due(date(2026, 11, 23), time(15, 0))),  # a bare time is today
        ("tomorrow 下午3点", Due(date(2026, 11, 24), time(15, 0))),
    ],
)
def test_chinese_dates_with_a_time(text: str, expected: Due) -> None:
    assert parse_due(text, noon(MON), UTC) == expected


@pytest.mark.parametrize("text", ["下午25点", "晚上12点", "上午13点", "明天3点70分", "中午5点"])
def test_clock_times_that_do_not_exist_are_refused(text: str) -> None:
    assert "no valid time of day" in refused(parse_due, text, noon(MON), UTC)


@pytest.mark.parametrize(
    ("today", "text", "why"),
    [
        (date(2027, 1, 10), "下月31号", "2027-02 has 28 days"),
        (MON, "本月31号", "2026-11 has 30 days"),
        (MON, "2月30日", "2026-02 has 28 days"),
    ],
)
def test_days_a_month_lacks_are_refused(today: date, text: str, why: str) -> None:
    assert why in refused(parse_date, text, today)


@pytest.mark.parametrize(
    "text", ["15日", "3月", "周八", "下周", "月中", "十十天后", "五五天后", "下午", "天后"]
)
def test_unreadable_chinese_is_refused_with_the_forms(text: str) -> None:
    message = refused(parse_date, text, MON)
    assert "cannot read date" in message and "下周五" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15天", (15, "d")),
        ("2周", (2, "w")),
        ("两周", (2, "w")),
        ("2个星期", (2, "w")),
        ("3个月", (3, "m")),
        ("1年", (1, "y")),
        ("2小时", (2, "h")),
        ("45分钟", (45, "min")),
        ("１５天", (15, "d")),
    ],
)
def test_chinese_periods(text: str, expected: tuple[int, str]) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["0天", "3月", "天", "十十天"])
def test_bad_chinese_periods_are_refused(text: str) -> None:
    assert "15天" in refused(parse_period, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每3个月", (3, "m")),
        ("每月", (1, "m")),
        ("每个月", (1, "m")),
        ("每两周", (2, "w")),
        ("每周", (1, "w")),
        ("每季度", (3, "m")),
        ("每年", (1, "y")),
        ("每30天", (30, "d")),
    ],
)
def test_chinese_check_in_rhythms(text: str, expected: tuple[int, str]) -> None:
    assert customers.parse_every(text) == expected


def test_a_check_in_every_few_hours_is_too_short() -> None:
    assert "too short" in refused(customers.parse_every, "每3小时")


def test_chinese_numbers() -> None:
    assert [number(t) for t in ("十", "十五", "二十", "二十五", "两", "九十九", "零")] == [
        10, 15, 20, 25, 2, 99, 0,
    ]  # fmt: skip
    assert [number(t) for t in ("十十", "五五", "十两", "百", "")] == [None] * 5


# ---- properties: every generated form reads as the date worked out from its parts -------

DAYS = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))


def written(n: int) -> str:
    """n (1–99) in characters, written independently of salesflow.chinese."""
    digits = "一二三四五六七八九"
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens - 1] + "十")
    return head + (digits[units - 1] if units else "")


@given(today=DAYS, n=st.integers(1, 99), chars=st.booleans(), ahead=st.booleans())
def test_n_days_and_weeks_ahead_or_back(today: date, n: int, chars: bool, ahead: bool) -> None:
    count = written(n) if chars else str(n)
    sign = 1 if ahead else -1
    direction = "后" if ahead else "前"
    assert parse_date(f"{count}天{direction}", today) == today + timedelta(days=sign * n)
    assert parse_date(f"{count}周{direction}", today) == today + timedelta(days=sign * 7 * n)


@given(today=DAYS, n=st.integers(1, 99))
def test_n_months_later_keeps_the_day_or_clips_to_the_month_end(today: date, n: int) -> None:
    got = parse_date(f"{n}个月后", today)
    months = today.year * 12 + today.month - 1 + n
    assert (got.year, got.month) == (months // 12, months % 12 + 1)
    assert got.day == today.day or (got.day < today.day and (got + timedelta(days=1)).day == 1)


@given(
    today=DAYS,
    rel=st.sampled_from([("上", -1), ("本", 0), ("这", 0), ("下", 1), ("下个", 1), ("下下", 2)]),
    wd=st.sampled_from(list(enumerate("一二三四五六日"))),
)
def test_a_weekday_of_a_named_week(today: date, rel, wd) -> None:
    (word, weeks), (index, name) = rel, wd
    got = parse_date(f"{word}周{name}", today)
    assert got.weekday() == index
    # Monday-based weeks: how many Mondays lie between this week's and the answer's.
    this_monday = today - timedelta(days=today.weekday())
    assert (got - this_monday).days // 7 == weeks


@given(today=DAYS, day=st.integers(1, 31))
def test_a_day_of_next_month_or_a_refusal(today: date, day: int) -> None:
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    try:
        expected = date(year, month, day)
    except ValueError:
        assert "not a real date" in refused(parse_date, f"下月{day}号", today)
        return
    assert parse_date(f"下月{day}号", today) == expected
    assert parse_date(f"下个月{day}日", today) == expected


@given(today=DAYS)
def test_month_end_is_the_last_day_of_this_month(today: date) -> None:
    got = parse_date("月底", today)
    assert (got.year, got.month) == (today.year, today.month)
    assert (got + timedelta(days=1)).day == 1
