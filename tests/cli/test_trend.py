"""`salesflow report trend` through the CLI: every period's figures are the summary's for that
period, on the demo database; the terminal chart at narrow and wide terminals; bad input."""

from __future__ import annotations

import json
from datetime import date

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
    assert lines[0] == "period,grade,start,end,won,won_value,target,of_target,currency"
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
    assert f"2026-11: {int(last['won']):,}" in out  # deals won, whole
    assert "vs 2026-10" in out and "vs 2025-11" in out
    assert "┤" in out and "┼" in out  # the axis
    grouped = ok("report", "trend", "--by", "week", "-p", "52", "-g", "source", "--width",
                 str(width)).stdout  # fmt: skip
    assert all(cells(line) <= width for line in grouped.splitlines()), grouped


def test_change_marks() -> None:
    from salesflow.output.trend import change

    assert change(112.5, 100) == "▲ 12.5%"
    assert change("90.00", "100.00") == "▼ 10.0%"
    assert change(5, 0) == change(None, 3) == change(4, None) == "—"


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
        (("--group", "region"), 1, 'cannot group by "region"'),
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
    key = group or "unused"
    records = [
        {"period": p, key: "web\x1b[31m", "won": n, "target": None}
        for p, n in (("2026-09", 3), ("2026-10", 0), ("2026-11", 4))
    ]
    trend(records, ["won"], {}, term, title="Trend", group=group)
    text = out.getvalue()
    assert "\x1b[36m" in text  # the bars' colour
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert all(cells(line) <= 60 for line in plain.splitlines()), plain
    assert "\\x1b" not in plain.replace("web\\x1b[31m", "")  # only the user's code is shown
    if group:
        assert "web\\x1b[31m" in plain
    else:
        assert "2026-11: 4" in plain and "█" in plain
