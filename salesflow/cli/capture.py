"""`salesflow import email` and `salesflow import contacts`: mail and phone contacts in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from salesflow.cli.data import (
    DryRunOpt,
    Encoding,
    EncodingOpt,
    OnDuplicate,
    SkipErrorsOpt,
    _Bar,
    _no_cycle_collection,
    _read,
    _run,
    import_app,
)
from salesflow.cli.params import Argument, Context, Option
from salesflow.cli.session import Session
from salesflow.i18n import N_, _, ngettext

if TYPE_CHECKING:
    import sqlite3

    from salesflow.importer import Plan, Progress
    from salesflow.importer.mail import MailPlan
    from salesflow.sheets import Sheet


@import_app.command("email")
def import_email(
    ctx: Context,
    source: Annotated[
        str,
        Argument(
            metavar="FILE|MAILDIR|-",
            help=N_(
                "An .eml message, an mbox file (Thunderbird, Gmail Takeout), a Maildir folder, "
                "or - for standard input."
            ),
        ),
    ],
    new_leads: Annotated[
        bool,
        Option(
            "--new-leads",
            help=N_(
                "Make a lead of each address that matches none (name from the display name, "
                "company from the domain unless a public mail domain), instead of reporting it."
            ),
        ),
    ] = False,
    dry_run: DryRunOpt = False,
    skip_errors: SkipErrorsOpt = False,
) -> None:
    """Log e-mail as activities on the leads whose addresses it names.

    Each message becomes an `email` activity at its Date (UTC) on every lead whose address is
    in its From, To or Cc: "Sent: subject" when it is from one of your addresses (config set
    me.emails you@x.com,you@gmail.com), else "Received: subject", with the first lines of the
    body (quoted replies and signatures left out) and the attachments' names. A message without
    a Date takes the time it was received.

    A message is logged once per lead (by its Message-ID), so importing the same mbox twice
    adds nothing. A reply to one of your sent messages that arrives while a follow-up of the
    lead is open and not yet overdue completes that follow-up. Messages that name no lead are
    counted and their addresses listed, or become leads with --new-leads. A message that
    cannot be read is a row error: the import changes nothing unless --skip-errors. One
    transaction, one `salesflow undo`.
    """
    import sys

    from salesflow import store
    from salesflow.errors import SalesflowError
    from salesflow.importer import mail, mailread
    from salesflow.importer.plan import Clock
    from salesflow.output.imports import mail_report_lines

    s: Session = ctx.obj
    with _no_cycle_collection():
        me = mail.my_addresses(store.get_setting(s.conn, "me.emails"))
        data = sys.stdin.buffer.read() if source == "-" else None
        described, messages = mailread.messages(source, data)
        options = mail.MailOptions(me, Clock(s.now, s.tz, s.date_order), s.currency, new_leads)
        with s.read() if dry_run else s.write() as conn, _Bar(s, 0) as bar:
            plan: MailPlan = mail.plan_mail(conn, described, messages, options, bar)
            print("\n".join(mail_report_lines(plan, dry_run=dry_run)), file=s.term.out)
            if plan.errors and not dry_run and not skip_errors:
                n = len(plan.errors)
                raise SalesflowError(
                    ngettext(
                        "{n} message has errors, so nothing was imported (first: {errors}) — "
                        "pass --skip-errors to import the others",
                        "{n} messages have errors, so nothing was imported (first: {errors}) — "
                        "pass --skip-errors to import the others",
                        n,
                    ).format(n=n, errors=plan.errors[0])
                )
            if dry_run:
                return
            added, made = mail.apply_mail(conn, plan, now_iso=s.now_iso, progress=bar)
    if not added:
        s.term.say(_("Nothing to import: no new messages for your leads"))
        return
    more = _(" and {made} new lead(s)").format(made=made) if made else ""
    closed = (
        _("; {count} follow-up(s) done by replies").format(count=len(plan.closes))
        if plan.closes
        else ""
    )
    s.term.say(
        ngettext(
            "Imported {added} e-mail activity{more}{closed} — "
            "salesflow undo takes the whole import back",
            "Imported {added} e-mail activities{more}{closed} — "
            "salesflow undo takes the whole import back",
            added,
        ).format(added=added, more=more, closed=closed)
    )


@import_app.command("contacts")
def import_contacts(
    ctx: Context,
    file: Annotated[
        str,
        Argument(metavar="FILE.vcf", help=N_("vCards (2.1, 3.0, 4.0); - reads standard input.")),
    ],
    encoding: EncodingOpt = Encoding.auto,
    dry_run: DryRunOpt = False,
    on_duplicate: Annotated[
        OnDuplicate,
        Option(
            "--on-duplicate",
            help=N_(
                "A contact matching a lead by email, phone or name + company: skip it, update "
                "the lead's facts, or count it as an error."
            ),
            case_sensitive=False,
        ),
    ] = OnDuplicate.skip,
    source: Annotated[
        str | None,
        Option("--source", "-s", help=N_("Source of the new leads (default: contacts).")),
    ] = None,
    stage: Annotated[
        str | None,
        Option("--stage", help=N_("Stage of the new leads (default: the first).")),
    ] = None,
    skip_errors: SkipErrorsOpt = False,
) -> None:
    """Import phone contacts (a .vcf from iOS, Android or WeChat Work) as leads.

    FN is the name (else N; N:张;伟;;; is 张伟), ORG the company, the preferred (else first)
    EMAIL and TEL the lead's email and phone; TITLE, the other numbers and addresses, ADR,
    BDAY and NOTE go into the notes. vCard 2.1 quoted-printable with CHARSET, folded lines and
    several typed TEL/EMAIL are read; PHOTO is skipped. Duplicates, --dry-run, the report,
    row (card) errors and `salesflow undo` work as in `import leads`.
    """
    from salesflow import importer
    from salesflow.importer import contacts

    s: Session = ctx.obj

    def read(path: str, enc: str) -> Sheet:
        return _read(path, enc, contacts.read)

    def plan(conn: sqlite3.Connection, sheet: Sheet, bar: Progress | None) -> Plan:
        options = importer.LeadOptions(
            currency=s.currency,
            clock=importer.Clock(s.now, s.tz, s.date_order),
            on_duplicate=on_duplicate.value,
            source=source or "contacts",
            stage=stage,
        )
        planned = importer.plan_leads(conn, sheet, options, bar)
        planned.errors = sorted(planned.errors + sheet.problems, key=lambda e: e.row)
        planned.rows += len(sheet.problems)  # every card counts, read or not
        planned.kept = []  # the card fields kept in notes are the README's, not surprises
        return planned

    _run(s, file, encoding.value, dry_run=dry_run, skip_errors=skip_errors, plan=plan,
         apply=importer.apply_leads, read=read)  # fmt: skip
