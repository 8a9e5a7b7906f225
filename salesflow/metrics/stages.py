"""How far the cohort's deals got (`reach`) and how long they stayed in each open stage
(`stage_days`): the history behind the funnel, conversion and calibrated forecast."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from salesflow.metrics.windows import Scope
from salesflow.pipeline import LOST, WON, Stage


@dataclass
class Reach:
    """How far the cohort's deals got: reached counts per stage, and for calibration the
    closed deals (now won or lost) that reached each stage."""

    reached: dict[str, int]
    closed_reached: dict[str, int]
    won_reached: dict[str, int]
    # When read off leads_tally: the cohort's (deals, value) per (stage, currency), which the
    # funnel would otherwise read in a second pass.
    cohort: dict[tuple[str, str], tuple[int, int]] | None = field(default=None, compare=False)


def _history_ends_by(scope: Scope) -> bool:
    """No stage change is later than the instant, so the stored per-lead facts describe the history
    up to the instant (the latest change is one step into stage_changes_changed_at)."""
    latest = scope.conn.execute("SELECT max(changed_at) FROM stage_changes").fetchone()[0]
    return latest is None or latest <= scope.window.at_iso


def _count_entered(
    reach: Reach, forward: list[Stage], rows: Iterable[tuple[str, str, str | None, int]]
) -> None:
    """Add groups of leads to `reach`: each group's stage at the instant, the stages its
    history entered (`leads.stages_entered`), the stage it was lost from, and its size."""
    import json

    position = {s.name: s.position for s in forward}
    for stage, entered_text, lost_from, n in rows:
        entered = json.loads(entered_text)
        if not entered:
            continue  # no history: not in the funnel (db check reports such a lead)
        # Names the pipeline no longer has count as its first stage: every deal reached it.
        r = max(position.get(name, 0) for name in entered)
        if LOST in entered:
            r = max(r, position.get(lost_from, 0))
            reach.reached[LOST] += n
        for s in forward:
            if r >= s.position:
                reach.reached[s.name] += n
                if stage in (WON, LOST):
                    reach.closed_reached[s.name] += n
                    if stage == WON:
                        reach.won_reached[s.name] += n


def _count_history(reach: Reach, scope: Scope, forward: list[Stage], leads: str) -> None:
    """Add the leads the SQL `leads` selects to `reach`, from their stage changes up to the
    instant: one aggregate per lead over its history, then conditional sums over the leads."""
    params = dict(scope.params)
    whens = []
    for i, s in enumerate(forward):
        params[f"s{i}"] = s.name
        whens.append(f"WHEN :s{i} THEN {s.position}")
    position = f"CASE to_stage {' '.join(whens)} END"
    lost_from = f"CASE l.lost_from {' '.join(whens)} END"
    # Every deal reached the first stage, whatever names its history uses (an imported deal
    # has only its creation row; one from before a pipeline change, old stage names); a lost
    # deal also reached the stage it was lost from.
    per_lead = (
        f"SELECT lead_id, max(coalesce({position}, 0)) AS r, max(to_stage = '{LOST}') AS ever_lost "
        f"FROM stage_changes WHERE changed_at <= :at AND lead_id IN ({leads}) GROUP BY lead_id"
    )
    per_lead = (
        f"SELECT p.lead_id, max(p.r, CASE WHEN p.ever_lost THEN coalesce({lost_from}, 0) "
        f"ELSE 0 END) AS r, p.ever_lost FROM ({per_lead}) p JOIN leads l ON l.id = p.lead_id"
    )
    # Conditional sums, not GROUP BY r: no sort of 100k rows for a handful of counts.
    closed = f"st.stage IN ('{WON}', '{LOST}')"
    sums = [f"sum(h.r >= {s.position})" for s in forward]
    sums += [f"sum(h.r >= {s.position} AND {closed})" for s in forward]
    sums += [f"sum(h.r >= {s.position} AND st.stage = '{WON}')" for s in forward]
    row = scope.conn.execute(
        f"SELECT sum(h.ever_lost), {', '.join(sums)} FROM ({per_lead}) h "
        f"JOIN {scope.source} st ON st.id = h.lead_id",
        params,
    ).fetchone()
    reach.reached[LOST] += row[0] or 0
    n = len(forward)
    for i, s in enumerate(forward):
        reach.reached[s.name] += row[1 + i] or 0
        reach.closed_reached[s.name] += row[1 + n + i] or 0
        reach.won_reached[s.name] += row[1 + 2 * n + i] or 0


def reach(scope: Scope, outcome: bool = False) -> Reach:
    """Per lead: the furthest open-or-won stage it ever entered before the instant (lost has
    no place in that order: a lost deal reached what it entered before, lost_from included)
    and whether it ever entered lost; with `outcome`, also where it stands at the instant."""
    window = scope.window
    forward = [s for s in scope.stages if s.kind != "lost"]
    names = [s.name for s in forward]
    result = Reach(
        {**dict.fromkeys(names, 0), LOST: 0},
        dict.fromkeys(names, 0),
        dict.fromkeys(names, 0),
    )
    if scope.source == "leads" and _history_ends_by(scope):
        # In leads_tally's order (no sort): currencies, sources and grades add up here.
        rows = scope.conn.execute(
            "SELECT stage, stages_entered, lost_from, count(*), currency, "
            "coalesce(sum(value_minor), 0) FROM leads INDEXED BY leads_tally "
            f"WHERE {window.within('created_at')} "
            "GROUP BY stage, currency, source, grade, stages_entered, lost_from",
            scope.params,
        ).fetchall()
        _count_entered(result, forward, (row[:4] for row in rows))
        cohort: dict[tuple[str, str], tuple[int, int]] = {}
        for stage, _, _, n, currency, value in rows:
            deals, total = cohort.get((stage, currency), (0, 0))
            cohort[stage, currency] = (deals + n, total + value)
        result.cohort = cohort
    elif scope.source == "leads":  # some history after now (clock skew): every lead the long way
        _count_history(
            result,
            scope,
            forward,
            f"SELECT id FROM leads WHERE {window.within('created_at')}",
        )
    else:
        # --as-of: a lead whose history has nothing after the instant (its visit then has not
        # ended) entered by then exactly the stages it has entered; only the others are
        # worked out from their history.
        cohort = window.within("created_at")
        rows = scope.conn.execute(
            "SELECT st.stage, l.stages_entered, l.lost_from, count(*) "
            f"FROM {scope.source} st JOIN leads l ON l.id = st.id "
            f"WHERE st.left_at IS NULL AND {window.within('st.created_at')} "
            "GROUP BY st.stage, l.stages_entered, l.lost_from",
            scope.params,
        )
        _count_entered(result, forward, rows)
        moved_later = f"SELECT id FROM {scope.source} WHERE left_at IS NOT NULL AND {cohort}"
        _count_history(result, scope, forward, moved_later)
    if not outcome:
        return Reach(result.reached, {}, {}, result.cohort)
    return result


# Whole UTC calendar days between entering and leaving a stage, as indexed by
# stage_changes_visits (migration 6): SQLite groups in index order only when this matches.
VISIT_DAYS = (
    "CAST(julianday(substr(left_at, 1, 10)) - julianday(substr(changed_at, 1, 10)) AS INTEGER)"
)
# A local day is its UTC day or a neighbour, so local days in stage = VISIT_DAYS + a shift of
# -2..2 (-1..1 where the zone's offsets never change sign). The shifts are counted in one
# packed sum, _PACK bits a count, so the local days are worked out once per visit.
_PACK = 31
_PACKS = {
    (-1, 1): "-1 THEN 1 WHEN 1 THEN 1 << 31",
    (-2, 2): "-2 THEN 1 WHEN 2 THEN 1 << 31",
}


def stage_days(scope: Scope) -> dict[str, dict[int, int]]:
    """{open stage: {days in stage: visits}} for the cohort's visits begun before the instant.

    A visit ends at the lead's next stage change (`stage_changes.left_at`), or counts until the
    instant when it had not ended by then."""
    window, days = scope.window, scope.days
    if not scope.open_names:
        return {}
    cohort = ""
    if window.since or window.until:
        cohort = f"AND lead_id IN (SELECT id FROM leads WHERE {window.within('created_at')})"
    params = dict(scope.params)
    names = []
    for i, name in enumerate(scope.open_names):
        params[f"o{i}"] = name
        names.append(f":o{i}")
    wanted = set(scope.open_names)
    out: dict[str, dict[int, int]] = {}

    def add(stage: str, d: int, n: int) -> None:
        if n:
            hist = out.setdefault(stage, {})
            hist[d] = hist.get(d, 0) + n

    # Visits ended by the instant, counted per UTC-day span in index order (every stage:
    # filtering on the first index column would make SQLite hop between ranges; few visits
    # are closed ones).
    # A visit ends at its lead's next change: none ended after the instant when no change
    # is dated after it.
    history_ends = _history_ends_by(scope)
    ended = "1" if history_ends else "left_at <= :at"
    offsets = {offset for _, offset in days.segments}
    pairs: list[tuple[int, int]] = []  # the shifts that can happen, two per packed sum
    if offsets != {0}:  # not UTC: count the visits whose local span differs from the UTC one
        pairs = [(-1, 1)] if min(offsets) >= 0 or max(offsets) <= 0 else [(-1, 1), (-2, 2)]
    local = f"{days.day('left_at')} - {days.day('changed_at')} - {VISIT_DAYS}"
    packed = "".join(
        f", sum(CASE WHEN {ended} THEN CASE {local} WHEN {_PACKS[p]} END END)" for p in pairs
    )
    for stage, d, n, *sums in scope.conn.execute(
        f"SELECT to_stage, {VISIT_DAYS} AS d, sum({ended}){packed} "
        f"FROM stage_changes INDEXED BY stage_changes_visits "
        f"WHERE left_at IS NOT NULL {cohort} GROUP BY to_stage, d",
        params,
    ):
        if stage not in wanted:
            continue
        for (lo, hi), total in zip(pairs, sums, strict=True):
            total = total or 0
            low, high = total & ((1 << _PACK) - 1), total >> _PACK
            add(stage, d + lo, low)
            add(stage, d + hi, high)
            n -= low + high
        add(stage, d, n)
    # Visits still going on at the instant count until then: those not ended, and those ended
    # after it. With --as-of they are the visits the leads' state then was read from.
    if scope.source != "leads":
        going = scope.conn.execute(
            f"SELECT stage, {days.day(':at')} - {days.day('entered_at')} AS d, count(*) "
            f"FROM {scope.source} WHERE stage IN ({', '.join(names)}) "
            f"AND {window.within('created_at')} GROUP BY stage, d",
            params,
        ).fetchall()
    else:
        # Visits ended after now only exist when some history is dated after now.
        going_on = {"stage_changes_open": "left_at IS NULL"}
        if not history_ends:
            going_on["stage_changes_visits"] = "left_at IS NOT NULL AND left_at > :at"
        going = [
            row
            for index, condition in going_on.items()
            for row in scope.conn.execute(
                f"SELECT to_stage, {days.day(':at')} - {days.day('changed_at')} AS d, count(*) "
                f"FROM stage_changes INDEXED BY {index} WHERE {condition} "
                f"AND to_stage IN ({', '.join(names)}) AND changed_at <= :at {cohort} "
                "GROUP BY to_stage, d",
                params,
            )
        ]
    for stage, d, n in going:
        add(stage, d, n)
    return out
