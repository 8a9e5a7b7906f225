"""`salesflow quote …`: numbered quotes, their documents, and the deal they close."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

from salesflow.cli import complete
from salesflow.cli.options import Format, FormatOpt, LimitOpt, RawOpt
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.quote_options import (
    DeliveryOpt,
    DiscountOpt,
    ItemsOpt,
    NoteOpt,
    QuoteRef,
    TaxNoteOpt,
    TaxOpt,
    TermsOpt,
    ValidOpt,
)
from salesflow.cli.quote_views import (
    doc_format_of,
    document_view,
    total,
    valid_until,
    write_private,
)
from salesflow.cli.session import Session
from salesflow.i18n import N_, _, active, join

if TYPE_CHECKING:
    from salesflow.moves import Move

app = command_group(
    help=N_(
        "Quotes: numbered offers with line items, discounts and tax; documents to send; "
        "accept to win the deal."
    ),
    no_args_is_help=True,
)


class DocFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


class DocLang(StrEnum):
    zh_CN = "zh_CN"
    en = "en"


@app.command("new")
def new(
    ctx: Context,
    lead_ref: Annotated[
        str,
        Argument(
            metavar="LEAD", help=N_("Lead number or name piece."), autocompletion=complete.leads
        ),
    ],
    item: ItemsOpt = None,
    discount: DiscountOpt = None,
    tax: TaxOpt = None,
    valid: ValidOpt = None,
    note: NoteOpt = None,
    currency: Annotated[
        str | None,
        Option("--currency", help=N_("ISO 4217 code (default: the prices', else the lead's).")),
    ] = None,
    terms: TermsOpt = None,
    delivery: DeliveryOpt = None,
    tax_note: TaxNoteOpt = None,
) -> None:
    """Create a draft quote for a lead (numbered Q-YEAR-NNNN)."""
    from decimal import Decimal

    from salesflow import config, leads, products, quotes, store

    s: Session = ctx.obj
    with s.write() as conn:
        lead = leads.resolve(conn, lead_ref)
        texts = products.link_items(
            conn, [quotes.split_item(t, priceless=True) for t in item or []]
        )
        code = quotes.quote_currency(texts, currency, lead.currency)
        item_list = quotes.read_items(texts, code)
        if tax is not None:
            tax_rate = quotes.parse_tax(tax)
        else:
            tax_rate = products.catalogue_tax([t.product for t in texts])  # 0% is a rate too
            tax_rate = config.quote_tax(conn) or Decimal(0) if tax_rate is None else tax_rate
        given = {"payment_terms": terms, "delivery": delivery, "tax_note": tax_note}
        defaults = {"payment_terms": "seller.payment_terms", "delivery": "seller.delivery",
                    "tax_note": "quote.tax_note"}  # fmt: skip
        wording = {
            k: v if v is not None else store.get_setting(conn, defaults[k])
            for k, v in given.items()
        }
        quote = quotes.create(
            conn,
            lead,
            item_list=item_list,
            currency=code,
            rounding=config.rounding(conn),
            discount=quotes.parse_discount(discount, code) if discount is not None else None,
            tax_rate=tax_rate,
            valid_until=valid_until(s, conn, valid),
            note=note,
            today=s.today,
            now_iso=s.now_iso,
            wording=wording,
        )
    lines = _("{count} item(s)").format(count=len(item_list)) if item_list else _("no items yet")
    s.term.say(
        _(
            "Created draft quote {number} for {label}: {lines}, total "
            "{quote}, valid until {valid_until}"
        ).format(
            number=quote.number,
            label=lead.label,
            lines=lines,
            quote=total(quote),
            valid_until=quote.valid_until,
        )
    )


@app.command("add-item")
def add_item(
    ctx: Context,
    ref: QuoteRef,
    items: Annotated[
        list[str],
        Argument(
            metavar="ITEM...",
            help=N_(
                '"description; quantity; unit price[; unit][; discount]", or a catalogue '
                "product by its SKU or unique name at the catalogue's price, unit and tax: "
                '"G2; 50" (an explicit price overrides: "G2; 50; 950"); one or more.'
            ),
        ),
    ],
    discount: Annotated[
        str | None,
        Option("--discount", "-d", help=N_("Discount on these lines: 10% or an amount.")),
    ] = None,
) -> None:
    """Add line items to a draft quote."""
    from salesflow import products, quotes

    s: Session = ctx.obj
    with s.write() as conn:
        quote = quotes.resolve(conn, ref)
        texts = products.link_items(conn, [quotes.split_item(t, priceless=True) for t in items])
        new_items = quotes.read_items(texts, quote.currency, discount)
        quote = quotes.add_item(conn, quote, new_items, today=s.today, now_iso=s.now_iso)
    s.term.say(
        _("Added {count} item(s) to {number}: total {quote}").format(
            count=len(new_items), number=quote.number, quote=total(quote)
        )
    )


@app.command("rm-item")
def rm_item(
    ctx: Context,
    ref: QuoteRef,
    line: Annotated[int, Argument(help=N_("Line number, as in quote show."))],
) -> None:
    """Remove a line item from a draft quote (later lines move up)."""
    from salesflow import quotes

    s: Session = ctx.obj
    with s.write() as conn:
        quote = quotes.resolve(conn, ref)
        quote, removed = quotes.remove_item(conn, quote, line, today=s.today, now_iso=s.now_iso)
    s.term.say(
        _('Removed line {line} ("{description}") from {number}: total {quote}').format(
            line=line, description=removed.description, number=quote.number, quote=total(quote)
        )
    )


@app.command("edit")
def edit(
    ctx: Context,
    ref: QuoteRef,
    discount: DiscountOpt = None,
    tax: TaxOpt = None,
    valid: Annotated[
        str | None, Option("--valid", help=N_("New validity date: 30d, eom, 2026-12-31 …"))
    ] = None,
    note: Annotated[str | None, Option("--note", "-n", help=N_('New note ("" clears).'))] = None,
    terms: TermsOpt = None,
    delivery: DeliveryOpt = None,
    tax_note: TaxNoteOpt = None,
) -> None:
    """Change a draft quote's discount, tax, validity, note, payment terms, delivery or tax
    note ("" clears a text)."""
    from salesflow import quotes

    s: Session = ctx.obj
    with s.write() as conn:
        quote = quotes.resolve(conn, ref)
        quote = quotes.edit(
            conn,
            quote,
            discount=discount,
            tax_rate=quotes.parse_tax(tax) if tax is not None else None,
            valid_until=s.parse_date(valid) if valid is not None else None,
            note=note,
            today=s.today,
            now_iso=s.now_iso,
            wording={"payment_terms": terms, "delivery": delivery, "tax_note": tax_note},
        )
    s.term.say(
        _("Updated {number}: total {quote}, valid until {valid_until}").format(
            number=quote.number, quote=total(quote), valid_until=quote.valid_until
        )
    )


@app.command("show")
def show(ctx: Context, ref: QuoteRef, fmt: FormatOpt = Format.table, raw: RawOpt = False) -> None:
    """Show a quote: items, subtotal, discounts, tax, total, status and validity.
    CSV/TSV give one row per line item."""
    from salesflow import quotes

    s: Session = ctx.obj
    with s.read() as conn:
        quote = quotes.resolve(conn, ref)
        # The terminal speaks the interface language, whatever the document language.
        view, record, result = document_view(s, conn, quote, active())
    if fmt == Format.table:
        from salesflow.output.views import quote_card

        quote_card(view, s.term)
    elif fmt in (Format.json, Format.ndjson):
        from salesflow.output import write_object

        write_object(record | {"items": quotes.item_records(result)}, s.term)
    else:
        from salesflow.output import render

        rows = [
            {"number": quote.number, "currency": quote.currency} | row
            for row in quotes.item_records(result)
        ]
        render(rows, fmt.value, s.term, raw=raw, keys=["number", "currency", *quotes.ITEM_KEYS])


@app.command("list")
def list_(
    ctx: Context,
    status: Annotated[
        str | None,
        Option("--status", "-s", help=N_("draft, sent, accepted, rejected or expired.")),
    ] = None,
    lead_ref: Annotated[
        str | None,
        Option("--lead", "-l", help=N_("Only this lead's quotes."), autocompletion=complete.leads),
    ] = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """List quotes (a sent quote past its validity date shows as expired)."""
    from salesflow import leads, quotes
    from salesflow.output import render
    from salesflow.output.views import quote_columns, quote_status_style

    s: Session = ctx.obj
    with s.read() as conn:
        lead_id = leads.resolve(conn, lead_ref).id if lead_ref else None
        found = quotes.search(
            conn, today=s.today, status=status.strip().lower() if status else None, lead_id=lead_id
        )
        rows = [quotes.record(x.quote, s.today, x.lead_name, x.company) for x in found[:limit]]
    render(
        rows,
        fmt.value,
        s.term,
        columns=quote_columns(),
        raw=raw,
        empty=_("No quotes match."),
        row_style=quote_status_style,
        keys=quotes.RECORD_KEYS,
    )


@app.command("send")
def send(ctx: Context, ref: QuoteRef) -> None:
    """Mark a quote sent: the lead moves to the quote stage (if earlier; config quote.stage,
    else "quote", else the open stage nearest 65%) and a chase follow-up is planned (config
    quote.chase_days, default 3)."""
    from salesflow import config, quotes, store

    s: Session = ctx.obj
    with s.write() as conn:
        quote = quotes.resolve(conn, ref)
        sent = quotes.send(
            conn,
            quote,
            today=s.today,
            now_iso=s.now_iso,
            chase_days=config.quote_chase_days(conn),
            stage_name=store.get_setting(conn, "quote.stage"),
        )
    q = sent.quote
    s.term.say(
        _("Sent {number}: total {q}, valid until {valid_until}").format(
            number=q.number, q=total(q), valid_until=q.valid_until
        )
    )
    if sent.move:
        s.term.say(
            _("Lead #{lead_id} moved {from_stage} → {to_stage}").format(
                lead_id=q.lead_id, from_stage=sent.move.from_stage, to_stage=sent.move.to_stage
            )
        )
    if sent.stage_note:
        from salesflow.cli.hints import word

        s.term.say(word(sent.stage_note, sent.stage_hint))
    if sent.chase_due:
        s.term.say(
            _("Follow-up planned: chase {number} on {chase_due}").format(
                number=q.number, chase_due=sent.chase_due
            )
        )


@app.command("render")
def render_doc(
    ctx: Context,
    ref: QuoteRef,
    fmt: Annotated[
        DocFormat | None,
        Option(
            "--format",
            "-f",
            help=N_("md, html or pdf (default: from the -o file's extension, else html)."),
            case_sensitive=False,
        ),
    ] = None,
    output: Annotated[
        str | None, Option("--output", "-o", help=N_("Write to this file instead of stdout."))
    ] = None,
    lang: Annotated[
        DocLang | None,
        Option(
            "--lang",
            help=N_("zh_CN (报价单) or en (default: the lead's --doc-lang, else English)."),
        ),
    ] = None,
) -> None:
    """The quote as a document to send: Markdown, one self-contained HTML file, or PDF
    (A4, fonts embedded), in Chinese or English."""
    import sys

    from salesflow import quotes
    from salesflow.errors import SalesflowError
    from salesflow.output import documents

    s: Session = ctx.obj
    chosen = fmt.value if fmt else doc_format_of(output)
    if chosen == "pdf" and output is None and s.term.is_tty:
        raise SalesflowError(_("a PDF is not for the terminal — give a file: -o quote.pdf"))
    with s.read() as conn:
        quote = quotes.resolve(conn, ref)
        view, __, __ = document_view(s, conn, quote, lang.value if lang else None)
    if chosen == "pdf":
        data = documents.render_quote_pdf(view)
        if output is None:
            s.term.raw.flush()
            sys.stdout.buffer.write(data)
            return
    else:
        text = documents.render_quote(view, chosen)
        if output is None:
            s.term.raw.write(text)  # a document: the exact text
            return
        data = text.encode("utf-8")
    write_private(output, data)
    names = {"zh_CN": N_("Chinese"), "en": N_("English")}
    language = _(names[view["lang"]])
    s.term.say(
        _("Wrote {number} as {chosen} to {output} ({language})").format(
            number=quote.number, chosen=chosen, output=output, language=language
        )
    )


@app.command("accept")
def accept(
    ctx: Context,
    ref: QuoteRef,
    force: Annotated[
        bool, Option("--force", help=N_("Accept even though the quote has expired."))
    ] = False,
) -> None:
    """The client accepted: the deal is won, its value set to the quote total."""
    from salesflow import quotes

    s: Session = ctx.obj
    with s.write() as conn:
        quote = quotes.resolve(conn, ref)
        done = quotes.accept(conn, quote, today=s.today, now_iso=s.now_iso, force=force)
    q = done.quote
    won = _("deal won") if done.move else _("deal was already won")
    dropped = done.move.dropped_note() if done.move else ""
    s.term.say(
        _("Accepted {number}: {won}, value {total} (lead #{lead_id}){dropped}").format(
            number=q.number, won=won, total=total(q), lead_id=q.lead_id, dropped=dropped
        )
    )
    if done.superseded:
        s.term.say(
            _("Marked rejected as superseded: {superseded}").format(
                superseded=join(done.superseded)
            )
        )
    _other_sent(s, done.move, {q.number, *done.superseded})


@app.command("reject")
def reject(
    ctx: Context,
    ref: QuoteRef,
    reason: Annotated[
        str | None, Option("--reason", "-r", help=N_('Why, e.g. "budget cut".'))
    ] = None,
    lost: Annotated[
        bool, Option("--lost", help=N_("Also mark the deal lost, with the reason."))
    ] = False,
) -> None:
    """The client said no (use `quote copy` to renegotiate, --lost to close the deal)."""
    from salesflow import quotes

    s: Session = ctx.obj
    with s.write() as conn:
        quote = quotes.resolve(conn, ref)
        done = quotes.reject(conn, quote, reason=reason, lost=lost, now_iso=s.now_iso)
    if done.quote.reason:
        said = _("Rejected {number} ({reason})").format(
            number=done.quote.number, reason=done.quote.reason
        )
    else:
        said = _("Rejected {number}").format(number=done.quote.number)
    s.term.say(said)
    if done.move:
        s.term.say(
            _("Lead #{lead_id} moved {from_stage} → lost").format(
                lead_id=done.quote.lead_id, from_stage=done.move.from_stage
            )
        )
    _other_sent(s, done.move, {done.quote.number})


def _other_sent(s: Session, move: Move | None, decided: set[str]) -> None:
    """The deal's other quotes still out once it closed on this one: the client's answer
    to this quote is a no to those."""
    from salesflow.cli.hints import sent_quotes

    if move and (others := tuple(n for n in move.sent_quotes if n not in decided)):
        s.term.say(sent_quotes(others, won=False))


@app.command("copy")
def copy(ctx: Context, ref: QuoteRef, valid: ValidOpt = None) -> None:
    """A new draft version for renegotiation: Q-2026-0001 → Q-2026-0001-v2."""
    from salesflow import quotes

    s: Session = ctx.obj
    with s.write() as conn:
        quote = quotes.resolve(conn, ref)
        new_quote = quotes.copy(
            conn, quote, valid_until=valid_until(s, conn, valid), today=s.today, now_iso=s.now_iso
        )
    s.term.say(
        _(
            "Copied {number} to new draft {number2} (valid until "
            "{valid_until}); change it with quote add-item / rm-item / "
            "edit, then send it"
        ).format(number=quote.number, number2=new_quote.number, valid_until=new_quote.valid_until)
    )
