"""Writing the demo's offers: numbers, quote rows, their lines and the chase follow-ups."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from salesflow import quotes
from salesflow.demo.clock import Clock
from salesflow.demo.dice import Rng
from salesflow.demo.offers import Version
from salesflow.demo.terms import Terms
from salesflow.demo.words import in_lang
from salesflow.i18n import N_
from salesflow.quotes.math import number_text


@dataclass(frozen=True)
class Written:
    quotes: int
    items: int
    by_status: dict[str, int]  # as stored: draft, sent, accepted, rejected
    followups: int  # chase follow-ups, as `quote send` plans them
    open_followups: int
    overdue_followups: int


def write_quotes(
    conn: sqlite3.Connection,
    rng: Rng,
    clock: Clock,
    offers: list[list[Version]],
    t: Terms,
    langs: dict[int, str],
) -> Written:
    """Number the offers (per local year of their first draft, in the order they were
    written, after the numbers already used), then append quotes, their lines and the chase
    follow-ups `quote send` would have planned (in each lead's language, `langs` by lead id),
    inside the caller's transaction."""
    used = dict(conn.execute("SELECT year, max(seq) FROM quotes GROUP BY year").fetchall())
    for offer in sorted(offers, key=lambda o: (o[0].created, o[0].lead_id)):
        year = int(_local(clock, offer[0].created)[:4])
        used[year] = used.get(year, 0) + 1
        for v in offer:
            v.year, v.seq = year, used[year]
    # Row ids in the order the quotes were written, as the command would have made them.
    ordered = sorted(
        (v for offer in offers for v in offer), key=lambda v: (v.created, v.lead_id, v.version)
    )
    first_id = conn.execute("SELECT coalesce(max(id), 0) FROM quotes").fetchone()[0] + 1
    by_status: dict[str, int] = {}
    for v in ordered:
        by_status[v.status] = by_status.get(v.status, 0) + 1
    conn.executemany(
        "INSERT INTO quotes (id, number, year, seq, version, lead_id, status, currency, "
        "rounding, discount_rate, discount_fixed_minor, tax_rate, subtotal_minor, "
        "discount_minor, tax_minor, total_minor, issued_on, valid_until, note, reason, "
        "created_at, updated_at, sent_at, decided_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (_quote_row(clock, t, qid, v) for qid, v in enumerate(ordered, first_id)),
    )
    items = [
        quotes.item_row(qid, li) for qid, v in enumerate(ordered, first_id) for li in v.totals.lines
    ]
    conn.executemany(quotes.ITEM_INSERT, items)
    counts = [0, 0, 0]
    conn.executemany(
        "INSERT INTO followups (lead_id, customer_id, action, due_date, due_time, created_at, "
        "done_at, recur) VALUES (?, NULL, ?, ?, NULL, ?, ?, NULL)",
        _chases(rng, clock, ordered, t, counts, langs),
    )
    return Written(len(ordered), len(items), by_status, *counts)


def _quote_row(clock: Clock, t: Terms, qid: int, v: Version) -> tuple:
    disc = v.discount
    reason = v.reason
    if v.superseded:
        reason = f"superseded by {quotes.format_number(v.year, v.seq, v.version + 1)}"
    totals = v.totals
    touched = v.decided or v.sent or v.created
    return (
        qid, quotes.format_number(v.year, v.seq, v.version), v.year, v.seq, v.version,
        v.lead_id, v.status, t.currency, t.rounding,
        None if disc is None or disc.percent is None else number_text(disc.percent),
        None if disc is None else disc.fixed_minor,
        number_text(v.tax), totals.subtotal_minor, totals.discount_minor, totals.tax_minor,
        totals.total_minor, _local(clock, v.sent if v.sent is not None else v.created),
        _valid_until(clock, v, t), v.note, reason, clock.iso(v.created), clock.iso(touched),
        None if v.sent is None else clock.iso(v.sent),
        None if v.decided is None else clock.iso(v.decided),
    )  # fmt: skip


def _chases(
    rng: Rng, clock: Clock, ordered: list[Version], t: Terms, counts: list[int],
    langs: dict[int, str],
) -> Iterator[tuple]:  # fmt: skip
    """`Chase quote …` follow-ups, due `quote.chase_days` after sending: done when chased
    (or when the answer came first), still open when not yet due or forgotten."""
    if t.chase_days <= 0:
        return
    today = date.fromisoformat(clock.local_date(0))
    # As `quote send` writes it, in the lead's language.
    chase = {lang: in_lang(N_("Chase quote {number}"), lang) for lang in ("en", "zh")}
    for v in ordered:
        if v.sent is None:
            continue
        due = clock.day_of(v.sent) + t.chase_days
        late = 0 if rng.random() < 0.7 else rng.randrange(1, 4)
        chased = max(v.sent, clock.at(clock.workday(min(0, due + late)), rng.randrange(540, 1080)))
        if due + late > 0:
            chased = clock.now + 1  # not yet
        done: int | None = chased if v.decided is None else min(v.decided, chased)
        if done is not None and done > clock.now:
            done = None
        counts[0] += 1
        if done is None:
            counts[1] += 1
            counts[2] += due < 0
        number = quotes.format_number(v.year, v.seq, v.version)
        yield (
            v.lead_id, chase[langs[v.lead_id]].format(number=number),
            (today + timedelta(days=due)).isoformat(),
            clock.iso(v.sent),
            None if done is None else clock.iso(done),
        )  # fmt: skip


def _local(clock: Clock, ts: int) -> str:
    return clock.local_date(clock.day_of(ts))


def _valid_until(clock: Clock, v: Version, t: Terms) -> str:
    made = date.fromisoformat(_local(clock, v.created))
    return (made + timedelta(days=t.valid_days)).isoformat()
