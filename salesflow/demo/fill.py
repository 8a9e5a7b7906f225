"""The demo pipeline: a year of believable selling history, generated from a seed.

Deals walk the current pipeline (deals.py); activities and follow-ups sit on their timeline
(history.py); deals that reached the quote stage mostly got quotes (offers.py) whose statuses
match the deal; won deals become customers — some on recurring after-sales check-ins — and
some customers come back for a second deal (customers.py).

The same seed, `now` and zone give the same database: every step draws from its own
`random.Random` seeded with (seed, step name), so adding a step later leaves the other
tables as they were. (The quotes step came later: it added its rows and changed only what
a quote decides — a won deal's value is its accepted quote's total.)

Speed matters (100,000 leads with ~1M activities is how the benchmarks build their data):
times are integer UTC seconds built from a per-day table, never parsed; rows stream into
`executemany` inside the caller's one transaction; the undo journal gets one compact step
per table instead of one per row (`journal.compact_inserts`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from salesflow import money, pipeline, store
from salesflow.demo import fields as demo_fields
from salesflow.demo import products as demo_products
from salesflow.demo.clock import Clock
from salesflow.demo.customers import write_checkins, write_customers
from salesflow.demo.deals import (
    CJK_CURRENCIES,
    GRADE_PROFILES,
    STEP,
    Deal,
    Progress,
    World,
    make_deals,
)
from salesflow.demo.dice import Rng, weighted
from salesflow.demo.history import write_activities, write_followups, write_leads
from salesflow.demo.offers import Version, plan
from salesflow.demo.quote_rows import write_quotes
from salesflow.demo.terms import Terms, read_terms
from salesflow.store import journal
from salesflow.store.schema import set_aside

# Parents before children: the order rows are written and the journal's undo order relies on.
TABLES = (
    "customers", "leads", "stage_changes", "activities", "followups", "products", "quotes",
    "quote_items", "lead_fields",
)  # fmt: skip
_CACHE_KIB = 64 * 1024
# From this many leads (and at least as many as are there), the tables' indexes are built
# after the load, as the import does: sorted once, their pages come out full.
_BULK_MIN = 10_000


@dataclass(frozen=True)
class DemoSummary:
    leads: int
    open: int
    won: int
    lost: int
    reopened: int
    stage_changes: int
    activities: int
    followups: int
    open_followups: int
    overdue_followups: int
    customers: int
    repeat_customers: int
    checkin_customers: int
    quotes: int
    quote_items: int
    quotes_by_status: dict[str, int]  # as stored: draft, sent, accepted, rejected
    currency: str
    seed: int


def lead_count(conn: sqlite3.Connection) -> int:
    """Leads already in the database: the demo fills an empty one (any lead = not empty)."""
    return conn.execute("SELECT count(*) FROM leads").fetchone()[0]


def fill(
    conn: sqlite3.Connection,
    *,
    leads: int,
    seed: int,
    now: datetime,
    tz: tzinfo,
    currency: str,
    progress: Progress | None = None,
) -> DemoSummary:
    """Write `leads` demo leads with their history into the caller's write transaction.

    Adds to whatever is there (the command decides whether a non-empty database is allowed):
    lead, customer and quote numbers continue after the existing ones, and a demo customer
    whose name already exists joins that customer (its check-in rhythm is left alone)."""
    report = progress or (lambda step, done, total: None)
    clock = Clock(now, tz)
    stages = pipeline.stages(conn)
    open_stages = [s for s in stages if s.is_open]
    world = World(
        seed=seed,
        currency=money.check_currency(currency),
        open_stages=[s.name for s in open_stages],
        won=next(s.name for s in stages if s.kind == "won"),
        lost=next(s.name for s in stages if s.kind == "lost"),
    )
    first_id = conn.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0] + 1
    deals = make_deals(world, clock, leads, first_id, report)
    # Quotes are planned before anything is written: a won deal's value is its quote's total.
    terms = read_terms(conn, currency=world.currency, scale=world.scale, open_stages=open_stages)
    if terms is not None:  # the catalogue the quote lines are made from, listed from day one
        catalogue = demo_products.plan(
            conn, world.rng("products"), currency=world.currency, scale=world.scale,
            chinese=world.currency in CJK_CURRENCIES, now=clock.iso(clock.at(clock.first, 480)),
        )  # fmt: skip
        terms = replace(terms, catalogue=catalogue)
    offers = _quotes(world, clock, deals, terms, report)
    counts: dict[str, int] = {}
    previous_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    # A larger page cache while loading keeps the indexes' pages in memory instead of spilling
    # them (a large fill takes about half as long as with the default; more than 64 MB gained
    # nothing). SQLite allocates only what it uses.
    conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
    checkin_rng = world.rng("checkins")
    existing = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    rebuilt, kept = _indexes(conn) if leads >= max(existing, _BULK_MIN) else ([], [])
    try:
        with journal.compact_inserts(conn, TABLES), set_aside(conn, rebuilt):
            customers, repeat, checkins = write_customers(conn, world, clock, deals, checkin_rng)
            # Touches first, so each lead is written with its last touch (touches.py); the
            # activities point at leads written just after: foreign keys wait for the commit.
            conn.execute("PRAGMA defer_foreign_keys = ON")
            last_touch: dict[int, str] = {}
            first_touch: dict[int, str] = {}  # leads.first_touch_at (store/derived.py)
            counts["activities"] = write_activities(
                conn, world, clock, deals, report, last_touch, first_touch
            )
            counts["stage_changes"] = write_leads(
                conn, world, clock, deals, last_touch, first_touch
            )
            followups = write_followups(conn, world, clock, deals, report)
            written = None
            if terms is not None and terms.catalogue is not None:
                counts["products"] = demo_products.write(conn, terms.catalogue)
            if terms is not None:
                written = write_quotes(
                    conn, world.rng("quote chases"), clock, offers, terms,
                    {d.id: d.lang for d in deals},
                )  # fmt: skip
                followups = _plus(followups, written.followups, written.open_followups,
                                  written.overdue_followups)  # fmt: skip
            followups = _plus(followups, *write_checkins(conn, clock, checkins, checkin_rng))
            demo_fields.write_fields(conn, world.rng("fields"), deals)
            # Filled row by row, these are sorted again too: the pages they leave are reused
            # by the indexes built next and by the search index, so the file does not keep them.
            for name in kept:
                conn.execute(f'REINDEX "{name}"')
    finally:
        conn.execute(f"PRAGMA cache_size = {previous_cache}")
    by_outcome = {"open": 0, "won": 0, "lost": 0}
    for d in deals:
        by_outcome[d.outcome] += 1
    return DemoSummary(
        leads=len(deals),
        open=by_outcome["open"],
        won=by_outcome["won"],
        lost=by_outcome["lost"],
        reopened=sum(1 for d in deals if d.reopened),
        stage_changes=counts["stage_changes"],
        activities=counts["activities"],
        followups=followups[0],
        open_followups=followups[1],
        overdue_followups=followups[2],
        customers=customers,
        repeat_customers=repeat,
        checkin_customers=len(checkins),
        quotes=written.quotes if written else 0,
        quote_items=written.items if written else 0,
        quotes_by_status=written.by_status if written else {},
        currency=world.currency,
        seed=seed,
    )


def _indexes(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """The demo tables' indexes: (those built after the load, those filled during it and
    rebuilt after it). Unique ones stay during the load (they keep rules), and so do those on
    a foreign key: activities are written before their leads, so each lead written looks its
    children up through them until the deferred check is settled."""
    marks = ", ".join("?" for _ in TABLES)
    after: list[str] = []
    kept: list[str] = []
    for name, stays in conn.execute(
        f"SELECT i.name, i.sql IS NULL OR i.sql LIKE 'CREATE UNIQUE%' OR EXISTS (SELECT 1 "
        "FROM pragma_index_info(i.name) c JOIN pragma_foreign_key_list(i.tbl_name) k "
        'ON k."from" = c.name WHERE c.seqno = 0) FROM sqlite_master i '
        f"WHERE i.type = 'index' AND i.tbl_name IN ({marks}) ORDER BY i.name",
        TABLES,
    ):
        (kept if stays else after).append(name)
    return after, kept


def _plus(counts: tuple[int, int, int], *more: int) -> tuple[int, int, int]:
    return counts[0] + more[0], counts[1] + more[1], counts[2] + more[2]


def set_default_currency(conn: sqlite3.Connection, currency: str) -> bool:
    """Make the demo's currency the default for new leads, unless one is configured."""
    if store.get_setting(conn, "currency") is not None:
        return False
    store.set_setting(conn, "currency", money.check_currency(currency))
    return True


def _quotes(
    world: World,
    clock: Clock,
    deals: list[Deal],
    terms: Terms | None,
    report: Progress,
) -> list[list[Version]]:
    """The quotes step (offers.py): offers for the deals that reached the quote
    stage, from its own Random; nothing when the pipeline has no quote stage."""
    if terms is None:
        return []
    scale = world.scale

    def size(rng: Rng, grade: str) -> int:
        lo, hi = weighted(rng, GRADE_PROFILES[grade].value_bands)
        return rng.randrange(lo // 100, hi // 100) * 100 * scale

    return plan(
        world.rng("quotes"), clock, deals, terms, open_stages=world.open_stages, won=world.won,
        lost=world.lost, target=size, report=report, step=STEP,
    )  # fmt: skip
