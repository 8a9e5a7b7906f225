"""`salesflow customer …` and the win hook through the CLI. NOW = Mon 2026-11-23 09:00 UTC."""

from __future__ import annotations

import csv
import io
import json

import pytest


def data(result):
    return json.loads(result.stdout)


def customers(ok, *args: str) -> list[dict]:
    return data(ok("customer", "list", "--format", "json", *args))


def test_winning_deals_builds_customers(ok, two_leads) -> None:
    assert "No customers yet" in ok("customer", "list").stdout
    ok("lead", "add", "李娜", "--company", "深圳某科技有限公司", "--value", "20k",
       "--currency", "CNY")  # fmt: skip
    ok("lead", "add", "Solo", "--value", "300")
    ok("advance", "1", "won", env={"SALESFLOW_NOW": "2026-10-01T08:00:00Z"})
    ok("advance", "3", "won")
    ok("advance", "solo", "won")
    rows = customers(ok)
    assert [(r["id"], r["name"], r["won_deals"], r["repeat"], r["segment"]) for r in rows] == [
        (2, "Solo", 1, False, "individual"),  # no company: the person is the customer
        (1, "深圳某科技有限公司", 2, True, None),
    ]
    # 500,000 + 20,000 CNY
    assert (rows[1]["won_value"], rows[1]["currency"]) == ("520000.00", "CNY")
    assert (rows[1]["first_purchase"], rows[1]["last_purchase"]) == (
        "2026-10-01T08:00:00Z",
        "2026-11-23T09:00:00Z",
    )
    table = ok("customer", "list").stdout
    assert "520,000.00 CNY" in table and "individual" in table and "\x1b[" not in table
    out = ok("customer", "list", "--format", "csv").stdout
    record = list(csv.DictReader(io.StringIO(out)))[1]
    assert (record["won_value"], record["currency"]) == ("520000.00", "CNY")
    assert record["repeat"] == "true"
    assert len(ok("customer", "list", "--format", "ndjson").stdout.splitlines()) == 2
    assert [r["name"] for r in customers(ok, "--segment", "individual")] == ["Solo"]


def test_show_and_edit_with_checkin(ok, two_leads) -> None:
    ok("log", "1", "signed the contract", "--kind", "visit")
    ok("advance", "1", "won", "--note", "signed at the fair")
    ok("customer", "edit", "1", "--segment", "key", "--checkin", "every-3m")
    shown = ok("customer", "show", "深圳某科技有限公司").stdout
    assert "key account" in shown and "500,000.00 CNY" in shown
    assert "after-sales check-in" in shown and "2027-02-23 Tue" in shown  # 11-23 + 3 months
    assert "signed the contract" in shown and "signed at the fair" in shown
    card = data(ok("customer", "show", "深圳", "--format", "json"))
    assert card["customer"]["checkin_every"] == "every-3m"
    assert card["customer"]["next_checkin"] == "2027-02-23"
    assert [d["lead_id"] for d in card["deals"]] == [1]
    # The check-in is a follow-up of the won deal: in the list, in lead show, in the calendar.
    ok("config", "set", "timezone", "Asia/Shanghai")
    later = {"SALESFLOW_NOW": "2027-02-23T01:00:00Z"}  # 09:00 in Shanghai on the due day
    rows = data(ok("followup", "list", "--format", "json", env=later))
    assert [(r["action"], r["when"], r["recur"]) for r in rows] == [
        ("after-sales check-in", "today", "every-3m")
    ]
    result = ok("followup", "done", str(rows[0]["id"]), env=later)
    assert "Next check-in" in result.stderr and "2027-05-23" in result.stderr
    ok("undo")  # takes back the completion and the next check-in together
    rows = data(ok("followup", "list", "--format", "json", "--all", env=later))
    assert [(r["due_date"], r["done_at"]) for r in rows] == [("2027-02-23", None)]


def test_reopen_unlinks_and_rewin_rejoins(ok, two_leads) -> None:
    ok("advance", "2", "won")
    ok("customer", "edit", "acme", "--checkin", "every-1m")
    ok("advance", "2", "--reopen")
    assert customers(ok) == []
    [ghost] = customers(ok, "--all")
    assert ghost["won_deals"] == 0 and ghost["checkin_every"] is None
    lead = data(ok("lead", "show", "2", "--format", "json"))
    assert [f["status"] for f in lead["followups"]] == []  # the check-in went with the win
    ok("advance", "2", "won")
    assert [(r["id"], r["won_deals"]) for r in customers(ok)] == [(ghost["id"], 1)]


def test_undo_of_a_win_removes_the_new_customer(ok, two_leads) -> None:
    ok("advance", "1", "won")
    assert len(customers(ok, "--all")) == 1
    ok("undo")
    assert customers(ok, "--all") == []
    assert data(ok("lead", "show", "1", "--format", "json"))["lead"]["stage"] == "lead"


def test_rename(ok, fails, two_leads) -> None:
    ok("advance", "1", "won")
    ok("advance", "2", "won")
    ok("customer", "edit", "acme", "--name", "Acme Group")
    assert [r["name"] for r in customers(ok)] == ["Acme Group", "深圳某科技有限公司"]
    fails("customer", "edit", "acme", "--name", "深圳某科技有限公司", match="already named")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("customer", "show", "nobody"), 'no customer matches "nobody"'),
        (("customer", "show", "9"), "no customer #9"),
        (("customer", "edit", "1"), "nothing to change"),
        (("customer", "edit", "1", "--segment", "vip"), 'segment "vip" — use key'),
        (("customer", "edit", "1", "--checkin", "every-2h"), "too short"),
        (("customer", "edit", "1", "--checkin", "monthly"), 'cannot read check-in "monthly"'),
        (("customer", "edit", "1", "--name", " "), "cannot be empty"),
        (("customer", "list", "--segment", "vip"), 'segment "vip"'),
    ],
)
def test_bad_input(ok, fails, two_leads, args, message) -> None:
    ok("advance", "1", "won")
    fails(*args, match=message)


def test_checkin_after_reopen_needs_a_won_deal(ok, fails, two_leads) -> None:
    ok("advance", "1", "won")
    ok("advance", "1", "--reopen")
    fails("customer", "edit", "1", "--checkin", "every-1m", match="no won deal")


def test_won_straight_to_lost_and_lost_straight_to_won(ok, two_leads) -> None:
    ok("advance", "1", "won")
    ok("advance", "1", "lost", "--reopen", "--reason", "cancelled the order")
    assert customers(ok) == []  # the link went with the win
    ok("advance", "2", "lost", "--reason", "price")
    ok("advance", "2", "won", "--reopen")  # came back after all
    assert [(r["name"], r["won_deals"]) for r in customers(ok)] == [("Acme Ltd", 1)]


def test_an_empty_list_points_to_customers_left_without_a_won_deal(ok, two_leads) -> None:
    ok("advance", "1", "won")
    ok("advance", "1", "--reopen")  # the customer stays, with no won deal
    listed = ok("customer", "list").stdout
    assert "No customer has a won deal now — 1 without: salesflow customer list --all" in listed
    assert "深圳某科技有限公司" in ok("customer", "list", "--all").stdout
    assert "No customers yet" in ok("customer", "list", "--segment", "key").stdout
