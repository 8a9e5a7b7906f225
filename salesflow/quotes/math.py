"""A quote's arithmetic, pure: line items, discounts, tax and total, every step kept.

The rules (the issue's, and what a client checks with a calculator):

- line gross    = quantity × unit price (exact; shown rounded to the minor unit)
- line amount   = gross − line discount, rounded ONCE per line (percent: gross × (1 − p/100);
                  fixed: gross − amount). The discount shown on the line is gross(shown) −
                  amount, so every shown line adds up: gross − discount = amount.
- subtotal      = Σ line amounts
- discount      = subtotal × p/100 rounded, or the fixed amount
- net           = subtotal − discount (the discounted subtotal)
- tax           = net × rate/100 rounded
- total         = net + tax

Rounding is to the currency's minor unit with the quote's rounding mode (half-up or
half-even). No float anywhere; quantities and rates are Decimal, money is integer minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from salesflow import money
from salesflow.errors import SalesflowError
from salesflow.i18n import _

HUNDRED = Decimal(100)
# Far more digits than any real quote needs, so qty × price × rate is always exact before
# the one rounding per step.
_PRECISION = 60


@dataclass(frozen=True)
class Discount:
    """A percentage off (`percent`) or a fixed amount off (`fixed_minor`), never both."""

    percent: Decimal | None = None
    fixed_minor: int | None = None

    def __post_init__(self) -> None:
        if (self.percent is None) == (self.fixed_minor is None):
            raise ValueError("a discount is a percent or a fixed amount")


@dataclass(frozen=True)
class ItemInput:
    description: str
    quantity: Decimal
    unit_price_minor: int
    discount: Discount | None = None
    unit: str | None = None  # 台, pcs, days …: shown on the document, no part of the arithmetic


@dataclass(frozen=True)
class Line:
    position: int
    description: str
    quantity: Decimal
    unit_price_minor: int
    discount_percent: Decimal | None
    discount_fixed_minor: int | None
    gross_minor: int
    discount_minor: int
    amount_minor: int
    unit: str | None = None


@dataclass(frozen=True)
class Totals:
    currency: str
    lines: tuple[Line, ...]
    subtotal_minor: int
    discount_percent: Decimal | None
    discount_fixed_minor: int | None
    discount_minor: int
    net_minor: int
    tax_rate: Decimal
    tax_minor: int
    total_minor: int


def _round(amount: Decimal, currency: str, rounding: str) -> int:
    return money.to_minor(amount, currency, rounding)


def line(position: int, item: ItemInput, currency: str, rounding: str) -> Line:
    """One line's figures; refuses a discount larger than the line itself."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        gross = item.quantity * money.to_decimal(item.unit_price_minor, currency)
        disc = item.discount
        if disc is None:
            exact = gross
        elif disc.percent is not None:
            exact = gross * (HUNDRED - disc.percent) / HUNDRED
        else:
            fixed = money.to_decimal(disc.fixed_minor or 0, currency)
            if fixed > gross:
                off = money.display(disc.fixed_minor, currency)
                raise SalesflowError(
                    _(
                        'the discount on "{description}" ({off}) is more than the '
                        "line itself ({gross}) — use a smaller amount or a percentage"
                    ).format(
                        description=item.description, off=off, gross=_show_exact(gross, currency)
                    )
                )
            exact = gross - fixed
        gross_minor = _round(gross, currency, rounding)
        amount_minor = _round(exact, currency, rounding)
    return Line(
        position=position,
        description=item.description,
        quantity=item.quantity,
        unit_price_minor=item.unit_price_minor,
        discount_percent=disc.percent if disc else None,
        discount_fixed_minor=disc.fixed_minor if disc else None,
        gross_minor=gross_minor,
        discount_minor=gross_minor - amount_minor,
        amount_minor=amount_minor,
        unit=item.unit,
    )


def compute(
    items: list[ItemInput],
    *,
    currency: str,
    rounding: str,
    discount: Discount | None,
    tax_rate: Decimal,
) -> Totals:
    """Every figure of a quote from its inputs (see the module docstring for the rules)."""
    lines = tuple(line(i, item, currency, rounding) for i, item in enumerate(items, 1))
    subtotal = sum(li.amount_minor for li in lines)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        if discount is None:
            discount_minor = 0
        elif discount.percent is not None:
            exact = money.to_decimal(subtotal, currency) * discount.percent / HUNDRED
            discount_minor = _round(exact, currency, rounding)
        else:
            discount_minor = discount.fixed_minor or 0
            if discount_minor > subtotal:
                raise SalesflowError(
                    _(
                        "the quote discount ({discount_minor}) is more than the "
                        "subtotal ({subtotal}) — use a smaller amount or a percentage"
                    ).format(
                        discount_minor=money.display(discount_minor, currency),
                        subtotal=money.display(subtotal, currency),
                    )
                )
        net = subtotal - discount_minor
        tax_minor = _round(money.to_decimal(net, currency) * tax_rate / HUNDRED, currency, rounding)
    return Totals(
        currency=currency,
        lines=lines,
        subtotal_minor=subtotal,
        discount_percent=discount.percent if discount else None,
        discount_fixed_minor=discount.fixed_minor if discount else None,
        discount_minor=discount_minor,
        net_minor=net,
        tax_rate=tax_rate,
        tax_minor=tax_minor,
        total_minor=net + tax_minor,
    )


def _show_exact(amount: Decimal, currency: str) -> str:
    """`30.00 USD`, or every digit when the exact amount is finer than the minor unit."""
    exact = amount.normalize()
    if -exact.as_tuple().exponent <= money.exponent(currency):
        return money.display(money.to_minor(exact, currency), currency)
    return f"{exact:f} {currency}"


# ---- text forms shared by the terminal view, the documents and the JSON --------------


def number_text(value: Decimal) -> str:
    """A quantity or rate without trailing zeros or exponent: 50, 1.5, 12.5."""
    text = f"{value.normalize():f}"
    return text


def percent_text(value: Decimal) -> str:
    return f"{number_text(value)}%"


def amount_text(minor: int, currency: str) -> str:
    """Money for a document cell: thousands separators, the currency's decimals, no code."""
    exp = money.exponent(currency)
    return f"{money.to_decimal(minor, currency):,.{exp}f}"
