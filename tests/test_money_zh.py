"""Amounts as a Chinese seller types them (issue 13): 万/亿/千, 元, 人民币, RMB, US$, codes
before or after, full-width digits. Expected minor units are worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesflow.chinese import halfwidth
from salesflow.errors import SalesflowError
from salesflow.money import Money, parse_money


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("50万", "CNY", Money(50_000_000, "CNY")),  # 500,000.00
        ("50万元", "USD", Money(50_000_000, "CNY")),  # 元 is the renminbi
        ("5.5万", "CNY", Money(5_500_000, "CNY")),  # 55,000.00
        ("1.2亿", "CNY", Money(12_000_000_000, "CNY")),  # 120,000,000.00
        ("¥50万", "USD", Money(50_000_000, "CNY")),
        ("￥50万", "CNY", Money(50_000_000, "CNY")),  # the full-width yen sign
        ("50,000元", "CNY", Money(5_000_000, "CNY")),
        ("RMB 50000", "USD", Money(5_000_000, "CNY")),
        ("rmb50000", "USD", Money(5_000_000, "CNY")),
        ("CNY50000", "USD", Money(5_000_000, "CNY")),
        ("人民币5万", "USD", Money(5_000_000, "CNY")),  # 50,000.00
        ("US$48,000", "CNY", Money(4_800_000, "USD")),
        ("USD 48k", "CNY", Money(4_800_000, "USD")),
        ("48k USD", "CNY", Money(4_800_000, "USD")),
        ("3千", "CNY", Money(300_000, "CNY")),  # 3,000.00
        ("2千万", "CNY", Money(2_000_000_000, "CNY")),  # 20,000,000.00
        ("3百万", "CNY", Money(300_000_000, "CNY")),  # 3,000,000.00
        ("５０，０００", "CNY", Money(5_000_000, "CNY")),
        ("５．５万", "CNY", Money(5_500_000, "CNY")),
        ("１２００ ＥＵＲ", "CNY", Money(120_000, "EUR")),
        ("100美元", "CNY", Money(10_000, "USD")),
        ("HK$1,000", "CNY", Money(100_000, "HKD")),
        ("50 万 元", "CNY", Money(50_000_000, "CNY")),
        ("1.5万", "JPY", Money(15_000, "JPY")),  # no minor unit
    ],
)
def test_chinese_amounts(text: str, default: str, expected: Money) -> None:
    assert parse_money(text, default) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5万万", "cannot read amount"),
        ("万", "cannot read amount"),
        ("五万", "cannot read amount"),  # characters for digits: not guessed
        ("¥5 USD", "two currencies"),
        ("US$5元", "two currencies"),
        ("人民币5 USD", "two currencies"),
        ("5,0000元", "thousands separator"),
        ("50 000", "cannot read amount"),
        ("1e5", "cannot read amount"),
    ],
)
def test_unreadable_chinese_amounts_are_refused(text: str, message: str) -> None:
    with pytest.raises(SalesflowError, match=message):
        parse_money(text, "CNY")


def test_the_hint_lists_the_chinese_forms() -> None:
    with pytest.raises(SalesflowError) as info:
        parse_money("abc", "CNY")
    for form in ("50k", "¥50万", "1.2亿", "RMB 50000", "US$48,000", "48k USD"):
        assert form in info.value.message


def test_halfwidth_folds_only_full_width_ascii() -> None:
    assert halfwidth("５０，０００．５") == "50,000.5"
    assert halfwidth("2²") == "2²"  # a superscript is not a digit typed


_WORD_FACTORS = {"": 1, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000}
_WORD_FACTORS |= {"千万": 10_000_000, "k": 1_000, "w": 10_000}
_CURRENCY_FORMS = {
    "": "CNY",  # the default below
    "元": "CNY",
    " CNY": "CNY",
    "人民币{}": "CNY",
    "RMB {}": "CNY",
    "¥{}": "CNY",
    "US${}": "USD",
    "USD {}": "USD",
    " USD": "USD",
    "美元": "USD",
}


@given(
    units=st.integers(min_value=0, max_value=99_999),
    tenths=st.one_of(st.none(), st.integers(0, 9)),
    mult=st.sampled_from(sorted(_WORD_FACTORS)),
    form=st.sampled_from(sorted(_CURRENCY_FORMS)),
    wide=st.booleans(),
)
def test_every_written_form_reads_its_value(units, tenths, mult, form, wide) -> None:
    # The value is worked out from the parts, never by the parser: no silent misreading.
    number = f"{units}" if tenths is None else f"{units}.{tenths}"
    body = number + mult
    text = form.format(body) if "{}" in form else body + form
    if wide:  # what a Chinese input method in full-width mode types
        text = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    currency = _CURRENCY_FORMS[form]
    minor = Decimal(number) * _WORD_FACTORS[mult] * 100
    assert parse_money(text, "CNY") == Money(int(minor), currency)


@given(st.text(alphabet="0123456789,.万亿千百元¥$kKwW人民币RMBUSD ５０，．", max_size=14))
def test_chinese_text_gives_a_value_or_a_user_error(text: str) -> None:
    try:
        result = parse_money(text, "CNY")
    except SalesflowError as e:
        assert "\n" not in e.message
        return
    assert isinstance(result.minor, int) and result.minor >= 0
