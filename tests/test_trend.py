"""`report trend`'s figures on the book of tests/reportbook.py, worked out by hand (read its
docstring: leads A–G, all in November 2026, NOW Mon 2026-11-23 09:00Z).

ISO weeks of November 2026: W45 = 11-02..11-08, W46 = 11-09..11-15, W47 = 11-16..11-22,
W48 = 11-23..11-29 (today)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from salesflow import money, targets
from salesflow.errors import SalesflowError
from salesflow.metrics import trend as t
from tests.reportbook import Book, build


@pytest.fixture
def book(tmp_path: Path) -> Book:
    return build(tmp_path / "sf.db")


def test_weeks_by_hand(book: Book) -> None:
    result = t.trend(book.scope(), "week", 4, list(t.METRICS))
    rows = {r.span.label: r.values for r in result.rows}
    assert list(rows) == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    w45, w46, w47, w48 = rows.values()
    # Closed in W45: D won 11-05 (8,000, created the same day: 0 days), B lost 11-06.
    assert (w45["won"], w45["lost"], w45["win_rate"]) == (1, 1, 0.5)
    assert w45["won_value"] == w45["avg_deal_size"] == Decimal("8000")
    assert w45["cycle_days_median"] == 0
    # Created in W45: A, B (11-02), C (11-03), D (11-05); A and D are won now: 2 of 4.
    assert (w45["leads_created"], w45["lead_to_win_rate"]) == (4, 0.5)
    # Due in W45: A 11-05 and B 11-06, both done on their day (UTC).
    assert w45["followup_timeliness"] == 1.0
    # First touches of A 6 h, B 24 h, C 12 h (D never touched): median 12.
    assert w45["first_touch_hours_median"] == 12.0
    # W46: A won 11-12 (10,000, 11-02 → 11-12: 10 days), C lost 11-10; E created 11-10,
    # touched 48 h later; nothing due.
    assert (w46["won"], w46["lost"], w46["won_value"]) == (1, 1, Decimal("10000"))
    assert (w46["cycle_days_median"], w46["leads_created"]) == (10, 1)
    assert (w46["followup_timeliness"], w46["first_touch_hours_median"]) == (None, 48.0)
    # W47: G lost 11-19 → win rate 0; F and G created, untouched; E's 11-20 open → 0 of 1.
    assert (w47["won"], w47["lost"], w47["win_rate"], w47["won_value"]) == (0, 1, 0.0, 0)
    assert (w47["avg_deal_size"], w47["cycle_days_median"]) == (None, None)
    assert (w47["leads_created"], w47["followup_timeliness"]) == (2, 0.0)
    # W48 has begun today: F's 11-23 is not over yet, nothing else happened.
    assert (w48["won"], w48["win_rate"], w48["leads_created"]) == (0, None, 0)
    assert w48["followup_timeliness"] is None
    # The same week a year earlier, for the change vs last year: empty.
    assert [r.span.label for r in result.year_ago.values()] == ["2025-W48"]


def test_months_with_a_target(book: Book) -> None:
    period = targets.parse_period("2026-11")
    targets.set_target(book.conn, period, money.parse_money("36000", "USD"), "2026-11-01T00:00:00Z")
    result = t.trend(book.scope(), "month", 2, ["won_value", "won"])
    october, november = result.rows
    assert (october.span.label, october.values["won_value"], october.target) == ("2026-10", 0, None)
    # A 10,000 + D 8,000 = 18,000 of 36,000.
    assert november.values["won_value"] == Decimal("18000")
    assert (november.target, november.of_target) == (Decimal("36000"), 0.5)
    # November has not ended (today is the 23rd): its figures are so far.
    assert (october.complete, november.complete) == (True, False)
    record = november.record(["won_value", "won"], False, book.scope().converter)
    assert record == {
        "period": "2026-11", "start": "2026-11-01", "end": "2026-11-30", "complete": False,
        "won_value": "18000.00", "won": 2, "target": "36000.00", "of_target": 0.5,
        "currency": "USD",
    }  # fmt: skip


def test_per_source(book: Book) -> None:
    result = t.trend(book.scope(), "month", 1, list(t.METRICS), group="source")
    rows = {r.group: r.values for r in result.rows}
    # "website" and "Website " are one source, spelled as `report sources` does.
    assert list(rows) == ["referral", "trade show", "Website", None]
    web = rows["Website"]
    # A won (10,000), B and G lost; created A, B, G; first touches A 6 h, B 24 h → 15.
    assert (web["won"], web["lost"], web["won_value"], web["leads_created"]) == (1, 2, 10000, 3)
    assert web["first_touch_hours_median"] == 15.0
    assert web["followup_timeliness"] == 1.0  # A's and B's follow-ups
    assert rows["trade show"]["followup_timeliness"] == 0.0  # E's open 11-20
    assert rows[None]["leads_created"] == 1  # F


def test_per_custom_field(book: Book) -> None:
    """`--group region`: the breakdown's own grouping (metrics.groups.keyed). Regions: A, B
    ("south ", the same group), G South; C, D East; E, F none."""
    from salesflow import store

    store.set_setting(book.conn, "fields", "region")
    book.conn.executemany(
        "INSERT INTO lead_fields (lead_id, field, value) VALUES (?, 'region', ?)",
        [(1, "South"), (2, "south "), (7, "South"), (3, "East"), (4, "East")],
    )
    result = t.trend(book.scope(), "month", 1, list(t.METRICS), group="Region")
    assert result.group == "region"  # as declared, whatever the case typed
    rows = {r.group: r.values for r in result.rows}
    assert list(rows) == ["East", "South", None]
    south, east, none = rows["South"], rows["East"], rows[None]
    # South: created A, B, G; A won (10,000 in 10 days), B and G lost; A's and B's
    # follow-ups done on their day; first touches A 6 h, B 24 h (G none) → 15.
    assert (south["leads_created"], south["won"], south["lost"]) == (3, 1, 2)
    assert (south["win_rate"], south["lead_to_win_rate"]) == (0.333333, 0.333333)
    assert (south["won_value"], south["avg_deal_size"]) == (Decimal(10000), Decimal(10000))
    assert (south["cycle_days_median"], south["followup_timeliness"]) == (10, 1.0)
    assert south["first_touch_hours_median"] == 15.0
    # East: created C, D; D won the day it came (8,000, 0 days), C lost; no follow-ups;
    # C first touched after 12 h.
    assert (east["leads_created"], east["won"], east["lost"], east["win_rate"]) == (2, 1, 1, 0.5)
    assert (east["won_value"], east["cycle_days_median"]) == (Decimal(8000), 0)
    assert (east["followup_timeliness"], east["first_touch_hours_median"]) == (None, 12.0)
    # None: E and F, open; E's 11-20 follow-up is late (F's 11-23 is not over); E 48 h.
    assert (none["leads_created"], none["won"], none["win_rate"]) == (2, 0, None)
    assert (none["lead_to_win_rate"], none["followup_timeliness"]) == (0.0, 0.0)
    assert none["first_touch_hours_median"] == 48.0
    # The groups add up to the whole.
    whole = t.trend(book.scope(), "month", 1, list(t.METRICS)).rows[0].values
    for name in ("leads_created", "won", "lost", "won_value"):
        assert sum(r[name] for r in rows.values()) == whole[name], name
    record = result.rows[1].record(["won"], True, book.scope().converter)
    assert (record["period"], record["group"], record["won"]) == ("2026-11", "South", 1)


def test_an_unknown_group(book: Book) -> None:
    with pytest.raises(SalesflowError, match='--group "region" is not something to group by'):
        t.trend(book.scope(), "month", 1, ["won"], group="region")


def test_zone_moves_the_week(book: Book) -> None:
    # B's follow-up, due 11-06, was done 11-06 20:00Z = 11-07 04:00 in Shanghai: late.
    result = t.trend(book.scope(tz="Asia/Shanghai"), "week", 4, ["followup_timeliness"])
    assert result.rows[0].values["followup_timeliness"] == 0.5


@pytest.mark.parametrize(
    ("by", "day", "label", "start", "end"),
    [
        ("week", date(2026, 11, 23), "2026-W48", date(2026, 11, 23), date(2026, 11, 30)),
        ("week", date(2027, 1, 1), "2026-W53", date(2026, 12, 28), date(2027, 1, 4)),
        ("month", date(2026, 12, 31), "2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        ("quarter", date(2026, 11, 23), "2026-Q4", date(2026, 10, 1), date(2027, 1, 1)),
    ],
)
def test_periods(by: str, day: date, label: str, start: date, end: date) -> None:
    assert t.span_of(by, day) == t.Span(label, start, end)


def test_span_lists_and_year_ago() -> None:
    labels = [s.label for s in t.spans("quarter", 5, date(2026, 2, 1))]
    assert labels == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    assert t.year_ago("week", t.span_of("week", date(2027, 1, 1))) is None  # 2025 has no W53
    assert t.year_ago("month", t.span_of("month", date(2026, 2, 1))).label == "2025-02"
    with pytest.raises(SalesflowError, match='unknown metric "nope"'):
        t.parse_metrics("won,nope")
