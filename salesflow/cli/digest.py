"""`salesflow digest`: the morning summary cron mails."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from salesflow.cli.options import MAX_ROWS
from salesflow.cli.params import Context, Exit, Option, command_group
from salesflow.cli.session import Session
from salesflow.i18n import N_, _

app = command_group()
OVERDUE_EXIT = 3  # written out in --fail-on-overdue's help, a catalog entry


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
            help=N_("auto: a rich view on a terminal, plain text otherwise (cron mail)."),
        ),
    ] = DigestFormat.auto,
    limit: Annotated[
        int, Option("--limit", "-n", min=1, max=MAX_ROWS, help=N_("Rows per section."))
    ] = 20,
    fail_on_overdue: Annotated[
        bool,
        Option("--fail-on-overdue", help=N_("Exit 3 when anything is overdue.")),
    ] = False,
    since: Annotated[
        str | None,
        Option(
            "--since",
            help=N_(
                "Changes from the start of this day (default: since the last digest, or the "
                "last working day if that is later — Friday on a Monday; config set workdays "
                "mon-fri)."
            ),
        ),
    ] = None,
    output: Annotated[
        str | None,
        Option(
            "--output",
            "-o",
            metavar="FILE",
            help=N_(
                "Write to FILE (mode 0600); the format follows its extension "
                "(.html, .md, .json, .txt) unless --format says otherwise."
            ),
        ),
    ] = None,
) -> None:
    """Overdue follow-ups, today's work, deals with no next step, stale deals, missed first
    touches, expiring and unanswered quotes, the changes since the last working day and
    target pace."""
    from salesflow import digest as digest_domain
    from salesflow.cli import lastline
    from salesflow.errors import SalesflowError
    from salesflow.output.digest import render_digest

    s: Session = ctx.obj
    chosen = fmt.value
    if output is not None:
        chosen = _file_format(output, chosen)
    with s.read() as conn:
        start = s.parse_date(since) if since is not None else None
        if start is not None and start > s.today:
            raise SalesflowError(
                _(
                    "--since {since} is in the future (today is {today}): the digest lists "
                    "changes up to where today begins — give an earlier day"
                ).format(since=since, today=s.today)
            )
        if start is not None and start == s.today:
            raise SalesflowError(
                _(
                    "--since {since} is today: the digest lists changes up to where today "
                    "begins — give an earlier day"
                ).format(since=since)
            )
        # Without --since: from the last working day, or from the last digest when mornings
        # were missed (remembered outside the database: a digest only reads it).
        chosen_since = start or digest_domain.default_since(
            conn, s.today, lastline.last_digest(s.file)
        )
        d = digest_domain.build(
            conn, s.now, s.tz, currency=s.currency, limit=limit, since=chosen_since
        )
        if chosen == "html" and d.headline is not None:  # its chart: won value by month
            from dataclasses import replace

            d = replace(d, won_trend=digest_domain.won_trend(conn, s.now, s.tz, s.currency))
    if output is not None:
        from pathlib import Path

        from salesflow.output.digest import document
        from salesflow.output.files import private_text_file

        with private_text_file(Path(output).expanduser()) as out:
            out.write(document(d, chosen, s.tz))
        s.term.say(
            _("Wrote the digest as {chosen} to {output}").format(chosen=chosen, output=output)
        )
    else:
        if chosen == "auto":
            chosen = "table" if s.term.is_tty else "text"
        render_digest(d, chosen, s.term, s.tz)
    if start is None:
        # What this digest covered; a --since digest chose its own days, so the next default
        # one still starts where the last default one ended.
        lastline.digest_ran(s.file, s.today)
    if fail_on_overdue and d.total("overdue"):
        raise Exit(OVERDUE_EXIT)


_BY_EXTENSION = {".html": "html", ".htm": "html", ".md": "md", ".json": "json", ".txt": "text"}


def _file_format(path: str, given: str) -> str:
    """What a digest written to `path` is: --format if given (a table is text in a file),
    else the file's extension."""
    import os

    from salesflow.errors import SalesflowError

    if given not in ("auto", "table"):
        return given
    extension = os.path.splitext(path)[1].lower()
    if extension and extension not in _BY_EXTENSION:
        raise SalesflowError(
            _(
                "cannot write a digest as {extension} — name the file .html, "
                ".md, .json or .txt, or pass --format"
            ).format(extension=extension)
        )
    return _BY_EXTENSION.get(extension, "text")
