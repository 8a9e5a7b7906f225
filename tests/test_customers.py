"""salesflow.customers: the win hook, reopening, figures per currency, check-in schedules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from salesflow import customers, followups, leads, money, moves
from salesflow.errors import SalesflowError

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NOW_ISO = "2026-11-23T09:00:00Z"


def deal(conn, name: str, company: str | None, value: str | None = None, currency="USD"):
    amount = money.parse_money(value, currency) if value else None
    return leads.add(
        conn, leads.LeadFields(name=name, company=company, value=amount), stage="lead",
        currency=currency, now_iso=NOW_ISO,
    )  # fmt: skip


def customer_id(conn, lead_id: int) -> int | None:
    return conn.execute("SELECT customer_id FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]


def win(conn, lead, at: str = NOW_ISO) -> None:
    moves.advance(conn, leads.get(conn, lead.id), "won", now_iso=at)


def test_winning_makes_the_company_a_customer_and_a_second_win_joins_it(conn) -> None:
    a = deal(conn, "张伟", "深圳某科技有限公司", "500k", "CNY")
    b = deal(conn, "李娜", "深圳某科技有限公司", "$12,500", "USD")
    c = deal(conn, "王芳", "深圳某科技有限公司", "20k", "CNY")
    solo = deal(conn, "Solo Person", None, "300")
    open_one = deal(conn, "Still Open", "深圳某科技有限公司", "1k", "CNY")
    win(conn, a, "2026-10-01T08:00:00Z")
    win(conn, b, "2026-11-01T08:00:00Z")
    win(conn, c, "2026-11-20T08:00:00Z")
    win(conn, solo)
    assert customer_id(conn, a.id) == customer_id(conn, b.id) == customer_id(conn, c.id)
    assert customer_id(conn, open_one.id) is None  # only won deals belong to a customer
    # Sorted by name: "S" (U+0053) before "深" (U+6DF1).
    [person, company] = customers.summaries(conn)
    assert company.customer.name == "深圳某科技有限公司"
    rec = company.record()
    assert rec["won_deals"] == 3 and rec["repeat"] is True
    # 500,000 + 20,000 CNY = 520,000.00 CNY; the USD deal is kept apart, never converted.
    assert (rec["won_value"], rec["currency"]) == (None, None)  # two currencies: no one figure
    assert rec["won_values"] == "520000.00 CNY; 12500.00 USD"
    assert rec["first_purchase"] == "2026-10-01T08:00:00Z"
    assert rec["last_purchase"] == "2026-11-20T08:00:00Z"
    assert rec["segment"] is None
    solo_rec = person.record()
    assert solo_rec["name"] == "Solo Person" and solo_rec["segment"] == "individual"
    assert solo_rec["won_deals"] == 1 and solo_rec["repeat"] is False
    assert (solo_rec["won_value"], solo_rec["currency"]) == ("300.00", "USD")


def test_same_company_in_another_case_joins(conn) -> None:
    a, b = deal(conn, "A", "Acme Ltd"), deal(conn, "B", "ACME  Ltd")
    win(conn, a)
    win(conn, b)
    assert customer_id(conn, a.id) == customer_id(conn, b.id)
    assert [s.customer.name for s in customers.summaries(conn)] == ["Acme Ltd"]


def test_reopening_a_won_deal_unlinks_it(conn) -> None:
    a = deal(conn, "A", "Acme")
    win(conn, a)
    customer = customers.resolve(conn, "acme")
    customers.edit(conn, customer, segment="key", checkin="every-3m", now=NOW, tz=UTC)
    assert customers.summaries(conn)[0].next_checkin == "2027-02-23"  # 11-23 + 3 months
    moves.advance(conn, leads.get(conn, a.id), None, now_iso=NOW_ISO, reopen=True)
    assert customer_id(conn, a.id) is None
    # No won deal left: the customer leaves the list, its open check-in and schedule go,
    # its segment stays for the next win.
    assert customers.summaries(conn) == []
    [kept] = customers.summaries(conn, include_all=True)
    assert kept.won_deals == 0 and kept.customer.segment == "key"
    assert kept.customer.checkin_every is None and kept.next_checkin is None
    assert followups.open_for_lead(conn, a.id) == []
    win(conn, a)
    assert customer_id(conn, a.id) == customer.id  # rejoins the same customer


def test_reopening_one_of_two_moves_the_check_in_to_the_other_deal(conn) -> None:
    a, b = deal(conn, "A", "Acme"), deal(conn, "B", "Acme")
    win(conn, a, "2026-11-01T00:00:00Z")
    win(conn, b, "2026-11-20T00:00:00Z")
    customer = customers.resolve(conn, "Acme")
    _, checkin = customers.edit(conn, customer, checkin="every-1m", now=NOW, tz=UTC)
    assert checkin.lead_id == b.id  # hung on the latest won deal
    moves.advance(conn, leads.get(conn, b.id), None, now_iso=NOW_ISO, reopen=True)
    assert followups.get(conn, checkin.id).lead_id == a.id
    assert customers.summaries(conn)[0].won_deals == 1


def test_losing_or_moving_an_open_deal_touches_no_customer(conn) -> None:
    a = deal(conn, "A", "Acme")
    moves.advance(conn, a, "proposal", now_iso=NOW_ISO)
    moves.advance(conn, leads.get(conn, a.id), "lost", now_iso=NOW_ISO, reason="price")
    assert customer_id(conn, a.id) is None
    assert customers.summaries(conn, include_all=True) == []


def test_edit_segment_name_and_checkin(conn) -> None:
    win(conn, deal(conn, "A", "Acme"))
    win(conn, deal(conn, "B", "Beta"))
    acme = customers.resolve(conn, "acme")
    updated, planned = customers.edit(conn, acme, segment="Key-Account", name=" Acme  Group ",
                                      now=NOW, tz=UTC)  # fmt: skip
    assert (updated.name, updated.segment, planned) == ("Acme Group", "key", None)
    updated, planned = customers.edit(conn, updated, checkin="every-30d", now=NOW, tz=UTC)
    assert updated.checkin_every == "every-30d" and planned.due_date == "2026-12-23"
    assert planned.action == customers.CHECKIN_ACTION and planned.customer_id == acme.id
    # The same rhythm again keeps the planned check-in; a new one replaces it.
    _, again = customers.edit(conn, updated, checkin="every 30d", now=NOW, tz=UTC)
    assert again is None
    updated, replaced = customers.edit(conn, updated, checkin="2w", now=NOW, tz=UTC)
    assert replaced.due_date == "2026-12-07"
    assert conn.execute("SELECT count(*) FROM followups WHERE done_at IS NULL").fetchone()[0] == 1
    updated, none = customers.edit(conn, updated, checkin="none", now=NOW, tz=UTC)
    assert updated.checkin_every is None and none is None
    assert conn.execute("SELECT count(*) FROM followups").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "nothing to change"),
        ({"segment": "vip"}, 'segment "vip" — use key'),
        ({"checkin": "every-2h"}, "too short"),
        ({"checkin": "sometimes"}, 'cannot read check-in "sometimes"'),
        ({"checkin": "every-0m"}, "cannot read check-in"),
        ({"name": "  "}, "cannot be empty"),
        ({"name": "beta"}, 'already named "beta"'),
    ],
)
def test_edit_refusals(conn, kwargs, message) -> None:
    win(conn, deal(conn, "A", "Acme"))
    win(conn, deal(conn, "B", "Beta"))
    with pytest.raises(SalesflowError, match=message):
        customers.edit(conn, customers.resolve(conn, "Acme"), now=NOW, tz=UTC, **kwargs)


def test_checkin_needs_a_won_deal(conn) -> None:
    a = deal(conn, "A", "Acme")
    win(conn, a)
    moves.advance(conn, leads.get(conn, a.id), None, now_iso=NOW_ISO, reopen=True)
    with pytest.raises(SalesflowError, match="no won deal"):
        customers.edit(conn, customers.resolve(conn, "Acme"), checkin="every-1m", now=NOW, tz=UTC)


def test_resolve(conn) -> None:
    win(conn, deal(conn, "A", "Acme"))
    win(conn, deal(conn, "B", "Acme Europe"))
    assert customers.resolve(conn, "acme").name == "Acme"  # whole name beats ambiguity
    assert customers.resolve(conn, "#2").name == "Acme Europe"
    with pytest.raises(SalesflowError, match='"acm" matches 2 customers'):
        customers.resolve(conn, "acm")
    with pytest.raises(SalesflowError, match="no customer #9"):
        customers.resolve(conn, "9")
    with pytest.raises(SalesflowError, match='no customer matches "zzz"'):
        customers.resolve(conn, "zzz")


def test_card(conn) -> None:
    from salesflow import activities

    a = deal(conn, "A", "Acme", "$1,000")
    activities.log(conn, a, "call", "signed", happened_at="2026-11-22T10:00:00Z", now_iso=NOW_ISO)
    win(conn, a)
    customers.edit(conn, customers.resolve(conn, "Acme"), checkin="every-3m", now=NOW, tz=UTC)
    card = customers.card(conn, "acme", now=NOW, tz=UTC)
    assert card["customer"]["last_touch"] == "2026-11-22T10:00:00Z"
    assert [(d["lead_id"], d["value"], d["currency"]) for d in card["deals"]] == [
        (a.id, "1000.00", "USD")
    ]
    assert [(f["due_date"], f["recur"]) for f in card["followups"]] == [("2027-02-23", "every-3m")]
    assert [x["note"] for x in card["activities"]] == ["signed"]
