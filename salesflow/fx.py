"""Exchange rates for the reports: `config set fx.USD 7.10` means 1 USD = 7.10 of the base
currency (the `currency` setting). Money figures are summed in the base currency; a currency
without a rate is left out and named, never mixed in at face value."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal

from salesflow import money
from salesflow.i18n import _

PREFIX = "fx."


@dataclass
class Converter:
    """Turns per-currency sums of minor units into one base-currency Decimal.

    Collects the currencies it could not convert, so a report can name them in its
    warning."""

    base: str
    rates: dict[str, Decimal]
    rounding: str = "half-up"
    missing: set[str] = field(default_factory=set)

    def rate(self, currency: str) -> Decimal | None:
        return Decimal(1) if currency == self.base else self.rates.get(currency)

    def to_base(self, currency: str, minor: int | Decimal | None) -> Decimal:
        """`minor` units of `currency` in base major units (unrounded); 0 when it cannot be
        converted, noting the currency as left out."""
        if not minor:
            return Decimal(0)
        rate = self.rate(currency)
        if rate is None:
            self.missing.add(currency)
            return Decimal(0)
        return Decimal(minor).scaleb(-money.exponent(currency)) * rate

    def can_convert(self, currency: str) -> bool:
        return self.rate(currency) is not None

    def text(self, amount: Decimal | None) -> str | None:
        """The machine form of a base amount, rounded to the base currency's minor unit."""
        if amount is None:
            return None
        return money.to_decimal_string(money.to_minor(amount, self.base, self.rounding), self.base)

    def minor(self, amount: Decimal) -> int:
        return money.to_minor(amount, self.base, self.rounding)


def check_rate(value: str) -> str:
    """A rate must be a positive decimal number, e.g. 7.10 or 0.14."""
    from decimal import InvalidOperation

    from salesflow.errors import Hint, SalesflowError

    text = value.strip()
    try:
        rate = Decimal(text)
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or rate <= 0:
        raise SalesflowError(
            _(
                'exchange rate "{value}" is not a positive number — write '
                "how much 1 unit is worth in your base currency"
            ).format(value=value),
            hint=Hint("config.fx"),
        )
    return str(rate)


def converter(conn: sqlite3.Connection, base: str) -> Converter:
    from salesflow import store
    from salesflow.config import DEFAULT_ROUNDING

    settings = store.all_settings(conn)
    rates = {
        key[len(PREFIX) :].upper(): Decimal(value)
        for key, value in settings.items()
        if key.startswith(PREFIX)
    }
    return Converter(base=base, rates=rates, rounding=settings.get("rounding", DEFAULT_ROUNDING))
