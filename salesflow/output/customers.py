"""Views of customers: the list with purchase figures and the customer card."""

from __future__ import annotations

from datetime import tzinfo
from decimal import Decimal
from typing import Any

from salesflow import money
from salesflow.i18n import _
from salesflow.output import Column, render
from salesflow.output.agenda import due
from salesflow.output.terminal import Terminal
from salesflow.output.views import when

SEGMENT_NAMES = {"key": "key account", "smb": "SMB", "individual": "individual"}


def won_value(row: dict[str, Any]) -> str:
    """Per-currency totals, never summed across currencies: `500,000.00 CNY + 12,500.00 USD`."""
    parts = [p.split(" ") for p in (row.get("won_values") or "").split("; ") if p]
    return " + ".join(money.display(money.to_minor(Decimal(v), cur), cur) for v, cur in parts)


def customer_columns(tz: tzinfo | None = None) -> list[Column]:
    def _day(key: str) -> Any:
        return lambda r: when(r.get(key), tz)[:10]  # the local calendar day

    return [
        Column("id", "#", justify="right", style="dim"),
        Column("name", "Customer", style="bold"),
        Column(
            "segment", "Segment", get=lambda r: SEGMENT_NAMES.get(r["segment"] or "", "—"), hide=5
        ),
        Column("won_deals", "Won", justify="right"),
        Column("won_value", "Won value", justify="right", get=won_value),
        Column("first_purchase", "First", get=_day("first_purchase"), no_wrap=True, hide=3),
        Column("last_purchase", "Last", get=_day("last_purchase"), no_wrap=True, hide=6),
        Column("repeat", "Repeat", get=lambda r: "yes" if r["repeat"] else "no", hide=4),
        Column("last_touch", "Last touch", get=_day("last_touch"), no_wrap=True, hide=1),
        Column(
            "next_checkin",
            "Next check-in",
            get=lambda r: r["next_checkin"] or "",
            no_wrap=True,
            hide=7,
        ),
        Column(
            "checkin_every",
            "Check-ins",
            get=lambda r: r["checkin_every"] or "",
            no_wrap=True,
            hide=2,
        ),
    ]


def customer_card(card: dict[str, Any], term: Terminal, tz: tzinfo | None = None) -> None:
    """Times in the user's zone `tz` (UTC, and said so, without one)."""
    from rich.table import Table
    from rich.text import Text

    c = card["customer"]
    console = term.console()
    console.print(Text(f"#{c['id']} {c['name']}", style="bold"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    for label, value in (
        ("Segment", SEGMENT_NAMES.get(c["segment"] or "", "— (customer edit --segment)")),
        ("Won deals", f"{c['won_deals']}" + ("  (repeat buyer)" if c["repeat"] else "")),
        ("Won value", won_value(c) or "—"),
        ("First purchase", when(c["first_purchase"], tz)),
        ("Last purchase", when(c["last_purchase"], tz)),
        ("Last touch", when(c["last_touch"], tz)),
        ("Check-ins", c["checkin_every"] or "none (customer edit --checkin every-3m)"),
        ("Next check-in", c["next_checkin"]),
        (_("Address"), c.get("address")),
        (_("Tax ID"), c.get("tax_id")),
        (_("Quote language"), c.get("doc_lang")),
    ):
        if value:
            facts.add_row(label, Text(str(value)))
    console.print(facts)
    sections = (
        ("Won deals", card["deals"], [
            Column("lead_id", "#", justify="right", style="dim"),
            Column("name", "Lead"),
            Column("value", "Value", justify="right", get=_deal_value),
            Column("won_at", "Won", get=lambda r: when(r["won_at"], tz)),
            Column("won_note", "Note"),
        ]),
        ("Open follow-ups", card["followups"], [
            Column("id", "#", justify="right", style="dim"),
            Column("due_date", "Due", get=due),
            Column("action", "Action"),
            Column("recur", "Repeats"),
        ]),
        ("Recent activity", card["activities"], [
            Column("happened_at", "When", get=lambda r: when(r["happened_at"], tz)),
            Column("kind", "Kind"),
            Column("note", "Note"),
            Column("lead_id", "Lead", get=lambda r: f"#{r['lead_id']}"),
        ]),
    )  # fmt: skip
    for title, rows, columns in sections:
        if rows:
            console.print()
            render(rows, "table", term, columns=columns, title=title)


def _deal_value(row: dict[str, Any]) -> str:
    if row["value"] is None:
        return ""
    return money.display(money.to_minor(Decimal(row["value"]), row["currency"]), row["currency"])
