"""Rich views of domain data: column sets for listings and the lead card."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from salesflow import money
from salesflow.i18n import N_, _, bracketed
from salesflow.output import Column, figures
from salesflow.output.terminal import Terminal
from salesflow.words import WORDS, rhythm, word  # noqa: F401  (the output modules import them here)


def _money(row: dict[str, Any], key: str = "value") -> str:
    value = row.get(key)
    if value is None:
        return ""
    return figures.display(money.to_minor(_dec(value), row["currency"]), row["currency"])


def _dec(text: str) -> Any:
    from decimal import Decimal

    return Decimal(text)


def lead_columns() -> list[Column]:
    return [
        Column("id", "#", justify="right", style="dim"),
        Column("name", N_("Name"), style="bold"),
        Column("company", N_("Company"), hide=5),
        Column("stage", N_("Stage"), style="cyan", no_wrap=True),
        Column("grade", N_("Grade"), justify="center", hide=3),
        Column("value", N_("Value"), justify="right", get=_money),
        Column(
            "probability", N_("Prob"), justify="right", get=lambda r: f"{r['probability']}%", hide=4
        ),
        Column("source", N_("Source"), hide=2),
        Column("tags", N_("Tags"), style="magenta", hide=1),
        # A due date without its action says nothing: the date gives way first.
        Column("next_action", N_("Next step"), hide=3),
        Column("next_due", N_("Due"), no_wrap=True, hide=2),
    ]


def stage_columns() -> list[Column]:
    return [
        Column("position", "#", justify="right", style="dim", hide=2),
        Column("name", N_("Stage"), style="bold", no_wrap=True),
        Column("probability", N_("Win %"), justify="right", get=lambda r: f"{r['probability']}%"),
        Column("kind", N_("Kind"), get=lambda r: word(r["kind"]), hide=1),
        Column(
            "stale_days",
            N_("Stale after"),
            justify="right",
            get=lambda r: _("{n} d").format(n=r["stale_days"]),
            hide=3,
        ),
        Column("open_deals", N_("Open deals"), justify="right"),
    ]


_HEADERS = {
    "id": "#",
    "at": N_("When"),
    "happened_at": N_("When"),
    "done_at": N_("Done"),
    "recur": N_("Repeats"),
    "from": N_("From"),
    "to": N_("To"),
    "note": N_("Note"),
    "reason": N_("Reason"),
    "status": N_("Status"),
    "due": N_("Due"),
    "action": N_("Action"),
    "kind": N_("Kind"),
    "number": N_("Number"),
    "total": N_("Total"),
    "valid_until": N_("Valid until"),
}
_TITLES = {
    "followups": N_("Follow-ups"),
    "history": N_("Stage history"),
    "activities": N_("Activities"),
    "quotes": N_("Quotes"),
}
_WORD_KEYS = {"status", "kind"}


_MONEY = {"total", "value"}  # money keys of a card's sections, each beside a `currency`


def when(iso: str | None, tz: tzinfo | None = None) -> str:
    """A stored UTC time shown in the user's zone (`2026-11-23 17:00`)."""
    if not iso:
        return ""
    if tz is None:
        return iso.replace("T", " ").removesuffix("Z")[:16] + " UTC"
    from salesflow.dates import from_utc_iso

    return from_utc_iso(iso).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _ref(row: dict[str, Any]) -> str:
    # A follow-up's ref is `follow-up 7` in machine formats; a table says it in the language.
    if row.get("kind") == "followup":
        return _("follow-up {id}").format(id=row["id"])
    return str(row.get("ref") or "")


def search_columns(tz: tzinfo | None = None) -> list[Column]:
    def day(row: dict[str, Any]) -> str:
        value = row.get("when")
        if not value:
            return ""
        # A follow-up's due day and a quote's issue day are calendar days already.
        return value if len(value) == 10 else when(value, tz)[:10]

    # Narrow, the match keeps its room: the lead's name gives way first, then the date.
    return [
        Column("kind", N_("Kind"), get=lambda r: word(r["kind"]), no_wrap=True),
        Column("ref", N_("Ref"), get=_ref, no_wrap=True),
        Column("lead", N_("Lead"), hide=1),
        Column("match", N_("Match")),
        Column("when", N_("When"), get=day, no_wrap=True, hide=2),
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
    from salesflow.output import layout

    for n, ((name, headers, rows), keys) in enumerate(
        zip(sections, _section_keys(card), strict=True)
    ):
        if not (n and term.fit):  # laid out, the table above ends with its blank line
            console.print()
        console.print(Text(name, style="bold underline"))
        if term.fit:
            # Laid out like every table: a date, figure, stage or quote number is never cut.
            columns = [
                Column(str(i), header, no_wrap=key not in _FREE_TEXT)
                for i, (key, header) in enumerate(zip(keys, headers, strict=True))
            ]
            layout.table(columns, [{str(i): c for i, c in enumerate(row)} for row in rows], term)
            continue
        section = Table(box=None, header_style="dim", pad_edge=False)
        for header in headers:
            section.add_column(header)
        for row in rows:
            section.add_row(*(Text(cell) for cell in row))
        console.print(section)


# Free text in a card's sections: shortened with an ellipsis when the terminal is narrow.
_FREE_TEXT = {"note", "action", "description", "name", "company", "reason", "title", "subject"}


def _keys(rows: list[dict[str, Any]]) -> list[str]:
    """A section's columns: its keys, a money's currency written beside it, not apart."""
    return [k for k in rows[0] if not (k == "currency" and _MONEY & rows[0].keys())]


def _section_keys(card: dict[str, Any]) -> list[list[str]]:
    return [_keys(rows) for name, rows in card.items() if name not in ("lead", "fields") and rows]


Section = tuple[str, list[str], list[list[str]]]


def _card_parts(
    card: dict[str, Any], tz: tzinfo | None
) -> tuple[tuple[str, str], list[tuple[str, str]], list[Section]]:
    """The card as text: its title (name, then the company after two spaces), its facts
    (label, value) and its sections (title, column headers, rows of cells)."""
    lead = card["lead"]
    title = (f"#{lead['id']} {lead['name']}", f"  {lead['company']}" if lead["company"] else "")
    bant = "  ".join(
        _("{part}: {answer}").format(part=_(label), answer=word(lead["bant_" + k]))
        for k, label in (
            ("budget", N_("budget")),
            ("authority", N_("authority")),
            ("need", N_("need")),
            ("timeline", N_("timeline")),
        )
    )
    facts = [
        (label, str(value))
        for label, value in (
            (_("Stage"), bracketed(lead["stage"], f"{lead['probability']}%")),
            (_("Value"), _money(lead) or "—"),
            (_("Grade"), lead["grade"]),
            (_("Source"), lead["source"]),
            (_("Email"), lead["email"]),
            (_("Phone"), lead["phone"]),
            (_("Address"), lead.get("address")),
            (_("Tax ID"), lead.get("tax_id")),
            (_("Quote language"), lead.get("doc_lang")),
            (_("Tags"), lead["tags"]),
            *card.get("fields", {}).items(),
            (_("Expected close"), lead["expected_close"]),
            ("BANT", bant + (f"  ({lead['bant_note']})" if lead["bant_note"] else "")),
            (_("Lost reason"), lead["lost_reason"]),
            (_("Won note"), lead["won_note"]),
            (_("Notes"), lead["notes"]),
            (_("Created"), when(lead["created_at"], tz)),
            (_("Closed"), when(lead["closed_at"], tz)),
        )
        if value
    ]
    sections = []
    for name, rows in card.items():
        if name in ("lead", "fields") or not rows:
            continue
        # Money reads as everywhere else ("82,080.00 USD"), its currency beside it, not apart.
        keys = _keys(rows)
        headers = [_(_HEADERS.get(key, key.replace("_", " ").capitalize())) for key in keys]
        cells = [
            [
                _money(row, k) if k in _MONEY and "currency" in row else _cell(k, row[k], tz)
                for k in keys
            ]
            for row in rows
        ]
        title_ = _(_TITLES.get(name, name.replace("_", " ").capitalize()))
        sections.append((title_, headers, cells))
    return title, facts, sections


def _cell(key: str, value: Any, tz: tzinfo | None) -> str:
    if value is None:
        return ""
    is_time = (key == "at" or key.endswith("_at")) and isinstance(value, str)
    if key in _WORD_KEYS:
        return word(value)
    if key == "recur":
        return rhythm(value)
    if key == "note" and value == "pipeline changed":  # pipeline.REMAP_NOTE, a stored marker
        return _(value)
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
    return "".join(line.rstrip(" ") + "\n" for line in lines)


def quote_columns() -> list[Column]:
    return [
        Column("number", N_("Quote"), style="bold", no_wrap=True),
        Column("lead_id", N_("Lead"), justify="right", get=lambda r: f"#{r['lead_id']}"),
        Column("lead", N_("Name"), hide=4),
        Column("company", N_("Company"), hide=2),
        Column("status", N_("Status"), style="cyan", get=lambda r: word(r["status"]), no_wrap=True),
        Column("total", N_("Total"), justify="right", get=lambda r: _money(r, "total")),
        Column("issued_on", N_("Date"), no_wrap=True, hide=1),
        Column("valid_until", N_("Valid until"), no_wrap=True, hide=3),
    ]


def _item_columns(view: dict[str, Any]) -> list[Column]:
    cols = [
        Column("no", "#", justify="right", style="dim"),
        Column("description", N_("Description")),
        Column("quantity", N_("Qty"), justify="right"),
    ]
    if view["has_units"]:
        cols.append(Column("unit", N_("Unit"), no_wrap=True, hide=2))
    cols.append(Column("unit_price", N_("Unit price"), justify="right"))
    if view["has_line_discounts"]:
        cols.append(Column("gross", N_("Line total"), justify="right", hide=1))
        cols.append(Column("disc", N_("Discount"), justify="right"))
    cols.append(Column("amount", N_("Amount"), justify="right"))
    return cols


def _item_rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for li in view["lines"]:
        disc = " ".join(filter(None, (li.get("discount_label"), li.get("discount"))))
        rows.append({**li, "no": str(li["no"]), "disc": disc})
    return rows


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
    from rich.table import Table
    from rich.text import Text

    from salesflow.output import layout

    console = term.console()
    title = Text(view["number"], style="bold")
    title.append(f"  {word(view['status'])}", style=_STATUS_STYLES.get(view["status"], ""))
    if view["reason"]:
        title.append(f"  ({view['reason']})")
    console.print(title)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    rows = (
        (_("For"), " · ".join(view["client_lines"])),
        (_("Date"), view["issued_on"]),
        (_("Valid until"), view["valid_until"]),
        (_("Currency"), view["currency"]),
    )
    # Wrapped here, not by Rich, between the client's lines where they fit and never inside
    # a phone number.
    room = term.width - max(layout.cells(label) for label, _v in rows) - 2
    for label, value in rows:
        if label == rows[0][0] and term.fit and room > 0:
            value = "\n".join(layout.wrap_items(view["client_lines"], room))
        facts.add_row(label, Text(value))
    console.print(facts)
    if view["lines"]:
        # The item table follows every table's layout: figures whole, text shortened, cards
        # when even the essential columns do not fit.
        console.file.flush()
        layout.table(_item_columns(view), _item_rows(view), term)
    else:
        console.print(Text(_("No items yet."), style="italic"))
    totals = Table.grid(padding=(0, 2))
    totals.add_column(justify="right")
    totals.add_column(justify="right")
    for t in view["totals"]:
        style = "bold" if t["kind"] == "total" else None
        totals.add_row(Text(t["label"], style=style or ""), Text(t["amount"], style=style or ""))
    console.print(totals)
    for heading, lines in (
        (_("Notes"), view["note_lines"]),
        (_("Payment terms"), view["terms_lines"]),
        (_("Delivery"), view["delivery_lines"]),
    ):
        if lines:
            console.print()
            console.print(Text(heading, style="bold underline"))
            for line in lines:
                console.print(Text(line))
