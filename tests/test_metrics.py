"""Every report figure against values worked out by hand on the book in tests/reportbook.py
(read its docstring first: the arithmetic below refers to leads A–G)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesflow import metrics
from tests.reportbook import NOW, Book, at, build


@pytest.fixture
def book(tmp_path: Path) -> Book:
    return build(tmp_path / "sf.db")


def test_summary_all_time(book: Book) -> None:
    s = metrics.summary(book.scope())
    assert s.leads_created == 7
    # Won A (11-12) and D (11-05); lost B, C, G.
    assert (s.won, s.lost) == (2, 3)
    assert s.win_rate == 0.4  # 2 / (2 + 3)
    # Won value 10,000 + 8,000 = 18,000; lost 5,000 + 20,000 + 3,000 = 28,000.
    assert s.win_rate_by_value == 0.391304  # 18,000 / 46,000 = 9/23
    assert s.lead_to_win_rate == 0.285714  # 2 won of 7 created
    assert s.avg_deal_size == Decimal("9000")  # 18,000 / 2
    # Cycles: A 11-02 -> 11-12 = 10 days; D won the day it was created = 0.
    assert (s.cycle_days_median, s.cycle_days_mean) == (5.0, 5.0)
    # Open: E in proposal (40,000 x 50%) and F in lead (no value).
    assert s.open_deals == 2
    assert s.pipeline_value == Decimal("40000")
    assert s.weighted_pipeline == Decimal("20000")
    assert s.sales_velocity_per_day == Decimal("1440")  # 2 x 0.4 x 9,000 / 5 days
    # Due and over: A (done on its day), B (done on its day), E 11-20 (open) -> 2 of 3.
    # F's 11-23 is today (not over), E's 11-25 is ahead: both left out.
    assert (s.followups_due, s.followups_on_time, s.followup_timeliness) == (3, 2, 0.666667)
    # First touches: A 6 h, B 24 h, C 12 h, E 48 h; median of 6, 12, 24, 48 = (12 + 24) / 2.
    assert (s.first_touch_leads, s.first_touch_hours_median) == (4, 18.0)
    # Hit rate (first_touch 24 h by default): all 7 were created over 24 h ago; touched within
    # 24 h: A (6 h), B (24 h, on the limit), C (12 h) -> 3 of 7. E (48 h) was late, D, F, G
    # were never touched.
    assert (s.first_touch_hits, s.first_touch_due, s.first_touch_hit_rate) == (3, 7, 0.428571)
    # Customer 1 won A and D; customer 2 only lost B.
    assert (s.repeat_customers, s.customers_won, s.repeat_purchase_rate) == (1, 1, 1.0)
    assert s.missing_rates == set()


def test_summary_record_is_the_stable_machine_shape(book: Book) -> None:
    sc = book.scope()
    record = metrics.summary(sc).record(sc.converter)
    required = [
        "since", "until", "currency", "leads_created", "open_deals", "won", "lost", "win_rate",
        "win_rate_by_value", "lead_to_win_rate", "avg_deal_size", "cycle_days_median",
        "cycle_days_mean", "pipeline_value", "weighted_pipeline", "sales_velocity_per_day",
        "followup_timeliness", "first_touch_hours_median", "first_touch_hit_rate",
        "repeat_purchase_rate",
    ]  # fmt: skip
    assert set(required) <= set(record)
    assert record["currency"] == "USD" and record["since"] is None
    assert record["avg_deal_size"] == "9000.00"  # money: decimal strings in `currency`
    assert record["pipeline_value"] == "40000.00"
    assert record["sales_velocity_per_day"] == "1440.00"
    assert record["win_rate"] == 0.4


def test_summary_window_counts_created_and_closed_separately(book: Book) -> None:
    s = metrics.summary(book.scope(since=date(2026, 11, 9), until=date(2026, 11, 15)))
    # Created 11-09..11-15: E only. Closed in it: A won 11-12, C lost 11-10.
    assert s.leads_created == 1
    assert (s.won, s.lost, s.win_rate) == (1, 1, 0.5)
    assert s.lead_to_win_rate == 0.0  # E is not won
    assert s.avg_deal_size == Decimal("10000") and s.cycle_days_median == 10
    # Pipeline stays a snapshot at the end (now): E and F.
    assert s.open_deals == 2 and s.weighted_pipeline == Decimal("20000")
    # No follow-up is due 11-09..11-15.
    assert s.followup_timeliness is None
    # Only E was created in the window: first touched 11-12, 48 h later.
    assert (s.first_touch_leads, s.first_touch_hours_median) == (1, 48.0)
    assert (s.first_touch_hits, s.first_touch_due) == (0, 1)  # E's 48 h missed the 24 h
    # A (customer 1) won in the window, D (also customer 1) before it.
    assert (s.repeat_customers, s.customers_won) == (0, 1)


def test_funnel_reached_conversion_and_time_in_stage(book: Book) -> None:
    f = metrics.funnel(book.scope())
    rows = {r.stage: r for r in f.rows}
    assert [r.stage for r in f.rows] == [
        "lead", "contacted", "qualified", "proposal", "quote", "negotiation", "won", "lost",
    ]  # fmt: skip
    # Furthest stage per lead: A won, B contacted, C qualified, D won, E proposal, F lead,
    # G lead. Skipped stages count: C reached contacted, D reached everything.
    reached = {s: rows[s].reached for s in rows}
    assert reached == {
        "lead": 7, "contacted": 5, "qualified": 4, "proposal": 3, "quote": 2,
        "negotiation": 2, "won": 2, "lost": 3,
    }  # fmt: skip
    conv = {s: rows[s].conversion for s in rows}
    assert conv == {
        "lead": None, "contacted": 0.714286, "qualified": 0.8, "proposal": 0.75,
        "quote": 0.666667, "negotiation": 1.0, "won": 1.0, "lost": None,
    }  # fmt: skip  # 5/7, 4/5, 3/4, 2/3, 2/2, 2/2
    # Deals there now: F in lead, E in proposal (40,000 at 50%), A+D won, B+C+G lost.
    assert (rows["lead"].deals, rows["proposal"].deals, rows["won"].deals) == (1, 1, 2)
    assert rows["proposal"].value == Decimal("40000")
    assert rows["proposal"].weighted_value == Decimal("20000")
    assert rows["won"].value == Decimal("18000") and rows["lost"].value == Decimal("28000")
    assert rows["lost"].weighted_value == 0
    # Days in lead per visit: A 1, B 2, C 0, D 0, E 1, F 7 (still there), G 1.
    assert rows["lead"].avg_days_in_stage == 1.7143  # 12 / 7
    assert rows["lead"].median_days_in_stage == 1  # 0 0 1 [1] 1 2 7
    # contacted: A 2, B 2, E 5; qualified: A 4, C 7; proposal: A 3, E 7 (still there).
    assert (rows["contacted"].avg_days_in_stage, rows["contacted"].median_days_in_stage) == (
        3.0,
        2,
    )
    assert rows["qualified"].median_days_in_stage == 5.5
    assert (rows["proposal"].avg_days_in_stage, rows["proposal"].median_days_in_stage) == (5, 5)
    assert rows["quote"].avg_days_in_stage is None and rows["won"].avg_days_in_stage is None
    # Call-outs: the weakest step and the slowest stage (by median).
    assert f.weakest is not None
    assert (f.weakest.from_stage, f.weakest.to_stage) == ("proposal", "quote")
    assert (f.weakest.reached_from, f.weakest.reached_to) == (3, 2)
    assert f.slowest is not None and f.slowest.stage == "qualified"


def test_funnel_record_is_the_stable_machine_shape(book: Book) -> None:
    sc = book.scope()
    records = [r.record(sc.converter) for r in metrics.funnel(sc).rows]
    keys = "stage probability open_deals value weighted_value reached conversion "
    keys += "avg_days_in_stage"
    assert all(set(keys.split()) <= set(r) for r in records)
    proposal = next(r for r in records if r["stage"] == "proposal")
    assert proposal["open_deals"] == 1 and proposal["value"] == "40000.00"
    assert proposal["weighted_value"] == "20000.00"
    won = next(r for r in records if r["stage"] == "won")
    assert won["open_deals"] is None and won["deals"] == 2


def test_conversion_and_calibration(book: Book) -> None:
    rows = {r.stage: r for r in metrics.conversion(book.scope())}
    assert list(rows) == ["lead", "contacted", "qualified", "proposal", "quote", "negotiation"]
    assert rows["negotiation"].next_stage == "won"
    assert (rows["lead"].reached, rows["lead"].reached_next) == (7, 5)
    # Closed deals now: A, D won (reached all); B (to contacted), C (to qualified), G (lead).
    assert (rows["lead"].closed, rows["lead"].won) == (5, 2)
    assert rows["lead"].observed_win_rate == 0.4
    assert rows["lead"].calibrated_probability == 0.2  # (2 + 10 x 0.10) / (5 + 10)
    assert (rows["contacted"].closed, rows["contacted"].won) == (4, 2)  # A, D, B, C
    assert rows["contacted"].calibrated_probability == 0.285714  # (2 + 2) / 14
    assert (rows["qualified"].closed, rows["qualified"].won) == (3, 2)  # A, D, C
    assert rows["qualified"].calibrated_probability == 0.423077  # (2 + 3.5) / 13
    assert rows["proposal"].observed_win_rate == 1.0  # A and D, both won
    assert rows["proposal"].calibrated_probability == 0.583333  # (2 + 5) / 12


def test_lost_reasons_pareto(book: Book) -> None:
    rows = metrics.lost_reasons(book.scope())
    # "Price" (B, 5,000) and "price " (C, 20,000) are one reason; "timing" (G, 3,000).
    assert [(r.reason, r.count, r.value) for r in rows] == [
        ("Price", 2, Decimal("25000")),
        ("timing", 1, Decimal("3000")),
    ]
    assert [(r.share, r.cumulative_share) for r in rows] == [
        (0.666667, 0.666667),  # 2/3
        (0.333333, 1.0),
    ]


def test_sources(book: Book) -> None:
    rows = metrics.breakdown(book.scope(), "source")
    by = {r.key: r for r in rows}
    assert [r.key for r in rows] == ["Website", "referral", "trade show", None]
    web = by["Website"]  # A (won), B ("Website "), G: one source whatever the spelling
    assert (web.leads, web.won, web.lost) == (3, 1, 2)
    assert web.win_rate == 0.333333 and web.lead_to_win_rate == 0.333333
    assert (web.won_value, web.avg_deal_size, web.cycle_days_median) == (10000, 10000, 10)
    ref = by["referral"]  # C lost, D won the day it came in
    assert (ref.leads, ref.won, ref.lost, ref.win_rate) == (2, 1, 1, 0.5)
    assert (ref.won_value, ref.cycle_days_median) == (8000, 0)
    trade = by["trade show"]  # E, still open
    assert (trade.leads, trade.won, trade.win_rate, trade.lead_to_win_rate) == (1, 0, None, 0.0)
    assert trade.avg_deal_size is None and trade.cycle_days_median is None


def test_grades_always_list_a_b_c(book: Book) -> None:
    rows = metrics.breakdown(book.scope(), "grade")
    assert [r.key for r in rows] == ["A", "B", "C", None]
    a, b, c, none = rows
    assert (a.leads, a.won, a.lost, a.win_rate, a.won_value) == (2, 1, 1, 0.5, 10000)  # A, C
    assert (b.leads, b.won, b.lost, b.win_rate) == (2, 0, 2, 0.0)  # B, G
    assert (c.leads, c.won, c.win_rate, c.cycle_days_median) == (1, 1, 1.0, 0)  # D
    assert none.leads == 2  # E, F


def test_activity_weeks(book: Book) -> None:
    act = metrics.activity(book.scope(weeks=4))
    weeks = [(w.week.isoformat(), w.touches, w.leads_created) for w in act.weeks]
    # Week of 11-02: A call, A email, B email, C visit; A B C D created.
    # Week of 11-09: E meeting; E created. Week of 11-16: E note; F G created.
    assert weeks == [
        ("2026-11-02", 4, 4),
        ("2026-11-09", 1, 1),
        ("2026-11-16", 1, 2),
        ("2026-11-23", 0, 0),
    ]
    first = act.weeks[0].record(act.kinds)
    assert (first["call"], first["email"], first["visit"], first["other"]) == (1, 2, 1, 0)
    # Due per week: A and B (both on time) in the first; E's 11-20 (open) in the third.
    assert [(w.followups_due, w.followups_on_time) for w in act.weeks] == [
        (2, 2), (0, 0), (1, 0), (0, 0),
    ]  # fmt: skip
    assert act.followup_timeliness == 0.666667
    assert (act.first_touch_leads, act.first_touch_hours_median) == (4, 18.0)


def test_time_zone_moves_days_and_follow_up_timeliness(book: Book) -> None:
    # In Shanghai (UTC+8) B's follow-up, done 11-06 20:00Z, was done on 11-07: late.
    s = metrics.summary(book.scope(tz="Asia/Shanghai"))
    assert (s.followups_due, s.followups_on_time) == (3, 1)
    # A deal created 20:00Z and won 10:00Z the next day is won the same local day there.
    lead = book.add("Late", at("2026-11-20", 20), "1000")
    book.move(lead, "won", at("2026-11-21", 10))
    utc = metrics.summary(book.scope()).cycle_days_mean
    shanghai = metrics.summary(book.scope(tz="Asia/Shanghai")).cycle_days_mean
    assert utc == 3.6667  # (10 + 0 + 1) / 3
    assert shanghai == 3.3333  # (10 + 0 + 0) / 3


def test_as_of_rebuilds_stages_from_history(book: Book) -> None:
    # End of 11-09: A in proposal (since 11-09), B lost, C still qualified (lost 11-10),
    # D won; E, F, G do not exist yet.
    sc = book.scope(as_of=date(2026, 11, 9))
    s = metrics.summary(sc)
    assert s.leads_created == 4
    assert (s.won, s.lost, s.win_rate) == (1, 1, 0.5)
    assert s.open_deals == 2
    assert s.pipeline_value == Decimal("30000")  # A 10,000 + C 20,000
    assert s.weighted_pipeline == Decimal("12000")  # 10,000 x 50% + 20,000 x 35%
    assert s.cycle_days_mean == 0 and s.sales_velocity_per_day is None  # D: 0 days, no ÷ 0
    assert (s.followups_due, s.followups_on_time) == (2, 2)  # A and B, both on time
    assert s.first_touch_hours_median == 12.0  # A 6, C 12, B 24 (E not yet created)
    f = {r.stage: r for r in metrics.funnel(sc).rows}
    assert [f[s].reached for s in ("lead", "contacted", "qualified", "proposal", "won")] == [
        4, 4, 3, 2, 1,
    ]  # fmt: skip  # A to proposal, B to contacted, C to qualified, D won
    assert f["lost"].reached == 1
    # Days in qualified: A 11-05 -> 11-09 = 4; C 11-03 -> the last second of 11-09 = 6.
    assert f["qualified"].avg_days_in_stage == 5.0
    assert f["proposal"].avg_days_in_stage == 0  # A entered on 11-09 itself
    assert metrics.lost_reasons(sc)[0].reason == "Price"  # B only; C not lost yet


def test_as_of_before_any_data(book: Book) -> None:
    sc = book.scope(as_of=date(2026, 10, 1))
    s = metrics.summary(sc)
    assert (s.leads_created, s.open_deals, s.won, s.lost) == (0, 0, 0, 0)
    assert s.win_rate is None and s.avg_deal_size is None and s.lead_to_win_rate is None
    assert s.pipeline_value == 0 and s.first_touch_hours_median is None
    assert all(r.reached == 0 and r.conversion is None for r in metrics.funnel(sc).rows)
    assert metrics.lost_reasons(sc) == []


def test_empty_database(tmp_path: Path) -> None:
    book = Book(tmp_path / "sf.db")
    sc = book.scope()
    s = metrics.summary(sc)
    assert (s.leads_created, s.open_deals, s.won, s.lost) == (0, 0, 0, 0)
    assert s.win_rate is None and s.win_rate_by_value is None and s.cycle_days_median is None
    assert s.sales_velocity_per_day is None and s.repeat_purchase_rate is None
    f = metrics.funnel(sc)
    assert f.weakest is None and f.slowest is None
    assert metrics.conversion(sc)[0].calibrated_probability == 0.1  # nothing closed: prior
    assert [r.key for r in metrics.breakdown(sc, "grade")] == ["A", "B", "C"]
    assert metrics.breakdown(sc, "source") == []
    assert metrics.activity(book.scope(weeks=2)).followup_timeliness is None


def test_all_lost(tmp_path: Path) -> None:
    book = Book(tmp_path / "sf.db")
    for i, reason in enumerate(("price", "price", "timing")):
        lead = book.add(f"L{i}", at("2026-11-02"), "1000")
        book.move(lead, "lost", at("2026-11-03"), reason=reason)
    s = metrics.summary(book.scope())
    assert (s.won, s.lost, s.win_rate, s.win_rate_by_value) == (0, 3, 0.0, 0.0)
    assert s.lead_to_win_rate == 0.0
    assert s.avg_deal_size is None and s.cycle_days_median is None
    assert s.sales_velocity_per_day is None
    rows = {r.stage: r for r in metrics.funnel(book.scope()).rows}
    assert rows["contacted"].conversion == 0.0 and rows["won"].conversion is None
    assert rows["lost"].reached == 3


def test_reopened_deals(tmp_path: Path) -> None:
    book = Book(tmp_path / "sf.db")
    # X: lost from contacted, reopened (back to contacted), then won.
    x = book.add("X", at("2026-11-02"), "1000")
    book.move(x, "contacted", at("2026-11-03"))
    book.move(x, "lost", at("2026-11-04"), reason="no budget")
    book.move(x, None, at("2026-11-06"), reopen=True)
    book.move(x, "won", at("2026-11-09"))
    # Y: won from lead, then reopened (back to lead) and still open.
    y = book.add("Y", at("2026-11-02"), "2000")
    book.move(y, "won", at("2026-11-05"))
    book.move(y, None, at("2026-11-06"), reopen=True)
    sc = book.scope()
    s = metrics.summary(sc)
    # Only X is won now (7 days after creation); Y counts as open again, nothing is lost now.
    assert (s.won, s.lost, s.open_deals, s.cycle_days_mean) == (1, 0, 1, 7)
    assert metrics.lost_reasons(sc) == []
    rows = {r.stage: r for r in metrics.funnel(sc).rows}
    # Reached is history: both ever entered won, and X was lost once.
    assert (rows["won"].reached, rows["lost"].reached) == (2, 1)
    # X's two visits to contacted: 11-03 -> 11-04 (1 day) and 11-06 -> 11-09 (3 days).
    assert (rows["contacted"].avg_days_in_stage, rows["contacted"].visits) == (2, 2)
    # Calibration uses where deals stand now: only X is closed (won).
    cal = {r.stage: r for r in metrics.conversion(sc)}
    assert (cal["lead"].closed, cal["lead"].won) == (1, 1)


def test_multi_currency_without_and_with_rates(book: Book) -> None:
    h = book.add("H", at("2026-11-20"), "1000", currency="EUR", close="2026-12-01")
    sc = book.scope()
    s = metrics.summary(sc)
    # H's 1,000 EUR has no rate: left out of money, named; still an open deal.
    assert s.open_deals == 3 and s.pipeline_value == Decimal("40000")
    assert s.missing_rates == {"EUR"}
    book.conn.execute("INSERT INTO settings VALUES ('fx.EUR', '1.1')")
    s = metrics.summary(book.scope())
    assert s.pipeline_value == Decimal("41100")  # 40,000 + 1,000 x 1.1
    assert s.weighted_pipeline == Decimal("20110")  # + 1,100 x 10%
    assert s.missing_rates == set()
    # In EUR as the base, USD needs a rate too: everything but H is left out.
    s = metrics.summary(book.scope(base="EUR"))
    assert s.pipeline_value == Decimal("1000") and s.missing_rates == {"USD"}
    assert h


def test_window_checks(book: Book) -> None:
    from salesflow.errors import SalesflowError

    with pytest.raises(SalesflowError, match="is in the future"):
        metrics.window(NOW, UTC, as_of=date(2026, 11, 24))
    with pytest.raises(SalesflowError, match="starts on 2026-11-10, after it ends") as e:
        metrics.window(NOW, UTC, since=date(2026, 11, 10), until=date(2026, 11, 1))
    # The options are the command line's to name (cli/hints.py).
    from salesflow.cli import hints

    assert hints.say(e.value) == "--since 2026-11-10 is after --until 2026-11-01 — swap them"


ZONES = ["UTC", "Asia/Shanghai", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"]


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    seconds=st.integers(0, 3 * 365 * 86400),
)
def test_local_day_sql_matches_python(zone: str, seconds: int) -> None:
    """The SQL day number equals Python's local date, across DST changes and odd offsets."""
    tz = ZoneInfo(zone)
    lo = datetime(2025, 1, 1, tzinfo=UTC)
    moment = lo + timedelta(seconds=seconds)
    days = metrics.LocalDays(tz, lo, lo + timedelta(days=3 * 365))
    text = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    conn = sqlite3.connect(":memory:")
    (jdn,) = conn.execute(f"SELECT {days.day(repr(text))}").fetchone()
    assert metrics.jdn_to_date(jdn) == moment.astimezone(tz).date()


def test_local_day_exactly_at_midnight_and_dst_change() -> None:
    tz = ZoneInfo("America/New_York")
    lo, hi = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)
    days = metrics.LocalDays(tz, lo, hi)
    conn = sqlite3.connect(":memory:")
    cases = {
        "2026-03-08T04:59:59Z": date(2026, 3, 7),  # 23:59:59 EST
        "2026-03-08T05:00:00Z": date(2026, 3, 8),  # midnight EST
        "2026-03-09T03:59:59Z": date(2026, 3, 8),  # 23:59:59 EDT, after the change
        "2026-03-09T04:00:00Z": date(2026, 3, 9),  # midnight EDT
    }
    for text, expected in cases.items():
        (jdn,) = conn.execute(f"SELECT {days.day(repr(text))}").fetchone()
        assert metrics.jdn_to_date(jdn) == expected, text


def test_first_touch_hit_rate_follows_the_setting(book: Book) -> None:
    from salesflow import store

    store.set_setting(book.conn, "first_touch", "12h")
    s = metrics.summary(book.scope())
    # Within 12 h: A (6 h) and C (12 h, on the limit); B's 24 h is now late -> 2 of 7.
    assert (s.first_touch_hits, s.first_touch_due) == (2, 7)
