"""A small hand-built pipeline for the report tests, written through the real write paths
(leads.add, moves.advance) at chosen instants, plus direct inserts into the activity,
follow-up and customer tables (their commands are built elsewhere).

The book (all times 09:00 UTC in November 2026 unless said; NOW is Mon 2026-11-23 09:00Z):

  #1 A  created 11-02  10,000 USD  website  grade A  contacted 11-03, qualified 11-05,
        proposal 11-09, won 11-12 (customer 1)
  #2 B  created 11-02   5,000 USD  "Website " grade B  contacted 11-04, lost 11-06 "Price"
        (customer 2)
  #3 C  created 11-03  20,000 USD  referral grade A  qualified 11-03 (skips contacted),
        lost 11-10 "price "
  #4 D  created 11-05   8,000 USD  referral grade C  won 11-05 (same day; customer 1)
  #5 E  created 11-10  40,000 USD  trade show, no grade  contacted 11-11, proposal 11-16
        (skips qualified); open; expected close 2026-12-15
  #6 F  created 11-16  no value, no source  open in lead; expected close 2026-10-31
  #7 G  created 11-18   3,000 USD  website  grade B  lost 11-19 "timing" (from lead)

  Touches: A call 11-02 15:00, A email 11-03, B email 11-03, C visit 11-03 21:00,
           E meeting 11-12, E note 11-17 10:00.
  Follow-ups: A due 11-05 done 11-05 10:00Z; B due 11-06 done 11-06 20:00Z (11-07 04:00
              in Shanghai); E due 11-20 open; F due 11-23 open; E due 11-25 open.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from salesflow import fx, leads, metrics, money, moves, store

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def at(day: str, hour: int = 9, minute: int = 0) -> str:
    return f"{day}T{hour:02d}:{minute:02d}:00Z"


class Book:
    def __init__(self, path: Path) -> None:
        self.conn = store.connect(path)

    def add(
        self,
        name: str,
        created: str,
        value: str | None = None,
        currency: str = "USD",
        source: str | None = None,
        grade: str | None = None,
        close: str | None = None,
        stage: str = "lead",
    ) -> int:
        fields = leads.LeadFields(
            name=name,
            source=source,
            grade=grade,
            value=money.parse_money(value, currency) if value else None,
            currency=currency,
            expected_close=close,
        )
        lead = leads.add(self.conn, fields, stage=stage, currency=currency, now_iso=created)
        return lead.id

    def move(self, lead_id: int, stage: str | None, when: str, **kw: object) -> None:
        lead = leads.get(self.conn, lead_id)
        moves.advance(self.conn, lead, stage, now_iso=when, **kw)  # type: ignore[arg-type]

    def touch(self, lead_id: int, when: str, kind: str = "call") -> None:
        self.conn.execute(
            "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) "
            "VALUES (?, ?, 'x', ?, ?)",
            (lead_id, kind, when, when),
        )

    def followup(self, lead_id: int, due: str, done: str | None, created: str) -> None:
        self.conn.execute(
            "INSERT INTO followups (lead_id, action, due_date, created_at, done_at) "
            "VALUES (?, 'call back', ?, ?, ?)",
            (lead_id, due, created, done),
        )

    def customer(self, customer_id: int, *lead_ids: int) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO customers (id, name, created_at) VALUES (?, ?, ?)",
            (customer_id, f"Customer {customer_id}", at("2026-11-01")),
        )
        for lead_id in lead_ids:
            self.conn.execute(
                "UPDATE leads SET customer_id = ? WHERE id = ?", (customer_id, lead_id)
            )

    def scope(
        self,
        since: date | None = None,
        until: date | None = None,
        as_of: date | None = None,
        tz: str = "UTC",
        base: str = "USD",
        weeks: int | None = None,
    ) -> metrics.Scope:
        w = metrics.window(NOW, ZoneInfo(tz), since, until, as_of)
        if weeks is not None:
            w = metrics.activity_window(w, weeks)
        return metrics.scope(self.conn, w, fx.converter(self.conn, base))


def build(path: Path) -> Book:
    b = Book(path)
    a = b.add("A", at("2026-11-02"), "10000", source="website", grade="A")
    b.move(a, "contacted", at("2026-11-03"))
    b.move(a, "qualified", at("2026-11-05"))
    b.move(a, "proposal", at("2026-11-09"))
    b.move(a, "won", at("2026-11-12"))
    bb = b.add("B", at("2026-11-02"), "5000", source="Website ", grade="B")
    b.move(bb, "contacted", at("2026-11-04"))
    b.move(bb, "lost", at("2026-11-06"), reason="Price")
    c = b.add("C", at("2026-11-03"), "20000", source="referral", grade="A")
    b.move(c, "qualified", at("2026-11-03"))
    b.move(c, "lost", at("2026-11-10"), reason="price ")
    d = b.add("D", at("2026-11-05"), "8000", source="referral", grade="C")
    b.move(d, "won", at("2026-11-05"))
    e = b.add("E", at("2026-11-10"), "40000", source="trade show", close="2026-12-15")
    b.move(e, "contacted", at("2026-11-11"))
    b.move(e, "proposal", at("2026-11-16"))
    f = b.add("F", at("2026-11-16"), close="2026-10-31")
    g = b.add("G", at("2026-11-18"), "3000", source="website", grade="B")
    b.move(g, "lost", at("2026-11-19"), reason="timing")
    b.touch(a, at("2026-11-02", 15), "call")
    b.touch(a, at("2026-11-03"), "email")
    b.touch(bb, at("2026-11-03"), "email")
    b.touch(c, at("2026-11-03", 21), "visit")
    b.touch(e, at("2026-11-12"), "meeting")
    b.touch(e, at("2026-11-17", 10), "note")
    b.followup(a, "2026-11-05", at("2026-11-05", 10), at("2026-11-02"))
    b.followup(bb, "2026-11-06", at("2026-11-06", 20), at("2026-11-02"))
    b.followup(e, "2026-11-20", None, at("2026-11-10"))
    b.followup(f, "2026-11-23", None, at("2026-11-16"))
    b.followup(e, "2026-11-25", None, at("2026-11-16"))
    b.customer(1, a, d)
    b.customer(2, bb)
    return b


def empty(path: Path) -> sqlite3.Connection:
    return store.connect(path)
