"""Options shared by many commands, declared once so every listing behaves the same."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from salesflow.cli.params import Option
from salesflow.i18n import N_

# The most rows a per-section --limit takes: a bound SQLite's LIMIT can hold, far past any
# screen (every row: --format csv).
MAX_ROWS = 1_000_000


class Format(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    ndjson = "ndjson"


FormatOpt = Annotated[
    Format,
    Option("--format", "-f", help=N_("Output format."), case_sensitive=False),
]
LimitOpt = Annotated[
    int | None,
    Option("--limit", "-n", min=1, max=MAX_ROWS, help=N_("At most N rows (every format).")),
]
RawOpt = Annotated[
    bool,
    Option("--raw", help=N_("CSV/TSV: do not escape cells that look like spreadsheet formulas.")),
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
    Option(
        "--format", "-f", help=N_("Output format (ics: iCalendar for calendar apps)."),
        case_sensitive=False,
    ),
]  # fmt: skip

# The report window (`report …`): local days, and the day the figures are rebuilt at.
SinceOpt = Annotated[
    str | None,
    Option(
        "--since",
        metavar="DATE",
        help=N_("First local day counted: 2026-01-01, -30d, 'last monday' … (default: all time)."),
    ),
]
UntilOpt = Annotated[
    str | None,
    Option("--until", metavar="DATE", help=N_("Last local day counted (default: today).")),
]
AsOfOpt = Annotated[
    str | None,
    Option(
        "--as-of",
        metavar="DATE",
        help=N_("The numbers as they stood at the end of this day, rebuilt from the history."),
    ),
]

# A buyer's facts for documents, on a lead (lead add/edit) and on a customer (customer edit).
AddressOpt = Annotated[
    str | None, Option("--address", help=N_('Postal address for quotes ("" clears).'))
]
TaxIdOpt = Annotated[
    str | None,
    Option("--tax-id", help=N_('Tax ID / VAT number for quotes ("" clears).')),
]
DocLangOpt = Annotated[
    str | None,
    Option("--doc-lang", help=N_('Language of the quotes sent to them: zh_CN or en ("" clears).')),
]


def buyer_facts(address: str | None, tax_id: str | None, doc_lang: str | None) -> dict:
    """The buyer facts given on the command line (None: not given; "": clear it)."""
    if doc_lang is not None and doc_lang.strip():
        from salesflow.languages import check_doc_lang

        doc_lang = check_doc_lang(doc_lang)
    return {"address": address, "tax_id": tax_id, "doc_lang": doc_lang}
