"""`salesflow report trend` and `report review`: the summary's figures period by period, and
the one-page monthly review. Registered on `report`'s group (cli/reports.py imports this
module), kept apart so each file stays one idea."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from salesflow.cli import complete
from salesflow.cli.options import Format, FormatOpt, RawOpt
from salesflow.cli.params import Context, Option
from salesflow.cli.reports import _report, app
from salesflow.i18n import N_, _

TITLES = {
    "week": N_("Trend by week"),
    "month": N_("Trend by month"),
    "quarter": N_("Trend by quarter"),
}


class By(StrEnum):
    week = "week"
    month = "month"
    quarter = "quarter"


@app.command("trend")
def trend(
    ctx: Context,
    by: Annotated[
        By, Option("--by", help=N_("Local calendar periods: ISO weeks, months or quarters."))
    ] = By.month,
    periods: Annotated[
        int,
        Option("--periods", "-p", min=1, max=520, help=N_("How many periods, the current last.")),
    ] = 12,
    metric: Annotated[
        str | None,
        Option(
            "--metric",
            "-m",
            metavar="NAMES",
            help=N_(
                "Comma-separated: won_value, won, lost, win_rate, leads_created, "
                "lead_to_win_rate, avg_deal_size, cycle_days_median, cycle_days_mean, "
                "followup_timeliness, first_touch_hours_median (default: all but lost, "
                "lead_to_win_rate and cycle_days_mean)."
            ),
            autocompletion=complete.trend_metrics,
        ),
    ] = None,
    group: Annotated[
        str | None,
        Option(
            "--group",
            "-g",
            metavar="FIELD",
            help=N_(
                "Compare groups period by period: source, grade, segment, product, or a "
                "custom field (config set fields), as report breakdown --by."
            ),
            autocompletion=complete.trend_groups,
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """The summary's figures per week, month or quarter, with the change over time.

    \b
    Each period's figure is exactly `report summary --since <its first day>
    --until <its last day>`: won, lost, win rate, won value, average deal and
    cycle count the deals closed in the period; leads created and lead-to-win
    the leads created in it; follow-up timeliness the follow-ups due in it;
    first touch the leads created in it. Weeks are ISO weeks (2026-W47),
    Monday to Sunday, in the configured time zone. Target and of_target: the
    target set for the month or quarter (salesflow target set), and won value
    ÷ target. On a terminal: a chart per metric with the last value and its
    change vs the previous period and vs the same period a year earlier;
    machine formats give the numbers only. The current period has not ended:
    "complete": false in machine formats, "so far" on a terminal, and its
    changes say "(partial)": they set part of a period against whole ones.
    --group: one row per group and period, each the summary of that group's
    leads (groups as report breakdown --by makes them); on a terminal a
    table per metric, a column per period.
    """
    from salesflow.metrics import trend as domain
    from salesflow.output import trend as view

    chosen = domain.parse_metrics(metric)
    report = _report(ctx, lambda scope: domain.trend(scope, by.value, periods, chosen, group))
    result, converter = report.result, report.converter
    records = result.records(converter)
    if report.machine(records, fmt, raw, keys=result.record_keys()):
        return
    grouped = result.group is not None
    past: dict[Any, dict[str, Any]] = {
        key: row.record(chosen, grouped, converter) for key, row in result.year_ago.items()
    }
    first, last = result.spans[0].label, result.spans[-1].label
    title = report.title(_(TITLES[by.value]), span=False) + f" · {first} … {last}"
    view.trend(records, chosen, past, report.term, title=title, group=result.group)


class ReviewFormat(StrEnum):
    html = "html"
    json = "json"


@app.command("review")
def review(
    ctx: Context,
    month: Annotated[
        str | None,
        Option("--month", metavar="YYYY-MM", help=N_("The month (default: the last one ended).")),
    ] = None,
    fmt: Annotated[
        ReviewFormat,
        Option(
            "--format",
            "-f",
            help=N_("html: a page to mail; json: its numbers."),
            case_sensitive=False,
        ),
    ] = ReviewFormat.html,
    output: Annotated[
        str | None, Option("--output", "-o", metavar="FILE", help=N_("Write to FILE (mode 0600)."))
    ] = None,
) -> None:
    """A one-page monthly review to mail: KPIs against the month before, won value
    month by month against the target, the funnel, lost reasons, the top products.

    \b
    Every figure is the report's own: the KPIs are `report summary --since
    <first day> --until <last day>` of the month and of the month before; the
    funnel is `report funnel` of the leads created in the month; lost reasons
    `report lost` of the month; won value by month `report trend`; the top
    products `report products` of the month (up to 8 that were quoted or won,
    then the free-text lines). The charts are inline SVG: no script, no
    network.
    """
    import json

    from salesflow import review as domain
    from salesflow.output.review import html_page

    s = ctx.obj
    chosen = domain.parse_month(month) if month is not None else None

    def build(scope: Any) -> dict[str, Any]:
        span = chosen or domain.last_month(scope.window.ref_day)
        return domain.record(domain.review(scope, span), scope.converter)

    report = _report(ctx, build)
    data = report.result
    if fmt == ReviewFormat.json:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        from salesflow import i18n

        text = html_page(data, i18n.active())
    if output is None:
        report.term.raw.write(text)
        return
    from pathlib import Path

    from salesflow.output.files import private_text_file

    with private_text_file(Path(output).expanduser()) as out:
        out.write(text)
    s.term.say(_("Wrote the review of {month} to {path}").format(month=data["month"], path=output))
