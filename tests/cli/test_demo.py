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
        for t in (
            "customers", "leads", "stage_changes", "activities", "followups", "products",
            "quotes", "quote_items",
        )
    )  # fmt: skip
    conn.close()
    # The currency setting is untouched without --currency: one DELETE per filled table,
    # and undo reports the rows those eight steps took back.
    assert steps == 8
    assert f"{rows} row(s)) — a bulk load is not kept for redo" in ok("undo").stderr
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


def test_demo_quotes_show_in_the_digest_and_quote_commands(ok) -> None:
    ok("demo", "--leads", "300")
    # SALESFLOW_NOW pins today to 2026-11-23: sent quotes valid until Nov 23-30 are expiring,
    # those sent on or before Nov 16 and still valid are unanswered.
    text = ok("digest").stdout
    assert "Quotes expiring in the next 7 days" in text
    assert "Quotes sent with no answer for 7+ days" in text
    digest = json.loads(ok("digest", "--format", "json").stdout)
    assert digest["counts"]["quotes_expiring"] > 0 and digest["counts"]["quotes_unanswered"] > 0
    listed = json.loads(ok("quote", "list", "--format", "json").stdout)
    assert {q["status"] for q in listed} == {"draft", "sent", "accepted", "rejected", "expired"}
    won = next(q for q in listed if q["status"] == "accepted")
    shown = ok("quote", "show", won["number"]).stdout
    assert won["number"] in shown
    lead = json.loads(ok("lead", "show", str(won["lead_id"]), "--format", "json").stdout)
    assert lead["lead"]["value"] == won["total"]
    ok("quote", "render", won["number"], "--format", "md")


def test_demo_check_ins_work_with_customer_show_and_followup_done(ok) -> None:
    ok("demo", "--leads", "300")
    customers = json.loads(ok("customer", "list", "--format", "json").stdout)
    on = [c for c in customers if c["checkin_every"]]
    assert on and all(c["next_checkin"] for c in on)
    card = json.loads(ok("customer", "show", str(on[0]["id"]), "--format", "json").stdout)
    checkin = next(f for f in card["followups"] if f["recur"] == on[0]["checkin_every"])
    before = {f["id"] for f in json.loads(
        ok("followup", "list", "--all", "--format", "json").stdout
    )}  # fmt: skip
    result = ok("followup", "done", str(checkin["id"]))
    after = json.loads(ok("followup", "list", "--all", "--format", "json").stdout)
    new = [f for f in after if f["id"] not in before]
    # The next check-in of the same series, later than both its old due day and today.
    assert len(new) == 1 and new[0]["recur"] == checkin["recur"]
    assert new[0]["due_date"] > max(checkin["due_date"], "2026-11-23")
    assert new[0]["action"] == checkin["action"] and "next" in result.stderr.lower()
    assert "passed every check" in ok("db", "check").stdout
