"""The morning digest: everything that needs the seller today, in one document.

Sections appear in a fixed order and only when they have something in them. The follow-up and
deal sections are the agenda's own queries (agenda.py), so `today` and the digest never
disagree.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from salesflow import agenda, config, dates, money, pipeline, store
from salesflow.i18n import N_, _
from salesflow.pipeline import REMAP_NOTE

EXPIRING_DAYS = 7
# Section titles are part of the digest's text (also its JSON `title`, a value): written in
# the language of the run, like the rest of the digest.
TITLES = {
    "overdue": N_("Overdue follow-ups"),
    "today": N_("Due today"),
    "unplanned": N_("Leads with no next step"),
    "stale": N_("Stale deals"),
    "first_touch": N_("Missed first-touch deadlines"),
    "quotes_expiring": N_("Quotes expiring in the next {days} days"),
    "quotes_unanswered": N_("Quotes sent with no answer"),
    "changes": N_("Changes since the last working day"),
    "targets": N_("Target pace"),
}


def title(key: str) -> str:
    """A section's title in the active language."""
    return _(TITLES[key]).format(days=EXPIRING_DAYS)


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: str
    rows: list[dict[str, Any]]
    total: int  # all matching rows, also those beyond the limit
    since: date | None = None  # where the changes begin (the changes section only)


@dataclass(frozen=True)
class Headline:
    """The figures a seller checks every morning, as `report summary --since <first of the
    month>` and `report targets` give them for the same moment (base currency)."""

    month: str  # 2026-12
    currency: str
    open_deals: int
    pipeline: Decimal
    weighted: Decimal
    won: Decimal  # deals won this month, so far
    won_deals: int
    target: Decimal | None  # this month's target (None: none set, or no fx rate for it)
    done: float | None  # won / target
    elapsed: float  # share of the month gone by
    projected: Decimal | None  # won at this pace over the whole month (with a target)
    followups_due: int  # this month so far
    followups_on_time: int
    timeliness: float | None
    # Currencies with no exchange rate: their amounts are left out of the money figures.
    unconverted: tuple[str, ...] = ()

    def record(self) -> dict[str, Any]:
        from salesflow import money

        def text(amount: Decimal | None) -> str | None:
            if amount is None:
                return None
            return money.to_decimal_string(money.to_minor(amount, self.currency), self.currency)

        out = asdict(self)
        for key in ("pipeline", "weighted", "won", "target", "projected"):
            out[key] = text(out[key])
        return out


@dataclass(frozen=True)
class Digest:
    day: date
    zone: str
    leads: int  # all leads ever: 0 means an empty pipeline
    open_deals: int
    sections: list[DigestSection] = field(default_factory=list)
    headline: Headline | None = None  # None on an empty pipeline
    # Won value per month, this one last (report trend's records): the HTML digest's chart;
    # filled only for it (won_trend), no other format shows it.
    won_trend: list[dict[str, Any]] = field(default_factory=list)

    def total(self, key: str) -> int:
        return next((s.total for s in self.sections if s.key == key), 0)

    def record(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "zone": self.zone,
            "leads": self.leads,
            "open_deals": self.open_deals,
            "headline": self.headline.record() if self.headline else None,
            "counts": {s.key: s.total for s in self.sections},
            "sections": [
                {"key": s.key, "title": s.title, "total": s.total, "rows": s.rows}
                for s in self.sections
            ],
        }


def build(
    conn: sqlite3.Connection,
    now: datetime,
    tz: tzinfo,
    *,
    currency: str,
    limit: int | None = 20,
    since: date | None = None,
) -> Digest:
    """The digest as of `now`; money figures of the target pace in `currency` (the base).
    Its changes run from the start of `since` (default: the last working day before today)
    to the start of today."""
    today = dates.local_today(now, tz)
    if since is None:
        since = default_since(conn, today)
    # Two index counts: open deals from leads_stage, one range per open stage.
    leads = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    open_deals = conn.execute(
        "SELECT count(*) FROM leads WHERE stage IN (SELECT name FROM stages WHERE kind = 'open')"
    ).fetchone()[0]
    from salesflow import fx

    conv = fx.converter(conn, currency)
    # The most valuable work first in every section: grade A before B before C (ungraded
    # last), then the deal's value in the base currency; the agenda's own order (oldest
    # first) among equals. Ranked in SQL, so only the rows shown are read.
    sections = []
    rank = rank_sql(conv)
    for s in agenda.agenda(conn, now, tz, limit=limit, rank=rank):
        rows = [i.record() for i in s.items]
        _add_worth(conn, rows)
        sections.append(DigestSection(s.name, title(s.name), rows, s.total))
    sections += [
        quotes_expiring(conn, today, conv, limit=limit),
        quotes_unanswered(conn, now, today, _unanswered_days(conn), conv, limit=limit),
        changes(conn, since, today, tz, limit=limit, rank=rank),
        target_pace(conn, now, tz, currency),
    ]
    zone = getattr(tz, "key", None) or str(tz)
    headline = headline_figures(conn, now, tz, conv) if leads else None
    return Digest(today, zone, leads, open_deals, [s for s in sections if s.total], headline)


def headline_figures(conn: sqlite3.Connection, now: datetime, tz: tzinfo, conv: Any) -> Headline:
    """Open pipeline, weighted, won this month against its target, follow-up timeliness this
    month: the same functions as `report summary` and `report targets`, only the ones the
    header needs."""
    from salesflow import metrics, targets
    from salesflow.metrics.habits import followup_counts
    from salesflow.metrics.kpis import open_pipeline

    today = dates.local_today(now, tz)
    month = targets.parse_period(f"{today:%Y-%m}")
    scope = metrics.scope(conn, metrics.window(now, tz, since=month.start), conv)
    open_deals, pipeline, weighted = open_pipeline(scope)
    due, on_time = followup_counts(scope)
    progress = next((p for p in targets.progress(scope) if p.target.period == month), None)
    if progress is None:
        won, won_deals = targets.won_in(scope, month)
        target = done = projected = None
        begin, end = (metrics.day_start(d, tz) for d in (month.start, month.end))
        elapsed = (scope.window.at - begin).total_seconds() / (end - begin).total_seconds()
    else:
        won, won_deals, target = progress.won, progress.won_deals, progress.amount
        done, elapsed, projected = progress.done, progress.elapsed, progress.projected
    return Headline(
        month=month.text, currency=conv.base, open_deals=open_deals,
        pipeline=pipeline, weighted=weighted, won=won,
        won_deals=won_deals, target=target, done=done, elapsed=round(min(elapsed, 1.0), 6),
        projected=projected if target is not None else None,
        followups_due=due, followups_on_time=on_time, timeliness=metrics.ratio(on_time, due),
        unconverted=tuple(sorted(conv.missing)),
    )  # fmt: skip


def rank_sql(conv: Any) -> str:
    """An SQL ORDER BY over a lead `l`: grade, then its value in the base currency, largest
    first (values in a currency without a rate count as none). The value is REAL here: it only
    orders rows, no figure is computed from it. Rates and codes come from validated settings
    and are written into the SQL as numbers and [A-Z]{3} literals."""
    grade = "CASE l.grade WHEN 'A' THEN 0 WHEN 'B' THEN 1 WHEN 'C' THEN 2 ELSE 3 END"
    return f"{grade}, {_value_sql(conv, 'l.value_minor', 'l.currency')}"


def _value_sql(conv: Any, minor: str, currency: str) -> str:
    """ORDER BY the amount `minor` in `currency` (columns) in the base currency, largest first."""
    import re

    rates = {conv.base: Decimal(1), **conv.rates}
    cases = " ".join(
        f"WHEN '{code}' THEN {rate / Decimal(10) ** money.exponent(code)}"
        for code, rate in sorted(rates.items())
        if re.fullmatch("[A-Z]{3}", code)
    )
    return f"coalesce({minor}, 0) * (CASE {currency} {cases} ELSE 0 END) DESC"


def _add_worth(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """Each row gets its deal's grade and value (machine form) beside the currency."""
    ids = sorted({r["lead_id"] for r in rows})
    if not ids:
        return
    found = {
        lead_id: (grade, None if value is None else money.to_decimal_string(value, cur), cur)
        for lead_id, grade, value, cur in conn.execute(
            "SELECT id, grade, value_minor, currency FROM leads "
            f"WHERE id IN ({', '.join('?' * len(ids))})",
            ids,
        )
    }
    for r in rows:
        r["grade"], r["value"], r["currency"] = found[r["lead_id"]]


def _unanswered_days(conn: sqlite3.Connection) -> int:
    return config.unanswered_days(conn)


_QUOTE_ROW = (
    "SELECT q.number, q.lead_id, l.name, l.company, q.currency, q.total_minor, q.valid_until, "
    "q.sent_at FROM quotes q JOIN leads l ON l.id = q.lead_id WHERE q.status = 'sent' "
)


def _quote_rows(rows: list[tuple], today: date) -> list[dict[str, Any]]:
    return [
        {
            "number": number,
            "lead_id": lead_id,
            "lead": name,
            "company": company,
            "total": money.to_decimal_string(total, currency),
            "currency": currency,
            "valid_until": valid_until,
            "days_left": (date.fromisoformat(valid_until) - today).days,
            "sent_at": sent_at,
        }
        for number, lead_id, name, company, currency, total, valid_until, sent_at in rows
    ]


def quotes_expiring(
    conn: sqlite3.Connection, today: date, conv: Any, *, limit: int | None
) -> DigestSection:
    """Sent quotes whose validity ends within the next EXPIRING_DAYS days (today included),
    the largest first (base currency), then the soonest to expire."""
    last = today + timedelta(days=EXPIRING_DAYS)
    where = "AND q.valid_until BETWEEN ? AND ?"
    params = (today.isoformat(), last.isoformat())
    total = conn.execute(f"SELECT count(*) FROM quotes q WHERE q.status = 'sent' {where}", params)
    rows = conn.execute(
        f"{_QUOTE_ROW}{where} ORDER BY {_value_sql(conv, 'q.total_minor', 'q.currency')}, "
        f"q.valid_until, q.id{_limit(limit)}",
        params,
    ).fetchall()
    key = "quotes_expiring"
    return DigestSection(key, title(key), _quote_rows(rows, today), total.fetchone()[0])


def quotes_unanswered(
    conn: sqlite3.Connection, now: datetime, today: date, days: int, conv: Any, *,
    limit: int | None,
) -> DigestSection:  # fmt: skip
    """Sent, still valid quotes the client has not answered for `days` days or more, the
    largest first (base currency), then the longest waiting."""
    cutoff = dates.to_utc_iso(now - timedelta(days=days))
    where = "AND q.valid_until >= ? AND q.sent_at <= ?"
    params = (today.isoformat(), cutoff)
    total = conn.execute(f"SELECT count(*) FROM quotes q WHERE q.status = 'sent' {where}", params)
    rows = conn.execute(
        f"{_QUOTE_ROW}{where} ORDER BY {_value_sql(conv, 'q.total_minor', 'q.currency')}, "
        f"q.sent_at, q.id{_limit(limit)}",
        params,
    ).fetchall()
    key = "quotes_unanswered"
    heading = _("Quotes sent with no answer for {days}+ days").format(days=days)
    return DigestSection(key, heading, _quote_rows(rows, today), total.fetchone()[0])


def default_since(
    conn: sqlite3.Connection, today: date, last: tuple[date, date | None] | None = None
) -> date:
    """The first day of a digest's changes when the user names none: the last working day
    before today — or, when digests were missed (a day off, a machine that was off), the day
    of the last digest, which covered up to that day's start. `last` is the day the last
    digest ran and the day of the one before it: run again the same day, a digest covers
    what that day's first one did."""
    days = store.get_setting(conn, "workdays") or config.DEFAULT_WORKDAYS
    since = last_workday(today, config.workdays(days))
    if last is not None:
        ran, before = last
        missed_from = ran if ran < today else before if ran == today else None
        if missed_from is not None:
            since = min(since, missed_from)
    return since


def last_workday(today: date, workdays: frozenset[int]) -> date:
    """The latest working day before `today` (a week back when none is set)."""
    for back in range(1, 8):
        day = today - timedelta(days=back)
        if day.weekday() in workdays:
            return day
    return today - timedelta(days=7)


def changes(
    conn: sqlite3.Connection, since: date, today: date, tz: tzinfo, *,
    limit: int | None = None, rank: str | None = None,
) -> DigestSection:  # fmt: skip
    """New leads, moves, wins and losses from the start of `since` to the start of `today`
    (local days): on a Monday, Friday's and the weekend's. Shown in the order they happened;
    when there are more than `limit`, the ones shown are chosen as every section chooses: wins
    and losses first, then moves, then new leads, each by `rank` (most valuable first)."""
    start = datetime.combine(since, time(), tz)
    end = datetime.combine(today, time(), tz)
    where = "WHERE c.changed_at >= ? AND c.changed_at < ? AND coalesce(c.note, '') != ?"
    params = (dates.to_utc_iso(start), dates.to_utc_iso(end), REMAP_NOTE)
    total = conn.execute(f"SELECT count(*) FROM stage_changes c {where}", params).fetchone()[0]
    outcome = (
        "CASE WHEN s.kind IN ('won', 'lost') THEN 0 WHEN c.from_stage IS NULL THEN 2 ELSE 1 END"
    )
    order = "" if limit is None or total <= limit else f"{outcome}, {rank or 'l.id'}, "
    rows = conn.execute(
        "SELECT c.lead_id, l.name, l.company, c.from_stage, c.to_stage, s.kind, c.changed_at, "
        "c.reason, c.id FROM stage_changes c JOIN leads l ON l.id = c.lead_id "
        f"LEFT JOIN stages s ON s.name = c.to_stage {where} "
        f"ORDER BY {order}c.changed_at, c.id{_limit(limit)}",
        params,
    ).fetchall()
    rows.sort(key=lambda r: (r[6], r[8]))
    shown = pipeline.shown_names(conn)  # won and lost by what the seller calls them
    records = [
        {
            "change": "new" if src is None else (kind if kind in ("won", "lost") else "moved"),
            "lead_id": lead_id,
            "lead": name,
            "company": company,
            "from": shown.get(src, src),
            "to": shown.get(dst, dst),
            "at": at,
            "reason": reason,
        }
        for lead_id, name, company, src, dst, kind, at, reason, _id in rows
    ]
    from salesflow.daynames import weekday

    heading = _("Changes since {weekday} {day}").format(weekday=weekday(since), day=since)
    return DigestSection("changes", heading, records, total, since)


def _limit(limit: int | None) -> str:
    return "" if limit is None else f" LIMIT {int(limit)}"


def target_pace(
    conn: sqlite3.Connection, now: datetime, tz: tzinfo, currency: str
) -> DigestSection:
    """Progress on the targets whose period (month, quarter, year) contains today."""
    if conn.execute("SELECT 1 FROM targets LIMIT 1").fetchone() is None:
        # No target set: nothing to measure, and no need to load the metrics.
        return DigestSection("targets", title("targets"), [], 0)
    from salesflow import fx, metrics, targets

    today = dates.local_today(now, tz)
    current = {
        t.period.text for t in targets.all_targets(conn) if t.period.start <= today < t.period.end
    }
    if not current:
        return DigestSection("targets", title("targets"), [], 0)
    scope = metrics.scope(conn, metrics.window(now, tz), fx.converter(conn, currency))
    progress = targets.progress(scope)
    rows = [p.record(scope.converter) for p in progress if p.target.period.text in current]
    return DigestSection("targets", title("targets"), rows, len(rows))


TREND_MONTHS = 6


def won_trend(
    conn: sqlite3.Connection, now: datetime, tz: tzinfo, currency: str
) -> list[dict[str, Any]]:
    """Won value and deals won in each of the last TREND_MONTHS months (this one so far),
    with the month's target: `report trend --periods 6 --metric won_value,won`."""
    from salesflow import fx, metrics
    from salesflow.metrics import trend

    scope = metrics.scope(conn, metrics.window(now, tz), fx.converter(conn, currency))
    shown = ["won_value", "won"]
    result = trend.trend(scope, "month", TREND_MONTHS, shown)
    return [row.record(shown, None, scope.converter) for row in result.rows]
