"""`salesflow customer …`: who bought, how much, and their after-sales check-ins."""

from __future__ import annotations

from typing import Annotated

from salesflow.cli.options import (
    AddressOpt,
    DocLangOpt,
    Format,
    FormatOpt,
    LimitOpt,
    RawOpt,
    TaxIdOpt,
    buyer_facts,
)
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.session import Session
from salesflow.i18n import N_, _
from salesflow.words import rhythm

app = command_group(
    help=N_("Customers (made when a deal is won): purchases, segments, check-ins."),
    no_args_is_help=True,
)

CustomerRef = Annotated[str, Argument(help=N_("Customer number (3, #3) or a piece of its name."))]


@app.command("list")
def list_(
    ctx: Context,
    segment: Annotated[
        str | None, Option("--segment", "-s", help=N_("Only key, smb or individual."))
    ] = None,
    all_: Annotated[
        bool, Option("--all", "-a", help=N_("Also customers with no won deal left."))
    ] = False,
    limit: LimitOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """Customers: deals won, won value per currency, first/last purchase, repeat buyer."""
    from salesflow import customers
    from salesflow.output import render
    from salesflow.output.customers import customer_columns

    s: Session = ctx.obj
    with s.read() as conn:
        found = customers.summaries(conn, include_all=all_, segment=segment)
        rows = [c.record() for c in found[:limit]]
        every = [] if rows or all_ else customers.summaries(conn, include_all=True, segment=segment)
        hidden = len(every)
    if hidden:  # a reopened win leaves its customer without a won deal: say where they are
        empty = _(
            "No customer has a won deal now — {hidden} without: salesflow customer list --all"
        ).format(hidden=hidden)
    else:
        empty = _("No customers yet — a deal becomes one when it is won: salesflow advance N won")
    render(
        rows, fmt.value, s.term, columns=customer_columns(s.tz), raw=raw,
        keys=customers.RECORD_KEYS, empty=empty,
    )  # fmt: skip


@app.command("show")
def show(ctx: Context, ref: CustomerRef, fmt: FormatOpt = Format.table) -> None:
    """One customer: figures, won deals, open check-ins, recent activity."""
    from salesflow import customers

    s: Session = ctx.obj
    with s.read() as conn:
        card = customers.card(conn, ref, now=s.now, tz=s.tz)
    if fmt in (Format.json, Format.ndjson):
        from salesflow.output import write_object

        write_object(card, s.term)
    elif fmt == Format.table:
        from salesflow.output.customers import customer_card

        customer_card(card, s.term, s.tz)
    else:
        from salesflow.output import render

        render([card["customer"]], fmt.value, s.term)


@app.command("edit")
def edit(
    ctx: Context,
    ref: CustomerRef,
    segment: Annotated[
        str | None, Option("--segment", "-s", help=N_("key (key account), smb or individual."))
    ] = None,
    checkin: Annotated[
        str | None,
        Option("--checkin", help=N_("Recurring check-in: every-30d, every-2w, every-3m, or none.")),
    ] = None,
    name: Annotated[str | None, Option("--name", help=N_("Rename the customer."))] = None,
    address: AddressOpt = None,
    tax_id: TaxIdOpt = None,
    doc_lang: DocLangOpt = None,
) -> None:
    """Set a customer's segment, check-in rhythm, name, or the buyer facts its quotes print
    (address, tax ID, document language: a quote to any of its leads uses them where the lead
    has none of its own)."""
    from salesflow import customers

    s: Session = ctx.obj
    with s.write() as conn:
        customer = customers.resolve(conn, ref)
        updated, planned = customers.edit(
            conn, customer, name=name, segment=segment, checkin=checkin,
            facts=buyer_facts(address, tax_id, doc_lang), now=s.now, tz=s.tz,
        )  # fmt: skip
    s.term.say(_("Updated customer {label}").format(label=updated.label))
    if planned:
        s.term.say(
            _("Check-in {label} due {due_text}, then {checkin_every}").format(
                label=planned.label,
                due_text=planned.due_text,
                checkin_every=rhythm(updated.checkin_every),
            )
        )
    elif checkin is not None and updated.checkin_every is None:
        s.term.say(_("No recurring check-ins."))
