"""`salesflow report …` and `salesflow target …` through the CLI: shapes, views, errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ["summary", "funnel", "conversion", "forecast", "lost", "sources", "grades"]
REPORTS += ["activity", "targets"]


@pytest.fixture
def pipeline(ok, monkeypatch):
    """Four leads built with the clock moved between commands (all 09:00 UTC):

    #1 Ann   created 11-02, 10,000 USD, website: contacted 11-03, won 11-12
    #2 Bob   created 11-02,  5,000 USD, website: lost 11-06 "price" (from lead)
    #3 Cat   created 11-05, 20,000 USD, referral: proposal 11-09 (skips two stages), open,
             expected close 2026-12-15
    #4 张伟  created 11-10, 100,000 CNY: open in lead
    """

    def on(day: str, *args: str) -> None:
        monkeypatch.setenv("SALESFLOW_NOW", f"2026-11-{day}T09:00:00Z")
        ok(*args)

    on("02", "lead", "add", "Ann", "--value", "10000", "--source", "website", "--grade", "A")
    on("02", "lead", "add", "Bob", "--value", "5000", "--source", "website")
    on("03", "advance", "1")
    on("05", "lead", "add", "Cat", "--value", "20000", "--source", "referral",
       "--expected-close", "2026-12-15")  # fmt: skip
    on("06", "advance", "2", "lost", "--reason", "price")
    on("09", "advance", "3", "proposal")
    on("10", "lead", "add", "张伟", "--company", "深圳某科技有限公司", "--value", "100000",
       "--currency", "CNY")  # fmt: skip
    on("12", "advance", "1", "won")
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T09:00:00Z")


def test_summary_json(ok, pipeline) -> None:
    result = ok("report", "summary", "--format", "json")
    data = json.loads(result.stdout)
    assert data["leads_created"] == 4 and (data["won"], data["lost"]) == (1, 1)
    assert data["win_rate"] == 0.5  # 1 / (1 + 1)
    assert data["win_rate_by_value"] == 0.666667  # 10,000 / (10,000 + 5,000)
    assert data["lead_to_win_rate"] == 0.25  # 1 of 4
    assert data["avg_deal_size"] == "10000.00" and data["currency"] == "USD"
    assert data["cycle_days_median"] == 10.0  # 11-02 -> 11-12
    # Open: Cat 20,000 in proposal (50%) and 张伟 in CNY, which has no rate.
    assert data["open_deals"] == 2 and data["pipeline_value"] == "20000.00"
    assert data["weighted_pipeline"] == "10000.00"
    assert data["sales_velocity_per_day"] == "1000.00"  # 2 x 0.5 x 10,000 / 10
    assert data["followup_timeliness"] is None
    # Winning Ann made her a customer (customers.join): one customer, one won deal.
    assert (data["customers_won"], data["repeat_purchase_rate"]) == (1, 0.0)
    assert data["unconverted_currencies"] == ["CNY"]
    assert result.stderr.startswith("Warning: amounts in CNY have no exchange rate")
    ok("config", "set", "fx.cny", "0.14")
    data = json.loads(ok("report", "summary", "--format", "json").stdout)
    assert data["pipeline_value"] == "34000.00"  # 20,000 + 100,000 x 0.14
    assert data["weighted_pipeline"] == "11400.00"  # 10,000 + 14,000 x 10%


def test_summary_one_row_in_csv_and_one_line_in_ndjson(ok, pipeline) -> None:
    rows = list(csv.DictReader(io.StringIO(ok("report", "summary", "-f", "csv").stdout)))
    assert len(rows) == 1 and rows[0]["win_rate"] == "0.5" and rows[0]["since"] == ""
    lines = ok("report", "summary", "-f", "ndjson").stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["won"] == 1


def test_funnel_json_and_view(ok, pipeline) -> None:
    rows = json.loads(ok("report", "funnel", "--format", "json").stdout)
    assert [r["stage"] for r in rows][-2:] == ["won", "lost"]
    by = {r["stage"]: r for r in rows}
    # Reached: Ann won (all), Bob lead, Cat proposal (skipped two), 张伟 lead.
    assert [by[s]["reached"] for s in ("lead", "contacted", "proposal", "quote", "won")] == [
        4, 2, 2, 1, 1,
    ]  # fmt: skip
    assert by["contacted"]["conversion"] == 0.5 and by["lead"]["conversion"] is None
    assert by["proposal"]["open_deals"] == 1 and by["proposal"]["weighted_value"] == "10000.00"
    assert by["proposal"]["avg_days_in_stage"] == 14.0  # Cat: 11-09 -> now (11-23)
    table = ok("report", "funnel").stdout
    assert "█" in table and "\x1b[" not in table
    # lead -> contacted (2 of 4) and proposal -> quote (1 of 2) tie at 50%: the earlier wins.
    assert "Weakest step: lead → contacted converts 50.0% (2 of 4" in table
    assert "Deals sit longest in proposal: median 14.0 days" in table
    assert "Stage" in table and "Reached" in table


def test_funnel_window_and_as_of(ok, pipeline) -> None:
    rows = json.loads(ok("report", "funnel", "--since", "2026-11-05", "-f", "json").stdout)
    assert rows[0]["reached"] == 2  # Cat and 张伟 were created from 11-05 on
    rows = json.loads(ok("report", "funnel", "--as-of", "2026-11-05", "-f", "json").stdout)
    by = {r["stage"]: r for r in rows}
    # End of 11-05: Ann contacted, Bob and Cat in lead; 张伟 not created yet.
    assert (by["lead"]["reached"], by["contacted"]["reached"], by["won"]["reached"]) == (3, 1, 0)
    assert by["lead"]["open_deals"] == 2


def test_other_reports_in_json(ok, pipeline) -> None:
    lost = json.loads(ok("report", "lost", "-f", "json").stdout)
    assert lost == [
        {"reason": "price", "count": 1, "share": 1.0, "cumulative_share": 1.0,
         "value": "5000.00", "currency": "USD"},
    ]  # fmt: skip
    sources = json.loads(ok("report", "sources", "-f", "json").stdout)
    assert [(s["source"], s["leads"], s["won"], s["win_rate"]) for s in sources] == [
        ("website", 2, 1, 0.5),
        ("referral", 1, 0, None),
        (None, 1, 0, None),
    ]
    grades = json.loads(ok("report", "grades", "-f", "json").stdout)
    assert [g["grade"] for g in grades] == ["A", "B", "C", None]
    conversion = json.loads(ok("report", "conversion", "-f", "json").stdout)
    assert conversion[0]["stage"] == "lead" and conversion[0]["next_stage"] == "contacted"
    assert (conversion[0]["closed"], conversion[0]["won"]) == (2, 1)  # Ann won, Bob lost
    forecast = json.loads(ok("report", "forecast", "-f", "json").stdout)
    assert [(r["bucket"], r["month"]) for r in forecast] == [
        ("month", "2026-11"), ("month", "2026-12"), ("month", "2027-01"), ("undated", None),
    ]  # fmt: skip
    assert forecast[1]["weighted_value"] == "10000.00"  # Cat: 20,000 x 50%
    activity = json.loads(ok("report", "activity", "--weeks", "2", "-f", "json").stdout)
    assert [w["week"] for w in activity] == ["2026-11-16", "2026-11-23"]
    back = ok("report", "activity", "--weeks", "1", "--until", "2026-11-08", "-f", "json")
    (week,) = json.loads(back.stdout)
    assert week["week"] == "2026-11-02" and week["leads_created"] == 3  # Ann, Bob, Cat


def test_forecast_flags(ok, pipeline) -> None:
    args = ("report", "forecast", "--calibrated", "--simulate", "--seed", "5", "--runs", "400")
    one = ok(*args, "-f", "json").stdout
    assert one == ok(*args, "-f", "json").stdout  # a seed makes it reproducible
    dec = json.loads(one)[1]
    assert dec["p10"] == "0.00" and dec["p90"] == "20000.00"
    # Calibrated proposal: Ann (won) reached it, Bob did not: (1 + 10 x 0.5) / (1 + 10).
    assert dec["calibrated_weighted_value"] == "10909.10"  # 20,000 x 0.545455 (6/11)
    table = ok(*args).stdout
    assert "Calibration" in table and "few deals" in table and "seed 5" in table


def test_targets_end_to_end(ok, fails, pipeline) -> None:
    result = ok("target", "set", "2026-11", "50k")
    assert "Target 2026-11: 50,000.00 USD" in result.stderr
    assert "(was 50,000.00 USD)" in ok("target", "set", "2026-11", "50000").stderr
    ok("target", "set", "2026-q4", "100000")
    listed = json.loads(ok("target", "list", "-f", "json").stdout)
    assert [t["period"] for t in listed] == ["2026-Q4", "2026-11"]
    rows = json.loads(ok("report", "targets", "-f", "json").stdout)
    nov = next(r for r in rows if r["period"] == "2026-11")
    assert (nov["target"], nov["won"], nov["done"]) == ("50000.00", "10000.00", 0.2)
    assert nov["elapsed"] == 0.745833  # 22.375 of 30 days
    q4 = json.loads(ok("report", "targets", "--period", "2026-Q4", "-f", "json").stdout)
    # Open deals without an expected close follow in an "undated" line.
    assert [r["period"] for r in q4] == ["2026-Q4", "undated"]
    assert q4[0]["weighted_pipeline"] == "10000.00"  # Cat closes 12-15
    assert q4[0]["coverage"] == 0.111111  # 10,000 / (100,000 - 10,000)
    ok("target", "rm", "2026-Q4")
    ok("undo")
    assert len(json.loads(ok("target", "list", "-f", "json").stdout)) == 2
    fails("target", "rm", "2026-10", match="no target for 2026-10")


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "ndjson"])
def test_every_report_runs_on_an_empty_database(empty_db, ok, report: str, fmt: str) -> None:
    result = ok("report", report, "--format", fmt)
    assert "Traceback" not in result.stdout + result.stderr
    if fmt == "json":
        json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "summary", "--since", "someday"), 'cannot read date "someday"'),
        (("report", "funnel", "--since", "2026-12-01", "--until", "2026-11-01"), "is after"),
        (("report", "summary", "--as-of", "2027-01-01"), "--as-of 2027-01-01 is in the future"),
        (("report", "lost", "--until", "2026-02-30"), "2026-02 has 28 days"),
        (("report", "targets", "--period", "2026-13"), "months run 01–12"),
        (("report", "targets", "--period", "2026-10"), "no target for 2026-10"),
        (("target", "set", "2026-Q5", "100"), "quarters run Q1–Q4"),
        (("target", "set", "2026-12", "lots"), 'cannot read amount "lots"'),
        (("target", "set", "2026-12", "0"), "a target must be more than zero"),
        (("target", "rm", "2026"), "no target for 2026"),
        (("config", "set", "fx.EUR", "--", "-1"), 'exchange rate "-1" is not a positive'),
        (("config", "set", "fx.EUR", "0"), 'exchange rate "0" is not a positive number'),
        (("config", "set", "fx.EUR", "abc"), "is not a positive number"),
        (("config", "set", "fx.EURO", "1.1"), '"EURO" is not a currency code'),
    ],
)
def test_bad_input(empty_db, ok, fails, args, message) -> None:
    ok("stages")
    fails(*args, match=message)


@pytest.mark.parametrize(
    "args",
    [
        ("report", "forecast", "--months", "0"),
        ("report", "forecast", "--runs", "5"),
        ("report", "funnel", "--bars", "area"),
        ("report", "activity", "--weeks", "0"),
    ],
)
def test_usage_errors(empty_db, ok, fails, args) -> None:
    ok("stages")
    fails(*args, code=2)


def test_help_states_the_definitions(ok) -> None:
    text = ok("report", "--help").stdout
    for phrase in (
        "skipped stages count as reached",
        "Win rate: won / (won + lost)",
        "Velocity: open deals x win rate x average deal / mean cycle days",
        "Follow-up timeliness",
        "Repeat purchase rate",
        "fx.CODE RATE",
    ):
        assert phrase in text, phrase
    assert "reached(s) / reached(previous)" in ok("report", "funnel", "--help").stdout
    assert "Counting rule" in ok("report", "conversion", "--help").stdout


def test_fx_setting_is_normalised(ok) -> None:
    assert "fx.EUR = 7.10" in ok("config", "set", "fx.eur", "7.10").stderr
    assert ok("config", "get", "fx.EUR").stdout.strip() == "7.10"
    ok("config", "unset", "fx.eur")


def test_piped_funnel_has_no_ansi(tmp_path: Path) -> None:
    env = {**os.environ, "SALESFLOW_DB": str(tmp_path / "sf.db")}
    env.pop("NO_COLOR", None)
    subprocess.run(
        [sys.executable, "-m", "salesflow", "lead", "add", "Zoë", "--value", "100"],
        env=env, check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-m", "salesflow", "report", "funnel"],
        env=env, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 0 and "█" in out.stdout and "\x1b[" not in out.stdout


def test_reached_counts_deals_whose_history_lacks_the_stage_names(ok, db_path) -> None:
    import sqlite3

    ok("lead", "add", "Live")  # 1: history lead
    ok("lead", "add", "Gone")  # 2
    ok("advance", "2", "proposal")
    ok("advance", "2", "lost", "--reason", "price")
    # 3: as an import writes a lost deal — only its creation row, straight into `lost`.
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO leads (id, name, currency, stage, lost_reason, lost_from, created_at, "
        "updated_at, closed_at) VALUES (3, 'Imported', 'USD', 'lost', 'timing', 'quote', "
        "'2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z')"
    )
    conn.execute(
        "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at) "
        "VALUES (3, NULL, 'lost', '2026-11-01T00:00:00Z')"
    )
    conn.commit()
    conn.close()
    funnel = {r["stage"]: r for r in json.loads(ok("report", "funnel", "--format", "json").stdout)}
    # Every lead reached the first stage; #2 reached proposal, #3 was lost from quote.
    assert funnel["lead"]["reached"] == 3
    assert funnel["proposal"]["reached"] == 2
    assert funnel["quote"]["reached"] == 1
    assert funnel["negotiation"]["reached"] == 0
    # After a pipeline change the old names are history, but every deal still reached stage 1.
    ok("stages", "set", "new:10", "later:50", "--map", "lead=new")
    funnel = json.loads(ok("report", "funnel", "--format", "json").stdout)
    assert funnel[0]["stage"] == "new" and funnel[0]["reached"] == 3


@pytest.mark.parametrize(
    "argv",
    [("report", "lost"), ("report", "sources"), ("report", "grades"), ("target", "list")],
)
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_an_empty_report_keeps_the_header_of_a_full_one(empty_db, ok, argv, fmt) -> None:
    empty = ok(*argv, "--format", fmt).stdout
    ok("lead", "add", "Ann", "--source", "fair", "--grade", "A", "--value", "100")
    ok("advance", "1", "lost", "--reason", "price")
    ok("target", "set", "2026-11", "1000")
    full = ok(*argv, "--format", fmt).stdout
    assert len(full.splitlines()) >= 2, full
    # (`report grades` lists A, B and C even with no leads: only the header is compared)
    assert empty.splitlines()[:1] == full.splitlines()[:1]


@pytest.mark.parametrize(
    "report",
    [
        ["summary"], ["funnel"], ["conversion"], ["lost"], ["sources"], ["grades"],
        ["activity"], ["products"], ["breakdown", "--by", "source"],
    ],
)  # fmt: skip
def test_a_window_that_starts_after_its_last_day_is_refused(fails, two_leads, report) -> None:
    """Today is 2026-11-23: a later --since would count nothing and print zeros."""
    run = ("report", *report)
    fails(
        *run, "--since", "2026-11-24",
        match="Error: --since 2026-11-24 is in the future — a report counts days up to today "
        "(2026-11-23); give today or an earlier day",
    )  # fmt: skip
    fails(*run, "--since", "+1w", "--until", "2026-12-31", match="--since 2026-11-30 is in the")
    fails(
        *run, "--since", "2026-11-20", "--until", "2026-11-10",
        match="--since 2026-11-20 is after --until 2026-11-10 — swap them",
    )  # fmt: skip
    if report != ["products"]:  # the one without --as-of
        fails(
            *run, "--since", "2026-11-20", "--as-of", "2026-11-10",
            match="--since 2026-11-20 is after --as-of 2026-11-10 — give 2026-11-10 or an "
            "earlier day",
        )  # fmt: skip
    fails("--lang", "zh_CN", *run, "--since", "2026-11-24", match="错误：--since 2026-11-24 在未来")
