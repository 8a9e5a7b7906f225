"""Small things that cost trust (issue 15): e-mail shape, an ignored --source, …"""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("bad", ["not an email", "a@b", "a@@b.com", "@example.com", "a b@c.com"])
def test_add_and_edit_check_the_email_shape(empty_db, ok, fails, bad) -> None:
    fails("lead", "add", "Ann", "--email", bad, match=f'"{bad}" is not an e-mail address')
    ok("lead", "add", "Ann", "--email", "ann@example.com")
    fails("lead", "edit", "1", "--email", bad, match="is not an e-mail address")
    ok("lead", "edit", "1", "--email", "Ann.Lee+crm@mail.example.co.uk")
    lead = json.loads(ok("lead", "show", "1", "--format", "json").stdout)["lead"]
    assert lead["email"] == "Ann.Lee+crm@mail.example.co.uk"


def test_import_reports_a_bad_email_as_a_row_error(empty_db, ok, fails, tmp_path) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text("name,email\nAnn,ann@example.com\nBob,not an email\n")
    fails("import", "leads", str(sheet), match='row 3, email: "not an email" is not an e-mail')


def test_import_says_when_source_is_not_used(ok, tmp_path) -> None:
    sheet = tmp_path / "in.csv"
    sheet.write_text("name,source\nAnn,website\nBob,\nCy,referral\n")
    out = ok("import", "leads", str(sheet), "--source", "trade show").stdout
    assert '--source "trade show" not used for 2 row(s) that name their own source' in out
    sources = [r["source"] for r in json.loads(ok("lead", "list", "--format", "json").stdout)]
    assert sources == ["website", "trade show", "referral"]
    plain = tmp_path / "plain.csv"
    plain.write_text("name\nDee\n")
    assert "not used" not in ok("import", "leads", str(plain), "--source", "fair").stdout


def test_quote_accept_says_which_follow_ups_it_dropped(ok, two_leads) -> None:
    ok("quote", "new", "1", "--item", "Gateway; 2; 980")
    ok("quote", "send", "Q-2026-0001")  # plans "Chase quote Q-2026-0001" (#1)
    ok("followup", "add", "1", "answer on discount", "--due", "fri")  # 2
    said = ok("quote", "accept", "Q-2026-0001").stderr
    assert "(dropped open follow-ups: #1 Chase quote Q-2026-0001, #2 answer on discount)" in said


def test_report_targets_has_an_undated_line(ok) -> None:
    ok("target", "set", "2026-11", "100000")
    ok("lead", "add", "Dated", "--value", "40000", "--expected-close", "2026-11-28")  # lead 10%
    ok("lead", "add", "Undated A", "--value", "2000000")  # lead 10%
    ok("lead", "add", "Undated B", "--value", "200000")
    ok("advance", "3", "proposal")  # 50%
    rows = json.loads(ok("report", "targets", "--format", "json").stdout)
    assert [r["period"] for r in rows] == ["2026-11", "undated"]
    assert rows[0]["weighted_pipeline"] == "4000.00" and rows[0]["pipeline_deals"] == 1
    # 2,000,000 × 10% + 200,000 × 50% = 300,000, in 2 deals.
    assert rows[1]["weighted_pipeline"] == "300000.00" and rows[1]["pipeline_deals"] == 2
    assert rows[1]["target"] is None and rows[1]["coverage"] is None
    out = ok("report", "targets").stdout
    assert "Undated: 2 open deal(s) worth 2200000.00 have no expected close date" in out
    ok("lead", "edit", "2", "--expected-close", "2026-11-30")
    ok("lead", "edit", "3", "--expected-close", "2026-12-15")
    rows = json.loads(ok("report", "targets", "--format", "json").stdout)
    assert [r["period"] for r in rows] == ["2026-11"]
    assert "Undated" not in ok("report", "targets").stdout


def test_quote_send_without_a_quote_stage_goes_nearest_65(ok, fails) -> None:
    ok("stages", "preset", "seed6")  # identify 10, demo 35, needs & solution 65, quote/contract 75
    ok("lead", "add", "Ann")
    ok("quote", "new", "1", "--item", "Work; 1; 100")
    said = ok("quote", "send", "Q-2026-0001").stderr
    assert "Lead #1 moved identify → needs & solution" in said
    assert 'no stage named "quote": #1 Ann moved to needs & solution (65%), the open stage ' in said
    # quote.stage, when set, decides (and a missing stage then keeps the lead where it is).
    ok("config", "set", "quote.stage", "quote/contract")
    ok("lead", "add", "Bob")
    ok("quote", "new", "2", "--item", "Work; 1; 100")
    said = ok("quote", "send", "Q-2026-0002").stderr
    assert "Lead #2 moved identify → quote/contract" in said and "nearest" not in said
    ok("config", "set", "quote.stage", "Angebot")
    ok("lead", "add", "Cy")
    ok("quote", "new", "3", "--item", "Work; 1; 100")
    said = ok("quote", "send", "Q-2026-0003").stderr
    assert 'no open stage named "Angebot"' in said and "moved" not in said


def test_lost_reasons_as_categories_with_synonyms(ok, fails) -> None:
    reasons = ["无预算", "预算不足", "没预算", "太贵", "价格高", "timing"]
    for i, reason in enumerate(reasons, 1):
        ok("lead", "add", f"L{i}", "--value", "1000")
        ok("advance", str(i), "lost", "--reason", reason)

    def counts() -> list[tuple[str, int]]:
        rows = json.loads(ok("report", "lost", "--format", "json").stdout)
        return [(r["reason"], r["count"]) for r in rows]

    assert sorted(counts()) == sorted((r, 1) for r in reasons)  # each typed reason on its own
    ok("config", "set", "lost_reasons", " 预算不足 = 无预算, 没预算 ; 价格高=太贵 ")
    stored = ok("config", "get", "lost_reasons").stdout.strip()
    assert stored == "预算不足=无预算,没预算;价格高=太贵"
    assert counts() == [("预算不足", 3), ("价格高", 2), ("timing", 1)]
    fails("config", "set", "lost_reasons", "=x", match="has no category name")
    fails("config", "set", "lost_reasons", "A=x;B=x", match='"x" is in both A and B')
    fails("config", "set", "lost_reasons", " ; ", match="give categories")


def test_lead_list_shows_the_next_step_and_its_due_date(ok, two_leads) -> None:
    ok("followup", "add", "1", "send the deck", "--due", "2026-11-27")
    ok("followup", "add", "1", "call the CFO", "--due", "2026-11-25 14:30")  # the earlier one
    rows = json.loads(ok("lead", "list", "--format", "json").stdout)
    assert [(r["next_action"], r["next_due"]) for r in rows] == [
        ("call the CFO", "2026-11-25 14:30"),
        (None, None),
    ]
    wide = ok("lead", "list", "--width", "160").stdout
    assert "Next step" in wide and "call the CFO" in wide and "2026-11-25 14:30" in wide
    narrow = ok("lead", "list", "--width", "60").stdout
    # Optional: left out when narrow, and the note under the table says so.
    assert "call the CFO" not in narrow and "Next step, Due — widen the terminal" in narrow
    header = ok("lead", "list", "--format", "csv").stdout.splitlines()[0]
    assert header.endswith(",next_action,next_due")
