"""`salesflow report trend` through the CLI: every period's figures are the summary's for that
period, on the demo database; the terminal chart at narrow and wide terminals; bad input."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from salesflow.metrics.trend import METRICS
from salesflow.output.layout import cells


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai"])
def test_each_month_is_the_summary_of_that_month(ok, zone: str) -> None:
    ok("config", "set", "timezone", zone)
    ok("demo", "--leads", "300", "--seed", "3")
    every = ",".join(METRICS)
    rows = json.loads(ok("report", "trend", "-p", "13", "-m", every, "-f", "json").stdout)
    assert [r["period"] for r in rows][-2:] == ["2026-10", "2026-11"]
    assert sum(r["won"] for r in rows) > 20  # the demo's history reaches back that far
    for row in rows:
        since, until = row["start"], row["end"]
        summary = ok("report", "summary", "--since", since, "--until", until, "-f", "json")
        expected = json.loads(summary.stdout)
        for metric in METRICS:
            assert row[metric] == expected[metric], (row["period"], metric)


def test_weeks_and_quarters_are_summaries_too(ok) -> None:
    ok("demo", "--leads", "200", "--seed", "5")
    for by, n in (("week", 3), ("quarter", 2)):
        out = ok("report", "trend", "--by", by, "-p", str(n), "-m", ",".join(METRICS), "-f", "json")
        for row in json.loads(out.stdout):
            summary = ok("report", "summary", "--since", row["start"], "--until", row["end"],
                         "-f", "json")  # fmt: skip
            expected = json.loads(summary.stdout)
            assert {m: row[m] for m in METRICS} == {m: expected[m] for m in METRICS}
            assert date.fromisoformat(row["start"]).weekday() == 0 or by != "week"


def test_per_grade_in_csv_has_a_row_per_period_and_grade(ok) -> None:
    ok("demo", "--leads", "100", "--seed", "3")
    out = ok("report", "trend", "-p", "2", "-g", "grade", "-m", "won,won_value", "-f", "csv")
    lines = out.stdout.splitlines()
    assert lines[0] == "period,group,start,end,complete,won,won_value,target,of_target,currency"
    grades = [line.split(",")[1] for line in lines[1:]]
    assert grades[:3] == ["A", "B", "C"] and len(lines) - 1 == 2 * len(set(grades))


def test_targets_appear_for_their_month(ok) -> None:
    ok("lead", "add", "Ann", "--value", "10000")
    ok("advance", "1", "won")
    ok("target", "set", "2026-11", "40000")
    row = json.loads(ok("report", "trend", "-p", "1", "-m", "won_value", "-f", "json").stdout)[0]
    assert (row["won_value"], row["target"], row["of_target"]) == ("10000.00", "40000.00", 0.25)
    shown = ok("report", "trend", "-p", "3", "-m", "won_value", "--width", "60").stdout
    assert "target 40,000 (25.0%)" in shown


@pytest.mark.parametrize("width", [40, 60, 120])
def test_the_terminal_chart_fits_and_shows_the_last_values(ok, width: int) -> None:
    ok("demo", "--leads", "200", "--seed", "3")
    data = json.loads(ok("report", "trend", "-f", "json").stdout)
    out = ok("report", "trend", "--width", str(width)).stdout
    assert all(cells(line) <= width for line in out.splitlines()), out
    last = data[-1]
    assert f"2026-11 so far: {int(last['won']):,}" in out  # deals won, whole
    # November has not ended: its changes say they compare part of it
    assert "vs 2026-10 (partial)" in out and "vs 2025-11 (partial)" in out
    assert "┤" in out and "┼" in out  # the axis
    grouped = ok("report", "trend", "--by", "week", "-p", "52", "-g", "source", "--width",
                 str(width)).stdout  # fmt: skip
    assert all(cells(line) <= width for line in grouped.splitlines()), grouped


def test_change_marks() -> None:
    from salesflow.output.trend import change

    assert change(112.5, 100) == "▲ 12.5%"
    assert change("90.00", "100.00") == "▼ 10.0%"
    assert change(5, 0) == change(None, 3) == change(4, None) == "—"
    # A rate moves by percentage points: 40% after 35% is 5 points (not 14.3%).
    assert change(0.40, 0.35, rate=True) == "▲ 5.0 pp"
    assert change(0.3, 0.35, rate=True) == "▼ 5.0 pp"
    assert change(0.1, 0, rate=True) == "▲ 10.0 pp"  # from zero too
    assert change(0.5, 0.5, rate=True) == "= 0.0 pp"
    assert change(None, 0.5, rate=True) == "—"


def test_rate_changes_are_percentage_points(ok, monkeypatch) -> None:
    """October closes 2 won and 2 lost (50%), November 3 won and 1 lost (75%): the win
    rate rose 25 points (▲ 25.0 pp, 个百分点), which is 50% in relative terms."""
    for n, (created, closed, stage) in enumerate(
        [
            ("10-01", "10-10", "won"),
            ("10-01", "10-11", "won"),
            ("10-01", "10-12", "lost"),
            ("10-01", "10-13", "lost"),
            ("10-02", "11-03", "won"),
            ("10-02", "11-04", "won"),
            ("10-02", "11-05", "won"),
            ("10-02", "11-06", "lost"),
        ],  # fmt: skip
        start=1,
    ):
        monkeypatch.setenv("SALESFLOW_NOW", f"2026-{created}T09:00:00Z")
        ok("lead", "add", f"Lead {n}", "--value", "1000")
        monkeypatch.setenv("SALESFLOW_NOW", f"2026-{closed}T09:00:00Z")
        ok("advance", str(n), stage, *(["--reason", "price"] if stage == "lost" else []))
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T09:00:00Z")
    rows = json.loads(ok("report", "trend", "-p", "2", "-m", "win_rate", "-f", "json").stdout)
    assert [r["win_rate"] for r in rows] == [0.5, 0.75]
    out = ok("report", "trend", "-p", "2", "-m", "win_rate,won", "--width", "100").stdout
    assert "2026-11 so far: 75.0%  ▲ 25.0 pp vs 2026-10 (partial)" in out
    assert "▲ 50.0% vs 2026-10" in out  # deals won, a count: 3 after 2 is a relative change
    zh = ok("--lang", "zh_CN", "report", "trend", "-p", "2", "-m", "win_rate").stdout
    assert "▲ 25.0 个百分点 对比 2026-10" in zh
    grouped = ok("report", "trend", "-p", "2", "-m", "win_rate", "-g", "grade", "--width", "100")
    assert "▲ 25.0 pp" in grouped.stdout


def test_an_empty_database(empty_db, ok) -> None:
    rows = json.loads(ok("report", "trend", "-f", "json").stdout)
    assert len(rows) == 12 and {r["won"] for r in rows} == {0}
    assert "Won value" in ok("report", "trend").stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--by", "fortnight"), 2, "fortnight"),
        (("--periods", "0"), 2, "--periods"),
        (("--periods", "twelve"), 2, "twelve"),
        (("--metric", "won,revenue"), 1, 'unknown metric "revenue" — choose from won_value'),
        (("--metric", ","), 1, "unknown metric"),
        (("--group", "region"), 1, '--group "region" is not something to group by — use one'),
        (("--group", ""), 1, '--group "" is not something to group by'),
    ],
)
def test_bad_input(empty_db, fails, args, code: int, message: str) -> None:
    fails("report", "trend", *args, code=code, match=message)


@pytest.mark.parametrize("group", [None, "source"])
def test_coloured_charts_keep_their_lines_whole(group: str | None) -> None:
    """With colour the chart lines carry SGR codes: written as they are, not wrapped by their
    length nor shown as text; user text (a source) still has its control characters shown."""
    import io
    import re

    from salesflow.output.terminal import Terminal
    from salesflow.output.trend import trend

    out = io.StringIO()
    term = Terminal(out=out, err=io.StringIO(), is_tty=True, color=True, width=60)
    records = [
        {"period": p, "group": "web\x1b[31m", "won": n, "target": None, "complete": True}
        for p, n in (("2026-09", 3), ("2026-10", 0), ("2026-11", 4))
    ]
    trend(records, ["won"], {}, term, title="Trend", group=group)
    text = out.getvalue()
    assert "\x1b[36m" in text  # the bars' colour
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert all(cells(line) <= 60 for line in plain.splitlines()), plain
    # Only the user's code is shown (whole, or shortened with … at 60 columns).
    assert "\\x1b" not in re.sub(r"web\\x1b\[(31m|…)", "", plain)
    if group:
        assert re.search(r"web\\x1b\[(31m|…)", plain)
    else:
        assert "2026-11: 4" in plain and "█" in plain


def _only(db_path, copy, members: set[int]) -> None:
    """A copy of the database holding only `members` (and their follow-ups): what report
    summary of one group's leads reads."""
    import sqlite3

    src, dst = sqlite3.connect(db_path), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.execute("CREATE TEMP TABLE keep (id INTEGER PRIMARY KEY)")
    dst.executemany("INSERT INTO keep VALUES (?)", [(m,) for m in members])
    dst.execute("DELETE FROM followups WHERE lead_id IS NULL OR lead_id NOT IN keep")
    dst.execute("DELETE FROM leads WHERE id NOT IN keep")
    dst.commit()
    dst.close()


# Each lead's group: its region, or every product its quotes name.
MEMBERS = {
    "REGION": "SELECT l.id, f.value FROM leads l "
    "LEFT JOIN lead_fields f ON f.lead_id = l.id AND f.field = 'region'",
    "product": "SELECT l.id, g.sku FROM leads l LEFT JOIN (SELECT DISTINCT q.lead_id, p.sku "
    "FROM quotes q JOIN quote_items i ON i.quote_id = q.id JOIN products p ON p.id = "
    "i.product_id) g ON g.lead_id = l.id",
}


@pytest.mark.parametrize("group", ["REGION", "product"])
def test_each_group_of_a_month_is_the_summary_of_its_leads(ok, db_path, tmp_path, group) -> None:
    """`report trend --group`: each group's row for a period equals `report summary
    --since/--until` on a database holding that group's leads only."""
    import sqlite3

    ok("config", "set", "fields", "industry,region")
    ok("demo", "--leads", "300", "--seed", "3")
    every = ",".join(METRICS)
    rows = json.loads(
        ok("report", "trend", "-p", "3", "-g", group, "-m", every, "-f", "json").stdout
    )
    conn = sqlite3.connect(db_path)
    groups: dict[str | None, set[int]] = {}
    for lead_id, value in conn.execute(MEMBERS[group]):
        groups.setdefault(value, set()).add(lead_id)
    conn.close()
    assert {r["group"] for r in rows} == set(groups) and len(groups) > 3
    assert sum(r["won"] for r in rows) > 10
    for n, (key, members) in enumerate(groups.items()):
        copy = tmp_path / f"group{n}.db"
        _only(db_path, copy, members)
        for row in (r for r in rows if r["group"] == key):
            summary = ok("--db", str(copy), "report", "summary", "--since", row["start"],
                         "--until", row["end"], "-f", "json")  # fmt: skip
            expected = json.loads(summary.stdout)
            for metric in METRICS:
                assert row[metric] == expected[metric], (key, row["period"], metric)


@pytest.mark.parametrize("width", [60, 120])
def test_the_group_tables_fit_and_keep_their_figures(ok, width: int) -> None:
    ok("config", "set", "fields", "region")
    ok("demo", "--leads", "200", "--seed", "3")
    out = ok("report", "trend", "-g", "region", "-m", "won_value,win_rate", "--width",
             str(width)).stdout  # fmt: skip
    assert all(cells(line) <= width for line in out.splitlines()), out
    data = json.loads(ok("report", "trend", "-g", "region", "-m", "won_value", "-f", "json").stdout)
    last = [r for r in data if r["period"] == "2026-11"]
    assert "2026-11 so far" in out and "vs 2026-10" in out
    said = " ".join(out.split())
    assert "2026-11 has not ended: its figures are so far, its changes partial." in said
    for r in last:  # the last period is never hidden, its figures never cut
        assert f" {int(Decimal(r['won_value']) + Decimal('0.5')):,}" in out, r
    if width == 60:
        assert "columns hidden at this width: 2025-12" in out
    else:
        assert "2026-10" in out.splitlines()[3]  # the month before has room at 120


def test_per_product_on_a_read_only_connection(ok, db_path) -> None:
    """--group product gathers the leads' products into a temporary table once: that works
    on a connection that may only read, gives what the command gives, and leaves nothing."""
    import sqlite3
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from salesflow import fx, metrics
    from salesflow.metrics import trend as domain

    ok("demo", "--leads", "120", "--seed", "3")
    shown = json.loads(ok("report", "trend", "-p", "2", "-g", "product", "-m", "won,won_value",
                          "-f", "json").stdout)  # fmt: skip
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    w = metrics.window(now, ZoneInfo("UTC"), None, None)
    scope = metrics.scope(conn, w, fx.converter(conn, "USD"))
    result = domain.trend(scope, "month", 2, ["won", "won_value"], group="product")
    assert result.records(scope.converter) == shown and {r["group"] for r in shown} > {"G2"}
    assert conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0] == 0
    conn.close()
