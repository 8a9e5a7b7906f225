"""Every index earns its place: the plan SQLite picks (EXPLAIN QUERY PLAN) for each statement
the reports and the everyday commands run on a demo database, checked against the schema.

A report query reads the big tables through an index (or deliberately not, listed below with
why), each report uses the indexes pinned here, and every index of the schema is used by some
statement: an index no query needs shows up as unused, and a query that loses its index shows
up as a scan.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from salesflow import forecast, metrics, targets
from salesflow.metrics import trend
from tests.reportbook import Book

BIG = ("leads", "stage_changes", "activities", "followups", "quotes", "quote_items")

REPORTS: dict[str, Callable[[metrics.Scope], Any]] = {
    "summary": metrics.summary,
    "funnel": metrics.funnel,
    "conversion": metrics.conversion,
    "forecast": lambda scope: forecast.forecast(scope, 3, True, True, 100, 1),
    "lost": metrics.lost_reasons,
    "sources": lambda scope: metrics.breakdown(scope, "source"),
    "grades": lambda scope: metrics.breakdown(scope, "grade"),
    "activity": metrics.activity,
    "targets": targets.progress,
    "trend": lambda scope: trend.trend(scope, "month", 3, list(trend.METRICS)),
    "trend by source": lambda scope: trend.trend(scope, "week", 2, list(trend.METRICS), "source"),
}
WINDOWS: dict[str, dict[str, Any]] = {
    "all": {},
    "since-until": {"since": date(2026, 3, 1), "until": date(2026, 8, 31)},
    "as-of": {"as_of": date(2026, 6, 15)},
}
# Scans that read (nearly) every row on purpose, where an index would only add a look-up per
# row: follow-ups due by the end of the window, counted one by one where the index counts
# cannot answer (a zone with an offset, or done times after an --as-of instant).
DELIBERATE = {"followups"}

# The indexes each report's statements use over the windows and zones below, beside those
# every report reads on the way (the earliest lead and activity for the zone's offsets, the
# settings): per-lead state with --as-of comes from stage_changes_history.
EVERY = {
    "activities_happened_kind",
    "leads_created_at",
    "sqlite_autoindex_settings_1",
    "stage_changes_history",
}
USES = {
    "summary": EVERY | {"followups_done", "followups_due_date", "followups_on_time",
                        "leads_first_touch", "leads_tally"},
    "funnel": EVERY | {"leads_tally", "stage_changes_changed_at", "stage_changes_open",
                       "stage_changes_visits"},
    "conversion": EVERY | {"leads_tally", "stage_changes_changed_at"},
    "forecast": EVERY | {"leads_tally", "stage_changes_changed_at"},
    "lost": EVERY | {"leads_tally"},
    "sources": EVERY | {"leads_tally"},
    "grades": EVERY | {"leads_tally"},
    "activity": EVERY | {"followups_done", "followups_due_date", "leads_first_touch"},
    "targets": EVERY | {"leads_tally"},
    # Each period a range: closed deals of leads_closed, created and first touched leads of
    # leads_created_at.
    "trend": EVERY | {"followups_done", "followups_due_date", "followups_on_time",
                      "leads_closed", "leads_first_touch"},
    "trend by source": EVERY | {"followups_done", "followups_due_date", "leads_closed"},
}  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from datetime import UTC, datetime

    from salesflow import demo, store

    path = tmp_path_factory.mktemp("plans") / "sf.db"
    conn = store.connect(path)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with store.transaction(conn, command="demo", now_iso="2026-11-23T09:00:00Z"):
        demo.fill(conn, leads=300, seed=5, now=now, tz=UTC, currency="USD")
    conn.execute("INSERT INTO targets (period, amount_minor, currency, created_at, updated_at) "
                 "VALUES ('2026-11', 1000000, 'USD', '2026-11-01', '2026-11-01')")  # fmt: skip
    conn.close()
    return path


@contextmanager
def traced(conn: sqlite3.Connection) -> Iterator[list[str]]:
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)


def plan(conn: sqlite3.Connection, sql: str) -> list[str]:
    return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]


def indexes_of(lines: list[str]) -> set[str]:
    return {m[1] for line in lines for m in re.finditer(r"INDEX (\w+)", line)}


def full_scans(lines: list[str]) -> set[str]:
    """The big tables a plan reads row by row without an index."""
    scans = (re.match(r"SCAN (\w+)(?: AS \w+)?$", line) for line in lines)
    return {m[1] for m in scans if m and m[1] in BIG}


def report_plans(demo_db: Path, report: str, window: dict[str, Any], zone: str) -> list:
    book = Book(demo_db)
    with traced(book.conn) as statements:
        scope = book.scope(tz=zone, **window)
        REPORTS[report](scope)
    reads = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH", "INSERT"))]
    assert reads
    return [(sql, plan(scope.conn, sql)) for sql in reads]


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
@pytest.mark.parametrize("window", WINDOWS.values(), ids=WINDOWS.keys())
@pytest.mark.parametrize("report", REPORTS)
def test_each_report_query_reads_the_big_tables_through_its_indexes(
    demo_db: Path, report: str, window: dict[str, Any], zone: str
) -> None:
    used: set[str] = set()
    for sql, lines in report_plans(demo_db, report, window, zone):
        assert full_scans(lines) <= DELIBERATE, (sql, lines)
        if full_scans(lines):
            assert "+due_date" in sql or "due_date <" in sql, (sql, lines)
        used |= indexes_of(lines)
    assert used <= USES[report], (report, used - USES[report])


@pytest.fixture(scope="module")
def command_plans(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> list:
    """The statements of everyday commands, run in-process on a copy of the demo."""
    import shutil

    from typer.testing import CliRunner

    from salesflow.cli.root import app

    path = tmp_path_factory.mktemp("commands") / "sf.db"
    shutil.copyfile(demo_db, path)
    statements: list[str] = []
    real_connect = sqlite3.connect

    def connect(*args: Any, **kw: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kw)
        conn.set_trace_callback(statements.append)
        return conn

    env = {"SALESFLOW_DB": str(path), "SALESFLOW_NOW": "2026-11-23T09:00:00Z", "TZ": "UTC"}
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sqlite3, "connect", connect)
        for line in COMMANDS:
            result = runner.invoke(app, line.split(), env=env, catch_exceptions=False)
            assert result.exit_code == 0, (line, result.stdout, result.stderr)
    conn = real_connect(path)
    out = []
    for sql in dict.fromkeys(statements):
        if sql.lstrip().upper().startswith(("SELECT", "WITH", "UPDATE", "DELETE", "INSERT")):
            try:
                out.append((sql, plan(conn, sql)))
            except sqlite3.OperationalError:
                continue  # a temporary table of that connection only
    return out


COMMANDS = [
    "lead list --limit 20",
    "lead show 150",
    "lead add Planned --company Plans",
    # The look-ups lead add makes for a lead that exists (leads_email, leads_phone_digits).
    "lead add Reached --email reached@example.com --phone +15550000123",
    "search proposal",
    "log 301 called --kind call",
    "advance 301 contacted",
    "followup list --overdue",
    "followup add 301 ring --due tomorrow",
    "today",
    "digest",
    "stages",
    "customer list",
    "customer show 1",
    "quote list",
    "quote show Q-2026-0001",
    "undo",
]


def test_every_index_is_used_by_a_report_or_an_everyday_command(
    demo_db: Path, command_plans: list
) -> None:
    used: set[str] = set()
    for report in REPORTS:
        by_report: set[str] = set()
        for zone in ("UTC", "America/New_York"):
            for window in WINDOWS.values():
                for _, lines in report_plans(demo_db, report, window, zone):
                    by_report |= indexes_of(lines)
        assert by_report == USES[report], report
        used |= by_report
    for _, lines in command_plans:
        used |= indexes_of(lines)
    conn = sqlite3.connect(demo_db)
    declared = {
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    }
    # Each declared index is read by some statement; the unique constraints' own indexes
    # (sqlite_autoindex_*) are not ours to drop, and an ON DELETE CASCADE's look-up of the
    # child rows is not a statement EXPLAIN shows.
    assert declared - used - CASCADES == set()


# Indexes that serve a foreign key's ON DELETE CASCADE (deleting an activity finds its e-mail).
CASCADES = {"emails_activity"}
