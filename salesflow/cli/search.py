"""`salesflow search TEXT`: one place to find leads, customers, notes, follow-ups and quotes."""

from __future__ import annotations

from typing import Annotated

from salesflow.cli.options import MAX_ROWS, Format, FormatOpt, RawOpt
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.session import Session
from salesflow.i18n import N_, _

app = command_group()


@app.command("search")
def search(
    ctx: Context,
    text: Annotated[list[str], Argument(help=N_("Words to find (every word must match)."))],
    in_: Annotated[
        str | None,
        Option("--in", help=N_("Only these kinds: leads,customers,activities,followups,quotes.")),
    ] = None,
    limit: Annotated[
        int, Option("--limit", "-n", min=1, max=MAX_ROWS, help=N_("At most N hits."))
    ] = 20,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """Find anything by the words in it, Chinese included: names and companies first, then
    the newest notes, follow-ups and quotes. Words of 3+ characters use the full-text index;
    shorter ones (张伟) match leads' names, companies, e-mails, phones, tags and customers."""
    from salesflow import search as domain
    from salesflow.output import render
    from salesflow.output.views import search_columns

    s: Session = ctx.obj
    kinds = domain.parse_kinds(in_)
    query = " ".join(text)
    with s.read() as conn:
        hits = domain.search(conn, query, kinds=kinds, limit=limit)
    rows = [h.record() for h in hits]
    render(
        rows, fmt.value, s.term, columns=search_columns(s.tz), raw=raw,
        empty=_('Nothing matches "{query}".').format(query=query), keys=domain.RECORD_KEYS,
    )  # fmt: skip
