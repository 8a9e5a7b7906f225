"""A quote as stored: its row, its number, its items and the figures the client saw.

A quote's figures are computed by `quotes.math` whenever a draft changes and stored beside its
inputs, so a sent quote shows exactly what the client received even if the arithmetic code
changes later. `expired` is never stored: a sent quote whose `valid_until` is before the local
today is expired at read time.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from salesflow import money, moves
from salesflow.errors import Hint, NotFound
from salesflow.i18n import _
from salesflow.quotes.math import Discount, ItemInput, Line, Totals

STATUSES = ("draft", "sent", "accepted", "rejected", "expired")
MAX_MINOR = money.MAX_MINOR
# The machine shapes of `record` and `item_records`, so an empty CSV still has its header.
RECORD_KEYS = [
    "number", "lead_id", "lead", "company", "status", "currency", "subtotal", "discount_rate",
    "discount", "net", "tax_rate", "tax", "total", "issued_on", "valid_until", "note", "reason",
    "created_at", "sent_at", "decided_at",
]  # fmt: skip
ITEM_KEYS = [
    "line", "description", "quantity", "unit", "unit_price", "gross", "discount_rate", "discount",
    "amount",
]  # fmt: skip
COLUMNS = (
    "id, number, year, seq, version, lead_id, status, currency, rounding, discount_rate, "
    "discount_fixed_minor, tax_rate, subtotal_minor, discount_minor, tax_minor, total_minor, "
    "issued_on, valid_until, note, reason, created_at, updated_at, sent_at, decided_at, "
    "payment_terms, delivery, tax_note"
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
    # What the document says beside the figures (migration 12); None on older quotes.
    payment_terms: str | None = None
    delivery: str | None = None
    tax_note: str | None = None

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
    stage_hint: Hint | None  # what would move it
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


def from_row(row: tuple) -> Quote:
    return Quote(*row)


def get(conn: sqlite3.Connection, quote_id: int) -> Quote:
    row = conn.execute(f"SELECT {COLUMNS} FROM quotes WHERE id = ?", (quote_id,)).fetchone()
    if row is None:
        raise NotFound(
            _("no quote with id {quote_id}").format(quote_id=quote_id), hint=Hint("quote.list")
        )
    return from_row(row)


def resolve(conn: sqlite3.Connection, ref: str) -> Quote:
    """A quote by its number, any case: `Q-2026-0001`, `q-2026-0001-v2`."""
    text = ref.strip().upper()
    row = None
    if _NUMBER.fullmatch(text):
        row = conn.execute(
            f"SELECT {COLUMNS} FROM quotes WHERE number = ? COLLATE NOCASE", (text,)
        ).fetchone()
    if row is None:
        shown = " ".join(ref.split())
        hint = "" if _NUMBER.fullmatch(text) else _(" (quote numbers look like Q-2026-0001)")
        raise NotFound(
            _('no quote "{shown}"{hint}').format(shown=shown, hint=hint), hint=Hint("quote.list")
        )
    return from_row(row)


def items(conn: sqlite3.Connection, quote: Quote) -> list[ItemInput]:
    rows = conn.execute(
        "SELECT description, quantity, unit_price_minor, discount_rate, discount_fixed_minor, unit "
        "FROM quote_items WHERE quote_id = ? ORDER BY position",
        (quote.id,),
    )
    return [ItemInput(d, Decimal(q), p, _discount(r, f), u) for d, q, p, r, f, u in rows]


def totals(conn: sqlite3.Connection, quote: Quote) -> Totals:
    """The figures as stored, the ones the client saw; no arithmetic here."""
    rows = conn.execute(
        "SELECT position, description, quantity, unit_price_minor, discount_rate, "
        "discount_fixed_minor, gross_minor, discount_minor, amount_minor, unit "
        "FROM quote_items WHERE quote_id = ? ORDER BY position",
        (quote.id,),
    )
    lines = tuple(
        Line(pos, d, Decimal(q), p, None if r is None else Decimal(r), f, g, dm, a, u)
        for pos, d, q, p, r, f, g, dm, a, u in rows
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
