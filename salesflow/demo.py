"""The demo pipeline: a year of believable selling history, generated from a seed.

Not random noise: every lead walks the CURRENT pipeline (the `stages` table) in order, with
the odds and pace of its grade — A deals close fast and often, C deals slowly and rarely —
skips a stage now and then, is lost for a reason that fits where it stopped, and once in a
while is reopened. Activities and follow-ups sit on that timeline (between creation and
close), deals that reached the quote stage mostly got quotes (demo_quotes.py) whose
statuses match the deal, won deals become customers — some on recurring after-sales
check-ins — and some customers come back for a second deal.

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

import json
import random
import sqlite3
import unicodedata
from bisect import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache

from salesflow import customers as customer_rules
from salesflow import dates, money, pipeline, store
from salesflow import demo_quotes as quoting
from salesflow import demo_words as words
from salesflow.pipeline import REMAP_NOTE
from salesflow.store import journal

# (step, done, total): long work reports progress; the command decides how to show it.
Progress = Callable[[str, int, int], None]
# Parents before children: the order rows are written and the journal's undo order relies on.
TABLES = (
    "customers", "leads", "stage_changes", "activities", "followups", "quotes", "quote_items",
)  # fmt: skip
HISTORY_DAYS = 365
_DAYS_AHEAD = 120
_STEP = 1000  # leads between progress reports
_CACHE_KIB = 64 * 1024

# ---- the shape of the business ----------------------------------------------------------

_SOURCES = (
    ("website", 24), ("referral", 14), ("trade show", 14), ("LinkedIn", 14),
    ("cold call", 14), ("partner", 10), ("webinar", 10),
)  # fmt: skip
REPEAT_SOURCE = "existing customer"
# Grade odds by source: a referral is more often a clear near-term need than a cold call.
_GRADES = {
    source: tuple(zip("ABC", weights, strict=True))
    for source, weights in {
        "referral": (45, 40, 15), "partner": (35, 45, 20), "trade show": (30, 45, 25),
        "website": (20, 45, 35), "LinkedIn": (15, 45, 40), "webinar": (15, 45, 40),
        "cold call": (10, 35, 55), REPEAT_SOURCE: (60, 35, 5),
    }.items()
}  # fmt: skip


# Deal sizes in major units of a dollar-like currency (scaled for others by _SCALE).
_SMALL, _MID, _LARGE = (2_000, 20_000), (20_000, 100_000), (100_000, 600_000)


@dataclass(frozen=True)
class GradeProfile:
    win_rate: float  # won / (won + lost) this grade converges to
    cycle_days: int  # typical creation -> won
    stall: float  # chance, per stage, that the deal sits there four times longer
    value_bands: tuple[tuple[tuple[int, int], int], ...]  # ((low, high), weight) per size


GRADE_PROFILES = {
    "A": GradeProfile(0.50, 40, 0.04, ((_SMALL, 30), (_MID, 45), (_LARGE, 25))),
    "B": GradeProfile(0.26, 75, 0.08, ((_SMALL, 45), (_MID, 40), (_LARGE, 15))),
    # C is long-term nurture: rarely won, and slow whenever it moves.
    "C": GradeProfile(0.10, 120, 0.15, ((_SMALL, 60), (_MID, 35), (_LARGE, 5))),
}
_KEY_ACCOUNT = 150_000  # won value (same units) that makes a company a key account
_SCALE = {"CNY": 7, "HKD": 8, "TWD": 32, "JPY": 150, "KRW": 1400, "INR": 80, "SEK": 10,
          "NOK": 10, "DKK": 7, "CZK": 23, "PLN": 4, "MXN": 18, "BRL": 5, "ZAR": 18,
          "THB": 35, "IDR": 16_000, "VND": 25_000}  # fmt: skip
_CJK_CURRENCIES = ("CNY", "HKD", "TWD")

_SKIP = 0.08  # a stage is jumped over
_REOPEN = 0.3  # of losses for a "come back later" reason, when the time allows
_REPEAT = 0.07  # a new lead is an existing customer buying again
_NO_VALUE = 0.08
_STALE = 0.3  # open deals nobody has touched for weeks
_UNPLANNED = 0.15  # open deals with no open follow-up
_CHECKINS = 0.3  # new customers on a recurring after-sales check-in
_RHYTHMS = (("every-3m", 50), ("every-6m", 30), ("every-1m", 20))

_EARLY_LOSSES = (
    ("no response", 30), ("no budget", 25), ("not a fit", 20), ("timing", 15),
    ("chose to do it in-house", 10),
)  # fmt: skip
_LATE_LOSSES = (
    ("price", 30), ("competitor", 25), ("no decision", 20), ("timing", 15), ("no budget", 10),
)  # fmt: skip
_REOPENABLE = ("timing", "no decision", "no response")
_ACTIVITY_KINDS = (("call", 30), ("email", 35), ("meeting", 14), ("visit", 5), ("note", 16))
# One entry per unit of weight: a weighted pick in the million-row loop is one index.
_KIND_TABLE = tuple(kind for kind, weight in _ACTIVITY_KINDS for _ in range(weight))
_WON_NOTES = ("PO received", "signed annual contract", "deposit paid", "signed after pilot")


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
    clock = _Clock(now, tz)
    stages = pipeline.stages(conn)
    open_stages = [s for s in stages if s.is_open]
    world = _World(
        seed=seed,
        currency=money.check_currency(currency),
        open_stages=[s.name for s in open_stages],
        won=next(s.name for s in stages if s.kind == "won"),
        lost=next(s.name for s in stages if s.kind == "lost"),
    )
    first_id = conn.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0] + 1
    deals = _deals(world, clock, leads, first_id, report)
    # Quotes are planned before anything is written: a won deal's value is its quote's total.
    terms = quoting.terms(conn, currency=world.currency, scale=world.scale, open_stages=open_stages)
    offers = _quotes(world, clock, deals, terms, report)
    counts: dict[str, int] = {}
    previous_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    # A larger page cache while loading keeps the indexes' pages in memory instead of spilling
    # them: 100,000 leads took ~32 s with the 2 MB default, ~16-19 s with 64 MB, and no less
    # with 256 MB (at twice the memory). SQLite allocates only what it uses.
    conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
    checkin_rng = world.rng("checkins")
    try:
        with journal.compact_inserts(conn, TABLES):
            customers, repeat, checkins = _customers(conn, world, clock, deals, checkin_rng)
            # Touches first, so each lead is written with its last touch (touches.py); the
            # activities point at leads written just after: foreign keys wait for the commit.
            conn.execute("PRAGMA defer_foreign_keys = ON")
            last_touch: dict[int, str] = {}
            first_touch: dict[int, str] = {}  # leads.first_touch_at (store/derived.py)
            counts["activities"] = _write_activities(
                conn, world, clock, deals, report, last_touch, first_touch
            )
            counts["stage_changes"] = _write_leads(
                conn, world, clock, deals, last_touch, first_touch
            )
            followups = _write_followups(conn, world, clock, deals, report)
            written = None
            if terms is not None:
                written = quoting.write(conn, world.rng("quote chases"), clock, offers, terms)
                followups = _plus(followups, written.followups, written.open_followups,
                                  written.overdue_followups)  # fmt: skip
            followups = _plus(followups, *_write_checkins(conn, clock, checkins, checkin_rng))
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


def _plus(counts: tuple[int, int, int], *more: int) -> tuple[int, int, int]:
    return counts[0] + more[0], counts[1] + more[1], counts[2] + more[2]


def set_default_currency(conn: sqlite3.Connection, currency: str) -> bool:
    """Make the demo's currency the default for new leads, unless one is configured."""
    if store.get_setting(conn, "currency") is not None:
        return False
    store.set_setting(conn, "currency", money.check_currency(currency))
    return True


# ---- time as integers -------------------------------------------------------------------


class _Clock:
    """Local days as integers (0 = today, negative = past) and instants as UTC epoch seconds,
    with lookup tables so a million timestamps cost no datetime work."""

    def __init__(self, now: datetime, tz: tzinfo) -> None:
        self.now = int(now.timestamp())
        today = dates.local_today(now, tz)
        self.first = -HISTORY_DAYS - 31
        self._noon: list[int] = []  # UTC seconds of local noon, per day
        self._date: list[str] = []  # local YYYY-MM-DD, per day
        self._weekday: list[int] = []
        for k in range(self.first, _DAYS_AHEAD + 1):
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


# ---- the deals --------------------------------------------------------------------------


class _Rng(random.Random):
    """`random.Random` with float-based randrange/randint/choice: several times faster than
    the exact integer versions, which matters over millions of rows; their bias (below
    2**-40) does not matter for demo data."""

    def randrange(self, start: int, stop: int | None = None) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):  # noqa: ANN001, ANN201
        return seq[int(self.random() * len(seq))]


@dataclass
class _World:
    seed: int
    currency: str
    open_stages: list[str]
    won: str
    lost: str

    def rng(self, step: str) -> _Rng:
        # A string seed is hashed with SHA-512 by `random`: stable across runs and platforms.
        return _Rng(f"salesflow-demo:{self.seed}:{step}")

    @property
    def scale(self) -> int:
        return _SCALE.get(self.currency, 1)


@dataclass(slots=True)
class _Deal:
    id: int
    lang: str  # en | zh: the language its people and notes are in
    name: str
    company: str | None
    email: str | None
    phone: str | None
    source: str
    grade: str
    value_major: int | None  # in the demo currency's major unit
    created: int  # UTC seconds
    created_day: int
    # (from_stage, to_stage, at, note, reason); the first is the creation
    moves: list[tuple[str | None, str, int, str | None, str | None]] = field(default_factory=list)
    outcome: str = "open"  # open | won | lost
    reopened: bool = False
    customer_id: int | None = None
    quoted_minor: int | None = None  # a won deal's value: its accepted quote's total

    def value_minor(self, unit: int) -> int | None:
        if self.quoted_minor is not None:
            return self.quoted_minor
        return None if self.value_major is None else self.value_major * unit

    @property
    def end(self) -> int:
        """When its history ends: the close, else the last move (history runs on to now)."""
        return self.moves[-1][2]

    @property
    def stage(self) -> str:
        return self.moves[-1][1]

    def customer_name(self) -> str:
        return " ".join((self.company or self.name).split())


def _deals(
    world: _World, clock: _Clock, count: int, first_id: int, report: Progress
) -> list[_Deal]:
    people = world.rng("people")
    rng = world.rng("deals")
    cjk_share = 0.65 if world.currency in _CJK_CURRENCIES else 0.3
    # Creation days, oldest first, so lead numbers grow with time like a real database's.
    days = sorted(_creation_day(rng, clock) for _ in range(count))
    deals: list[_Deal] = []
    winners: list[_Deal] = []
    for i, day in enumerate(days):
        created = clock.at(day, rng.randrange(480, 1140))
        if day == 0 and created > clock.now:
            created = clock.now - rng.randrange(0, 3600)
        again = _repeat_of(rng, winners, created) if rng.random() < _REPEAT else None
        if again is not None:
            deal = _returning(people, again, first_id + i, created, day)
        else:
            lang = "zh" if people.random() < cjk_share else "en"
            source = _weighted(rng, _SOURCES)
            deal = _newcomer(people, lang, first_id + i, source, created, day)
        deal.grade = _weighted(rng, _GRADES[deal.source])
        profile = GRADE_PROFILES[deal.grade]
        if rng.random() >= _NO_VALUE:
            lo, hi = _weighted(rng, profile.value_bands)
            deal.value_major = rng.randrange(lo // 100, hi // 100) * 100 * world.scale
        _walk(rng, world, clock, deal, profile)
        if deal.outcome == "won":
            winners.append(deal)
        deals.append(deal)
        if (i + 1) % _STEP == 0 or i + 1 == count:
            report("leads", i + 1, count)
    return deals


def _creation_day(rng: _Rng, clock: _Clock) -> int:
    # A growing business: twice as many leads this month as twelve months ago.
    while True:
        day = -rng.randrange(HISTORY_DAYS)
        if rng.random() < 1 + day / (2 * HISTORY_DAYS):
            break
    # Fewer leads come in at weekends.
    return clock.workday(day) if rng.random() < 0.85 else day


def _repeat_of(rng: _Rng, winners: list[_Deal], created: int) -> _Deal | None:
    """An earlier won deal, closed before `created`, whose customer buys again."""
    for _ in range(5):
        if not winners:
            return None
        candidate = winners[rng.randrange(len(winners))]
        if candidate.end < created:
            return candidate
    return None


def _newcomer(rng: _Rng, lang: str, lead_id: int, source: str, created: int, day: int) -> _Deal:
    has_company = rng.random() < 0.8
    if lang == "zh":
        (sur, sur_py), (given, given_py) = rng.choice(words.ZH_SURNAMES), rng.choice(words.ZH_GIVEN)
        name, local = sur + given, f"{given_py}.{sur_py}"
        if has_company:
            (city, city_py), (trade, trade_py) = (
                rng.choice(words.ZH_CITIES),
                rng.choice(words.ZH_TRADES),
            )
            if rng.random() < 0.03:
                brand, brand_py = "某", "mou"  # "a certain …": how people anonymise a firm
            else:
                (head, head_py), (tail, tail_py) = (
                    rng.choice(words.ZH_BRAND_HEADS), rng.choice(words.ZH_BRAND_TAILS),
                )  # fmt: skip
                brand, brand_py = head + tail, head_py + tail_py
            company = f"{city}{brand}{trade}{rng.choice(words.ZH_SUFFIXES)}"
            domain = f"{city_py}-{brand_py}-{trade_py}.example"
        phone = (
            f"+86 1{rng.randrange(30, 90)} {rng.randrange(10_000):04d} {rng.randrange(10_000):04d}"
        )
    else:
        first, last = rng.choice(words.EN_FIRST), rng.choice(words.EN_LAST)
        name, local = f"{first} {last}", f"{_ascii(first)}.{_ascii(last)}"
        if has_company:
            if rng.random() < 0.5:
                prefix = rng.choice(words.EN_NAMES)
            else:
                prefix = rng.choice(words.EN_HEADS) + rng.choice(words.EN_TAILS)
            trade = rng.choice(words.EN_TRADES)
            company = " ".join(p for p in (prefix, trade, rng.choice(words.EN_SUFFIXES)) if p)
            domain = "-".join(_ascii(p) for p in (prefix, trade) if p and p != "& Sons")
            domain += ".example"
        phone = (
            f"+1 555 01{rng.randrange(100):02d}"
            if rng.random() < 0.5
            else f"+44 20 7946 0{rng.randrange(1000):03d}"
        )
    if not has_company:
        company, domain = None, "mail.example"
    email = f"{local}@{domain}" if rng.random() < 0.85 else None
    return _Deal(
        id=lead_id, lang=lang, name=name, company=company, email=email,
        phone=phone if rng.random() < 0.7 else None, source=source, grade="B",
        value_major=None, created=created, created_day=day,
    )  # fmt: skip


def _returning(rng: _Rng, before: _Deal, lead_id: int, created: int, day: int) -> _Deal:
    """A new deal from a customer: the same company (or person), often the same contact."""
    same_contact = before.company is None or rng.random() < 0.6
    fresh = _newcomer(rng, before.lang, lead_id, REPEAT_SOURCE, created, day)
    if same_contact:
        fresh.name, fresh.email, fresh.phone = before.name, before.email, before.phone
    fresh.company = before.company
    return fresh


@cache
def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def _weighted(rng: _Rng, options: tuple[tuple[object, int], ...]):  # noqa: ANN202
    """One of `options` ((value, weight) pairs), with probability weight / total."""
    values, bounds = _cumulative(options)
    return values[bisect(bounds, rng.random() * bounds[-1])]


@cache
def _cumulative(options: tuple[tuple[object, int], ...]) -> tuple[tuple, tuple[int, ...]]:
    bounds, total = [], 0
    for _, weight in options:
        total += weight
        bounds.append(total)
    return tuple(v for v, _ in options), tuple(bounds)


def _walk(rng: _Rng, world: _World, clock: _Clock, deal: _Deal, profile: GradeProfile) -> None:
    """Move the deal through the pipeline until it closes or reaches `now`."""
    stages = world.open_stages
    n = len(stages)
    # Each open stage is one chance to lose the deal; this per-stage loss makes the
    # grade's overall win rate come out right.
    loss = 1 - profile.win_rate ** (1 / n)
    mean = max(2, profile.cycle_days // n)
    k, t, day = 0, deal.created, deal.created_day
    deal.moves.append((None, stages[0], t, "created", None))
    while True:
        lose = rng.random() < loss
        if lose:
            # Nobody gives up on a deal the day it goes quiet: a loss takes a while.
            dwell = rng.randrange(max(7, mean // 2), mean * 2 + 8)
        elif k == 0:
            dwell = rng.randrange(0, 4)  # the first contact comes fast
        else:
            dwell = rng.randrange(mean // 3, mean * 5 // 3 + 1)
        if rng.random() < profile.stall:
            dwell *= 4
        day += dwell
        if day > 0:
            return
        day = clock.workday(day)
        t = max(clock.at(day, rng.randrange(510, 1110)), t + rng.randrange(5, 120) * 60)
        if t > clock.now:
            return
        stage = stages[k]
        if lose:
            early = k < max(1, n // 3)
            reason = _weighted(rng, _EARLY_LOSSES if early else _LATE_LOSSES)
            deal.moves.append((stage, world.lost, t, None, reason))
            deal.outcome = "lost"
            if deal.reopened or reason not in _REOPENABLE or rng.random() >= _REOPEN:
                return
            day += rng.randrange(20, 90)
            if day > 0:
                return
            day = clock.workday(day)
            back = clock.at(day, rng.randrange(510, 1110))
            if back > clock.now:
                return
            t = back
            deal.moves.append((world.lost, stage, t, "reopened: back in touch", None))
            deal.outcome, deal.reopened = "open", True
            continue
        if k == n - 1:
            note = rng.choice(_WON_NOTES) if rng.random() < 0.6 else None
            deal.moves.append((stage, world.won, t, note, None))
            deal.outcome = "won"
            return
        skip = k + 2 < n and rng.random() < _SKIP
        k += 2 if skip else 1
        deal.moves.append((stage, stages[k], t, "skipped a stage" if skip else None, None))


# ---- quotes -----------------------------------------------------------------------------


def _quotes(
    world: _World,
    clock: _Clock,
    deals: list[_Deal],
    terms: quoting.Terms | None,
    report: Progress,
) -> list[list[quoting.Version]]:
    """The `_quotes` step (see demo_quotes): offers for the deals that reached the quote
    stage, from its own Random; nothing when the pipeline has no quote stage."""
    if terms is None:
        return []
    scale = world.scale

    def size(rng: _Rng, grade: str) -> int:
        lo, hi = _weighted(rng, GRADE_PROFILES[grade].value_bands)
        return rng.randrange(lo // 100, hi // 100) * 100 * scale

    return quoting.plan(
        world.rng("quotes"), clock, deals, terms, open_stages=world.open_stages, won=world.won,
        lost=world.lost, target=size, report=report, step=_STEP,
    )  # fmt: skip


# ---- writing ----------------------------------------------------------------------------


def _customers(
    conn: sqlite3.Connection, world: _World, clock: _Clock, deals: list[_Deal], rng: _Rng
) -> tuple[int, int, list[tuple[int, _Deal, str]]]:
    """Won deals' companies (or people) become customers, created at their first win; sets
    each won deal's `customer_id`. Some new customers get a check-in rhythm. Returns
    (customers with a demo win, repeat customers, (customer id, latest win, rhythm) of those
    on check-ins)."""
    existing = {
        name.casefold(): cid for cid, name in conn.execute("SELECT id, name FROM customers")
    }
    next_id = conn.execute("SELECT coalesce(max(id), 0) FROM customers").fetchone()[0] + 1
    wins: dict[str, list[_Deal]] = {}
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
            every = _weighted(rng, _RHYTHMS) if rng.random() < _CHECKINS else None
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


def _write_leads(
    conn: sqlite3.Connection,
    world: _World,
    clock: _Clock,
    deals: list[_Deal],
    last_touch: dict[int, str],
    first_touch: dict[int, str],
) -> int:
    """The leads (facts as of `now`, with the touch times of touches.py worked out from
    `last_touch` and their moves, and their first touch) and their stage history; returns
    the history rows."""
    rng = world.rng("lead facts")
    unit = 10 ** money.exponent(world.currency)
    stages = world.open_stages
    last = max(1, len(stages) - 1)

    def rows() -> Iterator[tuple]:
        for d in deals:
            final_from, _, closed, note, reason = d.moves[-1]
            reached = max((stages.index(m[1]) for m in d.moves if m[1] in stages), default=0)
            progress = 1.0 if d.outcome == "won" else reached / last
            bant = [_bant(rng, d.grade, progress) for _ in range(4)]
            if d.outcome == "lost" and reason == "no budget":
                bant[0] = "no"
            expected = None
            if d.outcome == "open":
                # Late-stage deals are expected sooner; some dates have already slipped.
                ahead = rng.randrange(-14, int(15 + 90 * (1 - progress)))
                expected = clock.local_date(ahead)
            yield (
                d.id, d.name, d.company, d.email, d.phone, d.source, d.grade, *bant,
                rng.choice(words.BANT_NOTES[d.lang]) if rng.random() < 0.15 else None,
                d.value_minor(unit), world.currency,
                d.stage, _tags(rng),
                rng.choice(words.NOTES[d.lang]) if rng.random() < 0.3 else None,
                expected,
                reason if d.outcome == "lost" else None,
                final_from if d.outcome == "lost" else None,
                note if d.outcome == "won" else None,
                clock.iso(d.created), clock.iso(d.end),
                clock.iso(closed) if d.outcome != "open" else None,
                d.customer_id,
                last_touch.get(d.id),
                _idle_since(clock, d, last_touch.get(d.id)),
                first_touch.get(d.id), _entered(d),
            )  # fmt: skip

    conn.executemany(
        "INSERT INTO leads (id, name, company, email, phone, source, grade, bant_budget, "
        "bant_authority, bant_need, bant_timeline, bant_note, value_minor, currency, stage, "
        "tags, notes, expected_close, lost_reason, lost_from, won_note, created_at, updated_at, "
        "closed_at, customer_id, touched_at, idle_since, first_touch_at, stages_entered) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)",
        rows(),
    )
    # Each visit's end (a derived fact, store/derived.py) is the next move: written with the
    # row, so the refresh after the bulk load finds nothing to rewrite.
    history = (
        (d.id, src, dst, clock.iso(at), note, reason,
         clock.iso(d.moves[i + 1][2]) if i + 1 < len(d.moves) else None)
        for d in deals
        for i, (src, dst, at, note, reason) in enumerate(d.moves)
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, note, reason, "
        "left_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        history,
    )
    return sum(len(d.moves) for d in deals)


def _entered(d: _Deal) -> str:
    """leads.stages_entered as SQLite's json_group_array writes it: names sorted, no spaces."""
    return json.dumps(sorted({m[1] for m in d.moves}), ensure_ascii=False, separators=(",", ":"))


def _idle_since(clock: _Clock, d: _Deal, touched: str | None) -> str:
    """touches.py's idle_since: the latest of creation, last touch and last move (the demo
    never remaps a pipeline, but the rule is the same)."""
    moved = [clock.iso(at) for _src, _dst, at, note, _reason in d.moves if note != REMAP_NOTE]
    return max(touched or "", max(moved, default=""), clock.iso(d.created))


def _bant(rng: _Rng, grade: str, progress: float) -> str:
    # The further a deal got, the more of BANT the seller has found out.
    if rng.random() >= 0.2 + 0.75 * progress:
        return "unknown"
    return "yes" if rng.random() < {"A": 0.8, "B": 0.6, "C": 0.4}[grade] else "no"


def _tags(rng: _Rng) -> str:
    r = rng.random()
    if r < 0.5:
        return ""
    return ",".join(rng.sample(words.TAGS, 1 if r < 0.85 else 2))


def _lifetime(clock: _Clock, d: _Deal) -> tuple[int, int]:
    """The span a deal's touches fall in: creation to close, or to now while it is open."""
    return d.created, d.end if d.outcome != "open" else clock.now


def _write_activities(
    conn: sqlite3.Connection,
    world: _World,
    clock: _Clock,
    deals: list[_Deal],
    report: Progress,
    last_touch: dict[int, str],
    first_touch: dict[int, str],
) -> int:
    """Every deal's touches; fills `last_touch` and `first_touch` (lead id → its latest and
    its earliest happened_at)."""
    rng = world.rng("activities")
    total = len(deals)
    written = 0

    def rows() -> Iterator[tuple[int, str, str, str, str]]:
        nonlocal written
        for i, d in enumerate(deals):
            at = None
            for ts, kind, note in _touches(rng, world, clock, d):
                at = clock.iso(ts)
                written += 1
                if d.id not in first_touch:  # touches come sorted: the first is the earliest
                    first_touch[d.id] = at
                yield d.id, kind, note, at, at
            if at is not None:  # touches come sorted: the last one is the latest
                last_touch[d.id] = at
            if (i + 1) % _STEP == 0 or i + 1 == total:
                report("activities", i + 1, total)

    conn.executemany(
        "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        rows(),
    )
    return written


def _touches(rng: _Rng, world: _World, clock: _Clock, d: _Deal) -> list[tuple[int, str, str]]:
    """A deal's calls, emails, meetings …: a first touch soon after creation, one at each
    move, and more spread over its life; an open deal may have gone quiet weeks ago."""
    lo, hi = _lifetime(clock, d)
    if d.outcome == "open" and clock.now - d.end > 21 * 86400 and rng.random() < _STALE:
        hi = min(hi, d.end + rng.randrange(1, 10) * 86400)
    notes = words.ACTIVITY_NOTES[d.lang]
    delay = rng.randrange(10, 240) if rng.random() < 0.7 else rng.randrange(1, 6) * 1440
    kind = "call" if rng.random() < 0.5 else "email"
    touches = [(min(lo + delay * 60, hi), kind, rng.choice(notes[kind]))]
    for _src, dst, at, _note, reason in d.moves[1:]:
        if dst == world.lost:
            kind, text = "note", ("Lost: " if d.lang == "en" else "丢单：") + (reason or "")
        elif dst == world.won:
            kind, text = "meeting", "Contract signed" if d.lang == "en" else "签约成功"
        else:
            kind = "meeting" if rng.random() < 0.4 else rng.choice(_KIND_TABLE)
            text = rng.choice(notes[kind])
        touches.append((max(lo, at - rng.randrange(0, 90) * 60), kind, text))
    lo_day, hi_day = clock.day_of(lo), clock.day_of(hi)
    for _ in range((hi - lo) // (11 * 86400) + rng.randrange(0, 5)):
        day = clock.workday(rng.randint(lo_day, hi_day))
        ts = clock.at(day, rng.randrange(480, 1170))
        kind = rng.choice(_KIND_TABLE)
        touches.append((min(max(ts, lo), hi), kind, rng.choice(notes[kind])))
    touches.sort()
    return touches


def _write_followups(
    conn: sqlite3.Connection, world: _World, clock: _Clock, deals: list[_Deal], report: Progress
) -> tuple[int, int, int]:
    """Done follow-ups over each deal's life (most on time, some late) and the open next step
    of most open deals (some overdue, some due today, most in the coming days).
    Returns (all, open, overdue)."""
    rng = world.rng("followups")
    counts = [0, 0, 0]
    total = len(deals)

    def rows() -> Iterator[tuple]:
        for i, d in enumerate(deals):
            actions = words.FOLLOWUPS[d.lang]
            lo, hi = _lifetime(clock, d)
            lo_day, hi_day = clock.day_of(lo), clock.day_of(hi)
            for _ in range(rng.randrange(0, 2 + (hi - lo) // (15 * 86400))):
                made_day = rng.randint(lo_day, hi_day)
                made = min(max(clock.at(made_day, rng.randrange(480, 1170)), lo), hi)
                due_day = made_day + rng.randrange(1, 8)
                if rng.random() < 0.72:
                    done_day = rng.randint(made_day, due_day)  # on time
                else:
                    done_day = due_day + rng.randrange(1, 11)  # late
                done = min(max(clock.at(done_day, rng.randrange(480, 1170)), made), hi)
                counts[0] += 1
                yield (
                    d.id, None, rng.choice(actions), clock.local_date(due_day),
                    rng.choice(words.DUE_TIMES) if rng.random() < 0.2 else None,
                    clock.iso(made), clock.iso(done), None,
                )  # fmt: skip
            if d.outcome == "open" and rng.random() >= _UNPLANNED:
                r = rng.random()
                due_day = (
                    -rng.randrange(1, 22) if r < 0.25 else 0 if r < 0.4 else rng.randrange(1, 15)
                )
                due_day = max(due_day, d.created_day)  # not due before the lead existed
                made_day = rng.randint(max(d.created_day, due_day - 14), min(0, due_day))
                made = min(max(clock.at(made_day, rng.randrange(480, 1170)), lo), clock.now)
                due_time = rng.choice(words.DUE_TIMES) if rng.random() < 0.3 else None
                counts[0] += 1
                counts[1] += 1
                if due_day < 0 or (due_day == 0 and due_time and _passed(clock, due_time)):
                    counts[2] += 1
                yield (
                    d.id, None, rng.choice(actions), clock.local_date(due_day), due_time,
                    clock.iso(made), None, None,
                )  # fmt: skip
            if (i + 1) % _STEP == 0 or i + 1 == total:
                report("follow-ups", i + 1, total)

    conn.executemany(
        "INSERT INTO followups (lead_id, customer_id, action, due_date, due_time, created_at, "
        "done_at, recur) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    return counts[0], counts[1], counts[2]


def _passed(clock: _Clock, hhmm: str) -> bool:
    hours, minutes = hhmm.split(":")
    return clock.at(0, int(hours) * 60 + int(minutes)) <= clock.now


def _write_checkins(
    conn: sqlite3.Connection, clock: _Clock, checkins: list[tuple[int, _Deal, str]], rng: _Rng
) -> tuple[int, int, int]:
    """The check-in series of customers with a rhythm, as `customer edit --checkin` and
    `followup done` leave them: set (the anchor) soon after the latest win, one follow-up per
    date of the series, each done around its day (which planned the next), the newest still
    open — upcoming, or now and then overdue. Returns (all, open, overdue)."""
    today = date.fromisoformat(clock.local_date(0))
    counts = [0, 0, 0]

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
                        deal.id, cid, customer_rules.CHECKIN_ACTION, due.isoformat(),
                        clock.iso(made), None, recur,
                    )  # fmt: skip
                    break
                done = min(clock.now, max(clock.at(done_day, rng.randrange(540, 1080)), made))
                yield (
                    deal.id, cid, customer_rules.CHECKIN_ACTION, due.isoformat(), clock.iso(made),
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
