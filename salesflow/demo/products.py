"""The demo's product catalogue: the hardware, licences and day rates of words.QUOTE_ITEMS
that a seller would list at a price, so `report products`, `report review` and `customer show`
have products to show.

Named in the demo's main language (Chinese for CNY, HKD and TWD, whose leads are mostly
Chinese; English otherwise), priced in the demo currency at the middle of the item's range.
Most lines of a listed item are made from the catalogue — at its price, the quantity sized to
the deal, a line keeping its own description in its lead's language as `quote --item` lets it
— and some at a price of their own (negotiated); the lump sums (installation, integration,
support, hosting, freight) stay free text, as most sellers write them. Link decisions draw
from their own Random, so the quotes' draws are the same as without a catalogue.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from salesflow.demo import words
from salesflow.demo.dice import Rng

# words.QUOTE_ITEMS index → (SKU, unit in English, unit in Chinese)
LISTED = {
    0: ("G2", "pcs", "台"),
    1: ("SK-10", "set", "套"),
    2: ("CC-3", "pcs", "台"),
    3: ("BS-2", "pcs", "把"),
    4: ("SP-1", "set", "套"),
    5: ("LIC-Y", "users", "用户"),
    11: ("TRN-D", "day", "天"),
    12: ("CNS-D", "day", "人天"),
    13: ("PM-D", "day", "人天"),
}
_FROM_CATALOGUE = 0.85  # a listed item's line made from the catalogue (else typed by hand)
_OWN_PRICE = 0.2  # of those, at a negotiated price instead of the list price
_TAX = {"CNY": "13"}  # as the demo's CNY quotes charge (terms._TAX_BY_CURRENCY)


@dataclass(frozen=True)
class Listed:
    product_id: int
    price: int  # major units of the demo currency
    units: tuple[str, str]  # (English, Chinese)


@dataclass
class Catalogue:
    """The listed items by words.QUOTE_ITEMS index, the rows to write, and the link dice."""

    rng: Rng
    items: dict[int, Listed] = field(default_factory=dict)
    rows: list[tuple] = field(default_factory=list)  # products rows not in the database yet

    def pick(self, index: int) -> Listed | None:
        """The product a line of item `index` is made from, or None: a free-text line."""
        listed = self.items.get(index)
        if listed is None or self.rng.random() >= _FROM_CATALOGUE:
            return None
        return listed

    def own_price(self) -> bool:
        return self.rng.random() < _OWN_PRICE


def plan(
    conn: sqlite3.Connection, rng: Rng, *, currency: str, scale: int, chinese: bool, now: str
) -> Catalogue:
    """The catalogue; a product whose SKU or name the database has already is that one."""
    from salesflow.demo.terms import nice

    out = Catalogue(rng)
    next_id = conn.execute("SELECT coalesce(max(id), 0) FROM products").fetchone()[0] + 1
    for index, (sku, unit_en, unit_zh) in LISTED.items():
        en, zh, lo, hi, _kind = words.QUOTE_ITEMS[index]
        name = zh if chinese else en
        price = nice((lo + hi) // 2 * scale)
        row = conn.execute(
            "SELECT id FROM products WHERE sku = ? OR name = ?", (sku, name)
        ).fetchone()
        if row is None:
            row = (next_id,)
            next_id += 1
            unit = unit_zh if chinese else unit_en
            out.rows.append(
                (row[0], sku, name, price * 10 ** _exponent(currency), currency, unit,
                 _TAX.get(currency), now, now)
            )  # fmt: skip
        out.items[index] = Listed(row[0], price, (unit_en, unit_zh))
    return out


def write(conn: sqlite3.Connection, catalogue: Catalogue) -> int:
    conn.executemany(
        "INSERT INTO products (id, sku, name, price_minor, currency, unit, tax_rate, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        catalogue.rows,
    )
    return len(catalogue.rows)


def _exponent(currency: str) -> int:
    from salesflow import money

    return money.exponent(currency)
