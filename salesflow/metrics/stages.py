"""How far the cohort's deals got (`reach`) and how long they stayed in each open stage
(`stage_days`): the history behind the funnel, conversion and calibrated forecast."""

from __future__ import annotations

from dataclasses import dataclass

from salesflow.metrics.windows import Scope
from salesflow.pipeline import LOST, WON, Stage


@dataclass
class Reach:
    """How far the cohort's deals got: reached counts per stage, and for calibration the
    closed deals (now won or lost) that reached each stage."""

    reached: dict[str, int]
    closed_reached: dict[str, int]
    won_reached: dict[str, int]


def _history_ends_by(scope: Scope) -> bool:
    """No stage change is later than the instant, so the stored per-lead facts describe the history
    up to the instant (the latest change is one step into stage_changes_changed_at)."""
    latest = scope.conn.execute("SELECT max(changed_at) FROM stage_changes").fetchone()[0]
    return latest is None or latest <= scope.window.at_iso


def _reach_entered(scope: Scope, forward: list[Stage], outcome: bool) -> Reach:
    """`reach` from `leads.stages_entered`: the leads grouped by the stages they entered (a
    few hundred groups), then each group's furthest stage worked out here."""
    import json

    position = {s.name: s.position for s in forward}
    names = [s.name for s in forward]
    reached = dict.fromkeys(names, 0)
    closed_reached = dict.fromkeys(names, 0)
    won_reached = dict.fromkeys(names, 0)
    reached[LOST] = 0
    # In leads_tally's order (stage, currency first: no sort); currencies are added up here.
    rows = scope.conn.execute(
        "SELECT stage, stages_entered, lost_from, count(*) FROM leads INDEXED BY leads_tally "
        f"WHERE {scope.window.within('created_at')} "
        "GROUP BY stage, currency, stages_entered, lost_from",
        scope.params,
    )
    for stage, entered_text, lost_from, n in rows:
        entered = json.loads(entered_text)
        if not entered:
            continue  # no history: not in the funnel (db check reports such a lead)
        # Names the pipeline no longer has count as its first stage: every deal reached it.
        r = max(position.get(name, 0) for name in entered)
        ever_lost = LOST in entered
        if ever_lost:
            r = max(r, position.get(lost_from, 0))
            reached[LOST] += n
        for s in forward:
            if r >= s.position:
                reached[s.name] += n
                if stage in (WON, LOST):
                    closed_reached[s.name] += n
                    if stage == WON:
                        won_reached[s.name] += n
    if not outcome:
        return Reach(reached, {}, {})
    return Reach(reached, closed_reached, won_reached)


def reach(scope: Scope, outcome: bool = False) -> Reach:
    """Per lead: the furthest open-or-won stage it ever entered before the instant (lost has
    no place in that order: a lost deal reached what it entered before, lost_from included)
    and whether it ever entered lost; with `outcome`, also where it stands at the instant."""
    window = scope.window
    forward = [s for s in scope.stages if s.kind != "lost"]
    if scope.source == "leads" and _history_ends_by(scope):
        return _reach_entered(scope, forward, outcome)
    params = dict(scope.params)
    whens = []
    for i, s in enumerate(forward):
        params[f"s{i}"] = s.name
        whens.append(f"WHEN :s{i} THEN {s.position}")
    position = f"CASE to_stage {' '.join(whens)} END"
    lost_from = f"CASE l.lost_from {' '.join(whens)} END"
    cohort = ""
    if window.since or window.until:
        cohort = f"AND lead_id IN (SELECT id FROM leads WHERE {window.within('created_at')})"
    # Every deal reached the first stage, whatever names its history uses (an imported deal
    # has only its creation row; one from before a pipeline change, old stage names); a lost
    # deal also reached the stage it was lost from.
    per_lead = (
        f"SELECT lead_id, max(coalesce({position}, 0)) AS r, max(to_stage = '{LOST}') AS ever_lost "
        f"FROM stage_changes WHERE changed_at <= :at {cohort} GROUP BY lead_id"
    )
    per_lead = (
        f"SELECT p.lead_id, max(p.r, CASE WHEN p.ever_lost THEN coalesce({lost_from}, 0) "
        f"ELSE 0 END) AS r, p.ever_lost FROM ({per_lead}) p JOIN leads l ON l.id = p.lead_id"
    )
    # Conditional sums, not GROUP BY r: no sort of 100k rows for a handful of counts.
    counts = [f"sum(h.r >= {s.position})" for s in forward]
    sql = f"SELECT sum(h.ever_lost), {', '.join(counts)}"
    if outcome:
        closed = f"st.stage IN ('{WON}', '{LOST}')"
        sql += ", " + ", ".join(f"sum(h.r >= {s.position} AND {closed})" for s in forward)
        sql += ", " + ", ".join(f"sum(h.r >= {s.position} AND st.stage = '{WON}')" for s in forward)
        sql += f" FROM ({per_lead}) h JOIN {scope.source} st ON st.id = h.lead_id"
    else:
        sql += f" FROM ({per_lead}) h"
    row = [v or 0 for v in scope.conn.execute(sql, params).fetchone()]
    n = len(forward)
    names = [s.name for s in forward]
    reached = dict(zip(names, row[1 : 1 + n], strict=True))
    reached[LOST] = row[0]
    if not outcome:
        return Reach(reached, {}, {})
    closed_reached = dict(zip(names, row[1 + n : 1 + 2 * n], strict=True))
    won_reached = dict(zip(names, row[1 + 2 * n :], strict=True))
    return Reach(reached, closed_reached, won_reached)


# Whole UTC calendar days between entering and leaving a stage, as indexed by
# stage_changes_visits (migration 6): SQLite groups in index order only when this matches.
VISIT_DAYS = (
    "CAST(julianday(substr(left_at, 1, 10)) - julianday(substr(changed_at, 1, 10)) AS INTEGER)"
)
# A local day is its UTC day or a neighbour, so local days in stage = VISIT_DAYS + a shift of
# -2..2 (-1..1 where the zone's offsets never change sign). The shifts are counted in one
# packed sum, _PACK bits a count, so the local days are worked out once per visit.
_PACK = 31
_PACKS = {(-1, 1): "-1 THEN 1 WHEN 1 THEN 1 << 31", (-2, 2): "-2 THEN 1 WHEN 2 THEN 1 << 31"}


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
    # Every visit ended by the instant unless some ended later (history after an --as-of day).
    latest = scope.conn.execute("SELECT max(left_at) FROM stage_changes").fetchone()[0]
    ended = "1" if latest is None or latest <= window.at_iso else "left_at <= :at"
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
    # after it.
    for going_on in ("left_at IS NULL", "left_at > :at"):
        for stage, d, n in scope.conn.execute(
            f"SELECT to_stage, {days.day(':at')} - {days.day('changed_at')} AS d, count(*) "
            f"FROM stage_changes INDEXED BY stage_changes_left WHERE {going_on} "
            f"AND to_stage IN ({', '.join(names)}) AND changed_at <= :at {cohort} "
            "GROUP BY to_stage, d",
            params,
        ):
            add(stage, d, n)
    return out
