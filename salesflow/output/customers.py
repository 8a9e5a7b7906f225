"""Views of customers: the list with purchase figures and the customer card."""

from __future__ import annotations

from datetime import tzinfo
from decimal import Decimal
from typing import Any

from salesflow import money
from salesflow.i18n import N_, _
from salesflow.output import Column, figures, render
from salesflow.output.agenda import due
from salesflow.output.terminal import Terminal
from salesflow.output.views import when, word
from salesflow.words import rhythm

SEGMENT_NAMES = {"key": N_("key account"), "smb": N_("SMB"), "individual": N_("individual")}


def segment(code: str | None, none: str = "—") -> str:
    """A segment as the user reads it (`key account`, 重点客户); `none` when unset."""
    return _(SEGMENT_NAMES[code]) if code in SEGMENT_NAMES else none


def won_value(row: dict[str, Any]) -> str:
    """Per-currency totals, never summed across currencies: `500,000.00 CNY + 12,500.00 USD`."""
    parts = [p.split(" ") for p in (row.get("won_values") or "").split("; ") if p]
    return " + ".join(figures.display(money.to_minor(Decimal(v), cur), cur) for v, cur in parts)


def customer_columns(tz: tzinfo | None = None) -> list[Column]:
    def _day(key: str) -> Any:
        return lambda r: when(r.get(key), tz)[:10]  # the local calendar day

    return [
        Column("id", "#", justify="right", style="dim"),
        Column("name", N_("Customer"), style="bold"),
        Column(
            "segment",
            N_("Segment"),
            get=lambda r: segment(r["segment"]),
            hide=5,
        ),
        Column("won_deals", N_("Won"), justify="right"),
        Column("won_value", N_("Won value"), justify="right", get=won_value),
        Column("first_purchase", N_("First"), get=_day("first_purchase"), no_wrap=True, hide=3),
        Column("last_purchase", N_("Last"), get=_day("last_purchase"), no_wrap=True, hide=6),
        Column("repeat", N_("Repeat"), get=lambda r: _("yes") if r["repeat"] else _("no"), hide=4),
        Column("last_touch", N_("Last touch"), get=_day("last_touch"), no_wrap=True, hide=1),
        Column(
            "next_checkin",
            N_("Next check-in"),
            get=lambda r: r["next_checkin"] or "",
            no_wrap=True,
            hide=7,
        ),
        Column(
            "checkin_every",
            N_("Check-ins"),
            get=lambda r: rhythm(r["checkin_every"]),
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
        (_("Segment"), segment(c["segment"], _("— (customer edit --segment)"))),
        (_("Won deals"), f"{c['won_deals']}" + (_("  (repeat buyer)") if c["repeat"] else "")),
        (_("Won value"), won_value(c) or "—"),
        (_("First purchase"), when(c["first_purchase"], tz)),
        (_("Last purchase"), when(c["last_purchase"], tz)),
        (_("Last touch"), when(c["last_touch"], tz)),
        (
            _("Check-ins"),
            rhythm(c["checkin_every"]) or _("none (customer edit --checkin every-3m)"),
        ),
        (_("Next check-in"), c["next_checkin"]),
        (_("Address"), c.get("address")),
        (_("Tax ID"), c.get("tax_id")),
        (_("Quote language"), c.get("doc_lang")),
    ):
        if value:
            facts.add_row(label, Text(str(value)))
    console.print(facts)
    sections = (
        (_("Won deals"), card["deals"], [
            Column("lead_id", "#", justify="right", style="dim"),
            Column("name", N_("Lead")),
            Column("value", N_("Value"), justify="right", get=_deal_value),
            Column("won_at", N_("Won"), get=lambda r: when(r["won_at"], tz), no_wrap=True),
            Column("won_note", N_("Note")),
        ]),
        (_("Bought"), card.get("bought", []), [
            Column("decided_at", _("Accepted"), no_wrap=True,
                   get=lambda r: when(r["decided_at"], tz)),
            Column("sku", _("SKU"), no_wrap=True, hide=2),
            Column("description", _("Item")),
            Column("quantity", _("Qty"), justify="right",
                   get=lambda r: f"{r['quantity']} {r['unit'] or ''}".rstrip()),
            Column("amount", _("Amount"), justify="right", get=_line_amount),
            Column("quote", _("Quote"), no_wrap=True, hide=1),
        ]),
        (_("Open follow-ups"), card["followups"], [
            Column("id", "#", justify="right", style="dim"),
            Column("due_date", N_("Due"), get=due, no_wrap=True),
            Column("action", N_("Action")),
            Column("recur", N_("Repeats"), get=lambda r: rhythm(r.get("recur"))),
        ]),
        (_("Recent activity"), card["activities"], [
            Column(
                "happened_at", N_("When"), get=lambda r: when(r["happened_at"], tz), no_wrap=True
            ),
            Column("kind", N_("Kind"), get=lambda r: word(r["kind"])),
            Column("note", N_("Note")),
            Column("lead_id", N_("Lead"), get=lambda r: f"#{r['lead_id']}"),
        ]),
    )  # fmt: skip
    for title, rows, columns in sections:
        if rows:
            console.print()
            render(rows, "table", term, columns=columns, title=title)


def _line_amount(row: dict[str, Any]) -> str:
    return figures.display(money.to_minor(Decimal(row["amount"]), row["currency"]), row["currency"])


def _deal_value(row: dict[str, Any]) -> str:
    if row["value"] is None:
        return ""
    return figures.display(money.to_minor(Decimal(row["value"]), row["currency"]), row["currency"])
