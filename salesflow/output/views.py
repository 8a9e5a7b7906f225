"""Rich views of domain data: column sets for listings and the lead card."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from salesflow import money
from salesflow.output import Column
from salesflow.output.terminal import Terminal


def _money(row: dict[str, Any], key: str = "value") -> str:
    value = row.get(key)
    if value is None:
        return ""
    return money.display(money.to_minor(_dec(value), row["currency"]), row["currency"])


def _dec(text: str) -> Any:
    from decimal import Decimal

    return Decimal(text)


def lead_columns() -> list[Column]:
    return [
        Column("id", "#", justify="right", style="dim"),
        Column("name", "Name", style="bold"),
        Column("company", "Company", hide=5),
        Column("stage", "Stage", style="cyan", no_wrap=True),
        Column("grade", "Grade", justify="center", hide=3),
        Column("value", "Value", justify="right", get=_money),
        Column(
            "probability", "Prob", justify="right", get=lambda r: f"{r['probability']}%", hide=4
        ),
        Column("source", "Source", hide=2),
        Column("tags", "Tags", style="magenta", hide=1),
        Column("next_action", "Next step", hide=2),
        Column("next_due", "Due", no_wrap=True, hide=2),
    ]


def stage_columns() -> list[Column]:
    return [
        Column("position", "#", justify="right", style="dim", hide=2),
        Column("name", "Stage", style="bold", no_wrap=True),
        Column("probability", "Win %", justify="right", get=lambda r: f"{r['probability']}%"),
        Column("kind", "Kind", hide=1),
        Column(
            "stale_days",
            "Stale after",
            justify="right",
            get=lambda r: f"{r['stale_days']} d",
            hide=3,
        ),
        Column("open_deals", "Open deals", justify="right"),
    ]


_HEADERS = {"id": "#", "at": "When", "happened_at": "When", "done_at": "Done", "recur": "Repeats"}
_TITLES = {"followups": "Follow-ups", "history": "Stage history"}
_MONEY = {"total", "value"}  # money keys of a card's sections, each beside a `currency`


def when(iso: str | None, tz: tzinfo | None = None) -> str:
    """A stored UTC time shown in the user's zone (`2026-11-23 17:00`)."""
    if not iso:
        return ""
    if tz is None:
        return iso.replace("T", " ").removesuffix("Z")[:16] + " UTC"
    from salesflow.dates import from_utc_iso

    return from_utc_iso(iso).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def search_columns(tz: tzinfo | None = None) -> list[Column]:
    def day(row: dict[str, Any]) -> str:
        value = row.get("when")
        if not value:
            return ""
        # A follow-up's due day and a quote's issue day are calendar days already.
        return value if len(value) == 10 else when(value, tz)[:10]

    # Narrow, the match keeps its room: the lead's name gives way first, then the date.
    return [
        Column("kind", "Kind", no_wrap=True),
        Column("ref", "Ref", no_wrap=True),
        Column("lead", "Lead", hide=1),
        Column("match", "Match"),
        Column("when", "When", get=day, no_wrap=True, hide=2),
    ]


def lead_card(card: dict[str, Any], term: Terminal, tz: tzinfo | None = None) -> None:
    title, facts, sections = _card_parts(card, tz)
    if not term.is_tty and not term.fit and (text := _plain_card(title, facts, sections)):
        term.out.write(text)  # a pipe: the same characters Rich writes, without Rich
        return
    from rich.table import Table
    from rich.text import Text

    console = term.console()
    head = Text(title[0], style="bold")
    if title[1]:
        head.append(title[1])
    console.print(head)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    for label, value in facts:
        grid.add_row(label, Text(value))
    console.print(grid)
    for name, headers, rows in sections:
        console.print()
        console.print(Text(name, style="bold underline"))
        section = Table(box=None, header_style="dim", pad_edge=False)
        for header in headers:
            section.add_column(header)
        for row in rows:
            section.add_row(*(Text(cell) for cell in row))
        console.print(section)


Section = tuple[str, list[str], list[list[str]]]


def _card_parts(
    card: dict[str, Any], tz: tzinfo | None
) -> tuple[tuple[str, str], list[tuple[str, str]], list[Section]]:
    """The card as text: its title (name, then the company after two spaces), its facts
    (label, value) and its sections (title, column headers, rows of cells)."""
    lead = card["lead"]
    title = (f"#{lead['id']} {lead['name']}", f"  {lead['company']}" if lead["company"] else "")
    bant = "  ".join(
        f"{k}: {lead['bant_' + k]}" for k in ("budget", "authority", "need", "timeline")
    )
    facts = [
        (label, str(value))
        for label, value in (
            ("Stage", f"{lead['stage']} ({lead['probability']}%)"),
            ("Value", _money(lead) or "—"),
            ("Grade", lead["grade"]),
            ("Source", lead["source"]),
            ("Email", lead["email"]),
            ("Phone", lead["phone"]),
            ("Address", lead.get("address")),
            ("Tax ID", lead.get("tax_id")),
            ("Quote language", lead.get("doc_lang")),
            ("Tags", lead["tags"]),
            ("Expected close", lead["expected_close"]),
            ("BANT", bant + (f"  ({lead['bant_note']})" if lead["bant_note"] else "")),
            ("Lost reason", lead["lost_reason"]),
            ("Won note", lead["won_note"]),
            ("Notes", lead["notes"]),
            ("Created", when(lead["created_at"], tz)),
            ("Closed", when(lead["closed_at"], tz)),
        )
        if value
    ]
    sections = []
    for name, rows in card.items():
        if name == "lead" or not rows:
            continue
        # Money reads as everywhere else ("82,080.00 USD"), its currency beside it, not apart.
        keys = [k for k in rows[0] if not (k == "currency" and _MONEY & rows[0].keys())]
        headers = [_HEADERS.get(key, key.replace("_", " ").capitalize()) for key in keys]
        cells = [
            [
                _money(row, k) if k in _MONEY and "currency" in row else _cell(k, row[k], tz)
                for k in keys
            ]
            for row in rows
        ]
        sections.append((_TITLES.get(name, name.replace("_", " ").capitalize()), headers, cells))
    return title, facts, sections


def _cell(key: str, value: Any, tz: tzinfo | None) -> str:
    if value is None:
        return ""
    is_time = (key == "at" or key.endswith("_at")) and isinstance(value, str)
    return when(value, tz) if is_time else str(value)


def _plain_card(
    title: tuple[str, str], facts: list[tuple[str, str]], sections: list[Section], width: int = 160
) -> str | None:
    """The card as Rich draws it in a pipe (`width` cells, no colour): the facts as a grid two
    cells apart, each section a borderless table one cell of padding each side of a column
    (none at the edges), every cell padded to its column. None when Rich would do more than
    that — a line wider than `width` (it wraps), a character whose width is not known here,
    a line break in a cell — and Rich draws it."""
    from salesflow.output import plain

    def table(rows: list[list[str]], gap: int) -> list[str] | None:
        sizes = [[plain.width(cell) for cell in row] for row in rows]
        if any(n is None for row in sizes for n in row):
            return None
        widths = [max(col) for col in zip(*sizes, strict=True)]  # type: ignore[type-var]
        if sum(widths) + gap * (len(widths) - 1) > width:
            return None
        return [
            (" " * gap).join(
                cell + " " * (w - n) for cell, n, w in zip(row, ns, widths, strict=True)
            )
            for row, ns in zip(rows, sizes, strict=True)
        ]

    head = title[0] + title[1]
    if plain.width(head) is None or plain.width(head) > width:  # type: ignore[operator]
        return None
    lines = [head]
    if facts:
        grid = table([list(f) for f in facts], 2)
        if grid is None:
            return None
        lines += grid
    for name, headers, rows in sections:
        drawn = table([headers, *rows], 2)
        if drawn is None or plain.width(name) is None:
            return None
        lines += ["", name, *drawn]
    return "\n".join(lines) + "\n"


def quote_columns() -> list[Column]:
    return [
        Column("number", "Quote", style="bold", no_wrap=True),
        Column("lead_id", "Lead", justify="right", get=lambda r: f"#{r['lead_id']}"),
        Column("lead", "Name", hide=4),
        Column("company", "Company", hide=2),
        Column("status", "Status", style="cyan", no_wrap=True),
        Column("total", "Total", justify="right", get=lambda r: _money(r, "total")),
        Column("issued_on", "Date", no_wrap=True, hide=1),
        Column("valid_until", "Valid until", no_wrap=True, hide=3),
    ]


_STATUS_STYLES = {
    "draft": "yellow",
    "sent": "cyan",
    "accepted": "green",
    "rejected": "red",
    "expired": "red",
}


def quote_status_style(row: dict[str, Any]) -> str | None:
    return "dim" if row.get("status") in ("rejected", "expired") else None


def quote_card(view: dict[str, Any], term: Terminal) -> None:
    """`quote show` on a terminal, from the same view model as the documents."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = term.console()
    title = Text(view["number"], style="bold")
    title.append(f"  {view['status']}", style=_STATUS_STYLES.get(view["status"], ""))
    if view["reason"]:
        title.append(f"  ({view['reason']})")
    console.print(title)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    client = " · ".join(view["client_lines"])
    for label, value in (
        ("For", client),
        ("Date", view["issued_on"]),
        ("Valid until", view["valid_until"]),
        ("Currency", view["currency"]),
    ):
        facts.add_row(label, Text(value))
    console.print(facts)
    items = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    items.add_column("#", justify="right", style="dim")
    items.add_column("Description", overflow="fold")
    items.add_column("Qty", justify="right")
    if view["has_units"]:
        items.add_column("Unit")
    items.add_column("Unit price", justify="right")
    if view["has_line_discounts"]:
        items.add_column("Line total", justify="right")
        items.add_column("Discount", justify="right")
    items.add_column("Amount", justify="right")
    for li in view["lines"]:
        cells = [li["no"], Text(li["description"]), li["quantity"]]
        cells += [Text(li["unit"])] if view["has_units"] else []
        cells.append(li["unit_price"])
        if view["has_line_discounts"]:
            disc = " ".join(filter(None, (li["discount_label"], li["discount"])))
            cells += [li["gross"], disc]
        items.add_row(*cells, li["amount"])
    if view["lines"]:
        console.print(items)
    else:
        console.print(Text("No items yet.", style="italic"))
    totals = Table.grid(padding=(0, 2))
    totals.add_column(justify="right")
    totals.add_column(justify="right")
    for t in view["totals"]:
        style = "bold" if t["kind"] == "total" else None
        totals.add_row(Text(t["label"], style=style or ""), Text(t["amount"], style=style or ""))
    console.print(totals)
    for heading, lines in (
        ("Notes", view["note_lines"]),
        ("Payment terms", view["terms_lines"]),
        ("Delivery", view["delivery_lines"]),
    ):
        if lines:
            console.print()
            console.print(Text(heading, style="bold underline"))
            for line in lines:
                console.print(Text(line))
