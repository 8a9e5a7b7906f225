"""`report products`: what each catalogue product was quoted and won for.

Definitions (README "Products in the reports"):

- An **offer** is one quote number as the client last saw it: its accepted version if one was
  accepted, else its newest version that was sent. Older versions were renegotiated into the
  newer one and count no more; drafts were never offered and count not at all.
- **Quoted**: offers sent in the window (`sent_at`). Per product: how many offers name it
  (count), the quantity on their lines, and the lines' value.
- **Won**: offers accepted in the window (`decided_at`) — accepting a quote is what wins its
  deal with the quote's total as the deal's value, so the accepted quote is what was bought.
  Per product: count, quantity and revenue.
- A line's **value** is its amount (after the line's own discount) less its share of the
  whole-quote discount (in proportion to the line amounts, rounded half-up once per line to
  the quote currency's minor unit), before tax; in the base currency (`fx.CODE` rates; a
  currency without a rate is left out and named).
- **Win rate** = offers accepted ÷ offers decided (accepted + rejected) in the window, among
  those naming the product. Expired quotes were never decided and count in neither.
- **Average discount** = (Σ gross − Σ value) ÷ Σ gross over the product's quoted lines: line
  and whole-quote discounts together, as a share of the list amount.
- **Share of won revenue** = the product's revenue ÷ the revenue of every row.

Lines that name no product (free text, or a product removed with `--force`) make one row,
`other (free text)` (key None).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from salesflow.fx import Converter
from salesflow.metrics.tally import ratio
from salesflow.metrics.windows import Scope

PRODUCT_KEYS = [
    "sku", "product", "quoted", "quoted_quantity", "quoted_value", "won", "won_quantity",
    "revenue", "win_rate", "avg_discount", "revenue_share", "currency",
]  # fmt: skip

# Each quote number once: the accepted version, else the newest sent one.
_OFFERS = """
    SELECT id, currency, status, sent_at, decided_at, subtotal_minor, discount_minor FROM (
        SELECT q.*, row_number() OVER (
            PARTITION BY year, seq ORDER BY status = 'accepted' DESC, version DESC) AS pick
        FROM quotes q WHERE sent_at IS NOT NULL)
    WHERE pick = 1
"""


@dataclass
class ProductRow:
    product_id: int | None
    sku: str | None
    name: str | None  # None: lines naming no product
    quoted: int = 0
    quoted_quantity: Decimal = Decimal(0)
    quoted_value: Decimal = Decimal(0)
    won: int = 0
    won_quantity: Decimal = Decimal(0)
    revenue: Decimal = Decimal(0)
    decided: int = 0
    gross: Decimal = Decimal(0)  # of the quoted lines, base currency
    revenue_share: float | None = None
    _quoted_ids: set[int] = field(default_factory=set, repr=False)
    _won_ids: set[int] = field(default_factory=set, repr=False)
    _decided_ids: set[int] = field(default_factory=set, repr=False)

    @property
    def win_rate(self) -> float | None:
        return ratio(self.won, self.decided)

    @property
    def avg_discount(self) -> float | None:
        return ratio(self.gross - self.quoted_value, self.gross)

    def record(self, converter: Converter) -> dict[str, Any]:
        values = (
            self.sku, self.name, self.quoted, _qty(self.quoted_quantity),
            converter.text(self.quoted_value), self.won, _qty(self.won_quantity),
            converter.text(self.revenue), self.win_rate, self.avg_discount, self.revenue_share,
            converter.base,
        )  # fmt: skip
        return dict(zip(PRODUCT_KEYS, values, strict=True))


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}" if value else "0"


def line_value(amount_minor: int, subtotal_minor: int, discount_minor: int) -> int:
    """The line's share of the discounted subtotal, in minor units (rounded half-up)."""
    if not subtotal_minor or not discount_minor:
        return amount_minor
    share = Decimal(amount_minor) * (subtotal_minor - discount_minor) / subtotal_minor
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def product_report(scope: Scope) -> list[ProductRow]:
    """One row per catalogue product (those never quoted too) and one for free-text lines;
    by revenue, then quoted value, then SKU/name; free text last."""
    conn, window = scope.conn, scope.window
    rows: dict[int | None, ProductRow] = {
        pid: ProductRow(pid, sku, name)
        for pid, sku, name in conn.execute("SELECT id, sku, name FROM products")
    }
    rows[None] = ProductRow(None, None, None)
    sent = window.within("o.sent_at")
    decided = window.within("o.decided_at")
    to_base = scope.converter.to_base
    for (pid, qid, currency, status, offered, closed, qty, gross, amount, subtotal,
         discount) in conn.execute(
        f"SELECT i.product_id, o.id, o.currency, o.status, {sent}, "
        f"o.status IN ('accepted', 'rejected') AND {decided}, i.quantity, i.gross_minor, "
        f"i.amount_minor, o.subtotal_minor, o.discount_minor "
        f"FROM ({_OFFERS}) o JOIN quote_items i ON i.quote_id = o.id "
        f"WHERE ({sent}) OR ({decided})",
        scope.params,
    ):  # fmt: skip
        row = rows.get(pid) or rows[None]
        value = to_base(currency, line_value(amount, subtotal, discount))
        if offered:
            row._quoted_ids.add(qid)
            row.quoted_quantity += Decimal(qty)
            row.quoted_value += value
            row.gross += to_base(currency, gross)
        if closed:
            row._decided_ids.add(qid)
            if status == "accepted":
                row._won_ids.add(qid)
                row.won_quantity += Decimal(qty)
                row.revenue += value
    total = sum((r.revenue for r in rows.values()), Decimal(0))
    for r in rows.values():
        r.quoted, r.won, r.decided = len(r._quoted_ids), len(r._won_ids), len(r._decided_ids)
        r.revenue_share = ratio(r.revenue, total)
    other = rows.pop(None)
    ordered = sorted(
        rows.values(),
        key=lambda r: (-r.revenue, -r.quoted_value, (r.sku or r.name or "").casefold()),
    )
    return [*ordered, other]
