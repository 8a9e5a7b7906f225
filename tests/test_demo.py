"""The demo generator: same seed same data, and a history that obeys every rule of the app."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from salesflow import demo, pipeline, store
from salesflow.dbcheck import problems
from salesflow.i18n import in_language
from tests.conftest import dump

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
NOW_ISO = "2026-11-23T09:00:00Z"


def filled(
    path: Path,
    *,
    leads: int = 300,
    seed: int = 7,
    tz=UTC,
    currency: str = "USD",
    now: datetime = NOW,
) -> tuple[sqlite3.Connection, demo.DemoSummary]:
    conn = store.connect(path)
    with store.transaction(conn, write=True):
        summary = demo.fill(conn, leads=leads, seed=seed, now=now, tz=tz, currency=currency)
    return conn, summary


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[sqlite3.Connection, demo.DemoSummary]:
    """One 300-lead demo database shared by the read-only checks below."""
    return filled(tmp_path_factory.mktemp("demo") / "sf.db")


def one(conn: sqlite3.Connection, sql: str, *params: object) -> object:
    return conn.execute(sql, params).fetchone()[0]


def test_same_seed_same_database_other_seed_other_data(tmp_path: Path) -> None:
    a, _ = filled(tmp_path / "a.db", leads=120, seed=42)
    b, _ = filled(tmp_path / "b.db", leads=120, seed=42)
    c, _ = filled(tmp_path / "c.db", leads=120, seed=43)
    for conn in (a, b, c):
        conn.close()
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")
    assert dump(tmp_path / "a.db") != dump(tmp_path / "c.db")


def test_summary_counts_are_the_rows_written(sample) -> None:
    conn, s = sample
    assert s.leads == one(conn, "SELECT count(*) FROM leads") == 300
    assert s.open + s.won + s.lost == 300
    assert s.won == one(conn, "SELECT count(*) FROM leads WHERE stage = 'won'")
    assert s.lost == one(conn, "SELECT count(*) FROM leads WHERE stage = 'lost'")
    assert s.stage_changes == one(conn, "SELECT count(*) FROM stage_changes")
    assert s.activities == one(conn, "SELECT count(*) FROM activities")
    assert s.followups == one(conn, "SELECT count(*) FROM followups")
    assert s.open_followups == one(conn, "SELECT count(*) FROM followups WHERE done_at IS NULL")
    # Date-only dues before today, plus timed ones today whose time has passed (TZ is UTC).
    assert s.overdue_followups == one(
        conn,
        "SELECT count(*) FROM followups WHERE done_at IS NULL AND (due_date < '2026-11-23' "
        "OR (due_date = '2026-11-23' AND due_time <= '09:00'))",
    )
    assert s.customers == one(conn, "SELECT count(*) FROM customers")
    assert s.repeat_customers == one(
        conn,
        "SELECT count(*) FROM (SELECT customer_id FROM leads WHERE stage = 'won' "
        "GROUP BY customer_id HAVING count(*) >= 2)",
    )
    assert s.reopened == one(
        conn, "SELECT count(DISTINCT lead_id) FROM stage_changes WHERE from_stage = 'lost'"
    )


def test_a_realistic_mix(sample) -> None:
    conn, s = sample
    assert s.open > 0 and s.won > 0 and s.lost > 0 and s.reopened > 0 and s.repeat_customers > 0
    # About ten touches a lead (the 100k leads ≈ 1M activities).
    assert 8 <= s.activities / s.leads <= 12
    assert one(conn, "SELECT count(DISTINCT source) FROM leads") >= 6
    assert one(conn, "SELECT count(DISTINCT lost_reason) FROM leads") >= 5
    assert one(conn, "SELECT count(DISTINCT kind) FROM activities") == 5
    assert {r[0] for r in conn.execute("SELECT DISTINCT segment FROM customers")} == {
        "key", "smb", "individual",
    }  # fmt: skip
    # CJK and Latin people and companies, and leads without a company.
    assert one(conn, "SELECT count(*) FROM leads WHERE company LIKE '%有限公司'") > 0
    assert one(conn, "SELECT count(*) FROM leads WHERE company GLOB '*[A-Za-z]*'") > 0
    assert one(conn, "SELECT count(*) FROM leads WHERE company IS NULL") > 0
    assert one(conn, "SELECT count(*) FROM leads WHERE unicode(name) > 0x4E00") > 0
    assert one(conn, "SELECT count(*) FROM stage_changes WHERE note = 'skipped a stage'") > 0
    # Leads arrive over the twelve months before now.
    first, last = conn.execute("SELECT min(created_at), max(created_at) FROM leads").fetchone()
    assert "2025-11-23" <= first < "2026-01-01" and "2026-11-01" <= last <= NOW_ISO


def test_grades_differ_in_win_rate_and_cycle(sample) -> None:
    conn, _ = sample
    rows = {
        g: (won / (won + lost), cycle)
        for g, won, lost, cycle in conn.execute(
            "SELECT grade, sum(stage = 'won'), sum(stage = 'lost'), "
            "avg(CASE WHEN stage = 'won' THEN julianday(closed_at) - julianday(created_at) END) "
            "FROM leads GROUP BY grade"
        )
    }
    assert rows["A"][0] > rows["B"][0] > rows["C"][0]
    assert rows["A"][1] < rows["B"][1]


def test_db_check_finds_nothing(sample) -> None:
    conn, _ = sample
    assert problems(conn) == []


def test_every_history_follows_the_pipeline_and_ends_in_the_current_stage(sample) -> None:
    conn, _ = sample
    position = {s.name: s.position for s in pipeline.stages(conn)}
    first_open = pipeline.open_stages(conn)[0].name
    leads = {r[0]: r[1:] for r in conn.execute(
        "SELECT id, stage, closed_at, lost_reason, lost_from, created_at FROM leads"
    )}  # fmt: skip
    history: dict[int, list[tuple]] = {}
    for row in conn.execute(
        "SELECT lead_id, from_stage, to_stage, changed_at, reason FROM stage_changes "
        "ORDER BY lead_id, changed_at, id"
    ):
        history.setdefault(row[0], []).append(row[1:])
    assert history.keys() == leads.keys()
    for lead_id, moves in history.items():
        stage, closed_at, lost_reason, lost_from, created_at = leads[lead_id]
        assert moves[0][:2] == (None, first_open) and moves[0][2] == created_at
        for (_, prev_to, prev_at, _), (frm, to, at, reason) in zip(moves, moves[1:], strict=False):
            assert frm == prev_to and at > prev_at, (lead_id, moves)
            if frm == "lost":  # a reopening goes back to where it was lost
                assert to != "won" and to != "lost"
            elif to == "lost":
                assert reason
            elif to != "won":  # forwards, one stage or (rarely) two
                assert position[to] - position[frm] in (1, 2), (lead_id, moves)
            else:
                assert position[frm] == position["won"] - 1  # won from the last open stage
        assert moves[-1][1] == stage
        if stage in ("won", "lost"):
            assert closed_at == moves[-1][2]
        else:
            assert closed_at is None
        if stage == "lost":
            assert lost_reason == moves[-1][3] and lost_from == moves[-1][0]
        else:
            assert lost_reason is None and lost_from is None


def test_touches_and_follow_ups_sit_inside_the_lead_lifetime(sample) -> None:
    conn, _ = sample
    outside = one(
        conn,
        "SELECT count(*) FROM activities a JOIN leads l ON l.id = a.lead_id "
        "WHERE a.happened_at < l.created_at OR a.happened_at > coalesce(l.closed_at, ?) "
        "OR a.created_at < a.happened_at OR a.created_at > ?",
        NOW_ISO,
        NOW_ISO,
    )
    assert outside == 0
    # A deal's own follow-ups (check-ins, customer_id set, come after the sale: see below).
    bad_followups = one(
        conn,
        "SELECT count(*) FROM followups f JOIN leads l ON l.id = f.lead_id "
        "WHERE f.customer_id IS NULL AND (f.created_at < l.created_at OR f.created_at > ? "
        "OR f.done_at < f.created_at OR f.done_at > coalesce(l.closed_at, ?) "
        "OR f.due_date < substr(l.created_at, 1, 10) "
        "OR (f.done_at IS NULL AND l.stage IN ('won', 'lost')))",
        NOW_ISO,
        NOW_ISO,
    )
    assert bad_followups == 0
    # Every lead was touched, the first touch after it came in.
    assert (
        one(conn, "SELECT count(*) FROM leads WHERE id NOT IN (SELECT lead_id FROM activities)")
        == 0
    )


def test_follow_ups_overdue_today_upcoming_on_time_and_late(sample) -> None:
    conn, _ = sample
    kinds = dict(
        conn.execute(
            "SELECT CASE WHEN done_at IS NULL THEN "
            "(CASE WHEN due_date < '2026-11-23' THEN 'overdue' "
            "WHEN due_date = '2026-11-23' THEN 'today' ELSE 'upcoming' END) "
            "WHEN substr(done_at, 1, 10) <= due_date THEN 'on time' ELSE 'late' END, count(*) "
            "FROM followups GROUP BY 1"
        ).fetchall()
    )
    assert set(kinds) == {"overdue", "today", "upcoming", "on time", "late"}
    assert kinds["on time"] > kinds["late"]
    # Most open deals have a next step; some are unplanned.
    planned = one(
        conn,
        "SELECT count(DISTINCT f.lead_id) FROM followups f JOIN leads l ON l.id = f.lead_id "
        "WHERE f.done_at IS NULL AND l.stage NOT IN ('won', 'lost')",
    )
    open_deals = one(conn, "SELECT count(*) FROM leads WHERE stage NOT IN ('won', 'lost')")
    assert 0.6 * open_deals < planned < open_deals


def test_customers_are_exactly_the_won_deals(sample) -> None:
    conn, _ = sample
    assert (
        one(conn, "SELECT count(*) FROM leads WHERE (stage = 'won') != (customer_id IS NOT NULL)")
        == 0
    )
    mismatched = one(
        conn,
        "SELECT count(*) FROM leads l JOIN customers c ON c.id = l.customer_id "
        "WHERE c.name != coalesce(l.company, l.name)",
    )
    assert mismatched == 0
    # A customer exists from its first win.
    assert (
        one(
            conn,
            "SELECT count(*) FROM customers c WHERE created_at != "
            "(SELECT min(closed_at) FROM leads WHERE customer_id = c.id)",
        )
        == 0
    )
    individuals = one(
        conn,
        "SELECT count(*) FROM customers c JOIN leads l ON l.customer_id = c.id "
        "WHERE (c.segment = 'individual') != (l.company IS NULL)",
    )
    assert individuals == 0


def test_open_deals_have_expected_close_dates_and_money_is_minor_units(sample) -> None:
    conn, _ = sample
    assert one(conn, "SELECT count(*) FROM leads WHERE stage NOT IN ('won', 'lost') "
                     "AND expected_close IS NULL") == 0  # fmt: skip
    # Deal sizes are whole hundreds, except won deals valued at their accepted quote's total.
    assert (
        one(
            conn,
            "SELECT count(*) FROM leads WHERE value_minor % 10000 != 0 AND id NOT IN "
            "(SELECT lead_id FROM quotes WHERE status = 'accepted')",
        )
        == 0
    )
    assert one(conn, "SELECT count(DISTINCT currency) FROM leads") == 1


def test_local_dates_follow_the_zone(tmp_path: Path) -> None:
    # 09:00 UTC on Nov 23 is 17:00 in Shanghai: still Nov 23 there; due dates are local days.
    conn, s = filled(tmp_path / "sh.db", leads=80, tz=ZoneInfo("Asia/Shanghai"), currency="CNY")
    assert problems(conn) == []
    assert one(conn, "SELECT max(happened_at) FROM activities") <= NOW_ISO
    # Nobody calls at night: 00:00-06:59 in Shanghai is 16:00-22:59 UTC.
    night = one(
        conn,
        "SELECT count(*) FROM activities WHERE substr(happened_at, 12, 2) BETWEEN '16' AND '22'",
    )
    assert night == 0
    assert one(conn, "SELECT count(*) FROM leads WHERE company LIKE '%有限公司'") > 30


def test_a_custom_pipeline_is_walked_as_it_is(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "sf.db")
    with store.transaction(conn, write=True):
        pipeline.set_pipeline(conn, pipeline.preset("seed6"), {}, "2026-11-23T00:00:00Z")
        demo.fill(conn, leads=60, seed=1, now=NOW, tz=UTC, currency="EUR")
    assert problems(conn) == []
    used = {r[0] for r in conn.execute("SELECT DISTINCT to_stage FROM stage_changes")}
    assert used <= {"identify", "demo", "needs & solution", "quote/contract", "won", "lost"}


def test_adds_after_existing_leads_and_joins_existing_customers(tmp_path: Path) -> None:
    conn, _ = filled(tmp_path / "sf.db", leads=50)
    before = dump(tmp_path / "sf.db")
    quotes_before = one(conn, "SELECT count(*) FROM quotes WHERE version = 1")
    with store.transaction(conn, write=True):
        demo.fill(conn, leads=50, seed=7, now=NOW, tz=UTC, currency="USD")
    after = dump(tmp_path / "sf.db")
    assert set(before) <= set(after)  # nothing that was there changed
    assert one(conn, "SELECT min(id), max(id) FROM leads") == 1
    assert one(conn, "SELECT count(*) FROM leads") == 100
    # Seed 7 twice: the same customers win again and join the existing rows, no duplicates.
    assert one(conn, "SELECT count(*) FROM customers") == one(
        conn, "SELECT count(DISTINCT coalesce(company, name)) FROM leads WHERE stage = 'won'"
    )
    # Quote numbers continue after the ones in use: 2026 still runs 1..N without a gap.
    seqs = [r[0] for r in conn.execute(
        "SELECT seq FROM quotes WHERE version = 1 AND year = 2026 ORDER BY seq"
    )]  # fmt: skip
    assert quotes_before > 0 and len(seqs) > quotes_before and seqs == list(range(1, len(seqs) + 1))
    assert problems(conn) == []


def test_a_large_fill_builds_its_indexes_after_the_load_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    demo_fill = sys.modules["salesflow.demo.fill"]  # the module (the package exports fill())

    def index_pages(path: Path) -> int:
        with sqlite3.connect(path) as c:
            return one(c, "SELECT count(*) FROM dbstat d JOIN sqlite_master m ON m.name = d.name "
                          "AND m.type = 'index' AND m.sql IS NOT NULL")  # fmt: skip

    row_by_row, _ = filled(tmp_path / "rows.db", leads=400, seed=42)
    row_by_row.close()
    monkeypatch.setattr(demo_fill, "_BULK_MIN", 400)  # 400 leads: "large", as 10,000 are
    bulk, _ = filled(tmp_path / "bulk.db", leads=400, seed=42)
    assert problems(bulk) == []
    bulk.close()
    # The same rows and the same index definitions; the indexes, sorted once, on fewer pages.
    assert dump(tmp_path / "bulk.db") == dump(tmp_path / "rows.db")
    assert index_pages(tmp_path / "bulk.db") < index_pages(tmp_path / "rows.db")
    # Fewer than that many leads are already there: the indexes stay, rows go in one by one.
    conn = store.connect(tmp_path / "bulk.db")
    with store.transaction(conn, write=True):
        demo.fill(conn, leads=300, seed=43, now=NOW, tz=UTC, currency="USD")
    assert problems(conn) == []
    conn.close()


def test_progress_reports_every_step_to_the_end(tmp_path: Path) -> None:
    seen: dict[str, tuple[int, int]] = {}
    conn = store.connect(tmp_path / "sf.db")
    with store.transaction(conn, write=True):
        demo.fill(
            conn, leads=2500, seed=1, now=NOW, tz=UTC, currency="USD",
            progress=lambda step, done, total: seen.__setitem__(step, (done, total)),
        )  # fmt: skip
    assert seen == {
        "leads": (2500, 2500), "quotes": (2500, 2500), "activities": (2500, 2500),
        "follow-ups": (2500, 2500),
    }  # fmt: skip


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Shanghai", "Pacific/Chatham"])
def test_the_integer_clock_agrees_with_datetime(zone: str) -> None:
    from salesflow import dates

    tz = ZoneInfo(zone)
    clock = demo.Clock(NOW, tz)
    # Every day of the year, morning and evening, across both DST switches.
    for day in range(clock.first, 30):
        for minute in (8 * 60, 19 * 60 + 30):
            ts = clock.at(day, minute)
            local = datetime.fromtimestamp(ts, tz)
            assert (local.hour, local.minute) == divmod(minute, 60), (day, local)
            assert clock.local_date(day) == local.date().isoformat()
            assert clock.day_of(ts) == day
            assert clock.iso(ts) == dates.to_utc_iso(local)


# ---- quotes ------------------------------------------------------------------------------


def quote_rows(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(
            "SELECT q.*, l.stage AS lead_stage, l.created_at AS lead_created, l.closed_at, "
            "l.value_minor, l.company, l.lost_reason "
            "FROM quotes q JOIN leads l ON l.id = q.lead_id ORDER BY q.id"
        ).fetchall()
    finally:
        conn.row_factory = None


def test_quotes_only_for_deals_that_reached_the_quote_stage(sample) -> None:
    conn, s = sample
    rows = quote_rows(conn)
    assert s.quotes == len(rows) and s.quote_items == one(conn, "SELECT count(*) FROM quote_items")
    assert s.quotes_by_status == {
        status: sum(r["status"] == status for r in rows)
        for status in ("draft", "sent", "accepted", "rejected")
    }
    # Quote, negotiation or won (won is only reached from negotiation, after quote).
    reached = {
        r[0]
        for r in conn.execute(
            "SELECT lead_id FROM stage_changes WHERE to_stage IN ('quote', 'negotiation', 'won')"
        )
    }
    assert {r["lead_id"] for r in rows} <= reached
    # "Part of the deals": most, not all, of those that got there.
    assert 0.6 * len(reached) < len({r["lead_id"] for r in rows}) < len(reached)
    assert all(1 <= n <= 4 for (n,) in conn.execute(
        "SELECT count(*) FROM quote_items GROUP BY quote_id"
    ))  # fmt: skip
    assert one(conn, "SELECT count(*) FROM quotes WHERE id NOT IN "
                     "(SELECT quote_id FROM quote_items)") == 0  # fmt: skip


def test_quote_statuses_tell_the_deal_s_story(sample) -> None:
    conn, _ = sample
    rows = quote_rows(conn)
    by_number = {r["number"]: r for r in rows}
    losses = {
        (lead_id, at): reason
        for lead_id, at, reason in conn.execute(
            "SELECT lead_id, changed_at, reason FROM stage_changes WHERE to_stage = 'lost'"
        )
    }
    series: dict[tuple[int, int], list[sqlite3.Row]] = {}
    for r in rows:
        series.setdefault((r["year"], r["seq"]), []).append(r)
    for r in rows:
        newest = max(v["version"] for v in series[r["year"], r["seq"]])
        if r["status"] == "accepted":
            # The deal was won by this, its newest version, while it was valid.
            assert r["lead_stage"] == "won" and r["decided_at"] == r["closed_at"]
            assert r["version"] == newest and r["valid_until"] >= r["decided_at"][:10]
        elif r["status"] == "rejected" and (r["reason"] or "").startswith("superseded by "):
            # Replaced by the next version the moment that one went out.
            successor = by_number[r["reason"].removeprefix("superseded by ")]
            assert successor["version"] == r["version"] + 1
            assert successor["sent_at"] == r["decided_at"]
        elif r["status"] == "rejected":
            # Lost at that moment, for that reason (a reopened deal may have won later).
            assert losses[r["lead_id"], r["decided_at"]] == r["reason"]
        else:  # draft or sent: the deal is still open, in the quote stage or beyond
            assert r["lead_stage"] in ("quote", "negotiation") and r["decided_at"] is None
        assert (r["sent_at"] is None) == (r["status"] == "draft")
        assert r["lead_created"] <= r["created_at"] <= (r["sent_at"] or r["created_at"]) <= NOW_ISO
        assert r["sent_at"] is None or r["decided_at"] is None or r["sent_at"] <= r["decided_at"]
        # Valid 30 days from its draft; dated the day it went out.
        made = datetime.fromisoformat(r["created_at"]).date()
        assert r["valid_until"] == (made + timedelta(days=30)).isoformat()
        assert r["issued_on"] == (r["sent_at"] or r["created_at"])[:10]
    # A lost deal that had an open quote has it rejected for the loss reason.
    for r in rows:
        if r["lead_stage"] == "lost" and r["version"] == max(
            v["version"] for v in series[r["year"], r["seq"]]
        ):
            assert r["status"] == "rejected" and r["reason"] == r["lost_reason"]
    assert any(r["version"] > 1 for r in rows)  # a few renegotiated copies


def test_won_with_a_quote_is_worth_the_accepted_total(sample) -> None:
    conn, _ = sample
    pairs = conn.execute(
        "SELECT l.value_minor, q.total_minor, l.currency, q.currency FROM leads l "
        "JOIN quotes q ON q.lead_id = l.id AND q.status = 'accepted'"
    ).fetchall()
    assert pairs and all(value == total and a == b for value, total, a, b in pairs)
    # Exactly one accepted quote per won deal that had quotes, none on other deals.
    assert one(conn, "SELECT count(*) FROM leads WHERE stage = 'won' AND id IN "
                     "(SELECT lead_id FROM quotes)") == len(pairs)  # fmt: skip


def test_every_stored_quote_adds_up_as_the_product_computes_it(sample) -> None:
    from decimal import Decimal

    from salesflow import quotes
    from salesflow.quotes import math as quote_math

    conn, _ = sample
    assert problems(conn) == []
    for (qid,) in conn.execute("SELECT id FROM quotes").fetchall():
        q = quotes.get(conn, qid)
        again = quote_math.compute(
            quotes.items(conn, q), currency=q.currency, rounding=q.rounding,
            discount=q.discount, tax_rate=Decimal(q.tax_rate),
        )  # fmt: skip
        assert again == quotes.totals(conn, q), q.number
    # Plausible quotes: some line and whole-quote discounts (percent and fixed), USD tax 0/20%.
    assert one(conn, "SELECT count(*) FROM quote_items WHERE discount_rate IS NOT NULL") > 0
    assert one(conn, "SELECT count(*) FROM quote_items WHERE discount_fixed_minor > 0") > 0
    assert one(conn, "SELECT count(*) FROM quotes WHERE discount_minor > 0") > 0
    assert {r[0] for r in conn.execute("SELECT DISTINCT tax_rate FROM quotes")} == {"0", "20"}
    assert one(conn, "SELECT count(*) FROM quote_items WHERE quantity LIKE '%.5'") > 0


@pytest.mark.parametrize("now", [NOW, datetime(2026, 3, 2, 9, 0, tzinfo=UTC)])
def test_quote_numbers_run_per_year_in_order_without_gaps(tmp_path: Path, now: datetime) -> None:
    conn, _ = filled(tmp_path / "sf.db", now=now)
    firsts = conn.execute(
        "SELECT year, seq, number, created_at FROM quotes WHERE version = 1 ORDER BY created_at, id"
    ).fetchall()
    seen: dict[int, int] = {}
    for year, seq, number, created_at in firsts:
        assert created_at.startswith(str(year))  # the year it was written (TZ is UTC)
        seen[year] = seen.get(year, 0) + 1
        assert seq == seen[year] and number == f"Q-{year}-{seq:04d}"
    copies = conn.execute(
        "SELECT c.number, f.number, c.version FROM quotes c "
        "JOIN quotes f ON f.year = c.year AND f.seq = c.seq AND f.version = 1 WHERE c.version > 1"
    ).fetchall()
    assert copies and all(c == f"{f}-v{v}" for c, f, v in copies)
    if now.month == 3:  # a year back from March 2026 spans two calendar years: two sequences
        assert sorted(seen) == [2025, 2026]


def test_cjk_companies_get_chinese_lines(sample) -> None:
    conn, _ = sample
    lines = conn.execute(
        "SELECT l.company, i.description FROM quote_items i JOIN quotes q ON q.id = i.quote_id "
        "JOIN leads l ON l.id = q.lead_id WHERE l.company IS NOT NULL"
    ).fetchall()

    def cjk(text: str) -> bool:
        return any("\u4e00" <= ch <= "\u9fff" for ch in text)

    assert any(cjk(c) for c, _ in lines) and any(not cjk(c) for c, _ in lines)
    assert all(cjk(c) == cjk(d) for c, d in lines)


def test_open_quotes_are_expiring_expired_unanswered_or_drafts(sample) -> None:
    from salesflow import digest

    conn, _ = sample
    # Today is 2026-11-23 (UTC): expiring = valid until Nov 23-30; unanswered = sent on or
    # before Nov 16 09:00 and still valid; expired = valid until before Nov 23.
    built = digest.build(conn, NOW, UTC, currency="USD")
    assert built.total("quotes_expiring") > 0
    assert built.total("quotes_unanswered") > 0
    assert one(conn, "SELECT count(*) FROM quotes WHERE status = 'sent' "
                     "AND valid_until < '2026-11-23'") > 0  # fmt: skip
    assert one(conn, "SELECT count(*) FROM quotes WHERE status = 'sent' "
                     "AND sent_at > '2026-11-16T09:00:00Z'") > 0  # fmt: skip
    assert one(conn, "SELECT count(*) FROM quotes WHERE status = 'draft'") > 0


def test_chase_follow_ups_as_quote_send_plans_them(sample) -> None:
    conn, _ = sample
    chases = conn.execute(
        "SELECT q.sent_at, f.created_at, f.due_date, f.done_at, q.decided_at FROM followups f "
        # In the lead's language (tests/cli/test_trial_misc.py).
        "JOIN quotes q ON f.action IN ('Chase quote ' || q.number, '跟进报价 ' || q.number)"
    ).fetchall()
    assert len(chases) == one(conn, "SELECT count(*) FROM quotes WHERE sent_at IS NOT NULL")
    for sent, created, due, done, decided in chases:
        # Due three days after sending (quote.chase_days), never after the answer came.
        sent_day = datetime.fromisoformat(sent).date()
        assert created == sent and due == (sent_day + timedelta(days=3)).isoformat()
        assert done is None or sent <= done <= (decided or NOW_ISO)
        assert decided is None or done is not None


def test_no_quote_stage_no_quotes_or_the_stage_nearest_65_percent(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "sf.db")
    with store.transaction(conn, write=True):
        specs = [pipeline.StageSpec(n, p) for n, p in (("new", 10), ("talks", 30), ("deal", 90))]
        pipeline.set_pipeline(conn, specs, {}, "2026-11-23T00:00:00Z")
        summary = demo.fill(conn, leads=60, seed=1, now=NOW, tz=UTC, currency="EUR")
    assert summary.quotes == 0 and one(conn, "SELECT count(*) FROM quotes") == 0
    assert problems(conn) == []
    # seed6 has no "quote" stage: "needs & solution" is the open stage at 65%.
    conn = store.connect(tmp_path / "seed6.db")
    with store.transaction(conn, write=True):
        pipeline.set_pipeline(conn, pipeline.preset("seed6"), {}, "2026-11-23T00:00:00Z")
        demo.fill(conn, leads=120, seed=1, now=NOW, tz=UTC, currency="EUR")
    assert one(conn, "SELECT count(*) FROM quotes") > 0 and problems(conn) == []
    too_early = one(
        conn,
        "SELECT count(*) FROM quotes WHERE lead_id NOT IN (SELECT lead_id FROM stage_changes "
        "WHERE to_stage IN ('needs & solution', 'quote/contract', 'won'))",
    )
    assert too_early == 0


def test_quote_settings_are_followed(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "sf.db")
    with store.transaction(conn, write=True):
        for key, value in (("quote.stage", "Proposal"), ("quote.tax", "7.5"),
                           ("quote.valid_days", "14"), ("quote.chase_days", "0"),
                           ("rounding", "half-even")):  # fmt: skip
            store.set_setting(conn, key, value)
        demo.fill(conn, leads=150, seed=2, now=NOW, tz=UTC, currency="CNY")
    assert problems(conn) == []
    assert conn.execute("SELECT DISTINCT tax_rate, rounding FROM quotes").fetchall() == [
        ("7.5", "half-even")
    ]
    assert (
        one(
            conn,
            "SELECT count(*) FROM quotes WHERE "
            "julianday(valid_until) - julianday(substr(created_at, 1, 10)) != 14",
        )
        == 0
    )
    assert one(conn, "SELECT count(*) FROM followups WHERE action LIKE 'Chase quote %'") == 0
    # Quotes start at "proposal" (matched as `quote send` matches it: any case).
    assert one(conn, "SELECT count(*) FROM quotes q JOIN leads l ON l.id = q.lead_id "
                     "WHERE l.stage = 'proposal'") > 0  # fmt: skip


def test_cny_quotes_carry_13_percent_tax(tmp_path: Path) -> None:
    conn, _ = filled(tmp_path / "sf.db", leads=80, currency="CNY")
    assert {r[0] for r in conn.execute("SELECT DISTINCT tax_rate FROM quotes")} == {"13"}
    assert problems(conn) == []
    # Its catalogue is named in Chinese, priced in CNY, with the 13% the quotes charge.
    names = dict(conn.execute("SELECT sku, name FROM products"))
    assert (names["G2"], names["TRN-D"]) == ("边缘网关 G2", "现场培训（天）")
    assert one(conn, "SELECT group_concat(DISTINCT currency || tax_rate) FROM products") == "CNY13"


# ---- the catalogue -----------------------------------------------------------------------


def test_a_catalogue_most_listed_lines_are_made_from(sample) -> None:
    from salesflow.demo import words
    from salesflow.demo.products import LISTED

    conn, _ = sample
    products = {r[0]: r[1:] for r in conn.execute("SELECT id, sku, name, price_minor, currency, "
                                                   "unit FROM products")}  # fmt: skip
    assert len(products) == len(LISTED) == 9
    assert {c for _, _, _, c, _ in products.values()} == {"USD"}
    listed = {words.QUOTE_ITEMS[i][lang]: sku for i, (sku, _, _) in LISTED.items()
              for lang in (0, 1)}  # fmt: skip
    lines = conn.execute(
        "SELECT i.description, i.product_id, i.unit_price_minor, i.unit FROM quote_items i"
    ).fetchall()
    linked = [line for line in lines if line[1] is not None]
    # Lines of a listed item name its product (its SKU's), mostly; lump sums are free text.
    for description, product_id, _, _ in linked:
        assert products[product_id][0] == listed[description]
    of_listed = [line for line in lines if line[0] in listed]
    assert 0.75 < len(linked) / len(of_listed) < 0.95
    assert 0.3 < len(linked) / len(lines) < 0.8
    assert any(line[1] is None and line[0] in listed for line in lines)  # typed by hand
    # Most at the list price (the quantity carries the deal), some at a price of their own;
    # every line made from the catalogue carries its unit.
    at_list = [line for line in linked if line[2] == products[line[1]][2]]
    assert 0.6 < len(at_list) / len(linked) < 0.95
    assert all(line[3] for line in linked)
    assert not any(line[3] for line in lines if line[1] is None)


def test_the_catalogue_is_reused_by_a_second_fill(tmp_path: Path) -> None:
    conn, _ = filled(tmp_path / "sf.db", leads=60)
    conn.execute("UPDATE products SET name = 'Gateway' WHERE sku = 'G2'")
    with store.transaction(conn, write=True):
        demo.fill(conn, leads=60, seed=8, now=NOW, tz=UTC, currency="USD")
    assert one(conn, "SELECT count(*) FROM products") == 9
    assert problems(conn) == []


# ---- check-ins ---------------------------------------------------------------------------


def test_some_customers_have_recurring_check_ins(sample) -> None:
    import re

    from salesflow import customers, dates
    from salesflow.followups import Recurrence

    conn, s = sample
    rhythms = dict(conn.execute("SELECT id, checkin_every FROM customers").fetchall())
    on = {cid for cid, every in rhythms.items() if every}
    assert s.checkin_customers == len(on)
    # About 30% of customers: 54 customers -> 16 expected; allow 15-45%.
    assert 0.15 * len(rhythms) <= len(on) <= 0.45 * len(rhythms)
    assert {rhythms[c] for c in on} <= {"every-1m", "every-3m", "every-6m"}
    rows = conn.execute(
        "SELECT f.id, f.customer_id, f.lead_id, f.action, f.due_date, f.due_time, f.created_at, "
        "f.done_at, f.recur, l.stage, l.customer_id, l.closed_at FROM followups f "
        "JOIN leads l ON l.id = f.lead_id WHERE f.customer_id IS NOT NULL ORDER BY f.id"
    ).fetchall()
    assert {r[1] for r in rows} == on
    open_per_customer: dict[int, int] = {}
    for _id, cid, lead_id, action, due, due_time, created, done, recur, stage, lcid, won in rows:
        # On the customer's latest won deal, after the win, in the product's recur format.
        # In the language of the customer's lead.
        assert stage == "won" and lcid == cid
        assert action in (customers.CHECKIN_ACTION, in_language(customers.CHECKIN_ACTION, "zh_CN"))
        latest = one(conn, "SELECT id FROM leads WHERE customer_id = ? AND stage = 'won' "
                           "ORDER BY closed_at DESC, id DESC LIMIT 1", cid)  # fmt: skip
        assert lead_id == latest and won <= created <= NOW_ISO and due_time is None
        m = re.fullmatch(r"(every-[136]m)@(\d{4}-\d{2}-\d{2})", recur)
        assert m and m[1] == rhythms[cid]
        series = Recurrence.parse(recur)
        anchor = series.anchor
        assert won[:10] <= anchor.isoformat() <= NOW_ISO[:10]
        # Every due is a date of the series (the first one period after the anchor).
        day = date.fromisoformat(due)
        assert day > anchor and dates.series_after(anchor, series.n, series.unit,
                                                   day - timedelta(days=1)) == day  # fmt: skip
        assert done is None or created <= done <= NOW_ISO
        if done is None:
            open_per_customer[cid] = open_per_customer.get(cid, 0) + 1
    assert open_per_customer == dict.fromkeys(on, 1)  # exactly one open check-in each
    assert any(r[7] is not None for r in rows)  # and done ones before it


def test_completing_a_demo_check_in_plans_the_next(tmp_path: Path) -> None:
    from salesflow import dates, followups

    conn, _ = filled(tmp_path / "sf.db")
    fid, due, recur = conn.execute(
        "SELECT id, due_date, recur FROM followups WHERE customer_id IS NOT NULL "
        "AND done_at IS NULL ORDER BY id LIMIT 1"
    ).fetchone()
    with store.transaction(conn, write=True):
        nxt = followups.complete(conn, followups.get(conn, fid), done_at=NOW_ISO, now=NOW, tz=UTC)
    series = followups.Recurrence.parse(recur)
    today = NOW.date()
    expected = dates.series_after(
        series.anchor, series.n, series.unit, max(date.fromisoformat(due), today)
    )
    assert nxt is not None and nxt.recur == recur and nxt.due_date == expected.isoformat()
    assert problems(conn) == []
