"""`salesflow digest`: the morning summary cron mails."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from salesflow.cli.options import MAX_ROWS
from salesflow.cli.params import Context, Exit, Option, command_group
from salesflow.cli.session import Session

app = command_group()
OVERDUE_EXIT = 3


class DigestFormat(StrEnum):
    auto = "auto"
    table = "table"
    text = "text"
    md = "md"
    html = "html"
    json = "json"


@app.command("digest")
def digest(
    ctx: Context,
    fmt: Annotated[
        DigestFormat,
        Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="auto: a rich view on a terminal, plain text otherwise (cron mail).",
        ),
    ] = DigestFormat.auto,
    limit: Annotated[
        int, Option("--limit", "-n", min=1, max=MAX_ROWS, help="Rows per section.")
    ] = 20,
    fail_on_overdue: Annotated[
        bool,
        Option("--fail-on-overdue", help=f"Exit {OVERDUE_EXIT} when anything is overdue."),
    ] = False,
    since: Annotated[
        str | None,
        Option(
            "--since",
            help="Changes from the start of this day (default: the last working day — "
            "Friday on a Monday; config set workdays mon-fri).",
        ),
    ] = None,
) -> None:
    """Overdue follow-ups, today's work, deals with no next step, stale deals, missed first
    touches, expiring and unanswered quotes, the changes since the last working day and
    target pace."""
    from salesflow import digest as digest_domain
    from salesflow.errors import SalesflowError
    from salesflow.output.digest import render_digest

    s: Session = ctx.obj
    with s.read() as conn:
        start = s.parse_date(since) if since is not None else None
        if start is not None and start >= s.today:
            raise SalesflowError(
                f"--since {since} is {start}: the changes end where today begins — give an "
                "earlier day"
            )
        d = digest_domain.build(conn, s.now, s.tz, currency=s.currency, limit=limit, since=start)
    chosen = fmt.value
    if chosen == "auto":
        chosen = "table" if s.term.is_tty else "text"
    render_digest(d, chosen, s.term, s.tz)
    if fail_on_overdue and d.total("overdue"):
        raise Exit(OVERDUE_EXIT)
