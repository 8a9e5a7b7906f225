"""Drafts: numbering a new quote, its items, editing, and new versions of a sent one.

Every change recomputes the figures with `quotes.math` and stores them beside the inputs.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from decimal import Decimal

from salesflow import money
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import _
from salesflow.leads import Lead
from salesflow.quotes.math import Discount, ItemInput, Line, Totals, compute, number_text
from salesflow.quotes.model import MAX_MINOR, Quote, format_number, get, items
from salesflow.quotes.parse import parse_discount


def _compute(
    item_list: list[ItemInput],
    currency: str,
    rounding: str,
    discount: Discount | None,
    tax: Decimal,
) -> Totals:
    for item in item_list:
        if item.unit_price_minor > MAX_MINOR:
            raise SalesflowError(
                _('the unit price of "{description}" is too large').format(
                    description=item.description
                )
            )
    result = compute(
        item_list, currency=currency, rounding=rounding, discount=discount, tax_rate=tax
    )
    if result.total_minor > MAX_MINOR or any(li.gross_minor > MAX_MINOR for li in result.lines):
        raise SalesflowError(
            _(
                "the quote's amounts are too large (over {max_minor}) — "
                "check the quantities and prices"
            ).format(max_minor=money.display(MAX_MINOR, currency))
        )
    return result


ITEM_INSERT = (
    "INSERT INTO quote_items (quote_id, position, description, quantity, unit_price_minor, "
    "discount_rate, discount_fixed_minor, gross_minor, discount_minor, amount_minor, unit) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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
        li.unit,
    )


def _store(conn: sqlite3.Connection, quote_id: int, result: Totals) -> None:
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


def check_validity(valid_until: date, today: date) -> None:
    if valid_until < today:
        raise SalesflowError(
            _("the validity date {valid_until} has passed (today is {today})").format(
                valid_until=valid_until, today=today
            ),
            hint=Hint("quote.valid_later"),
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
    wording: dict[str, str | None] | None = None,
) -> Quote:
    """A new draft numbered Q-<year>-<next in that year>. `wording` holds the payment terms,
    delivery and tax note the document prints (WORDING keys; the caller fills in defaults)."""
    check_validity(valid_until, today)
    result = _compute(item_list, currency, rounding, discount, tax_rate)
    seq = _next_seq(conn, today.year)
    return _insert(
        conn, lead.id, today.year, seq, 1, currency=currency, rounding=rounding,
        discount=discount, tax_rate=tax_rate, valid_until=valid_until, note=note, today=today,
        now_iso=now_iso, result=result, wording=wording or {},
    )  # fmt: skip


# Text a quote prints beside its figures, kept with the quote like its figures are.
WORDING = ("payment_terms", "delivery", "tax_note")


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
    result: Totals,
    wording: dict[str, str | None],
) -> Quote:
    cur = conn.execute(
        "INSERT INTO quotes (number, year, seq, version, lead_id, status, currency, rounding, "
        "discount_rate, discount_fixed_minor, tax_rate, issued_on, valid_until, note, "
        "created_at, updated_at, payment_terms, delivery, tax_note) "
        "VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            # "" is "none": NULL is left to quotes made before these columns (migration 12).
            *((wording.get(k) or "").strip() for k in WORDING),
        ),
    )
    quote_id = int(cur.lastrowid)
    _store(conn, quote_id, result)
    return get(conn, quote_id)


def _require_draft(quote: Quote, today: date) -> None:
    if quote.status != "draft":
        raise SalesflowError(
            _("{number} is {status} — only drafts can be changed").format(
                number=quote.number, status=quote.status_on(today)
            ),
            hint=Hint("quote.copy", number=quote.number),
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
            _("{number} has no line {position} (its lines: {lines})").format(
                number=quote.number, position=position, lines=lines
            ),
            hint=Hint("quote.show", number=quote.number),
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
    wording: dict[str, str | None] | None = None,
) -> Quote:
    """Change a draft's whole-quote discount (`0` removes it), tax, validity, note, or its
    wording (payment terms, delivery, tax note; "" clears one)."""
    _require_draft(quote, today)
    wording = {k: v for k, v in (wording or {}).items() if v is not None}
    if (
        discount is None and tax_rate is None and valid_until is None and note is None
        and not wording
    ):  # fmt: skip
        raise SalesflowError(_("nothing to change"), hint=Hint("quote.edit"))
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
        check_validity(valid_until, today)
        changed = replace(changed, valid_until=valid_until.isoformat())
    if note is not None:
        changed = replace(changed, note=note.strip() or None)
    changed = replace(changed, **{k: v.strip() for k, v in wording.items()})
    conn.execute(
        "UPDATE quotes SET discount_rate = ?, discount_fixed_minor = ?, tax_rate = ?, "
        "valid_until = ?, note = ?, payment_terms = ?, delivery = ?, tax_note = ? WHERE id = ?",
        (
            changed.discount_rate,
            changed.discount_fixed_minor,
            changed.tax_rate,
            changed.valid_until,
            changed.note,
            *(getattr(changed, k) for k in WORDING),
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
    _store(conn, quote.id, result)
    conn.execute("UPDATE quotes SET updated_at = ? WHERE id = ?", (now_iso, quote.id))
    return get(conn, quote.id)


def copy(
    conn: sqlite3.Connection, quote: Quote, *, valid_until: date, today: date, now_iso: str
) -> Quote:
    """A new draft version of `quote` (Q-2026-0001 → Q-2026-0001-v2) with the same items."""
    check_validity(valid_until, today)
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
        valid_until=valid_until, note=quote.note, today=today, now_iso=now_iso, result=result,
        wording={k: getattr(quote, k) for k in WORDING},
    )  # fmt: skip


# ---- listing ----------------------------------------------------------------------------
