"""Amounts in Chinese capitals (金额大写) and in English words.

The table is written by hand from /work/shared/reference/rmb-capitals.md (the banking rules);
where rule 3 allows two forms, salesflow writes the one named in salesflow/money_words.py and
reads both.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesflow.errors import SalesflowError
from salesflow.money_words import english_words, parse_rmb_capitals, rmb_capitals

CASES = [
    # The reference's and the examples
    (0, "人民币零元整"),
    (10_00, "人民币壹拾元整"),  # rule 5: a leading ten is 壹拾
    (100_05, "人民币壹佰元零伍分"),  # rule 4
    (1_000_000_10, "人民币壹佰万元零壹角"),  # rule 3: 零 written after 元
    (10_010_001_00, "人民币壹仟零壹万零壹元整"),
    (1_409_50, "人民币壹仟肆佰零玖元伍角"),  # rule 2; no 整 after 角
    (6_007_14, "人民币陆仟零柒元壹角肆分"),
    (1_680_32, "人民币壹仟陆佰捌拾元零叁角贰分"),
    (107_000_53, "人民币壹拾万柒仟元零伍角叁分"),
    (16_409_02, "人民币壹万陆仟肆佰零玖元零贰分"),
    (325_04, "人民币叁佰贰拾伍元零肆分"),
    (59_042_50, "人民币伍万玖仟零肆拾贰元伍角"),
    (120_000_000_00, "人民币壹亿贰仟万元整"),
    (1_694_548_00, "人民币壹佰陆拾玖万肆仟伍佰肆拾捌元整"),
    (1_694_548_05, "人民币壹佰陆拾玖万肆仟伍佰肆拾捌元零伍分"),
    # Single digits, tens and teens
    (1_00, "人民币壹元整"),
    (9_00, "人民币玖元整"),
    (11_00, "人民币壹拾壹元整"),
    (20_00, "人民币贰拾元整"),
    (110_00, "人民币壹佰壹拾元整"),
    (101_00, "人民币壹佰零壹元整"),
    (1_010_00, "人民币壹仟零壹拾元整"),
    (1_001_00, "人民币壹仟零壹元整"),
    (1_100_00, "人民币壹仟壹佰元整"),
    (9_999_00, "人民币玖仟玖佰玖拾玖元整"),
    # Under one yuan: no 元, no 整 after 角 or 分
    (50, "人民币伍角"),
    (5, "人民币伍分"),
    (55, "人民币伍角伍分"),
    (1, "人民币壹分"),
    # Whole yuan with 角 and 分
    (1_10, "人民币壹元壹角"),
    (1_01, "人民币壹元零壹分"),
    (1_11, "人民币壹元壹角壹分"),
    (10_01, "人民币壹拾元零壹分"),
    (10_10, "人民币壹拾元零壹角"),
    (10_11, "人民币壹拾元零壹角壹分"),
    # 万: a zero run ending at the written 万 before 千 (rule 3: 零 left out) …
    (10_000_00, "人民币壹万元整"),
    (17_000_00, "人民币壹万柒仟元整"),
    (107_000_00, "人民币壹拾万柒仟元整"),
    (1_007_000_00, "人民币壹佰万柒仟元整"),
    # … and runs that reach past 千 (rule 2: one 零)
    (10_500_00, "人民币壹万零伍佰元整"),
    (10_050_00, "人民币壹万零伍拾元整"),
    (10_005_00, "人民币壹万零伍元整"),
    (100_500_00, "人民币壹拾万零伍佰元整"),
    (1_000_700_00, "人民币壹佰万零柒佰元整"),
    (10_101_01, "人民币壹万零壹佰零壹元零壹分"),
    (100_000_001_00, "人民币壹亿零壹元整"),
    # 亿, a whole zero 万 group (零 written: 壹亿伍仟元 would read as 1.5 亿), 亿 counts past 万
    (100_000_000_00, "人民币壹亿元整"),
    (100_005_000_00, "人民币壹亿零伍仟元整"),
    (100_000_500_00, "人民币壹亿零伍佰元整"),
    (100_010_000_00, "人民币壹亿零壹万元整"),
    (110_000_000_00, "人民币壹亿壹仟万元整"),
    (1_050_000_000_00, "人民币壹拾亿伍仟万元整"),
    (1_000_000_000_000_00, "人民币壹万亿元整"),
    (1_000_100_010_001_00, "人民币壹万零壹亿零壹万零壹元整"),
    (10_000_000_000_000_00, "人民币壹拾万亿元整"),  # 10^15 fen: salesflow's largest amount
    (9_999_999_999_999_99, "人民币玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize(("fen", "words"), CASES)
def test_capitals_follow_the_banking_rules(fen: int, words: str) -> None:
    assert rmb_capitals(fen) == words
    assert parse_rmb_capitals(words) == fen


def test_without_the_prefix() -> None:
    assert rmb_capitals(1_000_00, prefix=False) == "壹仟元整"


@pytest.mark.parametrize(
    ("words", "fen"),
    [
        # The other form rule 3 allows, 正 for 整, 整 after 角, no prefix, a bare 拾
        ("人民币壹仟陆佰捌拾元叁角贰分", 1_680_32),
        ("人民币壹拾万零柒仟元伍角叁分", 107_000_53),
        ("人民币壹佰万元壹角", 1_000_000_10),
        ("人民币伍万玖仟零肆拾贰元伍角整", 59_042_50),
        ("人民币壹拾元正", 10_00),
        ("拾元整", 10_00),
        ("壹亿伍仟元整", 100_005_000_00),
        ("零元伍角", 50),
        (" 人民币 壹佰元 零伍分 ", 100_05),
    ],
)
def test_reading_accepts_every_allowed_form(words: str, fen: int) -> None:
    assert parse_rmb_capitals(words) == fen


@pytest.mark.parametrize(
    "words", ["", "人民币", "壹贰元整", "佰元整", "壹佰美元", "壹佰元伍", "壹佰元伍分伍角", "整"]
)
def test_reading_refuses_what_is_not_capitals(words: str) -> None:
    with pytest.raises(SalesflowError):
        parse_rmb_capitals(words)


def test_negative_and_too_large_amounts_are_refused() -> None:
    with pytest.raises(SalesflowError, match="negative"):
        rmb_capitals(-1)
    with pytest.raises(SalesflowError, match="too large"):
        rmb_capitals(10**18)


def _well_formed(words: str) -> bool:
    body = words.removeprefix("人民币")
    if body == "零元整":
        return True
    return (
        "零零" not in body
        and not any(f"零{unit}" in body for unit in "拾佰仟万亿元角分")
        and body.endswith(("整", "角", "分"))
        and body.endswith("整") == body.endswith("元整")
        and "拾拾" not in body
        and not body.startswith(("拾", "零"))
    )


def test_every_whole_yuan_to_a_hundred_thousand_reads_back() -> None:
    for yuan in range(100_001):
        words = rmb_capitals(yuan * 100)
        assert parse_rmb_capitals(words) == yuan * 100, words
        assert _well_formed(words), words


@given(st.integers(min_value=0, max_value=10**15))
def test_capitals_read_back_to_the_same_amount(fen: int) -> None:
    words = rmb_capitals(fen)
    assert parse_rmb_capitals(words) == fen
    assert _well_formed(words), words


@given(st.integers(min_value=0, max_value=10**15))
def test_a_zero_between_digits_is_never_silent(fen: int) -> None:
    """Rule 2: where the figures have zeros between two non-zero digits below the 万 unit,
    the words have a 零 between those digits' characters."""
    words = rmb_capitals(fen)
    between = f"{fen // 100 % 10_000:04d}".strip("0")
    after_wan = words.split("万")[-1].split("亿")[-1]
    assert ("0" in between) <= ("零" in after_wan.split("元")[0]), (fen, words)


@pytest.mark.parametrize(
    ("minor", "currency", "exponent", "words"),
    [
        (0, "USD", 2, "USD zero only"),
        (1_00, "USD", 2, "USD one only"),
        (15_05, "EUR", 2, "EUR fifteen and 05/100 only"),
        (1_694_548_00, "CNY", 2,
         "CNY one million six hundred ninety-four thousand five hundred forty-eight only"),
        (100_010_000_00, "CNY", 2, "CNY one hundred million ten thousand only"),
        (12_345, "JPY", 0, "JPY twelve thousand three hundred forty-five only"),
        (1_250, "BHD", 3, "BHD one and 250/1000 only"),
        (90_00, "USD", 2, "USD ninety only"),
    ],
)  # fmt: skip
def test_english_words(minor: int, currency: str, exponent: int, words: str) -> None:
    assert english_words(minor, currency, exponent) == words
