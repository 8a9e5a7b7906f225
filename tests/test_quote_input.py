"""Reading what a seller types for a quote: items, quantities, discounts, tax, currency."""

import re
from decimal import Decimal

import pytest

from salesflow.errors import SalesflowError
from salesflow.quotes import parse as quote_input
from salesflow.quotes.math import Discount


def test_split_item_reads_three_or_four_fields_and_fullwidth_semicolons() -> None:
    item = quote_input.split_item("Edge gateway G2; 50; 980")
    assert (item.description, item.quantity, item.price, item.discount) == (
        "Edge gateway G2", Decimal(50), "980", None,
    )  # fmt: skip
    item = quote_input.split_item("培训；1.5；3500；10%")
    assert (item.description, item.quantity, item.price, item.discount) == (
        "培训", Decimal("1.5"), "3500", "10%",
    )  # fmt: skip
    assert quote_input.split_item("Bolts; 1,000; 0.12").quantity == Decimal(1000)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Edge gateway G2, 50, 980", 'write it as "description; quantity; unit price"'),
        ("Edge gateway; 50", 'write it as "description; quantity; unit price"'),
        ("; 50; 980", 'write it as "description; quantity; unit price"'),
        ("a; 1; 2; 3; 4", 'write it as "description; quantity; unit price"'),
        ("x; 0; 980", 'quantity "0" is zero'),
        ("x; -2; 980", 'quantity "-2" is negative'),
        ("x; two; 980", 'cannot read quantity "two"'),
        ("x; 1e3; 980", 'cannot read quantity "1e3"'),
        ("x; 1000000000; 1", "out of range"),
        ("x; 0.0000001; 1", "out of range"),
    ],
)
def test_split_item_refuses(text: str, message: str) -> None:
    with pytest.raises(SalesflowError, match=re.escape(message)):
        quote_input.split_item(text)


def test_quote_currency_comes_from_option_then_prices_then_lead() -> None:
    items = [quote_input.split_item("a; 1; 100"), quote_input.split_item("b; 1; $50")]
    assert quote_input.quote_currency(items, None, "CNY") == "USD"
    assert quote_input.quote_currency(items[:1], None, "CNY") == "CNY"
    assert quote_input.quote_currency(items, "eur", "CNY") == "EUR"
    # the unnamed line is read in the quote's currency
    read = quote_input.read_items(items, "USD")
    assert [(i.unit_price_minor) for i in read] == [10_000, 5_000]


def test_read_items_refuses_a_second_currency() -> None:
    items = [quote_input.split_item("a; 1; $100"), quote_input.split_item("b; 1; 100 EUR")]
    with pytest.raises(SalesflowError, match='"b" is priced in EUR but the quote is in USD'):
        quote_input.read_items(items, quote_input.quote_currency(items, None, "CNY"))


def test_read_items_discounts() -> None:
    items = [quote_input.split_item("a; 2; 100; 10%"), quote_input.split_item("b; 1; 100")]
    read = quote_input.read_items(items, "USD")
    assert read[0].discount == Discount(percent=Decimal(10)) and read[1].discount is None
    read = quote_input.read_items(items[1:], "USD", "25")
    assert read[0].discount == Discount(fixed_minor=2_500)
    with pytest.raises(SalesflowError, match="give it once"):
        quote_input.read_items(items[:1], "USD", "5%")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5%", Discount(percent=Decimal(5))),
        ("12.5 %", Discount(percent=Decimal("12.5"))),
        ("5％", Discount(percent=Decimal(5))),
        ("100%", Discount(percent=Decimal(100))),
        ("500", Discount(fixed_minor=50_000)),
        ("¥1,200.50", Discount(fixed_minor=120_050)),
        ("0", None),
        ("0%", None),
        ("none", None),
    ],
)
def test_parse_discount(text: str, expected) -> None:
    assert quote_input.parse_discount(text, "CNY") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("120%", 'discount "120%" is over 100%'),
        ("-5%", 'discount "-5%" is negative'),
        ("$50", 'discount "$50" is in USD but the quote is in CNY'),
        ("lots", 'cannot read discount "lots"'),
    ],
)
def test_parse_discount_refuses(text: str, message: str) -> None:
    with pytest.raises(SalesflowError, match=re.escape(message)):
        quote_input.parse_discount(text, "CNY")


def test_parse_tax() -> None:
    assert quote_input.parse_tax("13%") == Decimal(13)
    assert quote_input.parse_tax("13") == Decimal(13)
    assert quote_input.parse_tax("0") == Decimal(0)
    assert quote_input.parse_tax("100%") == Decimal(100)
    for bad in ("101%", "-1%", "-5"):
        with pytest.raises(SalesflowError, match="outside 0–100%"):
            quote_input.parse_tax(bad)
    with pytest.raises(SalesflowError, match='cannot read tax rate "vat"'):
        quote_input.parse_tax("vat")
