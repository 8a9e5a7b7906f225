"""Dates and times: read what a seller types, store instants as UTC, think in local days.

Rules this module commits to (tests/test_dates.py pins each one):

- Weekday names (`fri`, `friday`, any 3+ letter prefix) and `next fri` mean the first
  such day strictly AFTER today: 1..7 days ahead, so `fri` on a Friday is a week away.
  `this fri` is the same but includes today (0..6); `last fri` is 1..7 days back.
- A slash/dot/dash date such as `01/02` is refused unless a date order (DMY, MDY, YMD)
  settles it; a leading 4-digit year (`2026/12/01`) is unambiguous and always read Y/M/D.
  A 2-digit year means 20YY.
- Local -> UTC uses the zone's rules with fold=0: a wall time that does not exist
  (02:30 on a spring-forward day) moves forward by the gap (= 03:30 new time), and a
  repeated one (01:30 on a fall-back day) means its first occurrence. Never an error.
- A date-only due is overdue once its local day has ended; a timed one once it passed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import ModuleType

from salesflow.chinese import halfwidth
from salesflow.errors import SalesflowError
from salesflow.i18n import N_, _

_FORMS = N_(
    "today, tomorrow, fri, next monday, +3d, +2w, in 3 days, eom, 2026-12-01, "
    "2026-12-01 14:30, 明天, 下周五, 3天后, 月底, 下月15号 or 12月1日 下午3点"
)
_ORDER_HINT = "salesflow config set date_order DMY (or MDY / YMD)"
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WORDS = {"today": 0, "tomorrow": 1, "tmr": 1, "tmrw": 1, "yesterday": -1}
_WORDS |= {"今天": 0, "明天": 1, "后天": 2, "昨天": -1, "前天": -2}
_UNITS = {
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
    **dict.fromkeys(("m", "mo", "mos", "month", "months"), "m"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "y"),
}
_PERIOD_UNITS = {
    **_UNITS,
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), "min"),
}

# Plain strings, compiled (and cached by `re`) on first use so that importing this
# module stays cheap for commands that never read a date.
# [0-9], not \d: \d also matches Arabic-Indic and other digits nobody means here.
_OFFSET = (
    r"(?:(?P<sign>[+-]) ?|(?P<in>in ))?(?:(?P<n>[0-9]{1,6})|(?P<one>an?) )"
    r" ?(?P<unit>[a-z]+)(?P<ago> ago)?"
)
_WEEKDAY = r"(?:(?P<rel>next|last|this) )?(?P<name>[a-z]{3,9})"
# A leading 4-digit year makes any separator unambiguous: always Y-M-D.
_ISO = r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
_COMPACT = r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"
_CJK = r"(?:(?P<y>[0-9]{4})年)?(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})[日号]"
_AMBIGUOUS = (
    r"(?P<a>[0-9]{1,2})(?P<sep>[-/.])(?P<b>[0-9]{1,2})(?:(?P=sep)(?P<c>[0-9]{2}|[0-9]{4}))?"
)
_TIME = r"(?:[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?|[0-9]{1,2}(?::[0-9]{2})? ?[ap]\.?m\.?)"
# The date/time separator: a space (optionally "at"/"@"), ISO's T after a digit, or
# nothing after a CJK date (明天15:00) since Chinese does not put spaces there.
_DATE_THEN_TIME = rf"(?P<d>.+?)(?: at | ?@ ?| |(?<=[0-9])t|(?<=[天日号]))(?P<t>{_TIME})"
_TIME_THEN_DATE = rf"(?P<t>{_TIME}),? (?P<d>.+)"
_TIME_PARTS = r"([0-9]+)(?::([0-9]+))?(?::([0-9]+))?(?: ?([ap])m)?"


@dataclass(frozen=True)
class Due:
    day: date  # local calendar date
    at: time | None  # optional local time of day


def utc_now() -> datetime:
    # The one place that reads the clock; everything else takes `now` so tests can pin it.
    return datetime.now(UTC).replace(microsecond=0)


def to_utc_iso(dt: datetime) -> str:
    utc = _require_aware(dt, "dt").astimezone(UTC)
    # isoformat, not strftime: it zero-pads years below 1000 so the text sorts correctly.
    return utc.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def from_utc_iso(text: str) -> datetime:
    bad = _('cannot read timestamp "{text}" — expected e.g. 2026-11-23T05:23:00Z').format(
        text=_show(text)
    )
    try:
        dt = datetime.fromisoformat(text.strip())
        # No offset would mean "some zone": guessing one would silently shift the instant.
        if dt.tzinfo is None:
            raise SalesflowError(bad + _(" (with its Z or +00:00)"))
        return dt.astimezone(UTC)
    except (ValueError, OverflowError):
        raise SalesflowError(bad) from None


def local_zone(
    name: str | None, on_unknown_env: Callable[[str, tzinfo], None] | None = None
) -> tzinfo:
    """The `timezone` setting's zone, else $TZ's, else the system's. A $TZ that names no zone
    is reported to `on_unknown_env` with the zone used instead (cron must not guess quietly)."""
    if name:
        if zone := _zone_or_none(name):
            return zone
        raise SalesflowError(
            _(
                'unknown time zone "{name}" — use an IANA name such as Asia/Shanghai, '
                "America/New_York or UTC"
            ).format(name=_show(name))
        )
    env = os.environ.get("TZ", "").lstrip(":")  # POSIX allows TZ=":Area/City"
    zone = (_zone_or_none(env) or _posix_zone(env)) if env else None
    if zone is not None:
        return zone
    fallback = _system_zone() or UTC
    if env and on_unknown_env is not None:
        on_unknown_env(env, fallback)
    return fallback


# A POSIX TZ rule ("CST-8", "EST5EDT,M3.2.0,M11.1.0", "<+08>-8"): a name, then an offset.
_POSIX_TZ = re.compile(r"(?:[A-Za-z]{3,}|<[+-]?[A-Za-z0-9]+>)[+-]?\d{1,2}(?::\d{2}){0,2}.*")


def _posix_zone(text: str) -> tzinfo | None:
    if not _POSIX_TZ.fullmatch(text):
        return None
    from dateutil.tz import tzstr  # only for this rare spelling

    try:
        zone = tzstr(text)
    except ValueError:
        return None
    zone.key = text  # type: ignore[attr-defined] — shown as zoneinfo's key is: "CST-8"
    return zone


def local_today(now: datetime, tz: tzinfo) -> date:
    return _require_aware(now, "now").astimezone(tz).date()


# Dates salesflow takes in: a CRM's history and plans fall well inside these years, and every
# output (ICS, local times east or west of UTC) can then show them. `9999-12-31 23:59` would be
# stored fine and break every calendar export after it.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def check_horizon(day: date, text: str) -> date:
    """`day`, or a clear refusal when it is outside the years salesflow keeps."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise SalesflowError(
            _(
                '"{text}" is outside the years {first}–{last} that salesflow keeps dates in — '
                "check the year"
            ).format(text=_show(text), first=FIRST_YEAR, last=LAST_YEAR)
        )
    return day


def parse_date(text: str, today: date, date_order: str | None = None) -> date:
    day, at = _parse(text, today, date_order)
    if at is not None:
        raise SalesflowError(
            _(
                '"{text}" has a time, but only a date is accepted here — '
                "drop the time, e.g. tomorrow or 2026-12-01"
            ).format(text=_show(text))
        )
    return day if day is not None else today


def parse_due(text: str, now: datetime, tz: tzinfo, date_order: str | None = None) -> Due:
    today = local_today(now, tz)
    day, at = _parse(text, today, date_order)
    return Due(day if day is not None else today, at)  # a bare "15:00" means today


def parse_instant(text: str, now: datetime, tz: tzinfo, date_order: str | None = None) -> datetime:
    if _norm(text) == "now":
        return _require_aware(now, "now").astimezone(UTC).replace(microsecond=0)
    due = parse_due(text, now, tz, date_order)
    local = datetime.combine(due.day, due.at or time(0))
    try:
        return local.replace(tzinfo=tz).astimezone(UTC)
    except OverflowError:
        raise SalesflowError(_('"{text}" is out of range').format(text=_show(text))) from None


def parse_period(text: str) -> tuple[int, str]:
    # A zero period ("0d") is refused like any typo: a recurrence of 0 never advances.
    s = _norm(text)
    m = re.fullmatch(r"(?P<n>[1-9][0-9]{0,5}) ?(?P<unit>[a-z]+)", s)
    if m and m["unit"] in _PERIOD_UNITS:
        return int(m["n"]), _PERIOD_UNITS[m["unit"]]
    zh = _zh().period(s) if not s.isascii() else None
    if zh is None or not 1 <= zh[0] <= 999_999:
        raise SalesflowError(
            _(
                'cannot read period "{text}" — use 30d, 2w, 3m (months), 1y, 2h, '
                "45min, 30 days, 2 weeks, 15天, 2周 or 3个月"
            ).format(text=_show(text))
        )
    return zh


def add_period(start: date, n: int, unit: str) -> date:
    if unit not in ("d", "w", "m", "y"):
        raise SalesflowError(
            _('a date moves by d, w, m or y — not by "{period}"').format(period=f"{n}{unit}")
        )
    try:
        return _shift(start, n, unit)
    except (OverflowError, ValueError):
        raise SalesflowError(
            _("{start} + {n}{unit} is outside the years 1–9999").format(start=start, n=n, unit=unit)
        ) from None


def monthly_series(start: date, every_months: int, count: int) -> list[date]:
    """The `count` dates after `start`, every `every_months` months (start excluded).

    A start on its month's last day (Jan 31, Apr 30, Feb 28) follows month ends;
    any other day keeps its day number, clipped in short months (the 30th -> Feb 28).
    """
    if every_months < 1 or count < 0:
        raise SalesflowError(_("a recurring series needs every >= 1 month and count >= 0"))
    try:
        if start.day == _month_end(start.year, start.month):
            from dateutil.rrule import MONTHLY, rrule  # slow import; only here

            # bymonthday=-1: plain MONTHLY from the 31st silently skips short months.
            first, n = datetime.combine(start, time(0)), count + 1
            rule = rrule(MONTHLY, first, every_months, bymonthday=-1, count=n)
            return [dt.date() for dt in rule][1:]  # [0] is `start` itself
        # Always offset from `start`, never chain, so one clipped Feb doesn't drag
        # every later month onto the 28th.
        return [add_period(start, every_months * k, "m") for k in range(1, count + 1)]
    except (OverflowError, ValueError):
        raise SalesflowError(_("the recurring series runs past the year 9999")) from None


def series_after(anchor: date, n: int, unit: str, after: date) -> date:
    """The first date of the series `anchor`, `anchor` + n·unit, + 2n·unit … later than `after`.

    Always counted from `anchor`, never chained from the previous date, so a series anchored
    on the 30th comes back on the 30th after February (monthly_series' rules for month ends).
    """
    if n < 1 or unit not in ("d", "w", "m", "y"):
        raise SalesflowError(
            _('a recurring series moves by 1 or more d, w, m or y — not "{period}"').format(
                period=f"{n}{unit}"
            )
        )
    if after < anchor:
        return anchor
    if unit in ("d", "w"):
        step = n * (7 if unit == "w" else 1)
        return anchor + timedelta(days=((after - anchor).days // step + 1) * step)
    months = n * (12 if unit == "y" else 1)
    # Terms grow by `months`, so the month distance lands within one step of the answer.
    k = max(1, ((after.year - anchor.year) * 12 + after.month - anchor.month) // months)
    while (term := monthly_series(anchor, months, k)[-1]) <= after:
        k += 1
    return term


def is_overdue(due: Due, now: datetime, tz: tzinfo) -> bool:
    if due.at is None:
        return due.day < local_today(now, tz)
    local = datetime.combine(due.day, due.at)
    # Compare in UTC via the due's own offset: comparing aware datetimes that share a
    # tzinfo compares wall clocks, which is wrong across a fall-back hour.
    offset = local.replace(tzinfo=tz).utcoffset() or timedelta(0)
    now_utc = _require_aware(now, "now").astimezone(UTC).replace(tzinfo=None)
    return now_utc + offset > local


# ---- internals -------------------------------------------------------------------


def _parse(text: str, today: date, order: str | None) -> tuple[date | None, time | None]:
    """Split `text` into an optional date and optional time; at least one is present."""
    s = _norm(text)
    if order is not None and order.upper() not in ("DMY", "MDY", "YMD"):
        raise SalesflowError(
            _('date_order must be DMY, MDY or YMD, not "{order}"').format(order=_show(order))
        )
    if re.fullmatch(_TIME, s):
        return None, _time(s, text)
    if not s.isascii() and (zh := _zh().split_clock(s)):
        day_text, at = zh[0], _zh().clock(zh[1])
        if at is None:
            raise SalesflowError(
                _(
                    '"{text}" has no valid time of day — use 24-hour HH:MM (00:00–23:59), '
                    "15点, 下午3点 or 下午3:30"
                ).format(text=_show(text))
            )
        if not day_text:
            return None, at
    else:
        m = re.fullmatch(_DATE_THEN_TIME, s) or re.fullmatch(_TIME_THEN_DATE, s)
        day_text, at = (m["d"], _time(m["t"], text)) if m else (s, None)
    try:
        day = _day(day_text, today, order and order.upper(), text)
    except (OverflowError, ValueError):
        raise SalesflowError(
            _('"{text}" is outside the years 1–9999').format(text=_show(text))
        ) from None
    return check_horizon(day, text), at


def _day(s: str, today: date, order: str | None, text: str) -> date:
    if not s.isascii():
        if found := _zh().day(s, today):
            return found
        if ymd := _zh().month_day(s, today):
            return _real_date(*ymd, text)
    if s in _WORDS:
        return today + timedelta(days=_WORDS[s])
    if s in ("eow", "eom", "eoy"):
        if s == "eow":  # weeks end on Sunday
            return today + timedelta(days=6 - today.weekday())
        month = today.month if s == "eom" else 12
        return date(today.year, month, _month_end(today.year, month))
    m = re.fullmatch(_OFFSET, s)
    if m and m["unit"] in _UNITS and not (m["ago"] and (m["sign"] or m["in"])):
        n = int(m["n"]) if m["n"] else 1  # "a week ago", "in an hour"
        back = m["sign"] == "-" or m["ago"]
        return _shift(today, -n if back else n, _UNITS[m["unit"]])
    if (m := re.fullmatch(_WEEKDAY, s)) and (wd := _weekday(m["name"])) is not None:
        if m["rel"] == "last":
            return today - timedelta(days=(today.weekday() - wd - 1) % 7 + 1)
        ahead = (wd - today.weekday()) % 7
        return today + timedelta(days=ahead if m["rel"] == "this" else (ahead or 7))
    if m := re.fullmatch(_ISO, s) or re.fullmatch(_COMPACT, s) or re.fullmatch(_CJK, s):
        year = int(m["y"]) if m["y"] else today.year
        return _real_date(year, int(m["m"]), int(m["d"]), text)
    if (m := re.fullmatch(_AMBIGUOUS, s)) and order is None:
        a, b = int(m["a"]), int(m["b"])
        year = int(m["c"]) + (2000 if len(m["c"]) <= 2 else 0) if m["c"] else today.year
        # "31/02" or "32/13" is no date in either order: say so rather than "ambiguous".
        if any(_valid(year, mo, d) for mo, d in ((a, b), (b, a))):
            raise SalesflowError(
                _(
                    '"{text}" is ambiguous — write it as YYYY-MM-DD (e.g. {year}-12-01) or run: '
                    "{command}"
                ).format(text=_show(text), year=today.year, command=_ORDER_HINT)
            )
    elif m:
        a, b, c = m["a"], m["b"], m["c"]
        y, mo, d = {"DMY": (c, b, a), "MDY": (c, a, b)}.get(order, (a, b, c) if c else (None, a, b))
        year = today.year if y is None else int(y) + (2000 if len(y) <= 2 else 0)
        return _real_date(year, int(mo), int(d), text)
    raise SalesflowError(
        _('cannot read date "{text}" — use {forms}').format(text=_show(text), forms=_(_FORMS))
    )


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _shift(start: date, n: int, unit: str) -> date:
    if unit in ("d", "w"):
        return start + timedelta(days=n * (7 if unit == "w" else 1))
    from dateutil.relativedelta import relativedelta  # slow import; only here

    # relativedelta clips to the month end (Jan 31 + 1m = Feb 28), which is what a
    # seller means by "a month later"; a day overflow into March would not be.
    return start + relativedelta(**{"months" if unit == "m" else "years": n})


def _time(s: str, text: str) -> time:
    m = re.fullmatch(_TIME_PARTS, s.replace(".", ""))
    assert m is not None  # callers only pass strings that matched _TIME
    h, mi, sec = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if m[4]:  # 12-hour clock: 12am is midnight, 12pm is noon
        h = -1 if not 1 <= h <= 12 else h % 12 + (12 if m[4] == "p" else 0)
    if not (0 <= h <= 23 and mi <= 59 and sec <= 59):
        raise SalesflowError(
            _(
                '"{text}" has no valid time of day — use 24-hour HH:MM (00:00–23:59), 3pm or 3:30pm'
            ).format(text=_show(text))
        )
    return time(h, mi, sec)


def _real_date(year: int, month: int, day: int, text: str) -> date:
    if not 1 <= year <= 9999 or not 1 <= month <= 12:
        why = _("months run 1–12") if 1 <= year <= 9999 else _("years run 1–9999")
        raise SalesflowError(
            _('"{text}" is not a real date — {why}').format(text=_show(text), why=why)
        )
    last = _month_end(year, month)
    if not 1 <= day <= last:
        raise SalesflowError(
            _('"{text}" is not a real date — {month} has {days} days').format(
                text=_show(text), month=f"{year}-{month:02d}", days=last
            )
        )
    return date(year, month, day)


def _weekday(name: str) -> int | None:
    # Any 3+ letter prefix: the first three letters already tell all seven apart.
    return next((i for i, full in enumerate(_DAYS) if full.startswith(name)), None)


def _month_end(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - timedelta(days=1)).day


def _zh() -> ModuleType:
    # The Chinese grammar is imported only for text that is not ASCII: most input never needs it.
    from salesflow import dates_zh

    return dates_zh


def _norm(text: str) -> str:
    # Full-width digits and colons (明天１５：００) are what a Chinese input method types.
    return " ".join(halfwidth(text).lower().split())


def _show(text: str) -> str:
    # Echo the input on ONE short line whatever was typed (newlines, control bytes).
    flat = "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))
    return flat if len(flat) <= 40 else flat[:39] + "…"


def _require_aware(dt: datetime, name: str) -> datetime:
    # A naive datetime would be read in the machine's zone: a silent, host-dependent bug.
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {dt!r}")
    return dt


def _zone_or_none(name: str) -> tzinfo | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only commands that need a zone

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _system_zone() -> tzinfo | None:
    try:
        # Prefer the IANA key from the symlink target: it prints as "Europe/Paris".
        key = os.path.realpath("/etc/localtime").partition("/zoneinfo/")[2]
        if key and (zone := _zone_or_none(key)):
            return zone
        with open("/etc/localtime", "rb") as f:
            from zoneinfo import ZoneInfo

            return ZoneInfo.from_file(f, key="localtime")
    except (OSError, ValueError):
        return None
