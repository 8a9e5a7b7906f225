from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesflow import money
from salesflow.errors import SalesflowError
from salesflow.money import Money, parse_money


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("50000", "CNY", Money(5_000_000, "CNY")),
        ("50k", "CNY", Money(5_000_000, "CNY")),
        ("1,200.50", "USD", Money(120_050, "USD")),
        ("¥1200", "USD", Money(120_000, "CNY")),  # ¥ is CNY unless the default is JPY
        ("¥1200", "JPY", Money(1200, "JPY")),
        ("$3.5k", "CNY", Money(350_000, "USD")),
        ("1200 EUR", "USD", Money(120_000, "EUR")),
        ("1200eur", "USD", Money(120_000, "EUR")),
        ("3万", "CNY", Money(3_000_000, "CNY")),
        ("1.5m", "USD", Money(150_000_000, "USD")),
        ("12345", "JPY", Money(12345, "JPY")),
        ("99.5", "JPY", Money(100, "JPY")),  # half-up to the yen
        ("1.2345", "BHD", Money(1235, "BHD")),  # three decimals, half-up
        ("0.0005", "BHD", Money(1, "BHD")),
        ("0", "USD", Money(0, "USD")),
        ("2.675", "USD", Money(268, "USD")),  # Decimal, not float: 2.675 rounds up
    ],
)
def test_parse_money(text: str, default: str, expected: Money) -> None:
    assert parse_money(text, default) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "negative"),
        ("abc", "cannot read amount"),
        ("", "cannot read amount"),
        ("1,2,3", "thousands separator"),
        ("12 E", "cannot read amount"),
        ("$5 EUR", "two currencies"),
        ("5.5.5", "cannot read amount"),
    ],
)
def test_parse_money_refuses(text: str, message: str) -> None:
    with pytest.raises(SalesflowError, match=message):
        parse_money(text, "USD")


def test_decimal_strings_follow_the_minor_unit() -> None:
    assert money.to_decimal_string(5_000_000, "CNY") == "50000.00"
    assert money.to_decimal_string(1200, "JPY") == "1200"
    assert money.to_decimal_string(1250, "BHD") == "1.250"
    assert money.display(123_456_789, "USD") == "1,234,567.89 USD"


def test_check_currency() -> None:
    assert money.check_currency(" cny ") == "CNY"
    with pytest.raises(SalesflowError, match="ISO 4217"):
        money.check_currency("RMBX")


CURRENCIES = st.sampled_from(["USD", "CNY", "JPY", "BHD", "EUR"])


@given(minor=st.integers(min_value=0, max_value=10**15), currency=CURRENCIES)
def test_decimal_string_round_trips(minor: int, currency: str) -> None:
    text = money.to_decimal_string(minor, currency)
    assert parse_money(text, currency) == Money(minor, currency)


@given(minor=st.integers(min_value=0, max_value=10**12), currency=CURRENCIES)
def test_thousands_separators_round_trip(minor: int, currency: str) -> None:
    shown = money.display(minor, currency).split(" ")[0]
    assert parse_money(shown, currency) == Money(minor, currency)


@given(units=st.integers(min_value=0, max_value=10**9), tenths=st.integers(0, 9))
def test_k_suffix_multiplies_by_a_thousand(units: int, tenths: int) -> None:
    amount = Decimal(f"{units}.{tenths}")
    assert parse_money(f"$ {units}.{tenths}k", "CNY") == Money(int(amount * 1000 * 100), "USD")


@given(st.text(max_size=20))
def test_parser_only_raises_user_errors(text: str) -> None:
    try:
        result = parse_money(text, "USD")
    except SalesflowError:
        return
    assert result.minor >= 0 and isinstance(result.minor, int)


@pytest.mark.parametrize("code", ["XYZ", "UDS", "RMB", "ABC"])
def test_codes_outside_iso_4217_are_refused(code: str) -> None:
    with pytest.raises(SalesflowError, match=f'"{code}" is not a currency code'):
        money.check_currency(code)
    if code == "RMB":  # in an amount, RMB is how a Chinese seller writes CNY
        assert parse_money(f"12 {code}", "USD") == Money(1200, "CNY")
        return
    with pytest.raises(SalesflowError, match="not a currency code"):
        parse_money(f"12 {code}", "USD")


def test_rmb_gets_a_hint() -> None:
    with pytest.raises(SalesflowError, match="the renminbi is CNY"):
        money.check_currency("rmb")


@given(
    st.integers(min_value=-(10**18), max_value=10**18),
    st.sampled_from(["USD", "JPY", "BHD", "CNY", "KRW", "KWD", "XYZ"]),
)
def test_decimal_string_is_the_decimal_amount_at_the_minor_unit(minor: int, currency: str) -> None:
    # The integer formatting must give exactly what Decimal quantizing gives.
    exp = money.exponent(currency)
    expected = str(Decimal(minor).scaleb(-exp).quantize(Decimal(1).scaleb(-exp)))
    assert money.to_decimal_string(minor, currency) == expected


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (5, "USD", "0.05"),  # leading zeros of the cents
        (-5, "USD", "-0.05"),  # the sign before the zero
        (-1250, "BHD", "-1.250"),  # three decimals
        (5, "BHD", "0.005"),
        (0, "JPY", "0"),  # no minor unit: no point
        (-1200, "JPY", "-1200"),
        (0, "USD", "0.00"),
    ],
)
def test_decimal_string_edges(minor: int, currency: str, text: str) -> None:
    assert money.to_decimal_string(minor, currency) == text
