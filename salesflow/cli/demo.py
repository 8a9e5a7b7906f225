"""`salesflow demo`: fill a new database with a year of realistic sales history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

from salesflow.cli.params import Context, Option, command_group
from salesflow.cli.session import Session
from salesflow.i18n import N_, _

# Below this a fill takes well under a second: a progress bar would only flicker.
_BAR_FROM = 5_000

# A one-command Typer, so a lazy command registry can load it as "salesflow.cli.demo:app";
# the root registers the function itself meanwhile.
app = command_group()


@app.command("demo")
def demo(
    ctx: Context,
    leads: Annotated[
        int, Option("--leads", min=1, max=1_000_000, help=N_("How many leads to make."))
    ] = 300,
    seed: Annotated[
        int, Option("--seed", help=N_("The same seed (and SALESFLOW_NOW) gives the same data."))
    ] = 7,
    currency: Annotated[
        str | None,
        Option("--currency", help=N_("ISO 4217 code of the deals (default: config currency).")),
    ] = None,
    force: Annotated[
        bool, Option("--force", help=N_("Add demo leads to a database that already has leads."))
    ] = False,
) -> None:
    """Fill a NEW database with a year of demo history: leads, stage moves, activities,
    follow-ups, a small product catalogue, quotes and customers. `salesflow undo` takes
    the whole fill back."""
    import time

    from salesflow import demo as demo_data
    from salesflow import money
    from salesflow.errors import SalesflowError

    s: Session = ctx.obj
    code = money.check_currency(currency) if currency else None
    started = time.perf_counter()
    with s.write() as conn, _progress(s, leads) as progress:
        existing = demo_data.lead_count(conn)
        if existing and not force:
            raise SalesflowError(
                _(
                    "{path} already has {existing:,} lead(s) — the demo fills a "
                    "new database: pass --db with a new file, or --force to add "
                    "demo leads alongside"
                ).format(path=s.path, existing=existing)
            )
        if code:
            demo_data.set_default_currency(conn, code)
        summary = demo_data.fill(
            conn, leads=leads, seed=seed, now=s.now, tz=s.tz, currency=code or s.currency,
            progress=progress,
        )  # fmt: skip
    elapsed = time.perf_counter() - started
    s.term.say(
        _(
            "Demo data in {path}: {leads:,} leads over the last 12 "
            "months ({open:,} open, {won:,} won, {lost:,} lost, "
            "{reopened:,} reopened), {activities:,} activities, "
            "{followups:,} follow-ups ({overdue_followups:,} overdue), "
            "{quotes:,} quotes, {customers:,} customers "
            "({repeat_customers:,} repeat, {checkin_customers:,} on "
            "check-ins); seed {seed}, {currency}, {elapsed:.1f} s. "
            "`salesflow undo` removes it."
        ).format(
            path=s.path,
            leads=summary.leads,
            open=summary.open,
            won=summary.won,
            lost=summary.lost,
            reopened=summary.reopened,
            activities=summary.activities,
            followups=summary.followups,
            overdue_followups=summary.overdue_followups,
            quotes=summary.quotes,
            customers=summary.customers,
            repeat_customers=summary.repeat_customers,
            checkin_customers=summary.checkin_customers,
            seed=summary.seed,
            currency=summary.currency,
            elapsed=elapsed,
        )
    )
    s.term.say(_("Try: {commands}").format(commands="  ·  ".join(_next_steps(s))))


def _next_steps(s: Session) -> list[str]:
    """Commands worth a look on a full pipeline — only those this salesflow has."""
    import shlex

    from salesflow.cli.commands import COMMANDS

    prefix = "salesflow" + (f" --db {shlex.quote(s.db_option)}" if s.db_option else "")
    wanted = [
        ("lead", "lead list --limit 10"),
        ("lead", "lead show 1"),
        ("today", "today"),
        ("report", "report funnel"),
        ("quote", "quote list --status sent"),
        ("digest", "digest"),
    ]
    return [f"{prefix} {line}" for group, line in wanted if group in COMMANDS]


@contextmanager
def _progress(s: Session, leads: int) -> Iterator[Callable[[str, int, int], None] | None]:
    """A transient bar on an interactive stderr for big fills; silence otherwise."""
    if leads < _BAR_FROM or not s.term.err.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=s.term.progress_console(), transient=True) as bar:
        tasks: dict[str, object] = {}

        def update(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(_(step), total=total)
            bar.update(tasks[step], completed=done)

        yield update
