"""Writing the deals: leads with their facts, stage history, activities and follow-ups.

Activities and follow-ups sit on each deal's timeline (between creation and close). Times are
integer UTC seconds built from a per-day table, never parsed; rows stream into `executemany`
inside the caller's one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from salesflow import money
from salesflow.demo import words
from salesflow.demo.clock import Clock
from salesflow.demo.deals import STEP, Deal, Progress, World
from salesflow.demo.dice import Rng
from salesflow.i18n import N_
from salesflow.pipeline import REMAP_NOTE

_STALE = 0.3  # open deals nobody has touched for weeks
_UNPLANNED = 0.15  # open deals with no open follow-up
_ACTIVITY_KINDS = (("call", 30), ("email", 35), ("meeting", 14), ("visit", 5), ("note", 16))
# One entry per unit of weight: a weighted pick in the million-row loop is one index.
_KIND_TABLE = tuple(kind for kind, weight in _ACTIVITY_KINDS for _ in range(weight))


def write_leads(
    conn: sqlite3.Connection,
    world: World,
    clock: Clock,
    deals: list[Deal],
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


def _entered(d: Deal) -> str:
    """leads.stages_entered as SQLite's json_group_array writes it: names sorted, no spaces."""
    return json.dumps(sorted({m[1] for m in d.moves}), ensure_ascii=False, separators=(",", ":"))


def _idle_since(clock: Clock, d: Deal, touched: str | None) -> str:
    """touches.py's idle_since: the latest of creation, last touch and last move (the demo
    never remaps a pipeline, but the rule is the same)."""
    moved = [clock.iso(at) for _src, _dst, at, note, _reason in d.moves if note != REMAP_NOTE]
    return max(touched or "", max(moved, default=""), clock.iso(d.created))


def _bant(rng: Rng, grade: str, progress: float) -> str:
    # The further a deal got, the more of BANT the seller has found out.
    if rng.random() >= 0.2 + 0.75 * progress:
        return "unknown"
    return "yes" if rng.random() < {"A": 0.8, "B": 0.6, "C": 0.4}[grade] else "no"


def _tags(rng: Rng) -> str:
    r = rng.random()
    if r < 0.5:
        return ""
    return ",".join(rng.sample(words.TAGS, 1 if r < 0.85 else 2))


def _lifetime(clock: Clock, d: Deal) -> tuple[int, int]:
    """The span a deal's touches fall in: creation to close, or to now while it is open."""
    return d.created, d.end if d.outcome != "open" else clock.now


def write_activities(
    conn: sqlite3.Connection,
    world: World,
    clock: Clock,
    deals: list[Deal],
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
            if (i + 1) % STEP == 0 or i + 1 == total:
                report(N_("activities"), i + 1, total)

    conn.executemany(
        "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        rows(),
    )
    return written


def _touches(rng: Rng, world: World, clock: Clock, d: Deal) -> list[tuple[int, str, str]]:
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


def write_followups(
    conn: sqlite3.Connection, world: World, clock: Clock, deals: list[Deal], report: Progress
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
            if (i + 1) % STEP == 0 or i + 1 == total:
                report(N_("follow-ups"), i + 1, total)

    conn.executemany(
        "INSERT INTO followups (lead_id, customer_id, action, due_date, due_time, created_at, "
        "done_at, recur) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    return counts[0], counts[1], counts[2]


def _passed(clock: Clock, hhmm: str) -> bool:
    hours, minutes = hhmm.split(":")
    return clock.at(0, int(hours) * 60 + int(minutes)) <= clock.now
