"""After the sale: won deals' companies become customers, some on recurring check-ins."""

from __future__ import annotations

import sqlite3
from bisect import bisect
from collections.abc import Iterator
from datetime import date, timedelta

from salesflow import customers as customer_rules
from salesflow import dates, money
from salesflow.demo.clock import Clock
from salesflow.demo.deals import Deal, World
from salesflow.demo.dice import Rng, weighted
from salesflow.demo.words import in_lang

_KEY_ACCOUNT = 150_000  # won value (same units) that makes a company a key account
_CHECKINS = 0.3  # new customers on a recurring after-sales check-in
_RHYTHMS = (("every-3m", 50), ("every-6m", 30), ("every-1m", 20))


def write_customers(
    conn: sqlite3.Connection, world: World, clock: Clock, deals: list[Deal], rng: Rng
) -> tuple[int, int, list[tuple[int, Deal, str]]]:
    """Won deals' companies (or people) become customers, created at their first win; sets
    each won deal's `customer_id`. Some new customers get a check-in rhythm. Returns
    (customers with a demo win, repeat customers, (customer id, latest win, rhythm) of those
    on check-ins)."""
    existing = {
        name.casefold(): cid for cid, name in conn.execute("SELECT id, name FROM customers")
    }
    next_id = conn.execute("SELECT coalesce(max(id), 0) FROM customers").fetchone()[0] + 1
    wins: dict[str, list[Deal]] = {}
    for d in sorted((d for d in deals if d.outcome == "won"), key=lambda d: (d.end, d.id)):
        wins.setdefault(d.customer_name().casefold(), []).append(d)
    unit = 10 ** money.exponent(world.currency)
    rows = []
    checkins = []
    for key, won in wins.items():
        cid = existing.get(key)
        if cid is None:
            total = sum(d.value_minor(unit) or 0 for d in won) // (unit * world.scale)
            if won[0].company is None:
                segment = "individual"
            else:
                segment = "key" if total >= _KEY_ACCOUNT or len(won) >= 3 else "smb"
            cid, next_id = next_id, next_id + 1
            every = weighted(rng, _RHYTHMS) if rng.random() < _CHECKINS else None
            if every is not None:
                # `customer edit --checkin` hangs them on the latest won deal.
                checkins.append((cid, won[-1], every))
            rows.append((cid, won[0].customer_name(), segment, every, clock.iso(won[0].end)))
        for d in won:
            d.customer_id = cid
    conn.executemany(
        "INSERT INTO customers (id, name, segment, checkin_every, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    return len(wins), sum(1 for won in wins.values() if len(won) >= 2), checkins


def write_checkins(
    conn: sqlite3.Connection, clock: Clock, checkins: list[tuple[int, Deal, str]], rng: Rng
) -> tuple[int, int, int]:
    """The check-in series of customers with a rhythm, as `customer edit --checkin` and
    `followup done` leave them: set (the anchor) soon after the latest win, one follow-up per
    date of the series, each done around its day (which planned the next), the newest still
    open — upcoming, or now and then overdue. Returns (all, open, overdue)."""
    today = date.fromisoformat(clock.local_date(0))
    counts = [0, 0, 0]
    # As customer edit writes it, in the language of the customer's lead.
    action = {lang: in_lang(customer_rules.CHECKIN_ACTION, lang) for lang in ("en", "zh")}

    def rows() -> Iterator[tuple]:
        for cid, deal, every in checkins:
            months = int(every.removeprefix("every-").removesuffix("m"))  # _RHYTHMS are months
            anchor_day = min(0, clock.day_of(deal.end) + rng.randrange(0, 15))
            anchor = today + timedelta(days=anchor_day)
            recur = f"{every}@{anchor.isoformat()}"
            # The series' dates up to the first after today, by the product's own rule (what
            # `dates.series_after` walks one call at a time).
            span = (today.year - anchor.year) * 12 + today.month - anchor.month
            terms = dates.monthly_series(anchor, months, span // months + 3)
            made = min(clock.now, max(clock.at(anchor_day, rng.randrange(540, 1080)), deal.end))
            k = 0
            while True:
                due = terms[k]
                due_day = (due - today).days
                done_day = due_day + rng.randrange(-3, 6)
                # Now and then the latest one is still open a few days or weeks late.
                forgotten = terms[k + 1] > today and due_day >= -21 and rng.random() < 0.25
                counts[0] += 1
                if done_day >= 0 or forgotten:
                    counts[1] += 1
                    counts[2] += due_day < 0
                    yield (
                        deal.id, cid, action[deal.lang], due.isoformat(),
                        clock.iso(made), None, recur,
                    )  # fmt: skip
                    break
                done = min(clock.now, max(clock.at(done_day, rng.randrange(540, 1080)), made))
                yield (
                    deal.id, cid, action[deal.lang], due.isoformat(), clock.iso(made),
                    clock.iso(done), recur,
                )  # fmt: skip
                # What `followup done` plans: the next date after the due day or the done day.
                done_date = today + timedelta(days=clock.day_of(done))
                made, k = done, bisect(terms, max(due, done_date))

    conn.executemany(
        "INSERT INTO followups (lead_id, customer_id, action, due_date, due_time, created_at, "
        "done_at, recur) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
        rows(),
    )
    return counts[0], counts[1], counts[2]
