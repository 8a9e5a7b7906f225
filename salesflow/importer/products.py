"""Products in from a sheet: `salesflow import products FILE` (what `export products` writes,
or a price list with Chinese headers).

A row names a product by SKU, else by name; one that matches a product (or an earlier row)
is skipped, updated from its non-empty cells, or an error, as `on_duplicate` says.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from salesflow import csvsafe, money, products
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.importer.columns import key
from salesflow.importer.plan import Applied, Plan, Progress, RowError, RowNote
from salesflow.quotes.parse import parse_tax
from salesflow.sheets import Sheet

FIELDS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "code", "item code", "编码", "货号", "产品编码", "型号"),
    "name": ("name", "product", "description", "名称", "产品名称", "品名", "产品"),
    "price": ("price", "unit price", "list price", "单价", "价格", "售价"),
    "currency": ("currency", "币种"),
    "unit": ("unit", "单位"),
    "tax_rate": ("tax_rate", "tax", "vat", "税率"),
}
_BY_KEY = {key(alias): field for field, aliases in FIELDS.items() for alias in aliases}


@dataclass(frozen=True)
class NewProduct:
    sku: str | None
    name: str
    price: money.Money
    unit: str | None
    tax_rate: Decimal | None


def _columns(sheet: Sheet, plan: Plan) -> dict[str, int]:
    at: dict[str, int] = {}
    for i, header in enumerate(sheet.header):
        field = _BY_KEY.get(key(header))
        if field is not None and field not in at:
            at[field] = i
        else:  # ids and times salesflow sets itself, and columns with no such field
            plan.ignored.append(header)
    if "name" not in at or "price" not in at:
        raise SalesflowError(
            _("{sheet} needs a name and a price column (name/名称, price/单价) — it has: "
              "{headers}").format(sheet=sheet.name, headers=", ".join(sheet.header))
        )  # fmt: skip
    return at


def _row(cells: list[str | None], at: dict[str, int], escaped: bool) -> dict:
    def cell(field: str) -> str | None:
        i = at.get(field)
        text = (cells[i] if i is not None and i < len(cells) else None) or ""
        if escaped and text.startswith("'"):
            text = csvsafe.unescape(text)
        return " ".join(text.split()) or None

    code = cell("currency")
    price_text = cell("price")
    tax = cell("tax_rate")
    return {
        "sku": cell("sku"),
        "name": cell("name"),
        "currency": money.check_currency(code) if code else None,
        "price": price_text,
        "unit": cell("unit"),
        "tax_rate": parse_tax(tax) if tax else None,
    }


def plan_products(
    conn: sqlite3.Connection,
    sheet: Sheet,
    currency: str,
    on_duplicate: str,
    progress: Progress | None = None,
) -> Plan:
    """What importing `sheet` would add, update and skip; reads only."""
    plan = Plan(kind="products", sheet=f"{sheet.name} ({sheet.described})", rows=0)
    at = _columns(sheet, plan)
    escaped = sheet.fmt in ("csv", "tsv")
    seen: set[str] = set()
    for number, cells in sheet.rows:
        plan.rows += 1
        try:
            row = _row(cells, at, escaped)
        except SalesflowError as e:
            plan.errors.append(RowError(number, None, e.message))
            continue
        if not row["name"] or not row["price"]:
            plan.errors.append(RowError(number, None, _("a product needs a name and a price")))
            continue
        names = {n.casefold() for n in (row["sku"], row["name"]) if n}
        if names & seen:
            plan.skipped.append(RowNote(number, _("repeats an earlier row")))
            continue
        seen |= names
        existing = products.find(conn, row["sku"] or "") if row["sku"] else None
        existing = existing or products.find(conn, row["name"])
        # A price without a currency is in the product's own currency, else the config's.
        default = existing.currency if existing is not None else currency
        try:
            row["price"] = money.parse_money(row["price"], row["currency"] or default)
        except SalesflowError as e:
            plan.errors.append(RowError(number, None, e.message))
            continue
        if existing is None:
            plan.new.append(NewProduct(row["sku"], row["name"], row["price"], row["unit"],
                                       row["tax_rate"]))  # fmt: skip
        elif on_duplicate == "error":
            plan.errors.append(
                RowError(number, None, _("{product} exists").format(product=existing.label))
            )
        elif on_duplicate == "update":
            plan.updates[existing.id] = row
        else:
            plan.skipped.append(
                RowNote(number, _("{product} exists — skipped").format(product=existing.label))
            )
    return plan


def apply_products(
    conn: sqlite3.Connection, plan: Plan, *, now_iso: str, progress: Any = None
) -> Applied:
    first = None
    last = 0
    for new in plan.new:
        p = products.add(conn, name=new.name, sku=new.sku, price=new.price, unit=new.unit,
                         tax_rate=new.tax_rate, now_iso=now_iso)  # fmt: skip
        first = p.id if first is None else first
        last = p.id
    for product_id, row in plan.updates.items():
        change = products.Change(
            name=row["name"], sku=row["sku"], price=row["price"], unit=row["unit"],
            tax_rate=row["tax_rate"],
        )  # fmt: skip
        products.edit(conn, products.get(conn, product_id), change, now_iso)
    added = range(first, last + 1) if first is not None else range(0)
    return Applied(added=added, updated=len(plan.updates))
