"""Money in 万/亿 for people (`config set money.display wan`), worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from salesflow.output import figures


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("505000.00", "50.5万"),  # 505,000 / 10,000 = 50.5
        ("10000", "1万"),
        ("12345", "1.23万"),  # 1.2345 → 1.23 (half-up at the second decimal)
        ("12350", "1.24万"),  # 1.235 → 1.24
        ("19539800", "1,953.98万"),  # thousands separators stay
        ("99994999", "9,999.5万"),  # 9,999.4999 → 9,999.50
        ("99999999", "1亿"),  # 9,999.9999万 rounds to 10,000万: that is 1亿
        ("120000000", "1.2亿"),
        ("123456789", "1.23亿"),  # 1.23456789 → 1.23
        ("250000000000", "2,500亿"),
        ("-505000", "-50.5万"),
    ],
)
def test_wan(amount: str, shown: str) -> None:
    assert figures.wan(Decimal(amount)) == shown


def test_below_one_wan_reads_as_usual() -> None:
    assert figures.wan(Decimal("9999.99")) is None
    figures.use("wan")
    try:
        assert figures.display(999999, "CNY") == "9,999.99 CNY"
        assert figures.display(50500000, "CNY") == "50.5万 CNY"
        assert figures.display(None, "CNY") == ""
        assert figures.whole(Decimal("9999.5")) == "10,000"  # not yet 1万 before rounding
        assert figures.whole(Decimal("1953980")) == "195.4万"  # 195.398 → 195.40
    finally:
        figures.use("plain")
    assert figures.display(50500000, "CNY") == "505,000.00 CNY"
    assert figures.whole(Decimal("505000")) == "505,000"
