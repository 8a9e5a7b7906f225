"""`salesflow quote …` as a user types it (clock pinned to Monday 2026-11-23 09:00 UTC)."""

import csv
import io
import json
import re
import sqlite3
import stat

import pytest

from salesflow import quotes
from tests.conftest import dump

Q1 = "Q-2026-0001"
ISSUE_ITEMS = ("--item", "Edge gateway G2; 50; 980", "--item", "Installation; 1; 6000")
LATER = {"SALESFLOW_NOW": "2027-01-10T09:00:00Z"}  # after a 30-day validity from 2026-11-23


def show(ok, ref: str = Q1, **kw) -> dict:
    return json.loads(ok("quote", "show", ref, "--format", "json", **kw).stdout)


def listed(ok, *args: str, **kw) -> list[dict]:
    return json.loads(ok("quote", "list", "--format", "json", *args, **kw).stdout)


def card(ok, ref: str = "1", **kw) -> dict:
    return json.loads(ok("lead", "show", ref, "--format", "json", **kw).stdout)


def followups(db_path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT lead_id, action, due_date, due_time, created_at, done_at FROM followups"
        ).fetchall()
    finally:
        conn.close()


@pytest.fixture
def issue_quote(ok, two_leads) -> None:
    """The issue's example: lead #1 (张伟, CNY) gets Q-2026-0001."""
    ok("quote", "new", "1", *ISSUE_ITEMS, "--discount", "5%", "--tax", "13%", "--valid", "30d",
       "--note", "Delivery in 4 weeks")  # fmt: skip
    ok("quote", "add-item", Q1, "Training day; 2; 3500", "--discount", "10%")


def test_the_issue_example_end_to_end(ok, issue_quote, db_path) -> None:
    q = show(ok)
    # lines: 50 × 980 = 49,000.00; 1 × 6,000 = 6,000.00; 2 × 3,500 = 7,000.00 − 10% = 6,300.00
    # subtotal 61,300.00; −5% = 3,065.00 → 58,235.00; tax 13% = 7,570.55; total 65,805.55
    assert {k: q[k] for k in ("number", "lead_id", "status", "currency", "subtotal", "discount",
                              "net", "tax", "total", "valid_until", "discount_rate", "tax_rate",
                              "note")} == {
        "number": Q1, "lead_id": 1, "status": "draft", "currency": "CNY", "subtotal": "61300.00",
        "discount": "3065.00", "net": "58235.00", "tax": "7570.55", "total": "65805.55",
        "valid_until": "2026-12-23", "discount_rate": "5", "tax_rate": "13",
        "note": "Delivery in 4 weeks",
    }  # fmt: skip
    assert [
        {k: i[k] for k in ("description", "quantity", "unit_price", "discount", "amount")}
        for i in q["items"]
    ] == [
        {"description": "Edge gateway G2", "quantity": "50", "unit_price": "980.00",
         "discount": "0.00", "amount": "49000.00"},
        {"description": "Installation", "quantity": "1", "unit_price": "6000.00",
         "discount": "0.00", "amount": "6000.00"},
        {"description": "Training day", "quantity": "2", "unit_price": "3500.00",
         "discount": "700.00", "amount": "6300.00"},
    ]  # fmt: skip

    table = ok("quote", "show", Q1).stdout
    for shown in ("Q-2026-0001", "draft", "Edge gateway G2", "10% -700.00", "61,300.00",
                  "Discount 5%", "-3,065.00", "58,235.00", "VAT 13%", "7,570.55", "65,805.55",
                  "2026-12-23", "Delivery in 4 weeks"):  # fmt: skip
        assert shown in table, shown
    assert "\x1b[" not in table

    sent = ok("quote", "send", Q1)
    assert "Lead #1 moved lead → quote" in sent.stderr
    assert "chase Q-2026-0001 on 2026-11-26" in sent.stderr
    assert show(ok)["status"] == "sent" and show(ok)["sent_at"] == "2026-11-23T09:00:00Z"
    lead = card(ok)
    assert lead["lead"]["stage"] == "quote"
    assert lead["history"][-1] | {} == {
        "from": "lead", "to": "quote", "at": "2026-11-23T09:00:00Z",
        "note": "quote Q-2026-0001 sent", "reason": None,
    }  # fmt: skip
    assert followups(db_path) == [
        (1, "Chase quote Q-2026-0001", "2026-11-26", None, "2026-11-23T09:00:00Z", None)
    ]
    assert lead["quotes"] == [
        {"number": Q1, "status": "sent", "total": "65805.55", "currency": "CNY",
         "valid_until": "2026-12-23"}
    ]  # fmt: skip
    assert "Q-2026-0001" in ok("lead", "show", "1").stdout

    accepted = ok("quote", "accept", Q1)
    assert "Accepted Q-2026-0001: deal won, value 65,805.55 CNY" in accepted.stderr
    lead = card(ok)["lead"]
    assert (lead["stage"], lead["value"], lead["currency"]) == ("won", "65805.55", "CNY")
    assert lead["closed_at"] == "2026-11-23T09:00:00Z"
    assert show(ok)["status"] == "accepted"
    assert show(ok)["decided_at"] == "2026-11-23T09:00:00Z"


def test_list_filters_and_formats(ok, issue_quote) -> None:
    ok("quote", "new", "acme", "--item", "Audit; 1; 2,000")  # Jane Roe's lead is in USD
    ok("quote", "send", Q1)
    rows = listed(ok)
    assert [(r["number"], r["lead_id"], r["status"], r["currency"], r["total"]) for r in rows] == [
        (Q1, 1, "sent", "CNY", "65805.55"),
        ("Q-2026-0002", 2, "draft", "USD", "2000.00"),
    ]
    required = "number lead_id status currency subtotal discount tax total valid_until"
    assert set(required.split()) <= set(rows[0])
    assert [r["number"] for r in listed(ok, "--status", "sent")] == [Q1]
    assert [r["number"] for r in listed(ok, "--status", "draft")] == ["Q-2026-0002"]
    assert [r["number"] for r in listed(ok, "--lead", "acme")] == ["Q-2026-0002"]
    assert listed(ok, "--status", "accepted") == []
    out = ok("quote", "list", "--format", "csv").stdout
    records = list(csv.DictReader(io.StringIO(out)))
    assert [(r["number"], r["status"], r["total"]) for r in records] == [
        (Q1, "sent", "65805.55"),
        ("Q-2026-0002", "draft", "2000.00"),
    ]
    table = ok("quote", "list").stdout
    assert "65,805.55 CNY" in table and "深圳某科技有限公司" in table and "\x1b[" not in table
    assert "No quotes match." in ok("quote", "list", "--status", "expired").stdout
    empty_csv = ok("quote", "list", "--status", "expired", "--format", "csv").stdout
    assert empty_csv.startswith("number,lead_id,lead,company,status,currency,subtotal,")
    assert list(rows[0]) == quotes.RECORD_KEYS
    assert list(show(ok)["items"][0]) == quotes.ITEM_KEYS
    tsv = ok("quote", "show", Q1, "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[:4] == ["number", "currency", "line", "description"]
    assert len(tsv) == 4


def test_expired_shows_in_lists_and_needs_force_to_accept(ok, fails, issue_quote) -> None:
    ok("quote", "send", Q1)
    assert listed(ok, env=LATER)[0]["status"] == "expired"
    assert [r["number"] for r in listed(ok, "--status", "expired", env=LATER)] == [Q1]
    assert listed(ok, "--status", "sent", env=LATER) == []
    assert card(ok, env=LATER)["quotes"][0]["status"] == "expired"
    assert show(ok, env=LATER)["status"] == "expired"
    fails("quote", "accept", Q1, env=LATER,
          match="Q-2026-0001 expired (it was valid until 2026-12-23) — accept it anyway with --force")  # fmt: skip  # noqa: E501
    ok("quote", "accept", Q1, "--force", env=LATER)
    assert show(ok, env=LATER)["status"] == "accepted"
    assert card(ok)["lead"]["stage"] == "won"


def test_reject_with_reason_and_lost(ok, fails, issue_quote) -> None:
    ok("quote", "new", "acme", "--item", "Audit; 1; 2000")
    ok("quote", "send", Q1)
    ok("quote", "send", "Q-2026-0002")
    result = ok("quote", "reject", Q1, "--reason", "budget cut")
    assert "Rejected Q-2026-0001 (budget cut)" in result.stderr
    q = show(ok)
    assert (q["status"], q["reason"]) == ("rejected", "budget cut")
    assert card(ok)["lead"]["stage"] == "quote"  # a plain rejection leaves the deal open
    fails("quote", "reject", "Q-2026-0002", "--lost", match="--lost needs the reason")
    ok("quote", "reject", "Q-2026-0002", "--lost", "--reason", "went with a competitor")
    lead = card(ok, "2")
    assert lead["lead"]["stage"] == "lost"
    assert lead["lead"]["lost_reason"] == "went with a competitor"
    assert lead["history"][-1]["reason"] == "went with a competitor"
    fails("quote", "reject", Q1, match="Q-2026-0001 is already rejected")


def test_copy_makes_an_editable_version_and_accepting_it_supersedes_the_old(
    ok, fails, issue_quote
) -> None:
    ok("quote", "send", Q1)
    fails(
        "quote",
        "add-item",
        Q1,
        "Extra; 1; 1",
        match="Q-2026-0001 is sent — only drafts can be changed",
    )
    result = ok("quote", "copy", Q1)
    assert "Copied Q-2026-0001 to new draft Q-2026-0001-v2" in result.stderr
    v2 = show(ok, "Q-2026-0001-v2")
    assert (v2["status"], v2["total"], len(v2["items"])) == ("draft", "65805.55", 3)
    assert v2["valid_until"] == "2026-12-23"  # the default 30 days from today
    ok("quote", "rm-item", "Q-2026-0001-v2", "2")  # drop the 6,000.00 installation line
    ok("quote", "edit", "q-2026-0001-v2", "--discount", "8%")
    v2 = show(ok, "Q-2026-0001-v2")
    # 49,000.00 + 6,300.00 = 55,300.00; 8% = 4,424.00 → 50,876.00; 13% = 6,613.88; 57,489.88
    assert (v2["subtotal"], v2["discount"], v2["tax"], v2["total"]) == (
        "55300.00", "4424.00", "6613.88", "57489.88",
    )  # fmt: skip
    assert [i["line"] for i in v2["items"]] == [1, 2]
    assert show(ok)["total"] == "65805.55"  # the original is untouched
    ok("quote", "send", "Q-2026-0001-v2")
    result = ok("quote", "accept", "Q-2026-0001-v2")
    assert "Marked rejected as superseded: Q-2026-0001" in result.stderr
    old = show(ok)
    assert (old["status"], old["reason"]) == ("rejected", "superseded by Q-2026-0001-v2")
    assert card(ok)["lead"]["value"] == "57489.88"
    assert ok("quote", "copy", "Q-2026-0001-v2").stderr.count("Q-2026-0001-v3") == 1


def test_edit_changes_tax_validity_and_note_of_a_draft(ok, fails, issue_quote) -> None:
    ok("quote", "edit", Q1, "--tax", "0", "--valid", "2026-12-31", "--note", "")
    q = show(ok)
    # no tax: total = net 58,235.00
    assert (q["tax"], q["total"], q["valid_until"], q["note"]) == (
        "0.00", "58235.00", "2026-12-31", None,
    )  # fmt: skip
    ok("quote", "edit", Q1, "--discount", "1,000")
    # 61,300.00 − 1,000.00 = 60,300.00
    assert (show(ok)["discount"], show(ok)["discount_rate"], show(ok)["total"]) == (
        "1000.00", None, "60300.00",
    )  # fmt: skip
    ok("quote", "edit", Q1, "--discount", "0")
    assert show(ok)["total"] == "61300.00"
    fails("quote", "edit", Q1, match="nothing to change")


def test_defaults_come_from_config(ok, db_path, two_leads) -> None:
    ok("config", "set", "quote.tax", "6")
    ok("config", "set", "quote.valid_days", "14")
    ok("config", "set", "quote.chase_days", "5")
    ok("quote", "new", "1", "--item", "Design; 1; 1000")
    q = show(ok)
    # 1,000.00 + 6% = 1,060.00; valid 14 days from 2026-11-23
    assert (q["tax_rate"], q["total"], q["valid_until"]) == ("6", "1060.00", "2026-12-07")
    ok("quote", "send", Q1)
    assert followups(db_path)[0][2] == "2026-11-28"
    ok("config", "set", "quote.chase_days", "0")
    ok("quote", "new", "1", "--item", "Design; 1; 1000")
    assert "Follow-up" not in ok("quote", "send", "Q-2026-0002").stderr
    assert len(followups(db_path)) == 1


def test_currency_from_the_prices_or_the_option(ok, two_leads) -> None:
    ok("quote", "new", "1", "--item", "Licence; 3; $19.99")  # lead #1 is CNY; the price says USD
    assert (show(ok)["currency"], show(ok)["total"]) == ("USD", "59.97")  # 3 × 19.99
    ok("quote", "new", "1", "--currency", "jpy", "--item", "Seat; 3; 12800", "--tax", "10%")
    q = show(ok, "Q-2026-0002")
    assert (q["currency"], q["total"]) == ("JPY", "42240")  # 38,400 + 10% = 42,240
    ok("quote", "new", "1", "--currency", "BHD", "--item", "Survey; 2.5; 41.125")
    assert show(ok, "Q-2026-0003")["total"] == "102.813"  # 2.5 × 41.125 = 102.8125 → half-up
    ok("config", "set", "rounding", "half-even")
    ok("quote", "new", "1", "--currency", "BHD", "--item", "Survey; 2.5; 41.125")
    assert show(ok, "Q-2026-0004")["total"] == "102.812"  # half-even keeps the even 2
    assert show(ok, "Q-2026-0003")["total"] == "102.813"  # stored figures never move


def test_send_moves_only_forward_and_says_when_there_is_no_quote_stage(ok, two_leads) -> None:
    ok("advance", "1", "negotiation")
    ok("quote", "new", "1", "--item", "a; 1; 1")
    result = ok("quote", "send", Q1)
    assert "moved" not in result.stderr
    assert card(ok)["lead"]["stage"] == "negotiation"

    ok("stages", "set", "lead:10", "demo:40", "--map", "contacted=lead", "--map", "qualified=lead",
       "--map", "proposal=demo", "--map", "quote=demo", "--map", "negotiation=demo")  # fmt: skip
    ok("quote", "new", "2", "--item", "a; 1; 1")
    result = ok("quote", "send", "Q-2026-0002")
    # No stage named "quote" and no quote.stage set: the open stage nearest 65%, and it says so.
    assert "Lead #2 moved lead → demo" in result.stderr
    assert (
        'The pipeline has no stage named "quote": #2 Jane Roe (Acme Ltd) moved to demo (40%), '
        "the open stage nearest 65%"
    ) in result.stderr
    assert card(ok, "2")["lead"]["stage"] == "demo"

    ok("stages", "set", "线索:10", "报价:65", "--map", "lead=线索", "--map", "demo=线索")
    ok("config", "set", "quote.stage", "报价")
    ok("quote", "new", "2", "--item", "a; 1; 1")
    assert "moved 线索 → 报价" in ok("quote", "send", "Q-2026-0003").stderr
    assert card(ok, "2")["lead"]["stage"] == "报价"


def test_accepting_for_a_lead_already_won_sets_the_value(ok, two_leads) -> None:
    ok("quote", "new", "2", "--item", "Audit; 2; 1,250.50")
    ok("quote", "send", Q1)
    ok("advance", "2", "won")
    assert "deal was already won, value 2,501.00 USD" in ok("quote", "accept", Q1).stderr
    assert card(ok, "2")["lead"]["value"] == "2501.00"  # 2 × 1,250.50


def test_render_documents(ok, issue_quote, tmp_path) -> None:
    ok("config", "set", "seller.name", "Li Ming Consulting")
    ok("config", "set", "seller.address", "88 Keyuan Road\\n深圳市南山区")
    # A quote keeps the terms it was made with (the default then was none): set them on it.
    ok("quote", "edit", Q1, "--terms", "50% on order, 50% on delivery")
    ok("config", "set", "seller.tax_id", "91440300MA5XXXXX")
    md = ok("quote", "render", Q1, "--format", "md").stdout
    assert md.startswith("# Quotation Q-2026-0001\n")
    for text in ("**Draft — not yet sent**", "Li Ming Consulting\\\n88 Keyuan Road\\\n深圳市南山区",
                 "Tax ID: 91440300MA5XXXXX", "深圳某科技有限公司\\\n张伟",
                 "| 3 | Training day | 2 | 3,500.00 | 7,000.00 | 10% (-700.00) | 6,300.00 |",
                 "| **Total (CNY)** | **65,805.55** |", "valid until 2026-12-23",
                 "## Payment terms\n\n50% on order, 50% on delivery", "Delivery in 4 weeks"):  # fmt: skip  # noqa: E501
        assert text in md, text
    html = ok("quote", "render", Q1).stdout  # html is the default
    assert html.startswith("<!DOCTYPE html>") and "@media print" in html and "@page" in html
    assert "Noto Sans CJK SC" in html and '<meta charset="utf-8">' in html
    assert "65,805.55" in html and "Li Ming Consulting" in html and "深圳市南山区" in html
    # self-contained: nothing to fetch
    assert "http://" not in html and "https://" not in html and "<link" not in html
    assert "src=" not in html and "@import" not in html
    out = tmp_path / "q.html"
    result = ok("quote", "render", Q1, "-f", "html", "-o", str(out))
    assert "Wrote Q-2026-0001 as html to" in result.stderr
    assert out.read_text(encoding="utf-8") == html
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_render_takes_the_format_from_the_file_name(ok, fails, issue_quote, tmp_path) -> None:
    md = ok("quote", "render", Q1, "--format", "md").stdout
    html = ok("quote", "render", Q1).stdout
    for name, expected in (("q.md", md), ("Q.MARKDOWN", md), ("q.htm", html), ("q", html)):
        result = ok("quote", "render", Q1, "-o", str(tmp_path / name))
        assert (tmp_path / name).read_text(encoding="utf-8") == expected, name
        assert f"as {'md' if expected == md else 'html'} to" in result.stderr
    # --format says what the user wants, whatever the name
    ok("quote", "render", Q1, "--format", "md", "-o", str(tmp_path / "notes.txt"))
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == md
    fails(
        "quote",
        "render",
        Q1,
        "-o",
        str(tmp_path / "q.docx"),
        match="cannot render a quote as .docx",
    )
    assert not (tmp_path / "q.docx").exists()


def test_fixed_line_discounts_in_three_decimals(ok, two_leads) -> None:
    ok("quote", "new", "1", "--currency", "BHD", "--item", "Survey; 2.5; 41.125",
       "--item", "Report; 1; 15.750; 2.250", "--discount", "10%", "--tax", "10%")  # fmt: skip
    md = ok("quote", "render", Q1, "--format", "md").stdout
    # 2.5 × 41.125 = 102.8125 → 102.813; 15.750 − 2.250 = 13.500; subtotal 116.313;
    # 10% = 11.631 → 104.682; tax 10.468; total 115.150
    assert "| 1 | Survey | 2.5 | 41.125 | 102.813 |  | 102.813 |" in md
    assert "| 2 | Report | 1 | 15.750 | 15.750 | -2.250 | 13.500 |" in md
    assert "| Discount 10% | -11.631 |" in md and "| **Total (BHD)** | **115.150** |" in md
    html = ok("quote", "render", Q1).stdout
    assert '<td class="num">-2.250</td>' in html


def test_user_text_cannot_inject_markup(ok) -> None:
    evil = "<script>alert('x')</script> | **bold** [link](http://x)"
    ok("lead", "add", "Mallory", "--company", evil)
    ok("config", "set", "seller.name", "<img src=x onerror=alert(1)>")
    ok("quote", "new", "1", "--item", "<b>Widget</b> | pipe; 1; 10", "--note", "<script>x</script>")
    html = ok("quote", "render", Q1).stdout
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    md = ok("quote", "render", Q1, "--format", "md").stdout
    assert not re.search(r"(?<!\\)[<>]", md), "an unescaped < or > in the Markdown"
    assert "\\<script\\>alert('x')\\</script\\> \\| \\*\\*bold\\*\\* \\[link\\](http://x)" in md
    assert "| 1 | \\<b\\>Widget\\</b\\> \\| pipe | 1 | 10.00 | 10.00 |" in md


def test_lead_rm_takes_its_quotes_and_undo_brings_them_back(ok, issue_quote, db_path) -> None:
    before = dump(db_path)
    ok("lead", "rm", "1", "--yes")
    assert listed(ok) == []
    ok("undo")
    assert dump(db_path) == before


@pytest.mark.parametrize(
    "command",
    [
        ("quote", "send", Q1),
        ("quote", "add-item", Q1, "Extra; 1; 99"),
        ("quote", "rm-item", Q1, "1"),
        ("quote", "edit", Q1, "--tax", "9%"),
        ("quote", "copy", Q1),
        ("quote", "new", "2", "--item", "x; 1; 1"),
    ],
)
def test_every_write_is_one_undoable_command(ok, issue_quote, db_path, command) -> None:
    before = dump(db_path)
    ok(*command)
    assert dump(db_path) != before
    ok("undo")
    assert dump(db_path) == before


def test_accept_and_reject_undo_whole(ok, issue_quote, db_path) -> None:
    ok("quote", "send", Q1)
    before = dump(db_path)
    ok("quote", "accept", Q1)
    assert "Undid: salesflow quote accept Q-2026-0001" in ok("undo").stderr
    assert dump(db_path) == before
    ok("quote", "reject", Q1, "--lost", "--reason", "price")
    ok("undo")
    assert dump(db_path) == before


# ---- bad input: one line, exit 1, database unchanged -----------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("quote", "new", "1", "--item", "Edge gateway G2, 50, 980"),
         'cannot read item "Edge gateway G2, 50, 980" — write it as "description; quantity; unit price"'),  # noqa: E501
        (("quote", "new", "1", "--item", "Gateway; 50"), "write it as"),
        (("quote", "new", "1", "--item", "Gateway; 0; 980"), 'quantity "0" is zero — a quantity must be more than zero'),  # noqa: E501
        (("quote", "new", "1", "--item", "Gateway; -5; 980"), 'quantity "-5" is negative'),
        (("quote", "new", "1", "--item", "Gateway; 5; lots"), 'item "Gateway": cannot read amount "lots"'),  # noqa: E501
        (("quote", "new", "1", "--item", "Gateway; 5; -980"), 'value "-980" is negative'),
        (("quote", "new", "1", "--item", "a; 1; 10", "--discount", "120%"), 'discount "120%" is over 100%'),  # noqa: E501
        (("quote", "new", "1", "--item", "a; 1; 10; 101%"), 'item "a": discount "101%" is over 100%'),  # noqa: E501
        (("quote", "new", "1", "--item", "a; 2; 10", "--discount", "20.01"),
         "the quote discount (20.01 CNY) is more than the subtotal (20.00 CNY)"),
        (("quote", "new", "1", "--item", "a; 2; 10; 25"), 'the discount on "a" (25.00 CNY) is more than the line itself (20.00 CNY)'),  # noqa: E501
        (("quote", "new", "1", "--item", "a; 1; 10", "--tax", "113%"), 'tax rate "113%" is outside 0–100%'),  # noqa: E501
        (("quote", "new", "1", "--item", "a; 1; 10", "--tax", "-1%"), 'tax rate "-1%" is outside 0–100%'),  # noqa: E501
        (("quote", "new", "1", "--item", "a; 1; $10", "--item", "b; 1; 10 EUR"),
         'item "b" is priced in EUR but the quote is in USD — a quote has one currency'),
        (("quote", "new", "1", "--currency", "CNY", "--item", "a; 1; $10"), 'item "a" is priced in USD but the quote is in CNY'),  # noqa: E501
        (("quote", "new", "1", "--item", "a; 1; 10", "--discount", "$5"), 'discount "$5" is in USD but the quote is in CNY'),  # noqa: E501
        (("quote", "new", "1", "--valid", "yesterday"), "the validity date 2026-11-22 has passed"),
        (("quote", "new", "1", "--valid", "31/12"), '"31/12" is ambiguous'),
        (("quote", "new", "1", "--valid", "someday"), 'cannot read date "someday"'),
        (("quote", "new", "nobody"), 'no lead matches "nobody"'),
        (("quote", "new", "1", "--currency", "yuan"), '"yuan" is not a currency code'),
        (("quote", "show", "Q-2026-0099"), 'no quote "Q-2026-0099" — see salesflow quote list'),
        (("quote", "show", "12"), 'no quote "12" (quote numbers look like Q-2026-0001)'),
        (("quote", "accept", "Q-2025-0001"), 'no quote "Q-2025-0001"'),
        (("quote", "list", "--status", "lost"), 'unknown status "lost" — use one of: draft, sent'),
        (("quote", "list", "--lead", "nobody"), 'no lead matches "nobody"'),
        (("quote", "add-item", Q1, "a; 1; $1"), 'item "a" is priced in USD but the quote is in CNY'),  # noqa: E501
        (("quote", "add-item", Q1, "a; 1; 1; 5%", "--discount", "5%"), "give it once"),
        (("quote", "rm-item", Q1, "9"), "Q-2026-0001 has no line 9 (its lines: 1–1)"),
        (("quote", "edit", Q1, "--valid", "2026-11-01"), "the validity date 2026-11-01 has passed"),
        (("quote", "accept", Q1), "Q-2026-0001 is a draft — send it first: salesflow quote send Q-2026-0001"),  # noqa: E501
        (("quote", "reject", Q1), "Q-2026-0001 is a draft — send it first"),
        (("quote", "send", "Q-2026-0002"), "Q-2026-0002 has no items — add one first"),
        (("quote", "render", Q1, "-o", "/nonexistent/dir/q.html"), "cannot write /nonexistent/dir/q.html"),  # noqa: E501
        (("config", "set", "quote.chase_days", "soon"), '"soon" is not a number of days'),
        (("config", "set", "quote.tax", "200%"), 'tax rate "200%" is outside 0–100%'),
    ],
)  # fmt: skip
def test_bad_input(ok, fails, two_leads, args, message) -> None:
    ok("quote", "new", "1", "--item", "Gateway; 1; 980")
    ok("quote", "new", "1")  # Q-2026-0002: no items
    fails(*args, match=message)


def test_bad_input_on_sent_quotes(ok, fails, issue_quote) -> None:
    ok("quote", "send", Q1)
    fails("quote", "send", Q1, match="Q-2026-0001 is already sent — to send a changed offer")
    fails("quote", "edit", Q1, "--tax", "1%", match="only drafts can be changed")
    fails("quote", "rm-item", Q1, "1", match="only drafts can be changed")
    ok("advance", "1", "lost", "--reason", "no budget")
    fails("quote", "accept", Q1, match="#1 张伟 (深圳某科技有限公司) is lost — reopen it first")
    ok("quote", "copy", Q1, "--valid", "2026-11-30")
    fails(
        "quote",
        "send",
        "Q-2026-0001-v2",
        env=LATER,
        match="the validity date 2026-11-30 has passed",
    )
    fails("quote", "copy", Q1, "--valid", "2026-11-01", match="has passed")


def test_usage_errors_exit_2(fails, two_leads) -> None:
    fails("quote", "render", Q1, "--format", "docx", code=2)
    fails("quote", "render", Q1, "--lang", "fr", code=2)
    fails("quote", "rm-item", Q1, "first", code=2)
    fails("quote", "new", code=2)


def test_db_check_finds_quote_figures_that_do_not_add_up(ok, run, issue_quote, db_path) -> None:
    assert "passed every check" in ok("db", "check").stdout
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE quote_items SET amount_minor = amount_minor + 1 WHERE position = 3")
    conn.execute("UPDATE quotes SET tax_minor = tax_minor + 1")
    conn.commit()
    conn.close()
    result = run("db", "check")
    assert result.exit_code == 1
    assert (
        "quote Q-2026-0001: its lines add up to 6130001 (minor units) but its subtotal is 6130000"
        in result.stdout
    )
    assert "quote Q-2026-0001: subtotal − discount + tax is not its total" in result.stdout
    assert "quote Q-2026-0001 line 3: line total − discount is not its amount" in result.stdout


def test_sending_a_quote_is_a_logged_touch(ok, monkeypatch) -> None:
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-20T09:00:00Z")
    ok("lead", "add", "Ann", "--company", "Acme")
    ok("quote", "new", "1", "--item", "Audit; 2; 500")
    ok("quote", "send", "Q-2026-0001")
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T09:00:00Z")  # 72 h later
    card = json.loads(ok("lead", "show", "1", "--format", "json").stdout)
    assert [(a["kind"], a["note"]) for a in card["activities"]] == [
        ("email", "Sent quote Q-2026-0001 (1,000.00 USD)")
    ]
    digest = json.loads(ok("digest", "--format", "json").stdout)
    assert "first_touch" not in [s["key"] for s in digest["sections"]]


def test_the_no_quote_stage_note_names_the_setting_that_picks_it(ok) -> None:
    ok("lead", "add", "Ann")
    ok("config", "set", "quote.stage", "offer")
    ok("quote", "new", "1", "--item", "a; 1; 1")
    said = ok("quote", "send", Q1).stderr
    assert (
        'The pipeline has no open stage named "offer", so #1 Ann stays in lead '
        "(salesflow config set quote.stage NAME picks the quote stage)"
    ) in said
