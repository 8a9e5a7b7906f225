"""Whole tables out, as rows with stable column names, streamed from the database.

Each exportable table is one `ExportSpec` in `SPECS`: the SQL that reads it (in id order) and
its columns. Money leaves as a decimal string beside its currency, times as the stored ISO 8601
UTC text, due dates as the stored local dates, so a spreadsheet or a script gets exactly what
`salesflow` holds. Adding a table to `salesflow export` is one more entry in `SPECS`.

`rows`/`records` give the values (JSON); `cells` gives CSV/TSV cells, made text and
formula-escaped by the query itself, because that per-cell work is most of a large export.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from salesflow import csvsafe
from salesflow.errors import SalesflowError
from salesflow.i18n import N_, _
from salesflow.money import to_decimal_string


@dataclass(frozen=True)
class ExportSpec:
    name: str  # as typed after `salesflow export`
    about: str  # marked N_(): export --help shows it in the active language
    columns: tuple[str, ...]
    select: tuple[str, ...]  # one SQL expression per column, in order
    source: str  # FROM … ORDER BY: the rows, in id order
    # Money columns -> their currency column; the SQL gives integer minor units for these.
    money: tuple[tuple[str, str], ...] = ()
    # Columns holding whole numbers, which `cells` turns into text in SQL. Speed only: a number
    # in a column not named here is written the same, through the slower path.
    integers: tuple[str, ...] = ()

    @property
    def header(self) -> list[str]:
        return list(self.columns)

    @property
    def sql(self) -> str:
        """The rows as stored (money in minor units), each column named as exported."""
        named = (e if e.rsplit(".", 1)[-1] == c else f"{e} AS {c}"
                 for e, c in zip(self.select, self.columns, strict=True))  # fmt: skip
        return f"SELECT {', '.join(named)} FROM {self.source}"


def _spec(
    name: str, about: str, columns: str, source: str, *, numbers: tuple[str, ...] = (), **more: Any
) -> ExportSpec:
    """Columns as written after SELECT, split at ", " (each `expression AS name` or a plain
    column); ids and `*_id` links are whole numbers, `numbers` names any other.
    test_exporter checks that SQLite names the query's columns the same."""
    pairs = [c.rsplit(" AS ", 1) if " AS " in c else [c, c.rsplit(".", 1)[-1]]
             for c in columns.split(", ")]  # fmt: skip
    names = tuple(n for __, n in pairs)
    integers = tuple(n for n in names if n == "id" or n.endswith("_id") or n in numbers)
    return ExportSpec(name, about, names, tuple(e for e, __ in pairs), source, integers=integers,
                      **more)  # fmt: skip


SPECS: dict[str, ExportSpec] = {
    spec.name: spec
    for spec in (
        _spec(
            "leads",
            N_("one row per lead, open and closed"),
            "l.id, l.name, l.company, l.email, l.phone, l.source, l.grade, "
            # The stage as the seller calls it (成交), and its kind (open/won/lost): the
            # stable value a script can test whatever the closed stages are called.
            "coalesce(s.label,l.stage) AS stage, s.kind AS stage_kind, "
            "l.value_minor AS value, l.currency, s.probability, l.tags, l.bant_budget, "
            "l.bant_authority, l.bant_need, l.bant_timeline, l.bant_note, l.notes, "
            "l.expected_close, l.lost_reason, l.lost_from, l.won_note, l.customer_id, "
            "l.created_at, l.updated_at, l.closed_at, l.address, l.tax_id, l.doc_lang",
            "leads l LEFT JOIN stages s ON s.name = l.stage ORDER BY l.id",
            money=(("value", "currency"),),
            numbers=("probability",),
        ),
        _spec(
            "activities",
            N_("one row per logged touch"),
            "id, lead_id, kind, note, happened_at, created_at",
            "activities ORDER BY id",
        ),
        _spec(
            "followups",
            N_("one row per follow-up, open and done"),
            "id, lead_id, customer_id, action, due_date, due_time, created_at, done_at, recur",
            "followups ORDER BY id",
        ),
        _spec(
            "stage-changes",
            N_("one row per move in a lead's history; its creation has an empty from_stage"),
            "c.id, c.lead_id, coalesce(f.label,c.from_stage) AS from_stage, "
            "coalesce(t.label,c.to_stage) AS to_stage, c.changed_at, c.note, c.reason",
            "stage_changes c LEFT JOIN stages f ON f.name = c.from_stage "
            "LEFT JOIN stages t ON t.name = c.to_stage ORDER BY c.id",
        ),
        _spec(
            "quotes",
            N_(
                "one row per quote version; status as stored (a sent quote past valid_until "
                "is expired); money in the quote's currency"
            ),
            "id, number, version, lead_id, status, currency, discount_rate, "
            "discount_fixed_minor AS discount_fixed, tax_rate, subtotal_minor AS subtotal, "
            "discount_minor AS discount, tax_minor AS tax, total_minor AS total, issued_on, "
            "valid_until, note, reason, created_at, sent_at, decided_at, payment_terms, delivery, "
            "tax_note",
            "quotes ORDER BY id",
            numbers=("version",),
            money=(
                ("discount_fixed", "currency"), ("subtotal", "currency"),
                ("discount", "currency"), ("tax", "currency"), ("total", "currency"),
            ),
        ),
        _spec(
            "quote-items",
            N_("one row per quote line, linked by quote_id; amount = gross − discount"),
            "i.id, i.quote_id, q.number, i.position, i.description, i.quantity, "
            "i.unit_price_minor AS unit_price, q.currency, i.discount_rate, "
            "i.discount_fixed_minor AS discount_fixed, i.gross_minor AS gross, "
            "i.discount_minor AS discount, i.amount_minor AS amount, i.product_id, i.unit",
            "quote_items i JOIN quotes q ON q.id = i.quote_id ORDER BY i.id",
            numbers=("position",),
            money=(
                ("unit_price", "currency"), ("discount_fixed", "currency"),
                ("gross", "currency"), ("discount", "currency"), ("amount", "currency"),
            ),
        ),
        _spec(
            "products",
            N_("one row per catalogue product; quote lines link it by product_id"),
            "id, sku, name, price_minor AS price, currency, unit, tax_rate, created_at, "
            "updated_at",
            "products ORDER BY id",
            money=(("price", "currency"),),
        ),
        _spec(
            "customers",
            N_("one row per customer"),
            "id, name, segment, checkin_every, created_at, address, tax_id, doc_lang",
            "customers ORDER BY id",
        ),
    )
}  # fmt: skip


def spec(name: str, conn: sqlite3.Connection | None = None) -> ExportSpec:
    """The table's spec; with `conn`, `leads` gets a column per declared custom field."""
    if name not in SPECS:
        raise SalesflowError(
            _('cannot export "{name}" — choose one of: {specs}').format(
                name=name, specs=", ".join(SPECS)
            )
        )
    found = SPECS[name]
    if name == "leads" and conn is not None:
        from dataclasses import replace

        from salesflow.fields import declared

        names = declared(conn)
        # Field names are words (fields.check_names) and never a lead column's name.
        fields = tuple(
            f"(SELECT value FROM lead_fields f WHERE f.lead_id = l.id AND f.field = '{n}')"
            for n in names
        )
        found = replace(found, columns=found.columns + tuple(names), select=found.select + fields)
    return found


def records(conn: sqlite3.Connection, table: str) -> Iterator[Sequence[Any]]:
    """The table's rows as values in `columns` order (None, numbers, text), money as decimal
    strings, straight off the cursor: never all in memory."""
    s = spec(table, conn)
    return _with_money(s, conn.execute(s.sql), None)


def cells(
    conn: sqlite3.Connection, table: str, *, escape: bool = True, excel: bool = False
) -> Iterator[Sequence[Any]]:
    """The table's rows as CSV/TSV cells in `columns` order: text, "" for no value, money as
    decimal strings and, unless `escape` is False, formula-escaped (csvsafe) by the query
    (`excel`: phone numbers too).

    A 100k-row export runs through here, so SQLite does the per-cell work in C: numbers to
    text, NULL to "", the formula check (`csvsafe.sql_escape`). A value of another type (a
    fraction or a blob where salesflow writes none) is passed on as it is."""
    s = spec(table, conn)
    if escape:
        csvsafe.register(conn)
    money = {col for col, __ in s.money}
    select = []
    for col, expr in zip(s.columns, s.select, strict=True):
        if col in money:
            select.append(expr)  # minor units, formatted below
            continue
        text = f"coalesce({csvsafe.sql_escape(expr, excel=excel) if escape else expr}, '')"
        if col in s.integers:
            text = f"CASE WHEN typeof({expr}) = 'integer' THEN CAST({expr} AS TEXT) ELSE {text} END"
        select.append(text)
    return _with_money(s, conn.execute(f"SELECT {', '.join(select)} FROM {s.source}"), "")


def _with_money(s: ExportSpec, cursor: sqlite3.Cursor, blank: str | None) -> Iterator[Any]:
    """The cursor's rows with each money column as a decimal string (`blank` for none)."""
    money = [(s.columns.index(col), s.columns.index(cur)) for col, cur in s.money]
    if not money:
        yield from cursor
        return
    for record in cursor:
        row = list(record)  # cheaper than rebuilding the tuple around the new cell
        for at, cur in money:
            minor = row[at]
            row[at] = blank if minor is None else to_decimal_string(minor, row[cur])
        yield row


def rows(conn: sqlite3.Connection, table: str) -> Iterator[dict[str, Any]]:
    """The table's rows as dicts with the stable column names (JSON and other callers)."""
    names = spec(table, conn).columns
    for record in records(conn, table):
        yield dict(zip(names, record, strict=True))
