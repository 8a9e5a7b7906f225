"""`salesflow report products` and `report breakdown`: the figures per product, or per any
field of a lead. Declared on the `report` group of cli/reports.py."""

from __future__ import annotations

from typing import Annotated

from salesflow.cli.options import Format, FormatOpt, RawOpt
from salesflow.cli.params import Context, Option
from salesflow.cli.reports import AsOfOpt, SinceOpt, UntilOpt, _report, app
from salesflow.i18n import N_


@app.command("products")
def products(
    ctx: Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """Per catalogue product: quoted, won, revenue, win rate, discount, share of revenue.

    \b
    An offer is a quote number as the client last saw it: its accepted
    version, else its newest sent one (drafts never count). Quoted = offers
    sent in the window; won = offers accepted in it (accepting a quote wins
    its deal). Value and revenue = line amounts less their share of the
    whole-quote discount, before tax. Win rate = accepted / (accepted +
    rejected) offers decided in the window. Discount = (gross - value) /
    gross of the quoted lines. Share = revenue / all revenue. Lines naming
    no product are "other (free text)".
    """
    from salesflow.i18n import _
    from salesflow.metrics.products import PRODUCT_KEYS, product_report
    from salesflow.output import render
    from salesflow.output.groups import product_columns

    report = _report(ctx, product_report, since, until)
    rows = [r.record(report.converter) for r in report.result]
    if report.machine(rows, fmt, raw, keys=PRODUCT_KEYS):
        return
    render(rows, "table", report.term, columns=product_columns(),
           title=report.title(_("Per product")))  # fmt: skip


@app.command("breakdown")
def breakdown(
    ctx: Context,
    by: Annotated[
        str,
        Option(
            "--by",
            metavar="GROUP",
            help=N_("source, grade, segment, product, or a custom field (config set fields)."),
        ),
    ],
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """The summary's figures per group: leads, won, lost, win rate, lead-to-win, won value,
    average deal, median cycle, open deals, pipeline and weighted pipeline.

    \b
    `report sources` and `report grades` are its --by source and --by grade
    without the pipeline columns. Leads and lead-to-win count the leads
    created in the window; won, lost, win rate, won value, average deal and
    cycle the deals closed in it; the pipeline is now (or at --as-of).
    segment: the segment of the lead's customer (won), else of the customer
    of its company's name. product: every catalogue product the lead's
    quotes name (a lead can be in several groups). A custom field: its
    value. Groups ignore case; "(none)" is the leads without one.
    """
    from salesflow import fields, metrics
    from salesflow.i18n import _
    from salesflow.metrics.groups import by_group, check_by
    from salesflow.output import render
    from salesflow.output.groups import breakdown_columns

    named: list[str] = []

    def compute(scope):  # the scope _report opens
        named.append(check_by(by, fields.declared(scope.conn)))
        return by_group(scope, named[0])

    report = _report(ctx, compute, since, until, as_of)
    name = named[0]
    rows = [r.record(name, report.converter, full=True) for r in report.result]
    keys = [name, *metrics.GROUP_KEYS, "open_deals", "pipeline", "weighted_pipeline"]
    if report.machine(rows, fmt, raw, keys=keys):
        return
    columns = breakdown_columns(name)
    # The title names the group as its column does (来源 for source; a custom field as is).
    render(rows, "table", report.term, columns=columns,
           title=report.title(_("Per {group}").format(group=_(columns[0].header))),
           empty=_("No leads yet."))  # fmt: skip
