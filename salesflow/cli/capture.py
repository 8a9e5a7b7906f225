"""`salesflow import email` and `salesflow import contacts`: mail and phone contacts in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from salesflow.cli.data import DryRunOpt, SkipErrorsOpt, _Bar, _no_cycle_collection, import_app
from salesflow.cli.params import Argument, Context, Option
from salesflow.cli.session import Session

if TYPE_CHECKING:
    from salesflow.importer.mail import MailPlan


@import_app.command("email")
def import_email(
    ctx: Context,
    source: Annotated[
        str,
        Argument(
            metavar="FILE|MAILDIR|-",
            help="An .eml message, an mbox file (Thunderbird, Gmail Takeout), a Maildir folder, "
            "or - for standard input.",
        ),
    ],
    new_leads: Annotated[
        bool,
        Option(
            "--new-leads",
            help="Make a lead of each address that matches none (name from the display name, "
            "company from the domain unless a public mail domain), instead of reporting it.",
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
                    f"{n} message{'s have' if n > 1 else ' has'} errors, so nothing was imported "
                    f"(first: {plan.errors[0]}) — pass --skip-errors to import the others"
                )
            if dry_run:
                return
            added, made = mail.apply_mail(conn, plan, now_iso=s.now_iso, progress=bar)
    if not added:
        s.term.say("Nothing to import: no new messages for your leads")
        return
    more = f" and {made} new lead(s)" if made else ""
    closed = f"; {len(plan.closes)} follow-up(s) done by replies" if plan.closes else ""
    s.term.say(
        f"Imported {added} e-mail activit{'y' if added == 1 else 'ies'}{more}{closed} — "
        "salesflow undo takes the whole import back"
    )
