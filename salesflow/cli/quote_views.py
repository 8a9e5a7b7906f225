"""What the quote commands show and write besides the domain's answers: a quote's total as
text, its validity date, the document view model, and the document file (kept apart from
cli/quotes.py, the commands themselves)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from salesflow import i18n
from salesflow.i18n import _

if TYPE_CHECKING:
    from salesflow.cli.session import Session
    from salesflow.quotes import Quote


def valid_until(s: Session, conn: sqlite3.Connection, text: str | None) -> Any:
    from salesflow import config

    if text is not None:
        return s.parse_date(text)
    from datetime import timedelta

    return s.today + timedelta(days=config.quote_valid_days(conn))


def total(quote: Quote) -> str:
    from salesflow import money

    return money.display(quote.total_minor, quote.currency)


def document_view(
    s: Session, conn: sqlite3.Connection, quote: Quote, lang: str | None = None
) -> tuple[dict, dict, Any]:
    from salesflow import buyers, leads, quotes, store
    from salesflow.output import documents

    lead = leads.get(conn, quote.lead_id)
    result = quotes.totals(conn, quote)
    settings = store.all_settings(conn)
    seller = documents.seller_from_settings(settings)
    # The lead's address, tax ID and document language, else its customer's.
    buyer = buyers.for_lead(conn, lead)
    # --lang, else the buyer's document language, else the interface language.
    chosen = lang or buyer["doc_lang"] or i18n.active()
    words = (settings.get("quote.amount_in_words") or "no").strip().lower() == "yes"
    view = documents.quote_view(
        quote, result, today=s.today, client=lead.record() | buyer, seller=seller, lang=chosen,
        words=words,
    )  # fmt: skip
    record = quotes.record(quote, s.today, lead.name, lead.company)
    return view, record, result


def doc_format_of(output: str | None) -> str:
    """The document format an -o file's extension asks for; html without one."""
    import os

    from salesflow.errors import SalesflowError

    extension = os.path.splitext(output or "")[1].lower()
    by_extension = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}
    if extension and extension not in by_extension:
        raise SalesflowError(
            _(
                "cannot render a quote as {extension} — name the file .pdf, "
                ".html or .md, or pass --format"
            ).format(extension=extension)
        )
    return by_extension.get(extension, "html")


def write_private(path: str, data: bytes) -> None:
    from pathlib import Path

    from salesflow.output.files import write_private

    write_private(Path(path).expanduser(), data)
