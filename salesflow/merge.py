"""`lead merge KEEP OTHER`: one lead out of two that are the same deal.

OTHER's activities, follow-ups, quotes and stage history move to KEEP; KEEP's empty facts are
filled from OTHER (tags joined, notes appended); KEEP keeps its stage unless the user takes
OTHER's; a closing row in KEEP's history records the merge; OTHER is deleted. The caller runs
it in one transaction, so it is one `undo`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from salesflow import customers, leads, pipeline, touches
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.leads import Lead

# Facts KEEP takes from OTHER when its own are empty.
FILLED = (
    "company", "email", "phone", "source", "grade", "bant_note", "expected_close", "address",
    "tax_id", "doc_lang",
)  # fmt: skip
_BANT = ("bant_budget", "bant_authority", "bant_need", "bant_timeline")
# Rows that belong to a lead and move with it (stage_changes handled apart).
MOVED = ("activities", "followups", "quotes")


@dataclass(frozen=True)
class Merged:
    keep: Lead
    other: Lead
    moved: dict[str, int]  # rows moved per table
    filled: list[str]  # KEEP's facts taken from OTHER
    stage: str


@dataclass(frozen=True)
class Preview:
    """What OTHER brings to a merge, for the question before it: its rows that move to KEEP,
    and what of it the merge does not keep."""

    moving: dict[str, int]  # OTHER's rows per table (MOVED) that move to KEEP
    stage_lost: str | None  # OTHER's open stage, given up for KEEP's
    value_lost: tuple[int, str] | None  # OTHER's value (minor units, currency), not taken


def preview(
    conn: sqlite3.Connection, keep: Lead, other: Lead, *, stage_from_other: bool
) -> Preview:
    """What `merge` with these arguments would move and drop of OTHER (same rules as merge)."""
    moving = {
        t: conn.execute(f"SELECT count(*) FROM {t} WHERE lead_id = ?", (other.id,)).fetchone()[0]
        for t in MOVED
    }
    stage_lost = None
    if not stage_from_other and other.stage != keep.stage:
        stage = pipeline.get_stage(conn, other.stage)
        stage_lost = stage.shown if stage.is_open else None
    final = other if stage_from_other else keep
    taken = keep.value_minor is None or (
        stage_from_other and pipeline.get_stage(conn, final.stage).kind == "won"
    )
    value_lost = None
    if other.value_minor is not None and not taken:
        value_lost = (other.value_minor, other.currency)
    return Preview(moving, stage_lost, value_lost)


def check_pair(keep: Lead, other: Lead) -> None:
    """Refuses a pair that cannot be merged, before anyone is asked to confirm it."""
    if keep.id == other.id:
        raise SalesflowError(
            _("cannot merge lead {label} with itself — name two leads").format(label=keep.label)
        )


def merge(
    conn: sqlite3.Connection, keep: Lead, other: Lead, *, stage_from_other: bool, now_iso: str
) -> Merged:
    check_pair(keep, other)
    final = other if stage_from_other else keep
    before = pipeline.get_stage(conn, keep.stage)
    after = pipeline.get_stage(conn, final.stage)
    # OTHER's customer link ends with it; a won OTHER whose win is not kept hands its
    # check-ins on (or drops them) as a reopen would.
    if pipeline.get_stage(conn, other.stage).kind == "won":
        customers.leave(conn, other)
    moved = {}
    for table in MOVED:
        cur = conn.execute(f"UPDATE {table} SET lead_id = ? WHERE lead_id = ?", (keep.id, other.id))
        moved[table] = cur.rowcount
    cur = conn.execute(
        "UPDATE stage_changes SET lead_id = ? WHERE lead_id = ?", (keep.id, other.id)
    )
    moved["stage_changes"] = cur.rowcount
    # Custom fields KEEP has no value for take OTHER's; the rest go with OTHER.
    taken = [f for (f,) in conn.execute(
        "UPDATE lead_fields SET lead_id = ? WHERE lead_id = ? AND field NOT IN "
        "(SELECT field FROM lead_fields WHERE lead_id = ?) RETURNING field",
        (keep.id, other.id, keep.id),
    )]  # fmt: skip
    sets, filled = _filled(keep, other)
    filled += taken
    if stage_from_other:
        sets.update(
            stage=other.stage, closed_at=other.closed_at, lost_reason=other.lost_reason,
            lost_from=other.lost_from, won_note=other.won_note,
        )  # fmt: skip
        if keep.value_minor is None or after.kind == "won":
            sets.update(value_minor=other.value_minor, currency=other.currency)
    sets["updated_at"] = now_iso
    assignments = ", ".join(f"{k} = :{k}" for k in sets)
    conn.execute(f"UPDATE leads SET {assignments} WHERE id = :id", {**sets, "id": keep.id})
    # The merge closes KEEP's history in the stage it ends in, whatever OTHER's rows say.
    conn.execute(
        "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, note) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            keep.id,
            keep.stage,
            final.stage,
            now_iso,
            _("merged lead #{id} {name}").format(id=other.id, name=other.name),
        ),
    )
    conn.execute("DELETE FROM leads WHERE id = ?", (other.id,))
    merged = leads.get(conn, keep.id)
    if after.kind == "won":
        customers.join(conn, merged, now_iso)
    elif before.kind == "won":
        customers.leave(conn, merged)
    touches.refresh(conn, [keep.id])
    return Merged(keep, other, moved, filled, final.stage)


def _filled(keep: Lead, other: Lead) -> tuple[dict[str, object], list[str]]:
    sets: dict[str, object] = {}
    for name in FILLED:
        if getattr(keep, name) in (None, "") and getattr(other, name) not in (None, ""):
            sets[name] = getattr(other, name)
    for name in _BANT:
        if getattr(keep, name) == "unknown" and getattr(other, name) != "unknown":
            sets[name] = getattr(other, name)
    if keep.value_minor is None and other.value_minor is not None:
        sets.update(value_minor=other.value_minor, currency=other.currency)
    tags = list(dict.fromkeys(keep.tag_list + other.tag_list))
    if tags != keep.tag_list:
        sets["tags"] = ",".join(tags)
    if other.notes and other.notes != keep.notes:
        sets["notes"] = f"{keep.notes}\n{other.notes}" if keep.notes else other.notes
    filled = [k for k in sets if k not in ("currency",)]
    return sets, filled
