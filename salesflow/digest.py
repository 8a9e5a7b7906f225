"""The morning digest: everything that needs the seller today, in one document.

Sections appear in a fixed order and only when they have something in them. The follow-up and
deal sections are the agenda's own queries (agenda.py), so `today` and the digest never
disagree.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from salesflow import agenda, config, dates, money
from salesflow.pipeline import REMAP_NOTE

EXPIRING_DAYS = 7
TITLES = {
    "overdue": "Overdue follow-ups",
    "today": "Due today",
    "unplanned": "Leads with no next step",
    "stale": "Stale deals",
    "first_touch": "Missed first-touch deadlines",
    "quotes_expiring": f"Quotes expiring in the next {EXPIRING_DAYS} days",
    "quotes_unanswered": "Quotes sent with no answer",
    "yesterday": "Yesterday's changes",
    "targets": "Target pace",
}


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: str
    rows: list[dict[str, Any]]
    total: int  # all matching rows, also those beyond the limit


@dataclass(frozen=True)
class Digest:
    day: date
    zone: str
    leads: int  # all leads ever: 0 means an empty pipeline
    open_deals: int
    sections: list[DigestSection] = field(default_factory=list)

    def total(self, key: str) -> int:
        return next((s.total for s in self.sections if s.key == key), 0)

    def record(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "zone": self.zone,
            "leads": self.leads,
            "open_deals": self.open_deals,
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
) -> Digest:
    """The digest as of `now`; money figures of the target pace in `currency` (the base)."""
    today = dates.local_today(now, tz)
    # Two index counts: open deals from leads_stage, one range per open stage.
    leads = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    open_deals = conn.execute(
        "SELECT count(*) FROM leads WHERE stage IN (SELECT name FROM stages WHERE kind = 'open')"
    ).fetchone()[0]
    sections = [
        DigestSection(s.name, TITLES[s.name], [i.record() for i in s.items], s.total)
        for s in agenda.agenda(conn, now, tz, limit=limit)
    ]
    sections += [
        quotes_expiring(conn, today, limit=limit),
        quotes_unanswered(conn, now, today, _unanswered_days(conn), limit=limit),
        yesterday(conn, today, tz),
        target_pace(conn, now, tz, currency),
    ]
    zone = getattr(tz, "key", None) or str(tz)
    return Digest(today, zone, leads, open_deals, [s for s in sections if s.total])


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


def quotes_expiring(conn: sqlite3.Connection, today: date, *, limit: int | None) -> DigestSection:
    """Sent quotes whose validity ends within the next EXPIRING_DAYS days (today included)."""
    last = today + timedelta(days=EXPIRING_DAYS)
    where = "AND q.valid_until BETWEEN ? AND ?"
    params = (today.isoformat(), last.isoformat())
    total = conn.execute(f"SELECT count(*) FROM quotes q WHERE q.status = 'sent' {where}", params)
    rows = conn.execute(
        _QUOTE_ROW + where + " ORDER BY q.valid_until, q.id" + _limit(limit), params
    ).fetchall()
    key = "quotes_expiring"
    return DigestSection(key, TITLES[key], _quote_rows(rows, today), total.fetchone()[0])


def quotes_unanswered(
    conn: sqlite3.Connection, now: datetime, today: date, days: int, *, limit: int | None
) -> DigestSection:
    """Sent, still valid quotes the client has not answered for `days` days or more."""
    cutoff = dates.to_utc_iso(now - timedelta(days=days))
    where = "AND q.valid_until >= ? AND q.sent_at <= ?"
    params = (today.isoformat(), cutoff)
    total = conn.execute(f"SELECT count(*) FROM quotes q WHERE q.status = 'sent' {where}", params)
    rows = conn.execute(
        _QUOTE_ROW + where + " ORDER BY q.sent_at, q.id" + _limit(limit), params
    ).fetchall()
    key = "quotes_unanswered"
    title = f"Quotes sent with no answer for {days}+ days"
    return DigestSection(key, title, _quote_rows(rows, today), total.fetchone()[0])


def yesterday(conn: sqlite3.Connection, today: date, tz: tzinfo) -> DigestSection:
    """New leads, moves, wins and losses during yesterday (local day)."""
    start = datetime.combine(today - timedelta(days=1), time(), tz)
    end = datetime.combine(today, time(), tz)
    rows = conn.execute(
        "SELECT c.lead_id, l.name, l.company, c.from_stage, c.to_stage, s.kind, c.changed_at, "
        "c.reason FROM stage_changes c JOIN leads l ON l.id = c.lead_id "
        "LEFT JOIN stages s ON s.name = c.to_stage "
        "WHERE c.changed_at >= ? AND c.changed_at < ? AND coalesce(c.note, '') != ? "
        "ORDER BY c.changed_at, c.id",
        (dates.to_utc_iso(start), dates.to_utc_iso(end), REMAP_NOTE),
    ).fetchall()
    records = [
        {
            "change": "new" if src is None else (kind if kind in ("won", "lost") else "moved"),
            "lead_id": lead_id,
            "lead": name,
            "company": company,
            "from": src,
            "to": dst,
            "at": at,
            "reason": reason,
        }
        for lead_id, name, company, src, dst, kind, at, reason in rows
    ]
    return DigestSection("yesterday", TITLES["yesterday"], records, len(records))


def _limit(limit: int | None) -> str:
    return "" if limit is None else f" LIMIT {int(limit)}"


def target_pace(
    conn: sqlite3.Connection, now: datetime, tz: tzinfo, currency: str
) -> DigestSection:
    """Progress on the targets whose period (month, quarter, year) contains today."""
    if conn.execute("SELECT 1 FROM targets LIMIT 1").fetchone() is None:
        # No target set: nothing to measure, and no need to load the metrics.
        return DigestSection("targets", TITLES["targets"], [], 0)
    from salesflow import fx, metrics, targets

    today = dates.local_today(now, tz)
    current = {
        t.period.text for t in targets.all_targets(conn) if t.period.start <= today < t.period.end
    }
    if not current:
        return DigestSection("targets", TITLES["targets"], [], 0)
    scope = metrics.scope(conn, metrics.window(now, tz), fx.converter(conn, currency))
    progress = targets.progress(scope)
    rows = [p.record(scope.converter) for p in progress if p.target.period.text in current]
    return DigestSection("targets", TITLES["targets"], rows, len(rows))
