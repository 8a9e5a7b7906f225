"""The deals: who the leads are and how each walks the current pipeline, from a seed.

Not random noise: every lead walks the CURRENT pipeline (the `stages` table) in order, with
the odds and pace of its grade — A deals close fast and often, C deals slowly and rarely —
skips a stage now and then, is lost for a reason that fits where it stopped, and once in a
while is reopened.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from salesflow.demo import words
from salesflow.demo.clock import HISTORY_DAYS, Clock
from salesflow.demo.dice import Rng, weighted
from salesflow.i18n import N_, _

# (step, done, total): long work reports progress; the command decides how to show it.
Progress = Callable[[str, int, int], None]
STEP = 1000  # leads between progress reports

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
_SCALE = {"CNY": 7, "HKD": 8, "TWD": 32, "JPY": 150, "KRW": 1400, "INR": 80, "SEK": 10,
          "NOK": 10, "DKK": 7, "CZK": 23, "PLN": 4, "MXN": 18, "BRL": 5, "ZAR": 18,
          "THB": 35, "IDR": 16_000, "VND": 25_000}  # fmt: skip
CJK_CURRENCIES = ("CNY", "HKD", "TWD")

_SKIP = 0.08  # a stage is jumped over
_REOPEN = 0.3  # of losses for a "come back later" reason, when the time allows
_REPEAT = 0.07  # a new lead is an existing customer buying again
_NO_VALUE = 0.08
_EARLY_LOSSES = (
    ("no response", 30), ("no budget", 25), ("not a fit", 20), ("timing", 15),
    ("chose to do it in-house", 10),
)  # fmt: skip
_LATE_LOSSES = (
    ("price", 30), ("competitor", 25), ("no decision", 20), ("timing", 15), ("no budget", 10),
)  # fmt: skip
_REOPENABLE = ("timing", "no decision", "no response")
# Prime (neither 2 nor 5), so coprime with 10**8: distinct lead numbers, distinct endings.
_SCRAMBLE = 7_919


@dataclass
class World:
    seed: int
    currency: str
    open_stages: list[str]
    won: str
    lost: str

    def rng(self, step: str) -> Rng:
        # A string seed is hashed with SHA-512 by `random`: stable across runs and platforms.
        return Rng(f"salesflow-demo:{self.seed}:{step}")

    @property
    def scale(self) -> int:
        return _SCALE.get(self.currency, 1)


@dataclass(slots=True)
class Deal:
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


def make_deals(
    world: World, clock: Clock, count: int, first_id: int, report: Progress
) -> list[Deal]:
    people = world.rng("people")
    rng = world.rng("deals")
    cjk_share = 0.65 if world.currency in CJK_CURRENCIES else 0.3
    # Creation days, oldest first, so lead numbers grow with time like a real database's.
    days = sorted(_creation_day(rng, clock) for _ in range(count))
    deals: list[Deal] = []
    winners: list[Deal] = []
    for i, day in enumerate(days):
        created = clock.at(day, rng.randrange(480, 1140))
        if day == 0 and created > clock.now:
            created = clock.now - rng.randrange(0, 3600)
        again = _repeat_of(rng, winners, created) if rng.random() < _REPEAT else None
        if again is not None:
            deal = _returning(people, again, first_id + i, created, day)
        else:
            lang = "zh" if people.random() < cjk_share else "en"
            source = weighted(rng, _SOURCES)
            deal = _newcomer(people, lang, first_id + i, source, created, day)
        deal.grade = weighted(rng, _GRADES[deal.source])
        profile = GRADE_PROFILES[deal.grade]
        if rng.random() >= _NO_VALUE:
            lo, hi = weighted(rng, profile.value_bands)
            deal.value_major = rng.randrange(lo // 100, hi // 100) * 100 * world.scale
        _walk(rng, world, clock, deal, profile)
        if deal.outcome == "won":
            winners.append(deal)
        deals.append(deal)
        if (i + 1) % STEP == 0 or i + 1 == count:
            report(N_("leads"), i + 1, count)
    return deals


def _creation_day(rng: Rng, clock: Clock) -> int:
    # A growing business: twice as many leads this month as twelve months ago.
    while True:
        day = -rng.randrange(HISTORY_DAYS)
        if rng.random() < 1 + day / (2 * HISTORY_DAYS):
            break
    # Fewer leads come in at weekends.
    return clock.workday(day) if rng.random() < 0.85 else day


def _repeat_of(rng: Rng, winners: list[Deal], created: int) -> Deal | None:
    """An earlier won deal, closed before `created`, whose customer buys again."""
    for _try in range(5):
        if not winners:
            return None
        candidate = winners[rng.randrange(len(winners))]
        if candidate.end < created:
            return candidate
    return None


def _newcomer(rng: Rng, lang: str, lead_id: int, source: str, created: int, day: int) -> Deal:
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
        # The last eight digits come from the lead's number, so no two demo leads share a
        # phone (`lead dupes` would pair them); the draws stay, so the rest of the demo does too.
        prefix, _high, _low = rng.randrange(30, 90), rng.randrange(10_000), rng.randrange(10_000)
        n = (lead_id * _SCRAMBLE) % 10**8  # a bijection: _SCRAMBLE is coprime with 10
        phone = f"+86 1{prefix} {n // 10_000:04d} {n % 10_000:04d}"
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
        # Fictional ranges (555, Ofcom's 020 7946), told apart by the lead's number.
        high, low = divmod(lead_id, 10_000)
        if rng.random() < 0.5:
            rng.randrange(100)
            phone = f"+1 {201 + high} 555 {low:04d}"
        else:
            rng.randrange(1000)
            phone = f"+44 {20 + high} 7946 {low:04d}"
    if not has_company:
        company, domain = None, "mail.example"
    email = f"{local}@{domain}" if rng.random() < 0.85 else None
    return Deal(
        id=lead_id, lang=lang, name=name, company=company, email=email,
        phone=phone if rng.random() < 0.7 else None, source=source, grade="B",
        value_major=None, created=created, created_day=day,
    )  # fmt: skip


def _returning(rng: Rng, before: Deal, lead_id: int, created: int, day: int) -> Deal:
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


def _walk(rng: Rng, world: World, clock: Clock, deal: Deal, profile: GradeProfile) -> None:
    """Move the deal through the pipeline until it closes or reaches `now`."""
    stages = world.open_stages
    n = len(stages)
    # Each open stage is one chance to lose the deal; this per-stage loss makes the
    # grade's overall win rate come out right.
    loss = 1 - profile.win_rate ** (1 / n)
    mean = max(2, profile.cycle_days // n)
    k, t, day = 0, deal.created, deal.created_day
    # Notes salesflow itself would write are in the language of the moment (leads.py).
    deal.moves.append((None, stages[0], t, _("created"), None))
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
            reason = weighted(rng, _EARLY_LOSSES if early else _LATE_LOSSES)
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
            deal.moves.append((world.lost, stage, t, _("reopened: back in touch"), None))
            deal.outcome, deal.reopened = "open", True
            continue
        if k == n - 1:
            note = (
                rng.choice(words.WON_NOTES[words.own_lang(deal.lang)])
                if rng.random() < 0.6
                else None
            )
            deal.moves.append((stage, world.won, t, note, None))
            deal.outcome = "won"
            return
        skip = k + 2 < n and rng.random() < _SKIP
        k += 2 if skip else 1
        deal.moves.append((stage, stages[k], t, _("skipped a stage") if skip else None, None))
