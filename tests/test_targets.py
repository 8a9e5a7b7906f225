"""Targets: periods, storage, and progress on the book of tests/reportbook.py (won in
November: A 10,000 on 11-12 and D 8,000 on 11-05; E 40,000 in proposal closes 12-15)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from salesflow import money, targets
from salesflow.errors import SalesflowError
from tests.reportbook import Book, build


@pytest.fixture
def book(tmp_path: Path) -> Book:
    return build(tmp_path / "sf.db")


@pytest.mark.parametrize(
    ("text", "normal", "start", "last"),
    [
        ("2026-12", "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("2026-2", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-q4", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-Q1", "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        (" 2026 ", "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods(text: str, normal: str, start: date, last: date) -> None:
    p = targets.parse_period(text)
    assert (p.text, p.start, p.last_day) == (normal, start, last)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "months run 01–12"),
        ("2026-Q5", "quarters run Q1–Q4"),
        ("dec", "cannot read period"),
        ("2026/12", "cannot read period"),
        ("0000", "outside the years 1900–2200"),
        ("2201-Q1", "outside the years 1900–2200"),
    ],
)
def test_bad_periods(text: str, message: str) -> None:
    with pytest.raises(SalesflowError, match=message):
        targets.parse_period(text)


def test_set_replace_list_remove(book: Book) -> None:
    conn = book.conn
    month = targets.parse_period("2026-11")
    new, old = targets.set_target(conn, month, money.parse_money("50k", "USD"), "t1")
    assert old is None and new.amount_minor == 5_000_000
    new, old = targets.set_target(conn, month, money.parse_money("60000", "USD"), "t2")
    assert old is not None and old.amount_minor == 5_000_000 and new.amount_minor == 6_000_000
    targets.set_target(conn, targets.parse_period("2026-Q4"), money.Money(10_000_000, "USD"), "t")
    targets.set_target(conn, targets.parse_period("2026"), money.Money(50_000_000, "USD"), "t")
    # By start, the longer period first at the same start.
    assert [t.period.text for t in targets.all_targets(conn)] == ["2026", "2026-Q4", "2026-11"]
    assert targets.remove(conn, targets.parse_period("2026")).amount_minor == 50_000_000
    with pytest.raises(SalesflowError, match="no target for 2026"):
        targets.remove(conn, targets.parse_period("2026"))
    with pytest.raises(SalesflowError, match="more than zero"):
        targets.set_target(conn, month, money.Money(0, "USD"), "t")


def test_progress(book: Book) -> None:
    conn = book.conn
    targets.set_target(conn, targets.parse_period("2026-11"), money.Money(5_000_000, "USD"), "t")
    targets.set_target(conn, targets.parse_period("2026-Q4"), money.Money(10_000_000, "USD"), "t")
    targets.set_target(conn, targets.parse_period("2026-10"), money.Money(1_000_000, "USD"), "t")
    targets.set_target(conn, targets.parse_period("2027-01"), money.Money(2_000_000, "USD"), "t")
    by = {p.target.period.text: p for p in targets.progress(book.scope())}
    nov = by["2026-11"]
    assert (nov.won, nov.won_deals) == (Decimal("18000"), 2)  # A 10,000 + D 8,000
    assert nov.done == 0.36  # 18,000 / 50,000
    assert nov.elapsed == 0.745833  # 22 days 9 hours of 30 days = 22.375 / 30
    assert nov.projected is not None
    assert round(nov.projected, 2) == Decimal("24134.08")  # 18,000 / 0.7458333…
    assert nov.weighted_pipeline == 0 and nov.coverage == 0.0  # E closes in December
    q4 = by["2026-Q4"]
    assert q4.elapsed == 0.580163  # 53 days 9 hours of 92 = 53.375 / 92
    assert q4.weighted_pipeline == Decimal("20000")  # E: 40,000 x 50%, closes 12-15
    assert q4.coverage == 0.243902  # 20,000 / (100,000 - 18,000)
    oct_ = by["2026-10"]  # over: nothing won in it, pace is final, no pipeline
    assert (oct_.elapsed, oct_.won, oct_.projected) == (1.0, 0, 0)
    assert oct_.weighted_pipeline is None and oct_.coverage is None
    jan = by["2027-01"]  # not started
    assert (jan.elapsed, jan.projected, jan.done) == (0.0, None, 0.0)
    assert jan.coverage == 0.0


def test_target_in_a_currency_without_rate(book: Book) -> None:
    conn = book.conn
    targets.set_target(conn, targets.parse_period("2026-11"), money.Money(100_000, "EUR"), "t")
    sc = book.scope()
    (p,) = targets.progress(sc)
    assert p.amount is None and p.done is None and p.coverage is None
    assert sc.converter.missing == {"EUR"}
    conn.execute("INSERT INTO settings VALUES ('fx.EUR', '2')")
    (p,) = targets.progress(book.scope())
    assert p.amount == Decimal("2000") and p.done == 9.0  # 18,000 won / (1,000 EUR x 2)
    assert p.coverage is None  # met
    with pytest.raises(SalesflowError, match="no target for 2026-12"):
        targets.progress(book.scope(), targets.parse_period("2026-12"))
