"""Options shared by many commands, declared once so every listing behaves the same."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class Format(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    ndjson = "ndjson"


FormatOpt = Annotated[
    Format,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
RawOpt = Annotated[
    bool,
    typer.Option("--raw", help="CSV/TSV: do not escape cells that look like spreadsheet formulas."),
]


class CalendarFormat(StrEnum):
    """The listing formats plus iCalendar, for listings of dated things."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    ndjson = "ndjson"
    ics = "ics"


CalendarFormatOpt = Annotated[
    CalendarFormat,
    typer.Option(
        "--format", "-f", help="Output format (ics: iCalendar for calendar apps).",
        case_sensitive=False,
    ),
]  # fmt: skip


def command_group(**settings: object) -> typer.Typer:
    """A sub-command Typer with the house settings: plain help (rich help costs ~60 ms) and no
    shell-completion options on every group (the lazy tree builds each group on its own)."""
    settings.setdefault("rich_markup_mode", None)
    settings.setdefault("add_completion", False)
    return typer.Typer(**settings)  # type: ignore[arg-type]
