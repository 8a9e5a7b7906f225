from decimal import Decimal

import pytest

from salesflow import fx
from salesflow.errors import SalesflowError


def test_conversion_is_exact_decimal_and_names_what_it_cannot_convert() -> None:
    conv = fx.Converter("CNY", {"USD": Decimal("7.10"), "JPY": Decimal("0.0475")})
    assert conv.to_base("CNY", 12345) == Decimal("123.45")  # the base needs no rate
    assert conv.to_base("USD", 1_000_001) == Decimal("71000.0710")  # 10,000.01 x 7.10
    assert conv.to_base("JPY", 1000) == Decimal("47.5000")  # yen have no minor unit
    assert conv.to_base("EUR", 500) == 0 and conv.missing == {"EUR"}
    assert conv.to_base("GBP", 0) == 0 and conv.missing == {"EUR"}  # nothing was left out
    assert conv.text(Decimal("0.005")) == "0.01"  # half-up to the base's minor unit
    assert conv.text(None) is None


@pytest.mark.parametrize("value", ["0", "-1", "abc", "NaN", "Infinity", ""])
def test_bad_rates(value: str) -> None:
    with pytest.raises(SalesflowError, match="is not a positive number"):
        fx.check_rate(value)


def test_good_rate_is_normalised() -> None:
    assert fx.check_rate(" 7.10 ") == "7.10"
