"""Quote arithmetic, worked out by hand in each currency's minor unit."""

from decimal import Decimal

import pytest

from salesflow.errors import SalesflowError
from salesflow.quotes.math import (
    Discount,
    ItemInput,
    amount_text,
    compute,
    number_text,
    percent_text,
)

D = Decimal


def figures(t) -> tuple:
    lines = [(li.gross_minor, li.discount_minor, li.amount_minor) for li in t.lines]
    return lines, t.subtotal_minor, t.discount_minor, t.net_minor, t.tax_minor, t.total_minor


def test_cny_the_issue_example() -> None:
    t = compute(
        [
            ItemInput("Edge gateway G2", D(50), 98_000),  # 50 × 980.00 = 49,000.00
            ItemInput("Installation", D(1), 600_000),  # 1 × 6,000.00 = 6,000.00
            # 2 × 3,500.00 = 7,000.00; −10% = −700.00 → 6,300.00
            ItemInput("Training day", D(2), 350_000, Discount(percent=D(10))),
        ],
        currency="CNY",
        rounding="half-up",
        discount=Discount(percent=D(5)),
        tax_rate=D(13),
    )
    # subtotal 49,000 + 6,000 + 6,300 = 61,300.00; 5% of it = 3,065.00 → net 58,235.00;
    # 13% tax = 7,570.55; total 58,235.00 + 7,570.55 = 65,805.55
    assert figures(t) == (
        [(4_900_000, 0, 4_900_000), (600_000, 0, 600_000), (700_000, 70_000, 630_000)],
        6_130_000,
        306_500,
        5_823_500,
        757_055,
        6_580_555,
    )


def test_usd_decimal_quantities_fixed_discounts_and_once_per_line_rounding() -> None:
    t = compute(
        [
            ItemInput("Consulting", D("1.5"), 12_050),  # 1.5 × 120.50 = 180.75
            # 3 × 19.99 = 59.97; − 5.00 fixed = 54.97
            ItemInput("License", D(3), 1_999, Discount(fixed_minor=500)),
            # 2.25 × 33.33 = 74.9925 (shown 74.99); × 0.925 = 69.3680625 → 69.37 rounded once;
            # the discount shown is 74.99 − 69.37 = 5.62
            ItemInput("Support hours", D("2.25"), 3_333, Discount(percent=D("7.5"))),
        ],
        currency="USD",
        rounding="half-up",
        discount=Discount(fixed_minor=2_000),
        tax_rate=D("8.875"),
    )
    # subtotal 180.75 + 54.97 + 69.37 = 305.09; − 20.00 = 285.09;
    # tax 285.09 × 8.875% = 25.3017375 → 25.30; total 285.09 + 25.30 = 310.39
    assert figures(t) == (
        [(18_075, 0, 18_075), (5_997, 500, 5_497), (7_499, 562, 6_937)],
        30_509,
        2_000,
        28_509,
        2_530,
        31_039,
    )


def test_jpy_has_no_minor_unit() -> None:
    t = compute(
        [
            ItemInput("Seminar seat", D(3), 12_800),  # 3 × ¥12,800 = ¥38,400
            # 7 × ¥333 = ¥2,331; × 0.85 = ¥1,981.35 → ¥1,981; discount shown ¥350
            ItemInput("Handout", D(7), 333, Discount(percent=D(15))),
        ],
        currency="JPY",
        rounding="half-up",
        discount=Discount(percent=D(3)),
        tax_rate=D(10),
    )
    # subtotal 38,400 + 1,981 = 40,381; 3% = 1,211.43 → 1,211; net 39,170;
    # 10% tax = 3,917; total 43,087
    lines = [(38_400, 0, 38_400), (2_331, 350, 1_981)]
    assert figures(t) == (lines, 40_381, 1_211, 39_170, 3_917, 43_087)
    assert amount_text(t.total_minor, "JPY") == "43,087"


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        # 2.5 × 41.125 = 102.8125 → half-up 102.813; 1 × 15.750 − 2.250 = 13.500;
        # subtotal 116.313; 10% = 11.6313 → 11.631; net 104.682; tax 10.4682 → 10.468;
        # total 115.150
        ("half-up", ([(102_813, 0, 102_813), (15_750, 2_250, 13_500)],
                     116_313, 11_631, 104_682, 10_468, 115_150)),
        # half-even: 102.8125 → 102.812 (2 is even); subtotal 116.312; 10% = 11.6312 → 11.631;
        # net 104.681; tax 10.4681 → 10.468; total 115.149
        ("half-even", ([(102_812, 0, 102_812), (15_750, 2_250, 13_500)],
                       116_312, 11_631, 104_681, 10_468, 115_149)),
    ],
)  # fmt: skip
def test_bhd_three_decimals_in_both_rounding_modes(rounding: str, expected: tuple) -> None:
    t = compute(
        [
            ItemInput("Survey", D("2.5"), 41_125),
            ItemInput("Report", D(1), 15_750, Discount(fixed_minor=2_250)),
        ],
        currency="BHD",
        rounding=rounding,
        discount=Discount(percent=D(10)),
        tax_rate=D(10),
    )
    assert figures(t) == expected
    assert amount_text(t.total_minor, "BHD") == ("115.150" if rounding == "half-up" else "115.149")


def test_no_items_is_all_zero_and_full_discounts_are_allowed() -> None:
    empty = compute([], currency="USD", rounding="half-up", discount=None, tax_rate=D(13))
    assert figures(empty) == ([], 0, 0, 0, 0, 0)
    free = compute(
        [ItemInput("Gift", D(1), 5_000, Discount(percent=D(100)))],
        currency="USD",
        rounding="half-up",
        discount=None,
        tax_rate=D(0),
    )
    assert figures(free) == ([(5_000, 5_000, 0)], 0, 0, 0, 0, 0)
    # a fixed quote discount equal to the subtotal leaves 0.00
    whole = compute(
        [ItemInput("x", D(1), 1_000)],
        currency="USD",
        rounding="half-up",
        discount=Discount(fixed_minor=1_000),
        tax_rate=D(10),
    )
    assert whole.total_minor == 0


def test_discounts_larger_than_what_they_discount_are_refused() -> None:
    with pytest.raises(SalesflowError, match=r"more than the line itself \(30.00 USD\)"):
        # 3 × 10.00 = 30.00 < 31.00 off
        compute(
            [ItemInput("x", D(3), 1_000, Discount(fixed_minor=3_100))],
            currency="USD",
            rounding="half-up",
            discount=None,
            tax_rate=D(0),
        )
    with pytest.raises(SalesflowError, match=r"more than the subtotal \(30.00 USD\)"):
        compute(
            [ItemInput("x", D(3), 1_000)],
            currency="USD",
            rounding="half-up",
            discount=Discount(fixed_minor=3_001),
            tax_rate=D(0),
        )


def test_a_discount_is_a_percent_or_an_amount() -> None:
    with pytest.raises(ValueError):
        Discount()
    with pytest.raises(ValueError):
        Discount(percent=D(1), fixed_minor=1)


def test_text_forms() -> None:
    assert number_text(D("50")) == "50"
    assert number_text(D("1.50")) == "1.5"
    assert number_text(D("1E+2")) == "100"
    assert percent_text(D("12.50")) == "12.5%"
    assert amount_text(123_456_789, "USD") == "1,234,567.89"
    assert amount_text(1_250, "BHD") == "1.250"
