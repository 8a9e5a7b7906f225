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

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from salesflow.fx import Converter
from salesflow.metrics.tally import ratio
from salesflow.metrics.windows import Scope

PRODUCT_KEYS = [
    "sku", "product", "quoted", "quoted_quantity", "quoted_value", "won", "won_quantity",
    "revenue", "win_rate", "avg_discount", "revenue_share", "currency",
]  # fmt: skip

# Each quote number once: `o` is the accepted version, else the newest sent one, when no other
# sent version of its number beats it (a look-up in the (year, seq, version) index).
_OFFER = (
    "o.sent_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM quotes x WHERE x.year = o.year "
    "AND x.seq = o.seq AND x.id != o.id AND x.sent_at IS NOT NULL "
    "AND ((x.status = 'accepted') > (o.status = 'accepted') "
    "OR ((x.status = 'accepted') = (o.status = 'accepted') AND x.version > o.version)))"
)


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


# ---- the sums, in SQL --------------------------------------------------------------------
#
# One pass over the offers' lines, grouped by product and currency (a quote has one currency,
# so counts of distinct quotes add up across currencies). line_value in integer arithmetic:
# with s > 0, half-up of a·m ÷ s (m = s − discount) is (2·a·m + s) ÷ 2s, mirrored below 0.
# SQLite turns an integer product that overflows into a float, so a line whose a·m could pass
# 2^61 (a quote of tens of millions) is not summed here: its three numbers come back as text
# for line_value's Decimal.
_S, _D, _A = "o.subtotal_minor", "o.discount_minor", "i.amount_minor"
_PLAIN = f"({_S} = 0 OR {_D} = 0 OR {_S} = {_D})"
_SAFE = f"({_PLAIN} OR ({_S} > 0 AND abs({_A}) <= {2**61} / abs({_S} - {_D})))"
_SHARE = f"{_A} * ({_S} - {_D})"
_VALUE = (
    f"CASE WHEN {_S} = 0 OR {_D} = 0 THEN {_A} "
    f"WHEN {_SHARE} >= 0 THEN (2 * {_SHARE} + {_S}) / (2 * {_S}) "
    f"ELSE -((-2 * {_SHARE} + {_S}) / (2 * {_S})) END"
)
# A quantity ('12', '1.5': quotes.math.number_text, at most 6 decimals) as exact integers:
# its whole part and its millionths.
_DOT = "instr(i.quantity, '.')"
_WHOLE = (
    f"CAST(CASE WHEN {_DOT} THEN substr(i.quantity, 1, {_DOT} - 1) ELSE i.quantity END AS INTEGER)"
)
_MILLIONTHS = (
    f"CASE WHEN {_DOT} THEN CAST(substr(substr(i.quantity, {_DOT} + 1) || '000000', 1, 6) "
    "AS INTEGER) ELSE 0 END"
)
_MILLION = Decimal(1_000_000)
_LINE = f"{_A} || ' ' || {_S} || ' ' || {_D}"


def _sums(offered: str, won: str) -> str:
    """The sums of the lines matching `offered` (and `won`): value, gross, quantity."""
    return ", ".join(
        [
            f"coalesce(sum(CASE WHEN {offered} AND {_SAFE} THEN {_VALUE} END), 0)",
            f"coalesce(sum(CASE WHEN {won} AND {_SAFE} THEN {_VALUE} END), 0)",
            f"coalesce(sum(CASE WHEN {offered} THEN i.gross_minor END), 0)",
            f"coalesce(sum(CASE WHEN {offered} THEN {_WHOLE} END), 0)",
            f"coalesce(sum(CASE WHEN {offered} THEN {_MILLIONTHS} END), 0)",
            f"coalesce(sum(CASE WHEN {won} THEN {_WHOLE} END), 0)",
            f"coalesce(sum(CASE WHEN {won} THEN {_MILLIONTHS} END), 0)",
            # the lines left to line_value, "amount subtotal discount" each
            f"group_concat(CASE WHEN {offered} AND NOT {_SAFE} THEN {_LINE} END, ',')",
            f"group_concat(CASE WHEN {won} AND NOT {_SAFE} THEN {_LINE} END, ',')",
        ]
    )


def _rest(lines: str | None) -> int:
    if not lines:
        return 0
    return sum(line_value(*map(int, line.split())) for line in lines.split(","))


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
    decided = f"(o.status IN ('accepted', 'rejected') AND {window.within('o.decided_at')})"
    offered, won = f"({sent})", f"({decided} AND o.status = 'accepted')"
    to_base = scope.converter.to_base
    found = conn.execute(
        # A link to a product no longer in the catalogue counts as free text.
        f"SELECT p.id, o.currency, count(DISTINCT CASE WHEN {offered} THEN o.id END), "
        f"count(DISTINCT CASE WHEN {won} THEN o.id END), "
        f"count(DISTINCT CASE WHEN {decided} THEN o.id END), {_sums(offered, won)} "
        "FROM quotes o JOIN quote_items i ON i.quote_id = o.id "
        "LEFT JOIN products p ON p.id = i.product_id "
        f"WHERE ({offered} OR {decided}) AND {_OFFER} GROUP BY p.id, o.currency",
        scope.params,
    )
    for (pid, currency, quoted, n_won, n_decided, value, revenue, gross, whole, parts,
         won_whole, won_parts, rest, won_rest) in found:  # fmt: skip
        row = rows[pid]
        row.quoted += quoted
        row.won += n_won
        row.decided += n_decided
        row.quoted_value += to_base(currency, value + _rest(rest))
        row.revenue += to_base(currency, revenue + _rest(won_rest))
        row.gross += to_base(currency, gross)
        row.quoted_quantity += whole + parts / _MILLION
        row.won_quantity += won_whole + won_parts / _MILLION
    total = sum((r.revenue for r in rows.values()), Decimal(0))
    for r in rows.values():
        r.revenue_share = ratio(r.revenue, total)
    other = rows.pop(None)
    ordered = sorted(
        rows.values(),
        key=lambda r: (-r.revenue, -r.quoted_value, (r.sku or r.name or "").casefold()),
    )
    return [*ordered, other]
