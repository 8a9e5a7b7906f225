"""Reading what a seller types for a quote: items, quantities, discounts, tax rates, currency.

Each reader returns plain values or raises one SalesflowError that says what was wrong and
what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from salesflow import money
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import N_, _
from salesflow.quotes.math import Discount, ItemInput

ITEM_FORM = N_(
    '"description; quantity; unit price" (optionally "; unit" such as 台 or pcs and '
    '"; discount" such as 10% or 200)'
)
# After the price, a field that starts like a number or an amount is the line's discount;
# any other is its unit (台, pcs, days).
_DISCOUNT_LIKE = re.compile(r"[-+$€£₩₹¥￥]?\s*[\d.,]")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*[%％]")
_QUANTITY = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")
_SEPARATOR = re.compile(r"[;；]")  # a Chinese IME types the full-width semicolon


def parse_percent(text: str) -> Decimal | None:
    """`5%`, `12.5 %`, `13％` as a Decimal; None when the text is not a percentage."""
    m = _PERCENT.fullmatch(text.strip())
    return Decimal(m.group(1)) if m else None


def parse_tax(text: str) -> Decimal:
    """A tax rate in percent: `13%` or `13`; 0–100."""
    raw = text.strip()
    m = re.fullmatch(r"(-?(?:\d+(?:\.\d+)?|\.\d+))\s*[%％]?", raw)
    rate = Decimal(m.group(1)) if m else None
    if rate is None:
        raise SalesflowError(
            _('cannot read tax rate "{raw}" — write a percentage such as 13% or 0%').format(raw=raw)
        )
    if not 0 <= rate <= 100:
        raise SalesflowError(
            _('tax rate "{raw}" is outside 0–100% — write it such as 13% or 0%').format(raw=raw)
        )
    return rate


def parse_discount(text: str, currency: str, *, what: str = "discount") -> Discount | None:
    """`5%` (percent off) or `500`, `¥500` (an amount off, in the quote's currency).
    Zero (`0`, `0%`, `none`) means no discount."""
    raw = text.strip()
    if raw.lower() in ("", "none", "no"):
        return None
    if raw.startswith("-"):
        raise SalesflowError(
            _(
                '{what} "{raw}" is negative — a discount is a percentage such as 5% or an amount'
            ).format(what=what, raw=raw)
        )
    percent = parse_percent(raw)
    if percent is not None:
        if percent > 100:
            raise SalesflowError(
                _('{what} "{raw}" is over 100% — use 0% to 100%').format(what=what, raw=raw)
            )
        return Discount(percent=percent) if percent else None
    try:
        amount = money.parse_money(raw, currency)
    except SalesflowError:
        raise SalesflowError(
            _(
                'cannot read {what} "{raw}" — write a percentage such as 5% '
                "or an amount such as 500"
            ).format(what=what, raw=raw)
        ) from None
    if amount.currency != currency:
        raise SalesflowError(
            _(
                '{what} "{raw}" is in {currency} but the quote is in '
                "{currency2} — give the amount in {currency2} or as a "
                "percentage"
            ).format(what=what, raw=raw, currency=amount.currency, currency2=currency)
        )
    return Discount(fixed_minor=amount.minor) if amount.minor else None


def parse_quantity(text: str) -> Decimal:
    raw = text.strip()
    if raw.startswith("-"):
        raise SalesflowError(
            _('quantity "{raw}" is negative — a quantity must be more than zero').format(raw=raw)
        )
    if not _QUANTITY.fullmatch(raw):
        raise SalesflowError(
            _('cannot read quantity "{raw}" — write a number such as 2 or 1.5').format(raw=raw)
        )
    qty = Decimal(raw.replace(",", ""))
    if qty <= 0:
        raise SalesflowError(
            _('quantity "{raw}" is zero — a quantity must be more than zero').format(raw=raw)
        )
    if qty >= 10**9 or -qty.as_tuple().exponent > 6:
        raise SalesflowError(
            _(
                'quantity "{raw}" is out of range — up to 999,999,999 with at most 6 decimals'
            ).format(raw=raw)
        )
    return qty


@dataclass(frozen=True)
class ItemText:
    """One `--item` split into its parts, the price still in the currency it named."""

    text: str
    description: str
    quantity: Decimal
    price: str
    discount: str | None
    unit: str | None = None


def split_item(text: str) -> ItemText:
    """Read `description; quantity; unit price[; unit][; discount]` (unit and discount in
    either order: `控制柜; 9; 62000; 台` or `Training; 2; 3500; days; 10%`)."""
    parts = [p.strip() for p in _SEPARATOR.split(text)]
    shown = " ".join(text.split())
    if not 3 <= len(parts) <= 5 or not parts[0] or not parts[2]:
        raise SalesflowError(
            _('cannot read item "{shown}" — write it as {item_form}').format(
                shown=shown, item_form=_(ITEM_FORM)
            )
        )
    discount = unit = None
    for extra in filter(None, parts[3:]):
        if _DISCOUNT_LIKE.match(extra) or parse_percent(extra) is not None:
            if discount is not None:
                raise SalesflowError(
                    _('item "{shown}" has two discounts — write it as {item_form}').format(
                        shown=shown, item_form=_(ITEM_FORM)
                    )
                )
            discount = extra
        elif unit is not None:
            raise SalesflowError(
                _('item "{shown}" has two units — write it as {item_form}').format(
                    shown=shown, item_form=_(ITEM_FORM)
                )
            )
        else:
            unit = extra
    return ItemText(text, parts[0], parse_quantity(parts[1]), parts[2], discount, unit)


def quote_currency(items: list[ItemText], explicit: str | None, fallback: str) -> str:
    """`--currency`, else a currency the item prices name (`$980`, `980 EUR`), else the lead's."""
    if explicit:
        return money.check_currency(explicit)
    for item in items:
        named = _price(item, fallback).currency
        if named != fallback:
            return named
    return fallback


def read_items(
    texts: list[ItemText], currency: str, line_discount: str | None = None
) -> list[ItemInput]:
    """Items in `currency`; a price in another currency is refused (one quote, one currency)."""
    out: list[ItemInput] = []
    for item in texts:
        price = _price(item, currency)
        if price.currency != currency:
            raise SalesflowError(
                _(
                    'item "{description}" is priced in {currency} but the quote '
                    "is in {currency2} — a quote has one currency; price every "
                    "item in {currency2}"
                ).format(description=item.description, currency=price.currency, currency2=currency)
            )
        if item.discount and line_discount:
            raise SalesflowError(
                _(
                    'item "{description}" has a discount in its text and one for '
                    "all lines — give it once"
                ).format(description=item.description),
                hint=Hint("quote.item_discount_twice", description=item.description),
            )
        disc_text = item.discount or line_discount
        what = f'item "{item.description}": discount'
        discount = parse_discount(disc_text, currency, what=what) if disc_text else None
        out.append(ItemInput(item.description, item.quantity, price.minor, discount, item.unit))
    return out


def _price(item: ItemText, currency: str) -> money.Money:
    try:
        return money.parse_money(item.price, currency)
    except SalesflowError as e:
        raise SalesflowError(
            _('item "{description}": {message} (items are written as {item_form})').format(
                description=item.description, message=e.message, item_form=_(ITEM_FORM)
            )
        ) from None
