"""Finding quotes and their stable machine shapes (JSON, CSV, the lead card)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from salesflow import money
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.leads import Lead
from salesflow.quotes.math import Totals, number_text
from salesflow.quotes.model import COLUMNS, STATUSES, Quote, from_row


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
            raise SalesflowError(
                _('unknown status "{status}" — use one of: {statuses}').format(
                    status=status, statuses=", ".join(STATUSES)
                )
            )
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
    cols = ", ".join("q." + c.strip() for c in COLUMNS.split(","))
    sql = (
        f"SELECT {cols}, l.name, l.company FROM quotes q JOIN leads l ON l.id = q.lead_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY q.year, q.seq, q.version"
    )
    return [Listed(from_row(r[:-2]), r[-2], r[-1]) for r in conn.execute(sql, params)]


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
            "unit": li.unit,
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
