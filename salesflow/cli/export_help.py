"""The help of `salesflow export`: built from the tables the exporter writes."""

from __future__ import annotations

from salesflow.exporter import SPECS
from salesflow.i18n import _


def export_help() -> str:
    """`export --help`, built when it is shown (cli/typer_build.py calls it): it lists the
    tables, their columns and what a row of each is, in the active language."""
    import textwrap

    from salesflow.i18n import active
    from salesflow.output.layout import wrap

    def fill(text: str) -> str:
        if active() == "en":
            return textwrap.fill(text, 78, subsequent_indent="    ")
        # Chinese takes two cells a character and breaks between them: wrapped by cells,
        # every line indented (the table's name stays first on its own line's start).
        first, *rest = wrap("    " + text, 78)
        return "\n".join([first.lstrip(" "), *rest])

    tables = "\n".join(
        fill(f"{s.name}: {', '.join(s.columns)} — {_(s.about)}") for s in SPECS.values()
    )
    names = list(SPECS)
    parts = [
        _(
            "Write a whole table — {tables} — as CSV (default, or from the -o file's "
            "extension), TSV, JSON or NDJSON. Rows stream from the database, so any size "
            "exports in constant memory."
        ).format(tables=", ".join(names[:-1]) + _(" or ") + names[-1]),
        _(
            "Columns are stable, in this order (ids link the tables: lead_id -> leads.id, "
            "customer_id -> customers.id, quote_id -> quotes.id):"
        ),
        f"\b\n{tables}",
        _(
            "Money is a decimal string (500000.00; JPY 1200) beside its currency column; "
            "probability is the stage's win % today (derived; import ignores it); stage, "
            "from_stage and to_stage are named as you call them (stages set --won 成交), "
            "stage_kind is open, won or lost whatever the names (import ignores it); times "
            "(*_at) are ISO 8601 UTC; expected_close and due_date are local dates (YYYY-MM-DD), "
            "due_time a local HH:MM."
        ),
        _(
            "CSV/TSV are UTF-8 without a byte-order mark, RFC 4180, always with a header row; "
            "a text cell that starts with = + - @ tab or CR gets a leading ' so a spreadsheet "
            "cannot run it (--raw keeps it verbatim; import takes the ' off again); a phone "
            "number (+86 138 0000 0000) is data and stays as it is. --excel starts the output "
            "with the UTF-8 byte-order mark that Excel needs to show Chinese and accents "
            "instead of guessing the local code page, and quotes phone numbers too (Excel "
            "would compute them); leave it off for other tools, which read the mark as part of "
            "the first column's name."
        ),
        _("A file written with -o is created mode 0600 and appears only once complete."),
    ]
    return "\n\n".join(parts)
