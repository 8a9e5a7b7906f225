"""`salesflow target …`: the sales target of a month, quarter or year (`report targets`
measures the pipeline against them)."""

from __future__ import annotations

from typing import Annotated

from salesflow.cli.options import Format, FormatOpt, LimitOpt, RawOpt
from salesflow.cli.params import Argument, Context, command_group
from salesflow.cli.session import Session
from salesflow.i18n import N_, _

app = command_group(
    help=N_("Sales targets per month (2026-12), quarter (2026-Q4) or year (2026)."),
    no_args_is_help=True,
)


@app.command("set")
def target_set(
    ctx: Context,
    period: Annotated[str, Argument(help=N_("2026-12 (month), 2026-Q4 (quarter) or 2026."))],
    amount: Annotated[str, Argument(help=N_("200000, 200k, $50k, 1200000 CNY …"))],
) -> None:
    """Set (or replace) the sales target of a month, quarter or year."""
    from salesflow import money, targets

    s: Session = ctx.obj
    with s.write() as conn:
        p = targets.parse_period(period)
        value = money.parse_money(amount, s.currency)
        target, previous = targets.set_target(conn, p, value, s.now_iso)
    shown = money.display(target.amount_minor, target.currency)
    if previous is None:
        s.term.say(_("Target {text}: {shown}").format(text=p.text, shown=shown))
    else:
        before = money.display(previous.amount_minor, previous.currency)
        s.term.say(
            _("Target {text}: {shown} (was {before})").format(
                text=p.text, shown=shown, before=before
            )
        )


@app.command("list")
def target_list(
    ctx: Context, limit: LimitOpt = None, fmt: FormatOpt = Format.table, raw: RawOpt = False
) -> None:
    """All targets, by period."""
    from salesflow import targets
    from salesflow.output import render, reports

    s: Session = ctx.obj
    with s.read() as conn:
        rows = [t.record() for t in targets.all_targets(conn)[:limit]]
    render(
        rows,
        fmt.value,
        s.term,
        columns=reports.target_columns(),
        raw=raw,
        keys=targets.RECORD_KEYS,
        empty=_("No targets set — salesflow target set 2026-12 200000"),
    )


@app.command("rm")
def target_rm(
    ctx: Context,
    period: Annotated[str, Argument(help=N_("The period whose target goes."))],
) -> None:
    """Remove a period's target (salesflow undo brings it back)."""
    from salesflow import money, targets

    s: Session = ctx.obj
    with s.write() as conn:
        gone = targets.remove(conn, targets.parse_period(period))
    shown = money.display(gone.amount_minor, gone.currency)
    s.term.say(
        _("Removed the target for {text} ({shown})").format(text=gone.period.text, shown=shown)
    )
