"""The demo's quotes: numbered offers for the deals that got as far as the quote stage, with
statuses that tell the same story as each deal's history.

A deal's history is cut into episodes: from the move into the quote stage (or a later one,
when the quote stage was skipped) to the deal's close, or to now while it is open. A reopened
deal that was lost after its quote starts a new episode with a copy of the rejected quote.
In an episode the quote is sent at that move (as `quote send` moves the lead), renegotiated
now and then in a later stage (a `-v2` copy, the old version rejected as superseded), and
ends the way the deal does: accepted on the win (the deal's value becomes the quote total,
as `quote accept` does), rejected for the loss reason, or still sent (expiring, expired or
unanswered by now) or a draft on an open deal.

Every figure comes from `quotes.compute`, the code `quote new` uses, so `db check` finds
what the seller's own quotes would give. Prices are whole "nice" amounts in the demo currency;
all arithmetic is integers and Decimal (never float): floats only draw the dice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from salesflow import demo_words as words
from salesflow import money, quotes, store
from salesflow.pipeline import Stage
from salesflow.quotes.math import Discount, ItemInput, Totals, compute, number_text

if TYPE_CHECKING:
    from salesflow.demo import _Clock, _Deal, _Rng

_QUOTED = 0.85  # deals that reach the quote stage with a written quote (others agree by phone)
# A quote sent long before the answer: renegotiated (a -v2 sent later), else the quote went
# out late (the lead was moved to the quote stage by hand earlier).
_RENEGOTIATE = 0.35
_AGAIN = 0.1  # a deal in a later stage renegotiates anyway
_LINE_DISCOUNT = 0.15
_QUOTE_DISCOUNT = 0.25
_LINES = ((1, 20), (2, 35), (3, 30), (4, 15))
_PERCENTS = tuple(Decimal(p) for p in ("5", "10", "10", "15", "20"))
_QUOTE_PERCENTS = tuple(Decimal(p) for p in ("3", "5", "5", "8", "10", "12.5"))
_BUMPS = tuple(Decimal(p) for p in ("2", "3", "5"))
_MAX_DISCOUNT = Decimal(30)
_TAX_BY_CURRENCY = {"CNY": Decimal(13)}
_VAT, _ZERO = Decimal(20), Decimal(0)
_PROBABILITY = 65  # the quote stage of the default pipeline; a pipeline without one is matched
_NEAR = 10  # to its open stage closest to this probability, within this many points
_DAY = 86_400
_SCALABLE = tuple(i for i, spec in enumerate(words.QUOTE_ITEMS) if spec[4] != "once")


@dataclass(frozen=True)
class Terms:
    """What the seller's settings say about quotes, read once per fill."""

    currency: str
    scale: int  # deal sizes are in dollar-like units times this
    rounding: str
    tax: Decimal | None  # `quote.tax`, else by currency
    valid_days: int
    chase_days: int
    stage: int  # index of the quote stage among the open stages

    @property
    def unit(self) -> int:
        return 10 ** money.exponent(self.currency)


def terms(
    conn: sqlite3.Connection, *, currency: str, scale: int, open_stages: Sequence[Stage]
) -> Terms | None:
    """The quote terms of this database; None when its pipeline has no quote stage."""
    stage = quote_stage(open_stages, store.get_setting(conn, "quote.stage") or "")
    if stage is None:
        return None
    tax = store.get_setting(conn, "quote.tax")
    return Terms(
        currency=currency,
        scale=scale,
        rounding=store.get_setting(conn, "rounding") or "half-up",
        tax=None if tax is None else Decimal(tax),
        valid_days=int(store.get_setting(conn, "quote.valid_days") or quotes.DEFAULT_VALID_DAYS),
        chase_days=int(store.get_setting(conn, "quote.chase_days") or quotes.DEFAULT_CHASE_DAYS),
        stage=stage,
    )


def quote_stage(open_stages: Sequence[Stage], wanted: str) -> int | None:
    """The index of the stage `quote send` moves a lead to (the `quote.stage` setting, else
    "quote", matched as `send` matches it); without one, the open stage nearest 65%."""
    names = [s.name for s in open_stages]
    name = wanted or quotes.DEFAULT_STAGE
    if name in names:
        return names.index(name)
    folded = [n.casefold() for n in names]
    if name.casefold() in folded:
        return folded.index(name.casefold())
    if not open_stages:
        return None
    # Ties go to the later stage: a quote comes late rather than early in a sale.
    best = min(
        range(len(open_stages)),
        key=lambda i: (abs(open_stages[i].probability - _PROBABILITY), -i),
    )
    return best if abs(open_stages[best].probability - _PROBABILITY) <= _NEAR else None


# ---- planning ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Episode:
    start: int  # the move into the quote stage (or past it)
    floor: int  # the move before: the draft was written after it
    later: list[int] = field(default_factory=list)  # moves on to later open stages
    end: int | None = None  # the close; None while open
    outcome: str = "open"  # open | won | lost
    reason: str | None = None


@dataclass(slots=True)
class Version:
    """One `quotes` row to be: a version of an offer, with its figures and story."""

    lead_id: int
    version: int
    items: list[ItemInput]
    discount: Discount | None
    tax: Decimal
    note: str | None
    totals: Totals
    created: int  # UTC seconds
    sent: int | None = None
    status: str = "draft"
    decided: int | None = None
    reason: str | None = None
    superseded: bool = False  # rejected because the next version replaced it
    year: int = 0  # set when numbered
    seq: int = 0


def plan(
    rng: _Rng,
    clock: _Clock,
    deals: Sequence[_Deal],
    t: Terms,
    *,
    open_stages: Sequence[str],
    won: str,
    lost: str,
    target: Callable[[_Rng, str], int],
    report: Callable[[str, int, int], None],
    step: int,
) -> list[list[Version]]:
    """The offers (each a list of versions, v1 first) of the deals that got a quote. A won
    deal's `quoted_minor` becomes its accepted quote's total. `target(rng, grade)` draws a
    deal size (major units) for a deal that has no value."""
    position = {name: i for i, name in enumerate(open_stages)}
    rotation = _Rotation(rng)
    offers = []
    total = len(deals)
    for i, d in enumerate(deals, 1):
        if i % step == 0 or i == total:
            report("quotes", i, total)
        episodes = _episodes(d, position, t.stage, won, lost)
        if not episodes or rng.random() >= _QUOTED:
            continue
        offer = _offer(rng, clock, d, episodes, t, target, rotation)
        if offer[-1].status == "accepted":
            d.quoted_minor = offer[-1].totals.total_minor
        offers.append(offer)
    return offers


def _episodes(
    d: _Deal, position: dict[str, int], quote_at: int, won: str, lost: str
) -> list[_Episode]:
    found: list[_Episode] = []
    current: _Episode | None = None
    before = d.created
    for _src, dst, at, _note, reason in d.moves:
        if dst in (won, lost):
            if dst == won and current is None:  # won straight from before the quote stage
                current = _Episode(at, before)
            if current is not None:
                current.end, current.reason = at, reason
                current.outcome = "won" if dst == won else "lost"
                found.append(current)
                current = None
        elif position.get(dst, -1) >= quote_at:
            if current is None:
                current = _Episode(at, before)
            else:
                current.later.append(at)
        before = at
    if current is not None:
        found.append(current)
    return found


class _Rotation:
    """Where open deals' newest quotes stand today, dealt out so that even a small demo shows
    each kind: first one of every kind, the kinds only old deals can take (expired, then
    expiring) to the first deal old enough; then in turn from a seeded start, a kind that a
    deal came too recently for waiting, first in line, for the next deal that can take it."""

    KINDS = ("expiring", "unanswered", "fresh", "expired", "draft", "unanswered", "fresh")
    HARDEST_FIRST = ("expired", "expiring", "unanswered", "draft", "fresh")

    def __init__(self, rng: _Rng) -> None:
        at = rng.randrange(len(self.KINDS))
        self.queue = list(self.KINDS[at:] + self.KINDS[:at])
        self.unmet = list(self.HARDEST_FIRST)

    def deal(self, clock: _Clock, t: Terms, start: int) -> tuple[str, int, int]:
        """(kind, lo, hi): the span the newest version is sent in (drafts: anywhere)."""
        for line in (self.unmet, self.queue):
            for i, kind in enumerate(line):
                lo, hi = _open_window(clock, t, kind, start)
                if hi - lo >= 120:
                    if line is self.unmet:
                        del self.unmet[i]
                    else:
                        self.queue.append(self.queue.pop(i))
                    return kind, lo, hi
        return "fresh", start, clock.now


def _open_window(clock: _Clock, t: Terms, kind: str, start: int) -> tuple[int, int]:
    """The local days a quote of this kind went out, as (lo, hi) instants, from `start`.
    A draft is written the day it is sent, so it is valid until that day + valid_days."""
    v = t.valid_days
    days = {
        "fresh": (-6, 0),
        "unanswered": (-(v - 8), -8),  # sent over a week ago, valid for over a week more
        "expiring": (-v, -(v - 6)),  # valid until today or one of the next 6 days
        "expired": (-(v + 45), -(v + 1)),  # valid until yesterday or before
    }.get(kind, (-10_000, 0))
    first = max(clock.first, min(0, days[0]))
    last = max(clock.first, min(0, days[1]))
    return max(start, clock.at(first, 480)), min(clock.now, clock.at(last, 1140))


def _offer(
    rng: _Rng,
    clock: _Clock,
    d: _Deal,
    episodes: list[_Episode],
    t: Terms,
    target: Callable[[_Rng, str], int],
    rotation: _Rotation,
) -> list[Version]:
    versions: list[Version] = []
    for ep in episodes:
        end = clock.now if ep.end is None else ep.end
        kind = ep.outcome
        if kind == "won":  # accepted while still valid: the last version went out lately
            lo = max(ep.start, end - max(1, t.valid_days - 2) * _DAY)
            hi = max(lo, end - _DAY)
        elif kind == "lost":
            lo, hi = ep.start, end
        else:
            kind, lo, hi = rotation.deal(clock, t, ep.start)
        # When the episode's first version goes out: at the move into the quote stage (the
        # move `quote send` makes), or soon after a reopening.
        sent = ep.start
        if versions:
            sent = _moment(rng, clock, ep.start + 3600, min(end, ep.start + 3 * _DAY)) or sent
        late = sent < lo and rng.random() >= _RENEGOTIATE
        if late:  # moved to the quote stage by hand; the quote went out later
            sent = _moment(rng, clock, lo, hi) or lo
        floor = ep.floor if not versions else max(ep.floor, versions[-1].decided or 0)
        if versions:
            _copy(rng, versions, t, _made(rng, sent, floor), sent)  # the rejected one, cheaper
        else:
            _add(versions, t, d.id, *_first(rng, d, t, target), _made(rng, sent, floor), sent)
        if sent < lo:  # renegotiated: a new version in the span
            _supersede(rng, versions, t, _moment(rng, clock, lo, hi) or lo)
        elif kind in ("won", "lost") and ep.later and rng.random() < _AGAIN:
            moved = max(ep.later[0], sent)
            again = _moment(rng, clock, moved + _DAY, min(end, moved + 10 * _DAY))
            if again is not None:
                _supersede(rng, versions, t, again)
        last = versions[-1]
        if kind == "won":
            last.status, last.decided = "accepted", end
        elif kind == "lost":
            last.status, last.decided, last.reason = "rejected", end, ep.reason
        elif kind == "draft":
            if len(versions) == 1 and clock.now - ep.start < 7 * _DAY:
                last.status, last.sent = "draft", None  # moved on by hand, not sent yet
            else:
                out = last.sent if last.sent is not None else last.created
                made = _moment(rng, clock, max(out + _DAY, clock.now - 5 * _DAY), clock.now)
                if made is not None:
                    _copy(rng, versions, t, made, None)  # a better offer being written
    return versions


def _add(
    versions: list[Version],
    t: Terms,
    lead_id: int,
    items: list[ItemInput],
    discount: Discount | None,
    tax: Decimal,
    note: str | None,
    created: int,
    sent: int | None,
) -> None:
    totals = compute(
        items, currency=t.currency, rounding=t.rounding, discount=discount, tax_rate=tax
    )
    versions.append(
        Version(
            lead_id=lead_id, version=len(versions) + 1, items=items, discount=discount, tax=tax,
            note=note, totals=totals, created=created, sent=sent,
            status="draft" if sent is None else "sent",
        )
    )  # fmt: skip


def _copy(rng: _Rng, versions: list[Version], t: Terms, created: int, sent: int | None) -> None:
    """`quote copy` and a bigger whole-quote discount before sending it."""
    prev = versions[-1]
    percent = prev.discount.percent if prev.discount and prev.discount.percent else Decimal(0)
    discount = Discount(percent=min(_MAX_DISCOUNT, percent + rng.choice(_BUMPS)))
    _add(versions, t, prev.lead_id, prev.items, discount, prev.tax, prev.note, created, sent)


def _supersede(rng: _Rng, versions: list[Version], t: Terms, sent: int) -> None:
    prev = versions[-1]
    floor = prev.sent if prev.sent is not None else prev.created
    _copy(rng, versions, t, _made(rng, sent, floor), sent)
    # Rejected when the new version went out (`quote accept` says the same of older ones).
    prev.status, prev.decided, prev.superseded = "rejected", sent, True


def _made(rng: _Rng, sent: int, floor: int) -> int:
    """When the draft was written: shortly before it was sent, not before `floor`."""
    return min(sent, max(floor, sent - rng.randrange(10, 180) * 60))


def _moment(rng: _Rng, clock: _Clock, lo: int, hi: int) -> int | None:
    """A working-hours instant strictly inside (lo, hi), or None when there is no room."""
    if hi - lo < 120:
        return None
    day = clock.workday(rng.randint(clock.day_of(lo), clock.day_of(hi)))
    ts = clock.at(day, rng.randrange(540, 1080))
    return min(max(ts, lo + 60), hi - 60)


def _local(clock: _Clock, ts: int) -> str:
    return clock.local_date(clock.day_of(ts))


def _valid_until(clock: _Clock, v: Version, t: Terms) -> str:
    made = date.fromisoformat(_local(clock, v.created))
    return (made + timedelta(days=t.valid_days)).isoformat()


def _first(
    rng: _Rng, d: _Deal, t: Terms, target: Callable[[_Rng, str], int]
) -> tuple[list[ItemInput], Discount | None, Decimal, str | None]:
    """A first offer whose total lands near the deal's value: 1-4 lines from the catalogue,
    the odd line and whole-quote discount, tax by currency (or the `quote.tax` setting)."""
    if t.tax is not None:
        tax = t.tax
    else:
        tax = _TAX_BY_CURRENCY.get(t.currency) or (_VAT if rng.random() < 0.7 else _ZERO)
    total = d.value_major if d.value_major else target(rng, d.grade)
    net = int(Decimal(total) * 100 / (100 + tax))  # major units before tax
    items = _lines(rng, net, d.lang, t)
    discount = None
    if rng.random() < _QUOTE_DISCOUNT:
        if rng.random() < 0.8:
            discount = Discount(percent=rng.choice(_QUOTE_PERCENTS))
        else:
            # At most 6% of the planned net; the lines add up to well over that.
            discount = Discount(fixed_minor=_nice(net * rng.randint(2, 6) // 100) * t.unit)
    note = rng.choice(words.QUOTE_NOTES[d.lang]) if rng.random() < 0.3 else None
    return items, discount, tax, note


def _lines(rng: _Rng, net: int, lang: str, t: Terms) -> list[ItemInput]:
    """1-4 catalogue lines adding up to about `net` (major units): lump sums at their usual
    price (at most their share), the rest spread over the lines counted in pieces or days."""
    catalogue = words.QUOTE_ITEMS
    picks = rng.sample(range(len(catalogue)), _pick(rng, _LINES))
    if all(catalogue[i][4] == "once" for i in picks):
        picks[0] = rng.choice(_SCALABLE)  # something whose quantity can carry the deal
    weights = [rng.randint(1, 6) for _ in picks]
    prices: dict[int, int] = {}
    for i, w in zip(picks, weights, strict=True):
        _en, _zh, lo, hi, kind = catalogue[i]
        if kind == "once":
            share = max(1, net * w // sum(weights))
            prices[i] = _nice(min(share, rng.randint(lo, hi) * t.scale))
    rest = max(1, net - sum(prices.values()))
    scalable = sum(w for i, w in zip(picks, weights, strict=True) if i not in prices)
    lines = []
    for i, w in zip(picks, weights, strict=True):
        en, zh, lo, hi, kind = catalogue[i]
        if kind == "once":
            quantity, price = Decimal(1), prices[i]
        else:
            share = max(1, rest * w // scalable)
            price = _nice(rng.randint(lo, hi) * t.scale)
            if kind == "unit":
                count = max(1, (share + price // 2) // price)
                if count > 500:  # a big order of a cheap part: fewer, dearer pieces read better
                    count, price = 500, _nice(share // 500)
                quantity = Decimal(count)
            else:  # days of work, in half days
                halves = max(1, (2 * share + price // 2) // price)
                if halves > 400:
                    halves, price = 400, _nice(share // 200)
                quantity = Decimal(halves) / 2
        lines.append(
            ItemInput(
                zh if lang == "zh" else en,
                quantity,
                price * t.unit,
                _line_discount(rng, quantity, price, t),
            )
        )
    return lines


def _line_discount(rng: _Rng, quantity: Decimal, price: int, t: Terms) -> Discount | None:
    if rng.random() >= _LINE_DISCOUNT:
        return None
    if rng.random() < 0.75:
        return Discount(percent=rng.choice(_PERCENTS))
    gross = int(quantity * price)
    off = _nice(gross * rng.randint(2, 10) // 100)
    return Discount(fixed_minor=min(off, gross) * t.unit)


def _nice(major: int) -> int:
    """Round to two significant digits, as people price: 987 -> 990, 12,345 -> 12,000."""
    major = max(1, major)
    step = 10 ** max(0, len(str(major)) - 2)
    return max(step, (major + step // 2) // step * step)


def _pick(rng: _Rng, options: tuple[tuple[int, int], ...]) -> int:
    roll = rng.randrange(sum(w for _, w in options))
    for value, weight in options:
        if roll < weight:
            return value
        roll -= weight
    raise AssertionError("unreachable")


# ---- writing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    quotes: int
    items: int
    by_status: dict[str, int]  # as stored: draft, sent, accepted, rejected
    followups: int  # chase follow-ups, as `quote send` plans them
    open_followups: int
    overdue_followups: int


def write(
    conn: sqlite3.Connection, rng: _Rng, clock: _Clock, offers: list[list[Version]], t: Terms
) -> Written:
    """Number the offers (per local year of their first draft, in the order they were
    written, after the numbers already used), then append quotes, their lines and the chase
    follow-ups `quote send` would have planned, inside the caller's transaction."""
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
        _chases(rng, clock, ordered, t, counts),
    )
    return Written(len(ordered), len(items), by_status, *counts)


def _quote_row(clock: _Clock, t: Terms, qid: int, v: Version) -> tuple:
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
    rng: _Rng, clock: _Clock, ordered: list[Version], t: Terms, counts: list[int]
) -> Iterator[tuple]:
    """`Chase quote …` follow-ups, due `quote.chase_days` after sending: done when chased
    (or when the answer came first), still open when not yet due or forgotten."""
    if t.chase_days <= 0:
        return
    today = date.fromisoformat(clock.local_date(0))
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
            v.lead_id, f"Chase quote {number}", (today + timedelta(days=due)).isoformat(),
            clock.iso(v.sent),
            None if done is None else clock.iso(done),
        )  # fmt: skip
