"""Quotes: numbering, line items, status, and what sending, accepting or rejecting does to the deal.

A quote's figures are computed by `quote_math` whenever a draft changes and stored beside its
inputs, so a sent quote shows exactly what the client received even if the arithmetic code
changes later. `expired` is never stored: a sent quote whose `valid_until` is before the local
today is expired at read time.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from salesflow import activities, leads, money, moves, pipeline
from salesflow.errors import NotFound, SalesflowError
from salesflow.leads import Lead
from salesflow.quote_input import parse_discount
from salesflow.quote_math import Discount, ItemInput, Line, Totals, compute, number_text

STATUSES = ("draft", "sent", "accepted", "rejected", "expired")
DEFAULT_VALID_DAYS = 30
DEFAULT_CHASE_DAYS = 3
DEFAULT_STAGE = "quote"
MAX_MINOR = money.MAX_MINOR
# The machine shapes of `record` and `item_records`, so an empty CSV still has its header.
RECORD_KEYS = [
    "number", "lead_id", "lead", "company", "status", "currency", "subtotal", "discount_rate",
    "discount", "net", "tax_rate", "tax", "total", "issued_on", "valid_until", "note", "reason",
    "created_at", "sent_at", "decided_at",
]  # fmt: skip
ITEM_KEYS = [
    "line", "description", "quantity", "unit_price", "gross", "discount_rate", "discount", "amount",
]  # fmt: skip
_COLUMNS = (
    "id, number, year, seq, version, lead_id, status, currency, rounding, discount_rate, "
    "discount_fixed_minor, tax_rate, subtotal_minor, discount_minor, tax_minor, total_minor, "
    "issued_on, valid_until, note, reason, created_at, updated_at, sent_at, decided_at"
)
_NUMBER = re.compile(r"Q-(\d{4})-(\d{4,})(?:-V(\d+))?")


@dataclass(frozen=True)
class Quote:
    id: int
    number: str
    year: int
    seq: int
    version: int
    lead_id: int
    status: str  # as stored: draft | sent | accepted | rejected
    currency: str
    rounding: str
    discount_rate: str | None
    discount_fixed_minor: int | None
    tax_rate: str
    subtotal_minor: int
    discount_minor: int
    tax_minor: int
    total_minor: int
    issued_on: str
    valid_until: str
    note: str | None
    reason: str | None
    created_at: str
    updated_at: str
    sent_at: str | None
    decided_at: str | None

    def status_on(self, today: date) -> str:
        """The status a user sees: a sent quote past its validity date is expired."""
        if self.status == "sent" and self.valid_until < today.isoformat():
            return "expired"
        return self.status

    @property
    def discount(self) -> Discount | None:
        return _discount(self.discount_rate, self.discount_fixed_minor)

    @property
    def net_minor(self) -> int:
        return self.subtotal_minor - self.discount_minor


@dataclass(frozen=True)
class Sent:
    quote: Quote
    move: moves.Move | None
    stage_note: str | None  # why the lead did not move, when it did not
    chase_due: date | None


@dataclass(frozen=True)
class Accepted:
    quote: Quote
    move: moves.Move | None
    superseded: list[str]


@dataclass(frozen=True)
class Rejected:
    quote: Quote
    move: moves.Move | None


# ---- storage --------------------------------------------------------------------------


def format_number(year: int, seq: int, version: int = 1) -> str:
    base = f"Q-{year}-{seq:04d}"
    return base if version == 1 else f"{base}-v{version}"


def _discount(rate: str | None, fixed: int | None) -> Discount | None:
    if rate is not None:
        return Discount(percent=Decimal(rate))
    if fixed is not None:
        return Discount(fixed_minor=fixed)
    return None


def _quote(row: tuple) -> Quote:
    return Quote(*row)


def get(conn: sqlite3.Connection, quote_id: int) -> Quote:
    row = conn.execute(f"SELECT {_COLUMNS} FROM quotes WHERE id = ?", (quote_id,)).fetchone()
    if row is None:
        raise NotFound(f"no quote with id {quote_id} — see salesflow quote list")
    return _quote(row)


def resolve(conn: sqlite3.Connection, ref: str) -> Quote:
    """A quote by its number, any case: `Q-2026-0001`, `q-2026-0001-v2`."""
    text = ref.strip().upper()
    row = None
    if _NUMBER.fullmatch(text):
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM quotes WHERE number = ? COLLATE NOCASE", (text,)
        ).fetchone()
    if row is None:
        shown = " ".join(ref.split())
        hint = "" if _NUMBER.fullmatch(text) else " (quote numbers look like Q-2026-0001)"
        raise NotFound(f'no quote "{shown}"{hint} — see salesflow quote list')
    return _quote(row)


def items(conn: sqlite3.Connection, quote: Quote) -> list[ItemInput]:
    rows = conn.execute(
        "SELECT description, quantity, unit_price_minor, discount_rate, discount_fixed_minor "
        "FROM quote_items WHERE quote_id = ? ORDER BY position",
        (quote.id,),
    )
    return [ItemInput(d, Decimal(q), p, _discount(r, f)) for d, q, p, r, f in rows]


def totals(conn: sqlite3.Connection, quote: Quote) -> Totals:
    """The figures as stored, the ones the client saw; no arithmetic here."""
    rows = conn.execute(
        "SELECT position, description, quantity, unit_price_minor, discount_rate, "
        "discount_fixed_minor, gross_minor, discount_minor, amount_minor "
        "FROM quote_items WHERE quote_id = ? ORDER BY position",
        (quote.id,),
    )
    lines = tuple(
        Line(pos, d, Decimal(q), p, None if r is None else Decimal(r), f, g, dm, a)
        for pos, d, q, p, r, f, g, dm, a in rows
    )
    disc = quote.discount
    return Totals(
        currency=quote.currency,
        lines=lines,
        subtotal_minor=quote.subtotal_minor,
        discount_percent=disc.percent if disc else None,
        discount_fixed_minor=disc.fixed_minor if disc else None,
        discount_minor=quote.discount_minor,
        net_minor=quote.net_minor,
        tax_rate=Decimal(quote.tax_rate),
        tax_minor=quote.tax_minor,
        total_minor=quote.total_minor,
    )


def _compute(
    item_list: list[ItemInput],
    currency: str,
    rounding: str,
    discount: Discount | None,
    tax: Decimal,
) -> Totals:
    for item in item_list:
        if item.unit_price_minor > MAX_MINOR:
            raise SalesflowError(f'the unit price of "{item.description}" is too large')
    result = compute(
        item_list, currency=currency, rounding=rounding, discount=discount, tax_rate=tax
    )
    if result.total_minor > MAX_MINOR or any(li.gross_minor > MAX_MINOR for li in result.lines):
        raise SalesflowError(
            f"the quote's amounts are too large (over {money.display(MAX_MINOR, currency)}) — "
            "check the quantities and prices"
        )
    return result


ITEM_INSERT = (
    "INSERT INTO quote_items (quote_id, position, description, quantity, unit_price_minor, "
    "discount_rate, discount_fixed_minor, gross_minor, discount_minor, amount_minor) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def item_row(quote_id: int, li: Line) -> tuple:
    """A computed line as the `quote_items` row ITEM_INSERT writes (also the demo's rows)."""
    return (
        quote_id,
        li.position,
        li.description,
        number_text(li.quantity),
        li.unit_price_minor,
        None if li.discount_percent is None else number_text(li.discount_percent),
        li.discount_fixed_minor,
        li.gross_minor,
        li.discount_minor,
        li.amount_minor,
    )


def _store(
    conn: sqlite3.Connection, quote_id: int, item_list: list[ItemInput], result: Totals
) -> None:
    """Write the computed figures of a draft: its item rows and its totals."""
    conn.execute("DELETE FROM quote_items WHERE quote_id = ?", (quote_id,))
    conn.executemany(
        ITEM_INSERT,
        [item_row(quote_id, li) for li in result.lines],
    )
    conn.execute(
        "UPDATE quotes SET subtotal_minor = ?, discount_minor = ?, tax_minor = ?, "
        "total_minor = ? WHERE id = ?",
        (
            result.subtotal_minor,
            result.discount_minor,
            result.tax_minor,
            result.total_minor,
            quote_id,
        ),
    )


def _next_seq(conn: sqlite3.Connection, year: int) -> int:
    # Runs inside the caller's BEGIN IMMEDIATE transaction: no other writer can take the same
    # number between this read and the insert, and UNIQUE (year, seq, version) backs that up.
    row = conn.execute("SELECT max(seq) FROM quotes WHERE year = ?", (year,)).fetchone()
    return (row[0] or 0) + 1


def _check_validity(valid_until: date, today: date) -> None:
    if valid_until < today:
        raise SalesflowError(
            f"the validity date {valid_until} has passed (today is {today}) — "
            "give a later date, e.g. --valid 30d or --valid 2026-12-31"
        )


def create(
    conn: sqlite3.Connection,
    lead: Lead,
    *,
    item_list: list[ItemInput],
    currency: str,
    rounding: str,
    discount: Discount | None,
    tax_rate: Decimal,
    valid_until: date,
    note: str | None,
    today: date,
    now_iso: str,
) -> Quote:
    """A new draft numbered Q-<year>-<next in that year>."""
    _check_validity(valid_until, today)
    result = _compute(item_list, currency, rounding, discount, tax_rate)
    seq = _next_seq(conn, today.year)
    return _insert(
        conn, lead.id, today.year, seq, 1, currency=currency, rounding=rounding,
        discount=discount, tax_rate=tax_rate, valid_until=valid_until, note=note, today=today,
        now_iso=now_iso, item_list=item_list, result=result,
    )  # fmt: skip


def _insert(
    conn: sqlite3.Connection,
    lead_id: int,
    year: int,
    seq: int,
    version: int,
    *,
    currency: str,
    rounding: str,
    discount: Discount | None,
    tax_rate: Decimal,
    valid_until: date,
    note: str | None,
    today: date,
    now_iso: str,
    item_list: list[ItemInput],
    result: Totals,
) -> Quote:
    cur = conn.execute(
        "INSERT INTO quotes (number, year, seq, version, lead_id, status, currency, rounding, "
        "discount_rate, discount_fixed_minor, tax_rate, issued_on, valid_until, note, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            format_number(year, seq, version),
            year,
            seq,
            version,
            lead_id,
            currency,
            rounding,
            None if discount is None or discount.percent is None else number_text(discount.percent),
            None if discount is None else discount.fixed_minor,
            number_text(tax_rate),
            today.isoformat(),
            valid_until.isoformat(),
            (note or "").strip() or None,
            now_iso,
            now_iso,
        ),
    )
    quote_id = int(cur.lastrowid)
    _store(conn, quote_id, item_list, result)
    return get(conn, quote_id)


def _require_draft(quote: Quote, today: date) -> None:
    if quote.status != "draft":
        raise SalesflowError(
            f"{quote.number} is {quote.status_on(today)} — only drafts can be changed; "
            f"make a new version with: salesflow quote copy {quote.number}"
        )


def add_item(
    conn: sqlite3.Connection, quote: Quote, new: list[ItemInput], *, today: date, now_iso: str
) -> Quote:
    _require_draft(quote, today)
    item_list = items(conn, quote) + new
    return _recompute(conn, quote, item_list, now_iso=now_iso)


def remove_item(
    conn: sqlite3.Connection, quote: Quote, position: int, *, today: date, now_iso: str
) -> tuple[Quote, ItemInput]:
    _require_draft(quote, today)
    item_list = items(conn, quote)
    if not 1 <= position <= len(item_list):
        lines = f"1–{len(item_list)}" if item_list else "none"
        raise SalesflowError(
            f"{quote.number} has no line {position} (its lines: {lines}) — "
            f"see salesflow quote show {quote.number}"
        )
    removed = item_list.pop(position - 1)
    return _recompute(conn, quote, item_list, now_iso=now_iso), removed


def edit(
    conn: sqlite3.Connection,
    quote: Quote,
    *,
    discount: str | None = None,
    tax_rate: Decimal | None = None,
    valid_until: date | None = None,
    note: str | None = None,
    today: date,
    now_iso: str,
) -> Quote:
    """Change a draft's whole-quote discount (`0` removes it), tax, validity or note."""
    _require_draft(quote, today)
    if discount is None and tax_rate is None and valid_until is None and note is None:
        raise SalesflowError(
            "nothing to change — give --discount, --tax, --valid or --note (see quote edit --help)"
        )
    changed = quote
    if discount is not None:
        disc = parse_discount(discount, quote.currency)
        changed = replace(
            changed,
            discount_rate=None
            if disc is None or disc.percent is None
            else number_text(disc.percent),
            discount_fixed_minor=None if disc is None else disc.fixed_minor,
        )
    if tax_rate is not None:
        changed = replace(changed, tax_rate=number_text(tax_rate))
    if valid_until is not None:
        _check_validity(valid_until, today)
        changed = replace(changed, valid_until=valid_until.isoformat())
    if note is not None:
        changed = replace(changed, note=note.strip() or None)
    conn.execute(
        "UPDATE quotes SET discount_rate = ?, discount_fixed_minor = ?, tax_rate = ?, "
        "valid_until = ?, note = ? WHERE id = ?",
        (
            changed.discount_rate,
            changed.discount_fixed_minor,
            changed.tax_rate,
            changed.valid_until,
            changed.note,
            quote.id,
        ),
    )
    return _recompute(conn, changed, items(conn, quote), now_iso=now_iso)


def _recompute(
    conn: sqlite3.Connection, quote: Quote, item_list: list[ItemInput], *, now_iso: str
) -> Quote:
    result = _compute(
        item_list, quote.currency, quote.rounding, quote.discount, Decimal(quote.tax_rate)
    )
    _store(conn, quote.id, item_list, result)
    conn.execute("UPDATE quotes SET updated_at = ? WHERE id = ?", (now_iso, quote.id))
    return get(conn, quote.id)


# ---- status -----------------------------------------------------------------------------


def _require_sent(quote: Quote, today: date, action: str) -> None:
    status = quote.status
    if status == "sent":
        return
    if status == "draft":
        raise SalesflowError(
            f"{quote.number} is a draft — send it first: salesflow quote send {quote.number}"
        )
    raise SalesflowError(
        f"{quote.number} is already {status} — to {action} a new offer, "
        f"make a new version with: salesflow quote copy {quote.number}"
    )


def send(
    conn: sqlite3.Connection,
    quote: Quote,
    *,
    today: date,
    now_iso: str,
    chase_days: int,
    stage_name: str = DEFAULT_STAGE,
) -> Sent:
    """Mark sent, move the lead up to the quote stage, and plan a chase follow-up."""
    if quote.status != "draft":
        raise SalesflowError(
            f"{quote.number} is already {quote.status_on(today)} — "
            f"to send a changed offer, make a new version: salesflow quote copy {quote.number}"
        )
    if not conn.execute("SELECT 1 FROM quote_items WHERE quote_id = ?", (quote.id,)).fetchone():
        raise SalesflowError(
            f"{quote.number} has no items — add one first: "
            f'salesflow quote add-item {quote.number} "description; quantity; unit price"'
        )
    _check_validity(date.fromisoformat(quote.valid_until), today)
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
        f"Sent quote {quote.number} ({money.display(quote.total_minor, quote.currency)})",
        happened_at=now_iso,
        now_iso=now_iso,
    )
    move, stage_note = _move_to_quote_stage(conn, lead, quote, stage_name, now_iso)
    chase_due = None
    if chase_days > 0:
        chase_due = today + timedelta(days=chase_days)
        conn.execute(
            "INSERT INTO followups (lead_id, action, due_date, created_at) VALUES (?, ?, ?, ?)",
            (lead.id, f"Chase quote {quote.number}", chase_due.isoformat(), now_iso),
        )
    return Sent(get(conn, quote.id), move, stage_note, chase_due)


def _move_to_quote_stage(
    conn: sqlite3.Connection, lead: Lead, quote: Quote, stage_name: str, now_iso: str
) -> tuple[moves.Move | None, str | None]:
    stages = pipeline.stages(conn)
    target = next((s for s in stages if s.name == stage_name), None) or next(
        (s for s in stages if s.name.casefold() == stage_name.casefold()), None
    )
    if target is None or not target.is_open:
        return None, (
            f'The pipeline has no open stage named "{stage_name}", so {lead.label} stays in '
            f"{lead.stage} (salesflow config set quote.stage NAME picks the quote stage)"
        )
    current = pipeline.get_stage(conn, lead.stage)
    if not current.is_open:
        return None, f"{lead.label} is {lead.stage}, so its stage was left as it is"
    if current.position >= target.position:
        return None, None
    move = moves.advance(
        conn, lead, target.name, now_iso=now_iso, note=f"quote {quote.number} sent"
    )
    return move, None


def accept(
    conn: sqlite3.Connection, quote: Quote, *, today: date, now_iso: str, force: bool = False
) -> Accepted:
    """Accepted: the deal is won with the quote total as its value; older open versions of
    the same quote are marked rejected as superseded."""
    _require_sent(quote, today, "accept")
    if quote.status_on(today) == "expired" and not force:
        raise SalesflowError(
            f"{quote.number} expired (it was valid until {quote.valid_until}) — "
            "accept it anyway with --force, or make a new version: "
            f"salesflow quote copy {quote.number}"
        )
    lead = leads.get(conn, quote.lead_id)
    value = money.Money(quote.total_minor, quote.currency)
    lead = leads.edit(conn, lead, leads.LeadFields(value=value), now_iso)
    move = None
    if lead.stage != pipeline.WON:
        move = moves.advance(
            conn, lead, pipeline.WON, now_iso=now_iso, note=f"quote {quote.number} accepted"
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
    return Accepted(get(conn, quote.id), move, [n for _, n in others])


def reject(
    conn: sqlite3.Connection,
    quote: Quote,
    *,
    reason: str | None,
    lost: bool,
    today: date,
    now_iso: str,
) -> Rejected:
    """Rejected, with an optional reason; with `lost` the deal is lost for that reason."""
    _require_sent(quote, today, "reject")
    reason = (reason or "").strip() or None
    if lost and not reason:
        raise SalesflowError(
            f'--lost needs the reason the deal was lost: --reason "budget cut" ({quote.number})'
        )
    conn.execute(
        "UPDATE quotes SET status = 'rejected', reason = ?, decided_at = ?, updated_at = ? "
        "WHERE id = ?",
        (reason, now_iso, now_iso, quote.id),
    )
    move = None
    if lost:
        lead = leads.get(conn, quote.lead_id)
        move = moves.advance(
            conn, lead, pipeline.LOST, now_iso=now_iso, note=f"quote {quote.number} rejected",
            reason=reason,
        )  # fmt: skip
    return Rejected(get(conn, quote.id), move)


def copy(
    conn: sqlite3.Connection, quote: Quote, *, valid_until: date, today: date, now_iso: str
) -> Quote:
    """A new draft version of `quote` (Q-2026-0001 → Q-2026-0001-v2) with the same items."""
    _check_validity(valid_until, today)
    row = conn.execute(
        "SELECT max(version) FROM quotes WHERE year = ? AND seq = ?", (quote.year, quote.seq)
    ).fetchone()
    item_list = items(conn, quote)
    result = _compute(
        item_list, quote.currency, quote.rounding, quote.discount, Decimal(quote.tax_rate)
    )
    return _insert(
        conn, quote.lead_id, quote.year, quote.seq, row[0] + 1, currency=quote.currency,
        rounding=quote.rounding, discount=quote.discount, tax_rate=Decimal(quote.tax_rate),
        valid_until=valid_until, note=quote.note, today=today, now_iso=now_iso,
        item_list=item_list, result=result,
    )  # fmt: skip


# ---- listing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    quote: Quote
    lead_name: str
    company: str | None


def search(
    conn: sqlite3.Connection, *, today: date, status: str | None = None, lead_id: int | None = None
) -> list[Listed]:
    where: list[str] = []
    params: list[Any] = []
    if status is not None:
        if status not in STATUSES:
            raise SalesflowError(f'unknown status "{status}" — use one of: {", ".join(STATUSES)}')
        if status == "expired":
            where.append("q.status = 'sent' AND q.valid_until < ?")
            params.append(today.isoformat())
        elif status == "sent":
            where.append("q.status = 'sent' AND q.valid_until >= ?")
            params.append(today.isoformat())
        else:
            where.append("q.status = ?")
            params.append(status)
    if lead_id is not None:
        where.append("q.lead_id = ?")
        params.append(lead_id)
    cols = ", ".join("q." + c.strip() for c in _COLUMNS.split(","))
    sql = (
        f"SELECT {cols}, l.name, l.company FROM quotes q JOIN leads l ON l.id = q.lead_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY q.year, q.seq, q.version"
    )
    return [Listed(_quote(r[:-2]), r[-2], r[-1]) for r in conn.execute(sql, params)]


def record(
    quote: Quote, today: date, lead_name: str | None = None, company: str | None = None
) -> dict[str, Any]:
    """The stable machine shape of a quote (JSON, CSV); money as decimal strings."""
    cur = quote.currency

    def amount(minor: int) -> str:
        return money.to_decimal_string(minor, cur)

    return {
        "number": quote.number,
        "lead_id": quote.lead_id,
        "lead": lead_name,
        "company": company,
        "status": quote.status_on(today),
        "currency": cur,
        "subtotal": amount(quote.subtotal_minor),
        "discount_rate": quote.discount_rate,
        "discount": amount(quote.discount_minor),
        "net": amount(quote.net_minor),
        "tax_rate": quote.tax_rate,
        "tax": amount(quote.tax_minor),
        "total": amount(quote.total_minor),
        "issued_on": quote.issued_on,
        "valid_until": quote.valid_until,
        "note": quote.note,
        "reason": quote.reason,
        "created_at": quote.created_at,
        "sent_at": quote.sent_at,
        "decided_at": quote.decided_at,
    }


def item_records(result: Totals) -> list[dict[str, Any]]:
    cur = result.currency

    def amount(minor: int) -> str:
        return money.to_decimal_string(minor, cur)

    return [
        {
            "line": li.position,
            "description": li.description,
            "quantity": number_text(li.quantity),
            "unit_price": amount(li.unit_price_minor),
            "gross": amount(li.gross_minor),
            "discount_rate": None
            if li.discount_percent is None
            else number_text(li.discount_percent),
            "discount": amount(li.discount_minor),
            "amount": amount(li.amount_minor),
        }
        for li in result.lines
    ]


def lead_section(conn: sqlite3.Connection, lead: Lead, today: date) -> list[dict[str, Any]]:
    """The lead card's quotes: number, status (expired computed), total, validity."""
    return [
        {
            "number": q.number,
            "status": q.status_on(today),
            "total": money.to_decimal_string(q.total_minor, q.currency),
            "currency": q.currency,
            "valid_until": q.valid_until,
        }
        for q in (listed.quote for listed in search(conn, today=today, lead_id=lead.id))
    ]
