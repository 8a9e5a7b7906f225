"""`salesflow remind`: the follow-ups due now, once each, for cron."""

from __future__ import annotations

from typing import Annotated

from salesflow.cli.params import Context, Exit, Option, command_group
from salesflow.cli.session import Session
from salesflow.i18n import N_, _

app = command_group()
# How long one --exec command may take before it counts as failed (and is tried next run).
EXEC_TIMEOUT_S = 60


@app.command("remind")
def remind(
    ctx: Context,
    within: Annotated[
        str,
        Option(
            "--within",
            "-w",
            metavar="PERIOD",
            help=N_("Also remind what is due this soon: 15m (default), 1h, 0."),
        ),
    ] = "15m",
    exec_: Annotated[
        str | None,
        Option(
            "--exec",
            "-x",
            metavar="CMD",
            help=N_(
                "Run CMD (with sh) once per reminder; it gets SALESFLOW_TITLE, "
                "SALESFLOW_BODY and SALESFLOW_LEAD in its environment."
            ),
        ),
    ] = None,
) -> None:
    """Remind each follow-up once, when it is due: for cron every few minutes.

    A follow-up with a time (call CFO 14:30) is reminded once its time is within --within of
    now; a date-only one once on the morning of its day (config set remind.morning 08:00).
    Each is reminded exactly once per due time — remembered in the database, so runs never
    repeat one, and a run after missed ones (the machine was off) catches up on the last 24
    hours. A snoozed follow-up is reminded again at its new time. Prints one line per
    reminder; with --exec, runs CMD for each, e.g.
    --exec 'notify-send "$SALESFLOW_TITLE" "$SALESFLOW_BODY"'. A command that fails (or runs
    over 60 s) is reported on stderr and its reminder is tried again next run (exit 3).
    Reminding changes no data of yours: `salesflow undo` is unaffected.
    """
    from salesflow import reminders, store
    from salesflow.output.reminders import line, notice

    s: Session = ctx.obj
    span = reminders.parse_within(within)
    # Claimed before anything runs (a write without an undo entry), so two overlapping cron
    # runs cannot both deliver one; a failed --exec gives its claim back.
    with store.transaction(s.conn, write=True) as conn:
        owed = reminders.due(conn, s.now, s.tz, span)
        reminders.mark(conn, owed, s.now_iso)
    failed = []
    for r in owed:
        s.term.line(line(r))
        if exec_ and not _run(exec_, notice(r)):
            failed.append(r)
    if failed:
        with store.transaction(s.conn, write=True) as conn:
            reminders.unmark(conn, failed)
        s.term.say(
            _(
                "Warning: --exec failed for {count} reminder(s); they will "
                "be tried again on the next run"
            ).format(count=len(failed))
        )
        raise Exit(3)


def _run(command: str, env: dict[str, str]) -> bool:
    import os
    import subprocess

    try:
        done = subprocess.run(command, shell=True, env={**os.environ, **env},
                              stdin=subprocess.DEVNULL, timeout=EXEC_TIMEOUT_S)  # fmt: skip
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0
