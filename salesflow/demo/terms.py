"""What a demo offer contains: the seller's quote terms, and a first offer's lines, prices
and discounts sized to the deal. Prices are whole "nice" amounts in the demo currency; all
arithmetic is integers and Decimal (never float): floats only draw the dice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from salesflow import config, money
from salesflow.demo import words
from salesflow.demo.deals import Deal
from salesflow.demo.dice import Rng, weighted
from salesflow.demo.products import Catalogue
from salesflow.pipeline import Stage
from salesflow.quotes.math import Discount, ItemInput

_LINE_DISCOUNT = 0.15
_QUOTE_DISCOUNT = 0.25
_LINES = ((1, 20), (2, 35), (3, 30), (4, 15))
_PERCENTS = tuple(Decimal(p) for p in ("5", "10", "10", "15", "20"))
_QUOTE_PERCENTS = tuple(Decimal(p) for p in ("3", "5", "5", "8", "10", "12.5"))
_BUMPS = tuple(Decimal(p) for p in ("2", "3", "5"))
_MAX_DISCOUNT = Decimal(30)
_TAX_BY_CURRENCY = {"CNY": Decimal(13)}
_VAT, _ZERO = Decimal(20), Decimal(0)
_PROBABILITY = 65  # the quote stage of the default pipeline; a pipeline without one is matched
_NEAR = 10  # to its open stage closest to this probability, within this many points
_SCALABLE = tuple(i for i, spec in enumerate(words.QUOTE_ITEMS) if spec[4] != "once")


@dataclass(frozen=True)
class Terms:
    """What the seller's settings say about quotes, read once per fill."""

    currency: str
    scale: int  # deal sizes are in dollar-like units times this
    rounding: str
    tax: Decimal | None  # `quote.tax`, else by currency
    valid_days: int
    chase_days: int
    stage: int  # index of the quote stage among the open stages
    catalogue: Catalogue | None = None  # the demo's products (demo/products.py)

    @property
    def unit(self) -> int:
        return 10 ** money.exponent(self.currency)


def read_terms(
    conn: sqlite3.Connection, *, currency: str, scale: int, open_stages: Sequence[Stage]
) -> Terms | None:
    """The quote terms of this database; None when its pipeline has no quote stage."""
    stage = quote_stage(open_stages, config.quote_stage(conn))
    if stage is None:
        return None
    return Terms(
        currency=currency,
        scale=scale,
        rounding=config.rounding(conn),
        tax=config.quote_tax(conn),
        valid_days=config.quote_valid_days(conn),
        chase_days=config.quote_chase_days(conn),
        stage=stage,
    )


def quote_stage(open_stages: Sequence[Stage], name: str) -> int | None:
    """The index of the stage `quote send` moves a lead to (`name`, the `quote.stage`
    setting, matched as `send` matches it); without one, the open stage nearest 65%."""
    names = [s.name for s in open_stages]
    if name in names:
        return names.index(name)
    folded = [n.casefold() for n in names]
    if name.casefold() in folded:
        return folded.index(name.casefold())
    if not open_stages:
        return None
    # Ties go to the later stage: a quote comes late rather than early in a sale.
    best = min(
        range(len(open_stages)),
        key=lambda i: (abs(open_stages[i].probability - _PROBABILITY), -i),
    )
    return best if abs(open_stages[best].probability - _PROBABILITY) <= _NEAR else None


def first_offer(
    rng: Rng, d: Deal, t: Terms, target: Callable[[Rng, str], int]
) -> tuple[list[ItemInput], Discount | None, Decimal, str | None]:
    """A first offer whose total lands near the deal's value: 1-4 lines from the catalogue,
    the odd line and whole-quote discount, tax by currency (or the `quote.tax` setting)."""
    if t.tax is not None:
        tax = t.tax
    else:
        tax = _TAX_BY_CURRENCY.get(t.currency) or (_VAT if rng.random() < 0.7 else _ZERO)
    total = d.value_major if d.value_major else target(rng, d.grade)
    net = int(Decimal(total) * 100 / (100 + tax))  # major units before tax
    items = _lines(rng, net, d.lang, t)
    discount = None
    if rng.random() < _QUOTE_DISCOUNT:
        if rng.random() < 0.8:
            discount = Discount(percent=rng.choice(_QUOTE_PERCENTS))
        else:
            # At most 6% of the planned net; the lines add up to well over that.
            discount = Discount(fixed_minor=nice(net * rng.randint(2, 6) // 100) * t.unit)
    note = rng.choice(words.QUOTE_NOTES[d.lang]) if rng.random() < 0.3 else None
    return items, discount, tax, note


def _lines(rng: Rng, net: int, lang: str, t: Terms) -> list[ItemInput]:
    """1-4 catalogue lines adding up to about `net` (major units): lump sums at their usual
    price (at most their share), the rest spread over the lines counted in pieces or days."""
    catalogue = words.QUOTE_ITEMS
    picks = rng.sample(range(len(catalogue)), weighted(rng, _LINES))
    if all(catalogue[i][4] == "once" for i in picks):
        picks[0] = rng.choice(_SCALABLE)  # something whose quantity can carry the deal
    weights = [rng.randint(1, 6) for _ in picks]
    prices: dict[int, int] = {}
    for i, w in zip(picks, weights, strict=True):
        _en, _zh, lo, hi, kind = catalogue[i]
        if kind == "once":
            share = max(1, net * w // sum(weights))
            prices[i] = nice(min(share, rng.randint(lo, hi) * t.scale))
    rest = max(1, net - sum(prices.values()))
    scalable = sum(w for i, w in zip(picks, weights, strict=True) if i not in prices)
    lines = []
    for i, w in zip(picks, weights, strict=True):
        en, zh, lo, hi, kind = catalogue[i]
        listed = t.catalogue.pick(i) if t.catalogue is not None else None
        unit = None
        if kind == "once":
            quantity, price = Decimal(1), prices[i]
        else:
            share = max(1, rest * w // scalable)
            price = nice(rng.randint(lo, hi) * t.scale)
            if listed is not None and not t.catalogue.own_price():  # type: ignore[union-attr]
                price = listed.price  # the list price; the quantity carries the deal
            if kind == "unit":
                count = max(1, (share + price // 2) // price)
                if count > 500:  # a big order of a cheap part: fewer, dearer pieces read better
                    count, price = 500, nice(share // 500)
                quantity = Decimal(count)
            else:  # days of work, in half days
                halves = max(1, (2 * share + price // 2) // price)
                if halves > 400:
                    halves, price = 400, nice(share // 200)
                quantity = Decimal(halves) / 2
        if listed is not None:
            unit = listed.units[lang == "zh"]
        lines.append(
            ItemInput(
                zh if lang == "zh" else en,
                quantity,
                price * t.unit,
                _line_discount(rng, quantity, price, t),
                unit=unit,
                product_id=None if listed is None else listed.product_id,
            )
        )
    return lines


def _line_discount(rng: Rng, quantity: Decimal, price: int, t: Terms) -> Discount | None:
    if rng.random() >= _LINE_DISCOUNT:
        return None
    if rng.random() < 0.75:
        return Discount(percent=rng.choice(_PERCENTS))
    gross = int(quantity * price)
    off = nice(gross * rng.randint(2, 10) // 100)
    return Discount(fixed_minor=min(off, gross) * t.unit)


def nice(major: int) -> int:
    """Round to two significant digits, as people price: 987 -> 990, 12,345 -> 12,000."""
    major = max(1, major)
    step = 10 ** max(0, len(str(major)) - 2)
    return max(step, (major + step // 2) // step * step)
