"""Whole tables out, as rows with stable column names, streamed from the database.

Each exportable table is one `ExportSpec` in `SPECS`: the SQL that reads it (in id order) and
its columns. Money leaves as a decimal string beside its currency, times as the stored ISO 8601
UTC text, due dates as the stored local dates, so a spreadsheet or a script gets exactly what
`salesflow` holds. Adding a table to `salesflow export` is one more entry in `SPECS`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from salesflow.errors import SalesflowError


@dataclass(frozen=True)
class ExportSpec:
    name: str  # as typed after `salesflow export`
    about: str
    sql: str  # selects exactly `columns`, in order, in id order
    columns: tuple[str, ...]
    # Money columns -> their currency column; the SQL gives integer minor units for these.
    money: tuple[tuple[str, str], ...] = ()

    @property
    def header(self) -> list[str]:
        return list(self.columns)


SPECS: dict[str, ExportSpec] = {
    spec.name: spec
    for spec in (
        ExportSpec(
            "leads",
            "one row per lead, open and closed",
            "SELECT l.id, l.name, l.company, l.email, l.phone, l.source, l.grade, l.stage, "
            "l.value_minor, l.currency, s.probability, l.tags, l.bant_budget, l.bant_authority, "
            "l.bant_need, l.bant_timeline, l.bant_note, l.notes, l.expected_close, "
            "l.lost_reason, l.lost_from, l.won_note, l.customer_id, l.created_at, l.updated_at, "
            "l.closed_at FROM leads l LEFT JOIN stages s ON s.name = l.stage ORDER BY l.id",
            (
                "id", "name", "company", "email", "phone", "source", "grade", "stage", "value",
                "currency", "probability", "tags", "bant_budget", "bant_authority", "bant_need",
                "bant_timeline", "bant_note", "notes", "expected_close", "lost_reason",
                "lost_from", "won_note", "customer_id", "created_at", "updated_at", "closed_at",
            ),
            money=(("value", "currency"),),
        ),
        ExportSpec(
            "activities",
            "one row per logged touch",
            "SELECT id, lead_id, kind, note, happened_at, created_at FROM activities ORDER BY id",
            ("id", "lead_id", "kind", "note", "happened_at", "created_at"),
        ),
        ExportSpec(
            "followups",
            "one row per follow-up, open and done",
            "SELECT id, lead_id, customer_id, action, due_date, due_time, created_at, done_at, "
            "recur FROM followups ORDER BY id",
            (
                "id", "lead_id", "customer_id", "action", "due_date", "due_time", "created_at",
                "done_at", "recur",
            ),
        ),
        ExportSpec(
            "stage-changes",
            "one row per move in a lead's history; its creation has an empty from_stage",
            "SELECT id, lead_id, from_stage, to_stage, changed_at, note, reason "
            "FROM stage_changes ORDER BY id",
            ("id", "lead_id", "from_stage", "to_stage", "changed_at", "note", "reason"),
        ),
        ExportSpec(
            "quotes",
            "one row per quote version; status as stored (a sent quote past valid_until is "
            "expired); money in the quote's currency",
            "SELECT id, number, version, lead_id, status, currency, discount_rate, "
            "discount_fixed_minor, tax_rate, subtotal_minor, discount_minor, tax_minor, "
            "total_minor, issued_on, valid_until, note, reason, created_at, sent_at, decided_at "
            "FROM quotes ORDER BY id",
            (
                "id", "number", "version", "lead_id", "status", "currency", "discount_rate",
                "discount_fixed", "tax_rate", "subtotal", "discount", "tax", "total",
                "issued_on", "valid_until", "note", "reason", "created_at", "sent_at",
                "decided_at",
            ),
            money=(
                ("discount_fixed", "currency"), ("subtotal", "currency"),
                ("discount", "currency"), ("tax", "currency"), ("total", "currency"),
            ),
        ),
        ExportSpec(
            "quote-items",
            "one row per quote line, linked by quote_id; amount = gross − discount",
            "SELECT i.id, i.quote_id, q.number, i.position, i.description, i.quantity, "
            "i.unit_price_minor, q.currency, i.discount_rate, i.discount_fixed_minor, "
            "i.gross_minor, i.discount_minor, i.amount_minor "
            "FROM quote_items i JOIN quotes q ON q.id = i.quote_id ORDER BY i.id",
            (
                "id", "quote_id", "number", "position", "description", "quantity",
                "unit_price", "currency", "discount_rate", "discount_fixed", "gross",
                "discount", "amount",
            ),
            money=(
                ("unit_price", "currency"), ("discount_fixed", "currency"),
                ("gross", "currency"), ("discount", "currency"), ("amount", "currency"),
            ),
        ),
        ExportSpec(
            "customers",
            "one row per customer",
            "SELECT id, name, segment, checkin_every, created_at FROM customers ORDER BY id",
            ("id", "name", "segment", "checkin_every", "created_at"),
        ),
    )
}  # fmt: skip


def spec(name: str) -> ExportSpec:
    if name not in SPECS:
        raise SalesflowError(f'cannot export "{name}" — choose one of: {", ".join(SPECS)}')
    return SPECS[name]


def records(conn: sqlite3.Connection, table: str) -> Iterator[tuple[Any, ...]]:
    """The table's rows as value tuples in `columns` order, straight off the cursor: never
    all in memory, and no per-row dict for the CSV writer to take apart again."""
    from salesflow.money import to_decimal_string

    s = spec(table)
    money = [(s.columns.index(col), s.columns.index(cur)) for col, cur in s.money]
    cursor = conn.execute(s.sql)
    cursor.arraysize = 1000
    while batch := cursor.fetchmany():
        if not money:
            yield from batch
            continue
        for row in batch:
            for at, cur in money:
                if row[at] is not None:
                    row = (*row[:at], to_decimal_string(row[at], row[cur]), *row[at + 1 :])
            yield row


def rows(conn: sqlite3.Connection, table: str) -> Iterator[dict[str, Any]]:
    """The table's rows as dicts with the stable column names (JSON and other callers)."""
    names = spec(table).columns
    for record in records(conn, table):
        yield dict(zip(names, record, strict=True))
