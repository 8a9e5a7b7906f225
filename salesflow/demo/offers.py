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
what the seller's own quotes would give.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from salesflow.demo.clock import Clock
from salesflow.demo.deals import Deal
from salesflow.demo.dice import Rng
from salesflow.demo.terms import Terms, first_offer
from salesflow.i18n import N_
from salesflow.quotes.math import Discount, ItemInput, Totals, compute

_QUOTED = 0.85  # deals that reach the quote stage with a written quote (others agree by phone)
# A quote sent long before the answer: renegotiated (a -v2 sent later), else the quote went
# out late (the lead was moved to the quote stage by hand earlier).
_RENEGOTIATE = 0.35
_AGAIN = 0.1  # a deal in a later stage renegotiates anyway
_BUMPS = tuple(Decimal(p) for p in ("2", "3", "5"))
_MAX_DISCOUNT = Decimal(30)
_DAY = 86_400


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
    rng: Rng,
    clock: Clock,
    deals: Sequence[Deal],
    t: Terms,
    *,
    open_stages: Sequence[str],
    won: str,
    lost: str,
    target: Callable[[Rng, str], int],
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
            report(N_("quotes"), i, total)
        episodes = _episodes(d, position, t.stage, won, lost)
        if not episodes or rng.random() >= _QUOTED:
            continue
        offer = _offer(rng, clock, d, episodes, t, target, rotation)
        if offer[-1].status == "accepted":
            d.quoted_minor = offer[-1].totals.total_minor
        offers.append(offer)
    return offers


def _episodes(
    d: Deal, position: dict[str, int], quote_at: int, won: str, lost: str
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

    def __init__(self, rng: Rng) -> None:
        at = rng.randrange(len(self.KINDS))
        self.queue = list(self.KINDS[at:] + self.KINDS[:at])
        self.unmet = list(self.HARDEST_FIRST)

    def deal(self, clock: Clock, t: Terms, start: int) -> tuple[str, int, int]:
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


def _open_window(clock: Clock, t: Terms, kind: str, start: int) -> tuple[int, int]:
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
    rng: Rng,
    clock: Clock,
    d: Deal,
    episodes: list[_Episode],
    t: Terms,
    target: Callable[[Rng, str], int],
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
            _add(versions, t, d.id, *first_offer(rng, d, t, target), _made(rng, sent, floor), sent)
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


def _copy(rng: Rng, versions: list[Version], t: Terms, created: int, sent: int | None) -> None:
    """`quote copy` and a bigger whole-quote discount before sending it."""
    prev = versions[-1]
    percent = prev.discount.percent if prev.discount and prev.discount.percent else Decimal(0)
    discount = Discount(percent=min(_MAX_DISCOUNT, percent + rng.choice(_BUMPS)))
    _add(versions, t, prev.lead_id, prev.items, discount, prev.tax, prev.note, created, sent)


def _supersede(rng: Rng, versions: list[Version], t: Terms, sent: int) -> None:
    prev = versions[-1]
    floor = prev.sent if prev.sent is not None else prev.created
    _copy(rng, versions, t, _made(rng, sent, floor), sent)
    # Rejected when the new version went out (`quote accept` says the same of older ones).
    prev.status, prev.decided, prev.superseded = "rejected", sent, True


def _made(rng: Rng, sent: int, floor: int) -> int:
    """When the draft was written: shortly before it was sent, not before `floor`."""
    return min(sent, max(floor, sent - rng.randrange(10, 180) * 60))


def _moment(rng: Rng, clock: Clock, lo: int, hi: int) -> int | None:
    """A working-hours instant strictly inside (lo, hi), or None when there is no room."""
    if hi - lo < 120:
        return None
    day = clock.workday(rng.randint(clock.day_of(lo), clock.day_of(hi)))
    ts = clock.at(day, rng.randrange(540, 1080))
    return min(max(ts, lo + 60), hi - 60)
