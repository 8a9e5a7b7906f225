"""Time as integers: local days and UTC epoch seconds, from lookup tables."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from salesflow import dates

HISTORY_DAYS = 365
DAYS_AHEAD = 120


class Clock:
    """Local days as integers (0 = today, negative = past) and instants as UTC epoch seconds,
    with lookup tables so a million timestamps cost no datetime work."""

    def __init__(self, now: datetime, tz: tzinfo) -> None:
        self.now = int(now.timestamp())
        today = dates.local_today(now, tz)
        self.first = -HISTORY_DAYS - 31
        self._noon: list[int] = []  # UTC seconds of local noon, per day
        self._date: list[str] = []  # local YYYY-MM-DD, per day
        self._weekday: list[int] = []
        for k in range(self.first, DAYS_AHEAD + 1):
            day = today + timedelta(days=k)
            # Noon, not midnight: a DST switch happens at night, so business hours measured
            # from local noon land on the right UTC instant on switch days too.
            self._noon.append(int(datetime.combine(day, time(12), tzinfo=tz).timestamp()))
            self._date.append(day.isoformat())
            self._weekday.append(day.weekday())
        self._utc_days: dict[int, str] = {}
        self._hms: dict[int, str] = {}

    def at(self, day: int, minute: int) -> int:
        """UTC seconds of local `minute` (0..1439) on local `day`."""
        return self._noon[day - self.first] + (minute - 720) * 60

    def workday(self, day: int) -> int:
        """Saturday -> Friday, Sunday -> Monday (unless that is in the future)."""
        wd = self._weekday[day - self.first]
        if wd == 5:
            return day - 1
        if wd == 6:
            return day + 1 if day < 0 else day - 2
        return day

    def local_date(self, day: int) -> str:
        return self._date[day - self.first]

    def day_of(self, ts: int) -> int:
        """The local day of an instant, exact for daytime instants (noon ± 11 h, which every
        generated time is); within an hour of midnight on a DST-switch day it may be off by
        one."""
        day = (ts - self._noon[-self.first] + 43200) // 86400
        i = day - self.first
        if 0 <= i < len(self._noon):  # correct the estimate by that day's own noon
            if ts - self._noon[i] >= 43200:
                day += 1
            elif ts - self._noon[i] < -43200:
                day -= 1
        return day

    def iso(self, ts: int) -> str:
        """`dates.to_utc_iso` for epoch seconds, from two small caches."""
        day, sec = divmod(ts, 86400)
        d = self._utc_days.get(day)
        if d is None:
            d = self._utc_days[day] = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
        hms = self._hms.get(sec)
        if hms is None:
            hms = self._hms[sec] = f"T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}Z"
        return d + hms
