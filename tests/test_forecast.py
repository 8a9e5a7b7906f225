"""The forecast on the book of tests/reportbook.py: E (40,000 USD in proposal, closing
2026-12-15) and F (no value, in lead, expected 2026-10-31: overdue) are the open deals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from salesflow import forecast
from tests.reportbook import Book, at, build


@pytest.fixture
def book(tmp_path: Path) -> Book:
    return build(tmp_path / "sf.db")


def test_months_from_roll_over_the_year() -> None:
    from datetime import date

    assert forecast.months_from(date(2026, 11, 23), 3) == ["2026-11", "2026-12", "2027-01"]


def test_weighted_by_month_of_expected_close(book: Book) -> None:
    result = forecast.forecast(book.scope(), months=3)
    rows = [(r.bucket, r.month, r.deals, r.value, r.weighted_value) for r in result.rows]
    assert rows == [
        ("overdue", None, 1, 0, 0),  # F: expected 10-31, no value
        ("month", "2026-11", 0, 0, 0),
        ("month", "2026-12", 1, Decimal("40000"), Decimal("20000")),  # E: 40,000 x 50%
        ("month", "2027-01", 0, 0, 0),
    ]
    assert result.calibration is None and result.runs is None


def test_later_and_undated_lines(book: Book) -> None:
    book.add("Later", at("2026-11-20"), "1000", close="2027-06-30")
    book.add("Undated", at("2026-11-20"), "500")
    rows = {(r.bucket, r.month): r for r in forecast.forecast(book.scope(), months=2).rows}
    assert rows[("later", None)].weighted_value == Decimal("100")  # 1,000 x 10%
    assert rows[("undated", None)].value == Decimal("500")
    # E's December is the horizon's last month.
    assert rows[("month", "2026-12")].deals == 1


def test_calibrated_forecast(book: Book) -> None:
    result = forecast.forecast(book.scope(), months=3, calibrate=True)
    cal = {c.stage: c for c in result.calibration or []}
    # Proposal: A and D (closed) reached it, both won: (2 + 10 x 0.5) / (2 + 10) = 7/12.
    assert (cal["proposal"].closed, cal["proposal"].won) == (2, 2)
    assert cal["proposal"].calibrated == 0.583333
    assert cal["proposal"].weight == 0.166667  # 2 / (2 + 10)
    assert cal["proposal"].few
    dec = next(r for r in result.rows if r.month == "2026-12")
    assert dec.calibrated_weighted_value == Decimal("23333.32")  # 40,000 x 0.583333
    assert dec.weighted_value == Decimal("20000")


def test_simulation_is_reproducible_with_a_seed(book: Book) -> None:
    one = forecast.forecast(book.scope(), months=3, simulate=True, runs=500, seed=7)
    two = forecast.forecast(book.scope(), months=3, simulate=True, runs=500, seed=7)
    dec = next(r for r in one.rows if r.month == "2026-12")
    # E alone wins 40,000 with p = 0.5 or nothing: P10 is 0, P90 is 40,000.
    assert (dec.p10, dec.p90) == (0, Decimal("40000"))
    assert dec.p50 in (0, Decimal("40000"))
    assert [(r.p10, r.p50, r.p90) for r in one.rows] == [(r.p10, r.p50, r.p90) for r in two.rows]
    nov = next(r for r in one.rows if r.month == "2026-11")
    assert (nov.p10, nov.p50, nov.p90) == (0, 0, 0)
    assert (one.runs, one.seed) == (500, 7)


def test_simulation_percentiles_follow_the_probabilities(tmp_path: Path) -> None:
    b = Book(tmp_path / "sf.db")
    # Ten deals of 100 in negotiation (80%): won value is 100 x Binomial(10, 0.8).
    for i in range(10):
        b.add(f"N{i}", at("2026-11-20"), "100", close="2026-11-30", stage="negotiation")
    row = forecast.forecast(b.scope(), months=1, simulate=True, runs=4000, seed=1).rows[0]
    assert row.weighted_value == Decimal("800")
    # Binomial(10, 0.8): P(X <= 6) = 0.121, P(X <= 8) = 0.624, P(X <= 9) = 0.893.
    assert (row.p10, row.p50, row.p90) == (Decimal("600"), Decimal("800"), Decimal("1000"))


def test_record_shape_is_stable(book: Book) -> None:
    sc = book.scope()
    plain = forecast.forecast(sc).rows[0].record(sc.converter)
    keys = "bucket month deals value weighted_value calibrated_weighted_value p10 p50 p90 currency"
    assert list(plain) == keys.split()
    assert plain["calibrated_weighted_value"] is None and plain["p50"] is None
