"""What sending, accepting or rejecting a quote does to the quote and to its deal."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from salesflow import activities, leads, money, moves, pipeline
from salesflow.config import DEFAULT_QUOTE_STAGE
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import N_, _
from salesflow.leads import Lead
from salesflow.quotes.drafts import check_validity
from salesflow.quotes.model import Accepted, Quote, Rejected, Sent, get
from salesflow.words import translated, word

# What the user tried to do to a quote, as the hint names it (English shows the bare verb).
_VERBS = {"accept": N_("accept (a quote)"), "reject": N_("reject (a quote)")}


def _verb(action: str) -> str:
    return translated(_VERBS[action]) or action


def _require_sent(quote: Quote, action: str) -> None:
    status = quote.status
    if status == "sent":
        return
    if status == "draft":
        raise SalesflowError(
            _("{number} is a draft").format(number=quote.number),
            hint=Hint("quote.send_first", number=quote.number),
        )
    raise SalesflowError(
        _("{number} is already {status}").format(number=quote.number, status=word(status)),
        hint=Hint("quote.copy_to", number=quote.number, action=_verb(action)),
    )


def send(
    conn: sqlite3.Connection,
    quote: Quote,
    *,
    today: date,
    now_iso: str,
    chase_days: int,
    stage_name: str | None = None,
) -> Sent:
    """Mark sent, move the lead up to the quote stage, and plan a chase follow-up.
    `stage_name`: the `quote.stage` setting; unset, the stage named "quote" or, in a
    pipeline without one, the open stage nearest 65% (the default pipeline's quote stage)."""
    if quote.status != "draft":
        raise SalesflowError(
            _("{number} is already {status}").format(
                number=quote.number, status=word(quote.status_on(today))
            ),
            hint=Hint("quote.copy_to_send", number=quote.number),
        )
    if not conn.execute("SELECT 1 FROM quote_items WHERE quote_id = ?", (quote.id,)).fetchone():
        raise SalesflowError(
            _("{number} has no items").format(number=quote.number),
            hint=Hint("quote.add_item", number=quote.number),
        )
    check_validity(date.fromisoformat(quote.valid_until), today)
    conn.execute(
        "UPDATE quotes SET status = 'sent', sent_at = ?, issued_on = ?, updated_at = ? "
        "WHERE id = ?",
        (now_iso, today.isoformat(), now_iso, quote.id),
    )
    lead = leads.get(conn, quote.lead_id)
    # Sending a quote is a touch with the client: it counts for staleness and first touch.
    kinds = activities.kinds(conn)
    activities.log(
        conn,
        lead,
        "email" if "email" in kinds else kinds[0],
        # Written in the language of the moment and kept as written (so are the notes below).
        _("Sent quote {number} ({total})").format(
            number=quote.number, total=money.display(quote.total_minor, quote.currency)
        ),
        happened_at=now_iso,
        now_iso=now_iso,
    )
    move, stage_note, stage_hint = _move_to_quote_stage(conn, lead, quote, stage_name, now_iso)
    chase_due = None
    if chase_days > 0:
        chase_due = today + timedelta(days=chase_days)
        conn.execute(
            "INSERT INTO followups (lead_id, action, due_date, created_at) VALUES (?, ?, ?, ?)",
            (
                lead.id,
                _("Chase quote {number}").format(number=quote.number),
                chase_due.isoformat(),
                now_iso,
            ),
        )
    return Sent(get(conn, quote.id), move, stage_note, stage_hint, chase_due)


def _move_to_quote_stage(
    conn: sqlite3.Connection, lead: Lead, quote: Quote, stage_name: str, now_iso: str
) -> tuple[moves.Move | None, str | None, Hint | None]:
    """The move sending makes, or why there is none (and what would make one)."""
    stages = pipeline.stages(conn)
    name = stage_name or DEFAULT_QUOTE_STAGE
    target = next((s for s in stages if s.name == name), None) or next(
        (s for s in stages if s.name.casefold() == name.casefold()), None
    )
    nearest = None
    if stage_name is None and (target is None or not target.is_open):
        target = nearest = _nearest_open(stages)
    if target is None or not target.is_open:
        stage_name = name
        why = _(
            'The pipeline has no open stage named "{name}", so {label} stays in {stage}'
        ).format(name=stage_name, label=lead.label, stage=lead.stage)
        return None, why, Hint("quote.stage_setting")
    current = pipeline.get_stage(conn, lead.stage)
    if not current.is_open:
        said = _("{label} is {stage}, so its stage was left as it is")
        return None, said.format(label=lead.label, stage=current.shown), None
    if current.position >= target.position:
        return None, None, None
    move = moves.advance(
        conn,
        lead,
        target.name,
        now_iso=now_iso,
        note=_("quote {number} sent").format(number=quote.number),
    )
    said = None
    if nearest is not None:
        said = _(
            'The pipeline has no stage named "{name}": {label} moved to {nearest} '
            "({probability}%), the open stage nearest {quote_probability}% — "
            "salesflow config set quote.stage NAME picks another"
        ).format(
            name=DEFAULT_QUOTE_STAGE,
            label=lead.label,
            nearest=nearest.name,
            probability=nearest.probability,
            quote_probability=QUOTE_PROBABILITY,
        )
    return move, said, None


# The default pipeline's quote stage: where a quote is sent in a pipeline without one.
QUOTE_PROBABILITY = 65


def _nearest_open(stages: list[pipeline.Stage]) -> pipeline.Stage | None:
    """The open stage whose probability is nearest 65%; a tie goes to the later stage (a
    quote comes late rather than early in a sale)."""
    candidates = [(i, s) for i, s in enumerate(stages) if s.is_open]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (abs(c[1].probability - QUOTE_PROBABILITY), -c[0]))[1]


def accept(
    conn: sqlite3.Connection, quote: Quote, *, today: date, now_iso: str, force: bool = False
) -> Accepted:
    """Accepted: the deal is won with the quote total as its value; older open versions of
    the same quote are marked rejected as superseded."""
    _require_sent(quote, "accept")
    if quote.status_on(today) == "expired" and not force:
        raise SalesflowError(
            _("{number} expired (it was valid until {valid_until})").format(
                number=quote.number, valid_until=quote.valid_until
            ),
            hint=Hint("quote.accept_expired", number=quote.number),
        )
    lead = leads.get(conn, quote.lead_id)
    value = money.Money(quote.total_minor, quote.currency)
    lead = leads.edit(conn, lead, leads.LeadFields(value=value), now_iso)
    move = None
    if lead.stage != pipeline.WON:
        move = moves.advance(
            conn,
            lead,
            pipeline.WON,
            now_iso=now_iso,
            note=_("quote {number} accepted").format(number=quote.number),
        )
    conn.execute(
        "UPDATE quotes SET status = 'accepted', decided_at = ?, updated_at = ? WHERE id = ?",
        (now_iso, now_iso, quote.id),
    )
    others = conn.execute(
        "SELECT id, number FROM quotes WHERE year = ? AND seq = ? AND id != ? "
        "AND status IN ('draft', 'sent') ORDER BY version",
        (quote.year, quote.seq, quote.id),
    ).fetchall()
    for other_id, _number in others:
        conn.execute(
            "UPDATE quotes SET status = 'rejected', reason = ?, decided_at = ?, updated_at = ? "
            "WHERE id = ?",
            (f"superseded by {quote.number}", now_iso, now_iso, other_id),
        )
    return Accepted(get(conn, quote.id), move, [n for __, n in others])


def reject(
    conn: sqlite3.Connection,
    quote: Quote,
    *,
    reason: str | None,
    lost: bool,
    now_iso: str,
) -> Rejected:
    """Rejected, with an optional reason; with `lost` the deal is lost for that reason."""
    _require_sent(quote, "reject")
    reason = (reason or "").strip() or None
    if lost and not reason:
        raise SalesflowError(
            _("losing the deal needs the reason it was lost ({number})").format(
                number=quote.number
            ),
            hint=Hint("quote.lost_reason", number=quote.number),
        )
    conn.execute(
        "UPDATE quotes SET status = 'rejected', reason = ?, decided_at = ?, updated_at = ? "
        "WHERE id = ?",
        (reason, now_iso, now_iso, quote.id),
    )
    move = None
    if lost:
        lead = leads.get(conn, quote.lead_id)
        note = _("quote {number} rejected").format(number=quote.number)
        move = moves.advance(conn, lead, pipeline.LOST, now_iso=now_iso, note=note, reason=reason)
    return Rejected(get(conn, quote.id), move)
