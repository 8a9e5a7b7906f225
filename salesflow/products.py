"""The product catalogue: what a seller sells, at what list price, and which quote lines name it.

A quote line made from a product copies its name, price and unit into the line and keeps a
link (`quote_items.product_id`); a later change of the product never alters an old quote.
Removing a product still named by quote lines needs `force`, which keeps those lines as the
text they are and drops only the link.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from salesflow import money
from salesflow.errors import Ambiguous, Hint, NotFound, SalesflowError
from salesflow.i18n import _, join

if TYPE_CHECKING:
    from salesflow.quotes.parse import ItemText

RECORD_KEYS = [
    "id", "sku", "name", "price", "currency", "unit", "tax_rate", "quote_lines", "created_at",
    "updated_at",
]  # fmt: skip
_COLUMNS = "id, sku, name, price_minor, currency, unit, tax_rate, created_at, updated_at"


@dataclass(frozen=True)
class Product:
    id: int
    sku: str | None
    name: str
    price_minor: int
    currency: str
    unit: str | None
    tax_rate: str | None  # percent as decimal text; None: the quote's own rate applies
    created_at: str
    updated_at: str

    @property
    def label(self) -> str:
        return f"{self.sku} ({self.name})" if self.sku else self.name

    @property
    def price(self) -> money.Money:
        return money.Money(self.price_minor, self.currency)

    def record(self, quote_lines: int | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "sku": self.sku,
            "name": self.name,
            "price": money.to_decimal_string(self.price_minor, self.currency),
            "currency": self.currency,
            "unit": self.unit,
            "tax_rate": self.tax_rate,
            "quote_lines": quote_lines,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def _product(row: tuple) -> Product:
    return Product(*row)


def get(conn: sqlite3.Connection, product_id: int) -> Product:
    row = conn.execute(f"SELECT {_COLUMNS} FROM products WHERE id = ?", (product_id,)).fetchone()
    if row is None:
        raise NotFound(
            _("no product with id {id}").format(id=product_id), hint=Hint("product.list")
        )
    return _product(row)


def all_products(conn: sqlite3.Connection) -> list[tuple[Product, int]]:
    """Every product by SKU (then name), with how many quote lines name it."""
    # One pass over the quote lines, not one per product (quote_items.product_id has no index).
    counts = dict(
        conn.execute(
            "SELECT product_id, count(*) FROM quote_items WHERE product_id IS NOT NULL "
            "GROUP BY product_id"
        )
    )
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM products ORDER BY sku IS NULL, sku COLLATE NOCASE, "
        "name COLLATE NOCASE"
    )
    return [(p, counts.get(p.id, 0)) for p in map(_product, rows)]


def _exact(conn: sqlite3.Connection, text: str) -> Product | None:
    """The product whose SKU, else whose name, is `text` (any case)."""
    for column in ("sku", "name"):
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM products WHERE {column} = ? COLLATE NOCASE", (text,)
        ).fetchone()
        if row is not None:
            return _product(row)
    return None


def find(conn: sqlite3.Connection, ref: str) -> Product | None:
    """A product by its whole SKU or name (any case), else None: how a quote line whose
    description happens to be a product's is linked to it."""
    text = " ".join(ref.split())
    return _exact(conn, text) if text else None


def resolve(conn: sqlite3.Connection, ref: str) -> Product:
    """A product by SKU or name (any case), `#N` (its id), or a unique piece of its SKU or name."""
    text = " ".join(ref.split())
    if not text:
        raise SalesflowError(_("name a product by its SKU or a piece of its name"))
    found = _exact(conn, text)
    if found is not None:
        return found
    if re.fullmatch(r"#\d+", text):
        return get(conn, int(text[1:]))
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM products WHERE sku LIKE ? ESCAPE '\\' "
        "OR name LIKE ? ESCAPE '\\' ORDER BY sku COLLATE NOCASE, name LIMIT 50",
        (like, like),
    ).fetchall()
    if not rows:
        raise NotFound(_('no product "{ref}"').format(ref=text), hint=Hint("product.list"))
    if len(rows) > 1:
        shown = "; ".join(_product(r).label for r in rows[:5])
        more = _(" and {n} more").format(n=len(rows) - 5) if len(rows) > 5 else ""
        raise Ambiguous(
            _('"{ref}" matches {n} products: {shown}{more} — give the whole SKU').format(
                ref=text, n=len(rows), shown=shown, more=more
            )
        )
    return _product(rows[0])


def _check_unique(
    conn: sqlite3.Connection, sku: str | None, name: str, own_id: int | None = None
) -> None:
    if sku is not None:
        row = conn.execute(
            "SELECT name FROM products WHERE sku = ? COLLATE NOCASE AND id IS NOT ?", (sku, own_id)
        ).fetchone()
        if row is not None:
            raise SalesflowError(
                _('SKU "{sku}" is already "{name}" — a SKU names one product').format(
                    sku=sku, name=row[0]
                ),
                hint=Hint("product.show", ref=sku),
            )
    row = conn.execute(
        "SELECT sku FROM products WHERE name = ? COLLATE NOCASE AND id IS NOT ?", (name, own_id)
    ).fetchone()
    if row is not None:
        raise SalesflowError(
            _('there is already a product called "{name}"').format(name=name),
            hint=Hint("product.show", ref=row[0] or name),
        )


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text is not None else None


def _check_price(price: money.Money) -> None:
    if price.minor <= 0:
        raise SalesflowError(_("a product's price must be more than zero"))
    if price.minor > money.MAX_MINOR:
        raise SalesflowError(_("that price is too large"))


def add(
    conn: sqlite3.Connection,
    *,
    name: str,
    sku: str | None,
    price: money.Money,
    unit: str | None,
    tax_rate: Decimal | None,
    now_iso: str,
) -> Product:
    clean = _clean(name)
    if not clean:
        raise SalesflowError(_("a product needs a name"))
    sku = _clean(sku)
    _check_price(price)
    _check_unique(conn, sku, clean)
    cur = conn.execute(
        "INSERT INTO products (sku, name, price_minor, currency, unit, tax_rate, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (sku, clean, price.minor, price.currency, _clean(unit), _rate_text(tax_rate), now_iso,
         now_iso),
    )  # fmt: skip
    return get(conn, int(cur.lastrowid))


def _rate_text(rate: Decimal | None) -> str | None:
    return None if rate is None else f"{rate.normalize():f}"


@dataclass(frozen=True)
class Change:
    """What `product edit` sets; None leaves a fact as it is, "" clears SKU, unit or tax."""

    name: str | None = None
    sku: str | None = None
    price: money.Money | None = None
    unit: str | None = None
    tax_rate: Decimal | str | None = None  # "" clears


def edit(conn: sqlite3.Connection, product: Product, change: Change, now_iso: str) -> Product:
    """Change the catalogue entry. Quote lines made from it keep their own copy."""
    if all(v is None for v in vars(change).values()):
        raise SalesflowError(_("nothing to change"), hint=Hint("product.edit"))
    new = product
    if change.name is not None:
        name = _clean(change.name)
        if not name:
            raise SalesflowError(_("a product needs a name"))
        new = replace(new, name=name)
    if change.sku is not None:
        new = replace(new, sku=_clean(change.sku))
    if change.price is not None:
        _check_price(change.price)
        new = replace(new, price_minor=change.price.minor, currency=change.price.currency)
    if change.unit is not None:
        new = replace(new, unit=_clean(change.unit))
    if change.tax_rate is not None:
        rate = change.tax_rate
        new = replace(new, tax_rate=_rate_text(rate) if isinstance(rate, Decimal) else None)
    _check_unique(conn, new.sku, new.name, product.id)
    conn.execute(
        "UPDATE products SET sku = ?, name = ?, price_minor = ?, currency = ?, unit = ?, "
        "tax_rate = ?, updated_at = ? WHERE id = ?",
        (new.sku, new.name, new.price_minor, new.currency, new.unit, new.tax_rate, now_iso,
         product.id),
    )  # fmt: skip
    return get(conn, product.id)


def quotes_naming(conn: sqlite3.Connection, product_id: int) -> list[tuple[str, int]]:
    """The quotes whose lines name the product: (number, lines), oldest first."""
    rows = conn.execute(
        "SELECT q.number, count(*) FROM quote_items i JOIN quotes q ON q.id = i.quote_id "
        "WHERE i.product_id = ? GROUP BY q.id ORDER BY q.id",
        (product_id,),
    )
    return [(n, c) for n, c in rows]


def remove(conn: sqlite3.Connection, product: Product, *, force: bool) -> int:
    """Delete the product; returns how many quote lines lost their link (kept as text)."""
    used = quotes_naming(conn, product.id)
    lines = sum(c for _n, c in used)
    if used and not force:
        numbers = join(n for n, _c in used[:3]) + (" …" if len(used) > 3 else "")
        raise SalesflowError(
            _("{product} is on {lines} quote line(s) ({numbers})").format(
                product=product.label, lines=lines, numbers=numbers
            ),
            hint=Hint("product.rm_force", ref=product.sku or product.name),
        )
    conn.execute("UPDATE quote_items SET product_id = NULL WHERE product_id = ?", (product.id,))
    conn.execute("DELETE FROM products WHERE id = ?", (product.id,))
    return lines


def catalogue_tax(products: list[Product | None]) -> Decimal | None:
    """The tax rate the catalogue gives these lines' products, when they name one and agree
    (a quote has one tax rate); None when none names one."""
    rates = {p.tax_rate: p for p in products if p is not None and p.tax_rate is not None}
    if len(rates) > 1:
        shown = join(f"{p.label} {r}%" for r, p in rates.items())
        raise SalesflowError(
            _("these products have different tax rates ({shown}) and a quote has one").format(
                shown=shown
            ),
            hint=Hint("quote.tax"),
        )
    return Decimal(next(iter(rates))) if rates else None


def link_items(conn: sqlite3.Connection, texts: list[ItemText]) -> list[ItemText]:
    """Each quote line that names a product, linked to it: a line without a price must name
    one (SKU, name or a unique piece of either); a priced line whose description is a whole
    SKU or name is linked too, its price overriding the catalogue's."""
    out = []
    catalogue = conn.execute("SELECT 1 FROM products LIMIT 1").fetchone() is not None
    for item in texts:
        if item.price is not None:
            found = find(conn, item.description) if catalogue else None
        else:
            found = _named(conn, item, catalogue)
        out.append(replace(item, product=found) if found is not None else item)
    return out


def _named(conn: sqlite3.Connection, item: ItemText, catalogue: bool) -> Product:
    """The product a priceless item names; without a catalogue the item is only malformed."""
    from salesflow.quotes.parse import ITEM_FORM

    shown = " ".join(item.text.split())
    if not catalogue:
        raise SalesflowError(
            _('cannot read item "{shown}" — write it as {item_form}').format(
                shown=shown, item_form=_(ITEM_FORM)
            )
        )
    try:
        return resolve(conn, item.description)
    except NotFound:
        raise NotFound(
            _('item "{item}": no product "{ref}" and no price — write it as {form}').format(
                item=shown, ref=item.description, form=_(ITEM_FORM)
            )
        ) from None


def bought(conn: sqlite3.Connection, customer_id: int) -> list[dict[str, Any]]:
    """What a customer bought: the lines of the accepted quotes of its won deals, newest
    first, as the quotes show them (a won deal without an accepted quote has no lines)."""
    rows = conn.execute(
        "SELECT q.number, q.decided_at, q.lead_id, p.sku, i.description, i.quantity, i.unit, "
        "i.amount_minor, q.currency FROM leads l "
        "JOIN quotes q ON q.lead_id = l.id AND q.status = 'accepted' "
        "JOIN quote_items i ON i.quote_id = q.id LEFT JOIN products p ON p.id = i.product_id "
        "WHERE l.customer_id = ? ORDER BY q.decided_at DESC, q.id DESC, i.position",
        (customer_id,),
    )
    keys = ("quote", "decided_at", "lead_id", "sku", "description", "quantity", "unit")
    return [
        {**dict(zip(keys, r[:7], strict=True)),
         "amount": money.to_decimal_string(r[7], r[8]), "currency": r[8]}
        for r in rows
    ]  # fmt: skip
