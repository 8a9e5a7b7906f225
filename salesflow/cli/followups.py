"""`salesflow log`, `salesflow followup …` and `salesflow today`: touches, next steps, agenda."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from salesflow.cli import complete
from salesflow.cli.options import (
    MAX_ROWS,
    CalendarFormat,
    CalendarFormatOpt,
    Format,
    FormatOpt,
    RawOpt,
)
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.session import Session
from salesflow.i18n import N_, _

if TYPE_CHECKING:
    from salesflow.dates import Due
    from salesflow.followups import Followup

app = command_group(
    help=N_("Next steps: plan, list, complete and snooze follow-ups."), no_args_is_help=True
)
# One-command apps for the root's lazy registry (salesflow.cli.COMMANDS).
log_app = command_group()
today_app = command_group()

LeadRef = Annotated[
    str,
    Argument(
        help=N_("Lead number (12, #12) or a piece of its name/company."),
        autocompletion=complete.leads,
    ),
]
FollowupRef = Annotated[
    str,
    Argument(
        help=N_(
            "Follow-up number (5, #5), or a lead's name/company for its earliest open follow-up."
        )
    ),
]
DATE_HELP = N_("today, tomorrow, fri, next monday, +3d, +2w, in 3 days, eom, 2026-12-01 14:30 …")
# Help texts are catalog entries, so each is written out whole (no f-string).


def _due(s: Session, text: str) -> Due:
    from salesflow import dates

    return dates.parse_due(text, s.now, s.tz, s.date_order)


def _when(f: Followup) -> str:
    from datetime import date

    from salesflow.daynames import weekday

    return f"{weekday(date.fromisoformat(f.due_date))} {f.due_text}"


@log_app.command("log")
def log(
    ctx: Context,
    ref: LeadRef,
    note: Annotated[str, Argument(help=N_("What happened."))],
    kind: Annotated[
        str,
        Option(
            "--kind",
            "-k",
            help=N_(
                "The kind of touch: {activity_kinds} (more: salesflow config set activity_kinds)."
            ),
        ),
    ] = "note",
    at: Annotated[
        str | None,
        Option(
            "--at",
            help=N_(
                "When it happened (default now): yesterday 15:00, today, fri, 2026-12-01 14:30 …"
            ),
        ),
    ] = None,
    next_: Annotated[
        str | None, Option("--next", help=N_("Plan the next step: its action (needs --due)."))
    ] = None,
    due: Annotated[
        str | None,
        Option(
            "--due",
            help=N_(
                "When the next step is due: today, tomorrow, fri, next monday, +3d, +2w, "
                "in 3 days, eom, 2026-12-01 14:30 …"
            ),
        ),
    ] = None,
    done: Annotated[
        bool,
        Option(
            "--done",
            help=N_(
                "This touch completes a follow-up of the lead: number N when given "
                "(log LEAD NOTE --done N), else its earliest open one."
            ),
        ),
    ] = False,
    number: Annotated[
        str | None,
        Argument(
            metavar="[N]",
            help=N_("With --done: the number of the follow-up this touch completes (5, #5)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Log a call, email, meeting, visit or note on a lead (and plan or close its next step)."""
    from salesflow import activities, dates, followups, leads
    from salesflow.errors import SalesflowError
    from salesflow.i18n import _

    s: Session = ctx.obj
    if number is not None and not done:
        raise SalesflowError(
            _(
                '"{text}" after the note: a follow-up number goes with --done '
                "(log LEAD NOTE --done N); a note of several words goes in quotes"
            ).format(text=number)
        )
    if next_ is not None and due is None:
        raise SalesflowError(
            _("--next needs a due date — add --due fri (or {date_help})").format(
                date_help=DATE_HELP
            )
        )
    if due is not None and next_ is None:
        raise SalesflowError(_('--due is the next step\'s date — add --next "what to do"'))
    with s.write() as conn:
        lead = leads.resolve(conn, ref)
        happened = dates.parse_instant(at, s.now, s.tz, s.date_order) if at else s.now
        planned_due = _due(s, due) if due is not None else None
        activity = activities.log(
            conn, lead, kind, note, happened_at=dates.to_utc_iso(happened), now_iso=s.now_iso
        )
        closed = followups.to_close(conn, lead, number) if done else None
        # Which one --done alone closed, when the lead had a choice (the earliest of several).
        choice = len(followups.open_for_lead(conn, lead.id)) if closed and number is None else 0
        recurring = (
            followups.complete(conn, closed, done_at=activity.happened_at, now=s.now, tz=s.tz)
            if closed
            else None
        )
        planned = (
            followups.add(conn, lead, next_, planned_due, now=s.now, tz=s.tz)
            if next_ is not None and planned_due is not None
            else None
        )
    local = happened.astimezone(s.tz)
    # 电话, not call: the kind's entry in output/views.py's WORDS, looked up without importing
    # the views on this everyday command.
    entry = f"{activity.kind} (a kind of touch)"
    kind = activity.kind if (shown := _(entry)) == entry else shown
    s.term.say(
        _("Logged {kind} on {label} at {local:%a %Y-%m-%d %H:%M}").format(
            kind=kind, label=lead.label, local=local
        )
    )
    if closed and choice > 1:
        s.term.say(
            _(
                "Done: follow-up {label}, the earliest of {count} open — "
                "log … --done N closes another"
            ).format(label=closed.label, count=choice)
        )
    elif closed:
        s.term.say(_("Done: follow-up {label}").format(label=closed.label))
    if closed and (done_at := followups.closing_time(closed, activity.happened_at)) != (
        activity.happened_at
    ):
        s.term.say(
            _(
                "Follow-up {label} was created at {created:%Y-%m-%d %H:%M}, after this touch: "
                "it counts as done then, not before it existed"
            ).format(label=closed.label, created=dates.from_utc_iso(done_at).astimezone(s.tz))
        )
    if recurring:
        s.term.say(
            _("Next check-in {label} due {recurring}").format(
                label=recurring.label, recurring=_when(recurring)
            )
        )
    if planned:
        s.term.say(
            _("Next step {label} due {planned}").format(label=planned.label, planned=_when(planned))
        )


@app.command("add")
def add(
    ctx: Context,
    ref: LeadRef,
    action: Annotated[str, Argument(help=N_('What to do, e.g. "send proposal".'))],
    due: Annotated[str, Option("--due", "-d", help=DATE_HELP)],
    force: Annotated[
        bool, Option("--force", help=N_("Accept a due date that is already past."))
    ] = False,
) -> None:
    """Plan a next step on a lead."""
    from salesflow import dates, followups, leads

    s: Session = ctx.obj
    with s.write() as conn:
        lead = leads.resolve(conn, ref)
        parsed = _due(s, due)
        f = followups.add(conn, lead, action, parsed, now=s.now, tz=s.tz, force=force)
    if dates.is_overdue(parsed, s.now, s.tz):
        s.term.say(
            _("Warning: due {due_text} is already past — follow-up {label} is overdue").format(
                due_text=f.due_text, label=f.label
            )
        )
    s.term.say(
        _("Follow-up {label} on {label2} due {f}").format(
            label=f.label, label2=lead.label, f=_when(f)
        )
    )


@app.command("list")
def list_(
    ctx: Context,
    overdue: Annotated[bool, Option("--overdue", help=N_("Only overdue follow-ups."))] = False,
    today: Annotated[bool, Option("--today", help=N_("Only those due today."))] = False,
    days: Annotated[
        int | None,
        Option(
            "--days",
            min=0,
            help=N_("Look this many days ahead (default 7; with ics or --lead: all)."),
        ),
    ] = None,
    all_: Annotated[bool, Option("--all", "-a", help=N_("Every open follow-up."))] = False,
    lead: Annotated[
        str | None,
        Option(
            "--lead", "-l", help=N_("Only this lead's follow-ups."), autocompletion=complete.leads
        ),
    ] = None,
    limit: Annotated[
        int,
        Option("--limit", "-n", min=1, max=MAX_ROWS, help=N_("Table: at most N rows per group.")),
    ] = 100,
    fmt: CalendarFormatOpt = CalendarFormat.table,
    raw: RawOpt = False,
) -> None:
    """Open follow-ups: overdue (red), due today, the next 7 days — grouped.

    With --format ics, every open follow-up (unless narrowed) as an iCalendar file:
    salesflow followup list --format ics > followups.ics
    """
    from salesflow import followups, leads
    from salesflow.errors import SalesflowError

    s: Session = ctx.obj
    if overdue and today:
        raise SalesflowError(_("choose --overdue or --today, not both"))
    if all_ and (overdue or today or days is not None):
        raise SalesflowError(_("--all lists every open follow-up — drop --overdue/--today/--days"))
    only = "overdue" if overdue else "today" if today else None
    if all_ or (days is None and (fmt == CalendarFormat.ics or lead)):
        window = None  # a calendar export, or one lead's plan, wants every open follow-up
    else:
        window = 7 if days is None else days
    table = fmt == CalendarFormat.table
    with s.read() as conn:
        lead_id = leads.resolve(conn, lead).id if lead else None
        if table:  # at most `limit` rows of each group are shown: only those are read
            groups = followups.grouped(
                conn, now=s.now, tz=s.tz, only=only, days=window, lead_id=lead_id, limit=limit
            )
        else:
            found = followups.search(
                conn, now=s.now, tz=s.tz, only=only, days=window, lead_id=lead_id
            )
    if table:
        from salesflow.output.agenda import followup_table

        followup_table(
            [(g.when, [f.record(g.when) for f in g.items], g.total) for g in groups],
            s.term,
            days=window if window is not None else 7,
            limit=limit,
        )
        return
    rows = [f.record(w) for f, w in found]
    if fmt == CalendarFormat.ics:
        from salesflow.output import ics

        ics.write(ics.calendar(rows, tz=s.tz, now=s.now), s.term)
        return
    from salesflow.output.agenda import followup_list

    followup_list(
        rows, fmt.value, s.term, days=window if window is not None else 7, raw=raw, limit=limit
    )


@app.command("done")
def done(ctx: Context, ref: FollowupRef) -> None:
    """Mark a follow-up done (a recurring check-in plans its next one)."""
    from salesflow import followups

    s: Session = ctx.obj
    with s.write() as conn:
        f = followups.resolve(conn, ref)
        recurring = followups.complete(conn, f, done_at=s.now_iso, now=s.now, tz=s.tz)
    s.term.say(
        _("Done: follow-up {label} on #{lead_id} {lead_name}").format(
            label=f.label, lead_id=f.lead_id, lead_name=f.lead_name
        )
    )
    if recurring:
        s.term.say(
            _("Next check-in {label} due {recurring}").format(
                label=recurring.label, recurring=_when(recurring)
            )
        )


@app.command("snooze")
def snooze(
    ctx: Context,
    ref: FollowupRef,
    when: Annotated[
        str,
        Argument(
            help=N_(
                "New due: +2d (from its due day, or today if overdue), tomorrow, fri, next monday, "
                "2026-12-01 14:30 …"
            )
        ),
    ],
) -> None:
    """Move a follow-up later."""
    from salesflow import followups

    s: Session = ctx.obj
    with s.write() as conn:
        f = followups.resolve(conn, ref)
        moved = followups.snooze(conn, f, when, now=s.now, tz=s.tz, date_order=s.date_order)
    s.term.say(
        _("Snoozed follow-up {label}: {due_text} → {moved}").format(
            label=moved.label, due_text=f.due_text, moved=_when(moved)
        )
    )


@today_app.command("today")
def today(
    ctx: Context,
    limit: Annotated[
        int, Option("--limit", "-n", min=1, max=MAX_ROWS, help=N_("At most N rows per section."))
    ] = 20,
    all_: Annotated[bool, Option("--all", "-a", help=N_("Every row of every section."))] = False,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """The agenda: overdue and today's follow-ups, deals with no next step, stale deals and
    new leads past their first-touch deadline (config set first_touch 24h)."""
    from salesflow import agenda
    from salesflow.output.agenda import agenda_heading, agenda_view

    s: Session = ctx.obj
    with s.read() as conn:
        sections = agenda.agenda(conn, s.now, s.tz, limit=None if all_ else limit)
    zone = getattr(s.tz, "key", None) or str(s.tz)
    heading = agenda_heading(s.today, zone)
    agenda_view(sections, fmt.value, s.term, heading=heading, tz=s.tz, raw=raw)
