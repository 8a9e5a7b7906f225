"""`salesflow demo` through the CLI: fills a new database, refuses a used one, undoes whole."""

from __future__ import annotations

import json

from tests.conftest import dump


def leads(ok, *extra: str) -> list[dict]:
    return json.loads(ok("lead", "list", "--all", "--format", "json", *extra).stdout)


def test_demo_fills_a_new_database(ok, db_path) -> None:
    result = ok("demo", "--leads", "60", "--seed", "3")
    assert "Demo data in" in result.stderr and "60 leads" in result.stderr
    assert "Try: salesflow lead list --limit 10" in result.stderr
    assert len(leads(ok)) == 60
    assert "passed every check" in ok("db", "check").stdout
    ok("lead", "show", "1")


def test_same_seed_same_database(ok, run, db_path, tmp_path) -> None:
    ok("demo", "--leads", "40", "--seed", "9")
    first = dump(db_path)
    other = tmp_path / "other.db"
    result = run("demo", "--leads", "40", "--seed", "9", env={"SALESFLOW_DB": str(other)})
    assert result.exit_code == 0
    assert dump(other) == first


def test_demo_refuses_a_database_with_leads(fails, two_leads) -> None:
    fails("demo", match="already has 2 lead(s) — the demo fills a new database")


def test_force_adds_demo_leads_alongside_and_undo_takes_them_back(ok, two_leads, db_path) -> None:
    before = dump(db_path)
    mine = leads(ok)
    ok("demo", "--leads", "30", "--force")
    after = leads(ok)
    assert len(after) == 32
    assert [lead for lead in after if lead["id"] in (1, 2)] == mine
    assert "Undid: salesflow demo --leads 30 --force" in ok("undo").stderr
    assert dump(db_path) == before


def test_undo_of_a_fill_is_a_handful_of_steps(ok, db_path) -> None:
    import sqlite3

    ok("demo", "--leads", "200")
    conn = sqlite3.connect(db_path)
    steps = conn.execute("SELECT count(*) FROM journal_steps").fetchone()[0]
    rows = sum(
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("customers", "leads", "stage_changes", "activities", "followups")
    )
    conn.close()
    # The currency setting is untouched without --currency: one DELETE per filled table,
    # and undo reports the rows those five steps took back.
    assert steps == 5
    assert f"{rows} row change(s))" in ok("undo").stderr
    assert leads(ok) == []


def test_currency_sets_the_default_only_when_none_is_configured(ok) -> None:
    ok("demo", "--leads", "20", "--currency", "cny")
    assert ok("config", "get", "currency").stdout.strip() == "CNY"
    assert {lead["currency"] for lead in leads(ok)} == {"CNY"}
    ok("config", "set", "currency", "EUR")
    ok("demo", "--leads", "5", "--currency", "JPY", "--force")
    assert ok("config", "get", "currency").stdout.strip() == "EUR"
    jpy = [lead for lead in leads(ok) if lead["currency"] == "JPY"]
    assert len(jpy) == 5 and all("." not in (lead["value"] or "") for lead in jpy)


def test_bad_input_is_refused(fails) -> None:
    fails("demo", "--currency", "dollars", match='"dollars" is not a currency code')
    fails("demo", "--leads", "0", code=2)
    fails("demo", "--leads", "many", code=2)


def test_piped_output_has_no_ansi(ok) -> None:
    result = ok("demo", "--leads", "10")
    assert "\x1b[" not in result.stdout + result.stderr
