"""Moving a lead through the pipeline: forwards, backwards, won, lost and reopened.

Every move is a `stage_changes` row, so conversion and cycle figures are computed from history.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from salesflow import customers, followups, pipeline, touches
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import _, join
from salesflow.leads import Lead


@dataclass(frozen=True)
class Move:
    lead_id: int
    from_stage: str
    to_stage: str
    changed_at: str
    note: str | None
    reason: str | None
    dropped: tuple[str, ...] = ()  # open next steps a win or loss made moot (#7 chase …)
    # Quotes still out with the client ('sent') when the deal closed: the seller says what
    # the client did with them (accepted, rejected) — a win is not always that quote.
    sent_quotes: tuple[str, ...] = ()

    @property
    def dropped_followups(self) -> int:
        return len(self.dropped)

    def dropped_note(self) -> str:
        """` (dropped open follow-ups: #7 chase Q-…, #9 call)`, or "" when none were."""
        if not self.dropped:
            return ""
        return _(" (dropped open follow-ups: {followups})").format(followups=join(self.dropped))


def advance(
    conn: sqlite3.Connection,
    lead: Lead,
    target: str | None,
    *,
    now_iso: str,
    note: str | None = None,
    reason: str | None = None,
    reopen: bool = False,
) -> Move:
    """Move `lead` to `target` (default: the next open stage; with `reopen`: the stage it was
    closed from). Losing needs a reason; a closed lead moves only with `reopen`."""
    current = pipeline.get_stage(conn, lead.stage)
    if not current.is_open and not reopen:
        raise SalesflowError(
            _("{label} is {stage}").format(label=lead.label, stage=current.shown),
            hint=Hint("advance.reopen", lead=lead.id),
        )
    if reopen and current.is_open:
        raise SalesflowError(
            _("{label} is open (stage {stage})").format(label=lead.label, stage=lead.stage),
            hint=Hint("advance.reopen_open"),
        )
    # The open stage the deal is in, or for a closed deal the one it was closed from.
    open_from = current if current.is_open else _last_open_stage(conn, lead)
    if target is None:
        to = open_from if reopen else _next_open(conn, current)
    else:
        to = pipeline.get_stage(conn, target)
    if to.name == lead.stage:
        raise SalesflowError(
            _("{label} is already in stage {stage}").format(label=lead.label, stage=to.shown)
        )
    if to.kind == "lost" and not (reason and reason.strip()):
        raise SalesflowError(
            _("losing a deal needs a reason"), hint=Hint("advance.lost_reason", lead=lead.id)
        )
    if reason and to.kind != "lost":
        raise SalesflowError(
            _("a reason is for lost deals; other moves take a note"),
            hint=Hint("advance.reason_not_lost"),
        )
    if reopen and not note:
        note = _("reopened")
    changes: dict[str, str | None] = {"stage": to.name, "updated_at": now_iso}
    if to.kind == "lost":
        changes |= {"closed_at": now_iso, "lost_reason": reason.strip(), "won_note": None}
        changes["lost_from"] = open_from.name
    elif to.kind == "won":
        changes |= {"closed_at": now_iso, "won_note": note, "lost_reason": None, "lost_from": None}
    else:
        changes |= {"closed_at": None, "lost_reason": None, "lost_from": None, "won_note": None}
    assignments = ", ".join(f"{k} = ?" for k in changes)
    conn.execute(f"UPDATE leads SET {assignments} WHERE id = ?", (*changes.values(), lead.id))
    conn.execute(
        "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, note, reason) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (lead.id, lead.stage, to.name, now_iso, note, reason),
    )
    touches.refresh(conn, [lead.id])
    # Winning makes the company a customer, reopening a won deal unlinks it: same transaction.
    customers.follow_stage(conn, lead, current, to, now_iso)
    dropped, sent = [], []
    if not to.is_open:
        dropped = followups.drop_open_steps(conn, lead.id)
        sent = [n for (n,) in conn.execute(
            "SELECT number FROM quotes WHERE lead_id = ? AND status = 'sent' ORDER BY id",
            (lead.id,),
        )]  # fmt: skip
    return Move(lead.id, lead.stage, to.name, now_iso, note, reason, tuple(dropped), tuple(sent))


def _next_open(conn: sqlite3.Connection, current: pipeline.Stage) -> pipeline.Stage:
    later = [s for s in pipeline.open_stages(conn) if s.position > current.position]
    if not later:
        raise SalesflowError(
            _('"{name}" is the last open stage').format(name=current.name),
            hint=Hint("advance.next"),
        )
    return later[0]


def _last_open_stage(conn: sqlite3.Connection, lead: Lead) -> pipeline.Stage:
    """The latest stage of the current pipeline the deal was in before it closed (the first
    open stage when its history names none that still exist)."""
    names = {s.name: s for s in pipeline.open_stages(conn)}
    if lead.lost_from in names:
        return names[lead.lost_from]
    rows = conn.execute(
        "SELECT to_stage FROM stage_changes WHERE lead_id = ? ORDER BY changed_at DESC, id DESC",
        (lead.id,),
    )
    for (stage,) in rows:
        if stage in names:
            return names[stage]
    return next(iter(names.values()))


def history(conn: sqlite3.Connection, lead_id: int) -> list[Move]:
    rows = conn.execute(
        "SELECT lead_id, coalesce(from_stage, ''), to_stage, changed_at, note, reason "
        "FROM stage_changes WHERE lead_id = ? ORDER BY changed_at, id",
        (lead_id,),
    )
    return [Move(*r) for r in rows]
