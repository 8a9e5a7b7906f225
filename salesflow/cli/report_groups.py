"""`salesflow report products` and `report breakdown`: the figures per product, or per any
field of a lead. Declared on the `report` group of cli/reports.py."""

from __future__ import annotations

from salesflow.cli.options import Format, FormatOpt, RawOpt
from salesflow.cli.params import Context
from salesflow.cli.reports import SinceOpt, UntilOpt, _report, app


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
