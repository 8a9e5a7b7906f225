"""`salesflow report …`: the numbers a seller runs the pipeline on. Every report takes the
same steps (`_report`): its scope from the options, the figures computed in one read
transaction, a warning about amounts with no exchange rate, then the machine formats
(`Report.machine`) or the report's own table."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from salesflow.cli.options import AsOfOpt, Format, FormatOpt, RawOpt, SinceOpt, UntilOpt
from salesflow.cli.params import Context, Option, command_group
from salesflow.cli.session import Session
from salesflow.definitions import DEFINITIONS
from salesflow.i18n import N_, _, join

if TYPE_CHECKING:
    from collections.abc import Callable

    from salesflow.fx import Converter
    from salesflow.metrics import Scope
    from salesflow.output.terminal import Terminal

# "\b" keeps Click from re-wrapping the aligned definitions; each block is translated on its
# own (cli/typer_build.py help_text).
app = command_group(
    help=N_(
        "Reports: funnel, KPI summary, conversion, forecast, lost reasons, sources, grades, "
        "activity, targets, trend, review. Each takes --format (table csv tsv json …)."
    )
    + "\n\n\b\n"
    + DEFINITIONS,
    no_args_is_help=True,
)


class Bars(StrEnum):
    count = "count"
    value = "value"


@dataclass
class Report:
    """One report's run: the scope it covered (its money in `converter.base`) and what the
    domain computed, to be shown on `term`."""

    term: Terminal
    scope: Scope
    converter: Converter
    result: Any

    def title(self, name: str, what: str = "", *, span: bool = True, money: bool = True) -> str:
        from salesflow.output import headings

        base = self.converter.base
        return headings.title(name, what, self.scope.window, base, span=span, money=money)

    def machine(self, rows: list[dict], fmt: Format, raw: bool, keys: list | None = None) -> bool:
        """Write `rows` in a machine format; False when the table is the caller's to draw."""
        if fmt == Format.table:
            return False
        from salesflow.output import render

        render(rows, fmt.value, self.term, raw=raw, keys=keys)
        return True


def _report(
    ctx: Context,
    compute: Callable[[Scope], Any],
    since: str | None = None,
    until: str | None = None,
    as_of: str | None = None,
    weeks: int | None = None,
) -> Report:
    """The steps every report shares: its scope from the options, the figures computed in one
    read transaction, and the warning about amounts that had no exchange rate."""
    from salesflow import fx, metrics

    s: Session = ctx.obj
    day = lambda text: None if text is None else s.parse_date(text)  # noqa: E731
    with s.read() as conn:
        window = metrics.window(s.now, s.tz, day(since), day(until), day(as_of))
        if weeks is not None:
            window = metrics.activity_window(window, weeks)
        scope = metrics.scope(conn, window, fx.converter(conn, s.currency))
        result = compute(scope)
    if missing := sorted(scope.converter.missing):
        s.term.say(
            _(
                "Warning: amounts in {missing} have no exchange rate and are "
                "left out of the money figures — e.g. salesflow config set "
                "fx.{missing2} RATE (what 1 {missing2} is worth in "
                "{currency})"
            ).format(missing=join(missing), missing2=missing[0], currency=s.currency)
        )
    return Report(s.term, scope, scope.converter, result)


def _one(record: dict[str, Any], fmt: Format, term: Terminal, raw: bool) -> None:
    """A report that is one object: JSON prints the object, CSV/TSV one row."""
    import json

    from salesflow.output import render, write_object

    if fmt == Format.json:
        write_object(record, term)
    elif fmt == Format.ndjson:
        term.raw.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        flat = {k: ",".join(v) if isinstance(v, list) else v for k, v in record.items()}
        render([flat], fmt.value, term, raw=raw)


@app.command("summary")
def summary(
    ctx: Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """The KPI board: pipeline, results, speed and habits in one view.

    \b
    Leads created and lead-to-win count the leads created in the window; won,
    lost, win rate, average deal and cycle count the deals closed in it; open
    deals and pipeline are a snapshot now, or at --as-of (not at --until).
    JSON is one object with stable keys; rates are fractions, money decimal strings, null
    where undefined. See `salesflow report --help` for every definition.
    """
    from salesflow import metrics
    from salesflow.output import reports

    report = _report(ctx, metrics.summary, since, until, as_of)
    record = report.result.record(report.converter)
    if fmt == Format.table:
        reports.kpi_board(record, report.term, title=report.title(N_("Summary")))
    else:
        _one(record, fmt, report.term, raw)


@app.command("funnel")
def funnel(
    ctx: Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_of: AsOfOpt = None,
    bars: Annotated[
        Bars, Option("--bars", help=N_("Scale the bars to deals reached, or to value now."))
    ] = Bars.count,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """The cohort (leads created in the window) stage by stage, with the bottleneck.

    \b
    Per stage: deals in it now, their value and weighted value, how many deals
    reached it (skipped stages count as reached; a lost deal reached the stages
    up to the one it was lost from), conversion from the previous stage
    (reached(s) / reached(previous)), and days in stage per visit (mean and
    median; a deal still there counts until now). Under the table: the step
    with the lowest conversion and the stage where deals sit longest (median).
    """
    from dataclasses import asdict

    from salesflow import metrics
    from salesflow.output import reports

    report = _report(ctx, metrics.funnel, since, until, as_of)
    result = report.result
    records = [r.record(report.converter) for r in result.rows]
    if report.machine(records, fmt, raw):
        return
    title = report.title(N_("Funnel"), N_("leads created"))
    weakest = asdict(result.weakest) if result.weakest else None
    slowest = asdict(result.slowest) if result.slowest else None
    callouts = reports.funnel_callouts(weakest, slowest)
    reports.funnel(records, callouts, report.term, title=title, bars=bars.value)


@app.command("conversion")
def conversion(
    ctx: Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """Stage → next stage conversion for the cohort, with the observed win rates.

    \b
    Counting rule: a deal has reached stage s if it ever entered s, any later
    open stage, or won — skipped stages count as reached; a lost deal reached
    the stages up to and including the one it was lost from.
    Conversion s → next = reached(next) / reached(s).
    Closed / won of closed: the deals now won or lost that reached s, and the
    share of them won — P(won | reached s). Calibrated = (won + 10 × configured)
    / (closed + 10): the configured probability counts as 10 closed deals.
    """
    from salesflow import metrics
    from salesflow.output import headings, render, reports

    report = _report(ctx, metrics.conversion, since, until, as_of)
    rows = [r.record() for r in report.result]
    if report.machine(rows, fmt, raw):
        return
    title = report.title(N_("Conversion"), N_("leads created"))
    render(rows, "table", report.term, columns=reports.conversion_columns(), title=title)
    reports.say_lines(
        report.term,
        [headings.conversion_note()],
    )


@app.command("forecast")
def forecast(
    ctx: Context,
    months: Annotated[
        int, Option("--months", "-m", min=1, max=36, help=N_("Months ahead, this one first."))
    ] = 3,
    calibrated: Annotated[
        bool,
        Option("--calibrated", help=N_("Also weight by win rates observed on closed deals.")),
    ] = False,
    simulate: Annotated[
        bool, Option("--simulate", help=N_("Monte Carlo: P10 / P50 / P90 of won value."))
    ] = False,
    runs: Annotated[
        int, Option("--runs", min=100, max=100_000, help=N_("Simulation runs."))
    ] = 1000,
    seed: Annotated[
        int | None, Option("--seed", help=N_("Fix the simulation's random seed."))
    ] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """Open deals by month of expected close: value and weighted value.

    \b
    Weighted = value × the stage's win probability. Deals whose expected close
    is before this month show as overdue, after the horizon as later, without
    a date as no close date.
    --calibrated: per stage P(won | reached s) observed on the closed deals,
    shrunk toward the configured probability: (won + 10 × configured) /
    (closed + 10); the table shows n and flags stages with few closed deals.
    --simulate: each run wins every open deal independently with its stage's
    probability (the calibrated one with --calibrated); P10/P50/P90 are the
    won value that 10/50/90% of the runs stay at or below (nearest rank).
    --seed makes the simulation reproducible.
    """
    from salesflow import forecast as fc
    from salesflow.metrics import FEW_DEALS
    from salesflow.output import headings, render, reports

    report = _report(
        ctx, lambda scope: fc.forecast(scope, months, calibrated, simulate, runs, seed),
        as_of=as_of,
    )  # fmt: skip
    result, term = report.result, report.term
    rows = [r.record(report.converter) for r in result.rows]
    if report.machine(rows, fmt, raw):
        return
    title = report.title(N_("Forecast"), N_("open deals,"))
    columns = reports.forecast_columns(calibrated, simulate)
    render(rows, "table", term, columns=columns, title=title)
    notes = []
    if simulate:
        notes.append(headings.simulation_note(runs, seed))
    reports.say_lines(term, notes)
    if result.calibration is not None:
        cal = [c.record() for c in result.calibration]
        render(cal, "table", term, columns=reports.calibration_columns(), title=_("Calibration"))
        reports.say_lines(
            term,
            [headings.calibration_note(FEW_DEALS)],
        )


@app.command("lost")
def lost(
    ctx: Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """Lost-reason Pareto: deals lost in the window per reason, most frequent first.

    \b
    Reasons are grouped ignoring case and surrounding spaces. Share = deals
    with the reason / deals lost; cumulative = running total of the shares;
    value = their value in the base currency.
    """
    from salesflow import metrics
    from salesflow.output import render, reports

    report = _report(ctx, metrics.lost_reasons, since, until, as_of)
    rows = [r.record(report.converter) for r in report.result]
    if report.machine(rows, fmt, raw, keys=metrics.LOST_KEYS):
        return
    title = report.title(N_("Lost reasons"), N_("deals lost"))
    render(
        rows,
        "table",
        report.term,
        columns=reports.lost_columns(),
        title=title,
        empty=_("No deals lost in this window."),
    )


def _breakdown(
    ctx: Context,
    by: str,
    since: str | None,
    until: str | None,
    as_of: str | None,
    fmt: Format,
    raw: bool,
) -> None:
    from salesflow import metrics
    from salesflow.output import render, reports

    report = _report(ctx, lambda scope: metrics.breakdown(scope, by), since, until, as_of)
    rows = [r.record(by, report.converter) for r in report.result]
    if report.machine(rows, fmt, raw, keys=[by, *metrics.GROUP_KEYS]):
        return
    title = report.title({"source": N_("Per source"), "grade": N_("Per grade")}[by])
    columns = reports.breakdown_columns(by)
    render(rows, "table", report.term, columns=columns, title=title, empty=_("No leads yet."))


@app.command("sources")
def sources(
    ctx: Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """Per lead source: leads, won, lost, win rate, lead-to-win, won value, median cycle.

    \b
    Leads and lead-to-win count the leads created in the window; won, lost,
    win rate, won value, average deal and cycle the deals closed in it.
    Sources are grouped ignoring case and surrounding spaces.
    """
    _breakdown(ctx, "source", since, until, as_of, fmt, raw)


@app.command("grades")
def grades(
    ctx: Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """The same figures as `report sources`, per grade A / B / C (and ungraded)."""
    _breakdown(ctx, "grade", since, until, as_of, fmt, raw)


@app.command("activity")
def activity(
    ctx: Context,
    weeks: Annotated[
        int,
        Option("--weeks", "-w", min=1, max=520, help=N_("Weeks shown without --since.")),
    ] = 12,
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """Touches per week by kind, new leads, follow-up timeliness and time to first touch.

    \b
    Weeks are local, Monday to Sunday: --weeks (default 12) up to today, or up
    to --until; --since picks the first week instead.
    Follow-up timeliness = follow-ups due in the week that were done on or
    before their due day (the local date they were completed) / follow-ups due
    in the week whose due day is over. First touch = hours from a lead's
    creation to its first logged activity, median over the leads created in
    the window that have been touched.
    """
    from salesflow import metrics
    from salesflow.output import render, reports

    report = _report(ctx, metrics.activity, since, until, as_of, weeks=weeks)
    result = report.result
    rows = [r.record(result.kinds) for r in result.weeks]
    if report.machine(rows, fmt, raw):
        return
    title = report.title(N_("Activity"), money=False)
    columns = reports.activity_columns(rows, result.kinds)
    render(rows, "table", report.term, columns=columns, title=title, empty=_("No activity yet."))
    reports.say_lines(
        report.term,
        reports.activity_notes(
            result.followups_on_time,
            result.followups_due,
            result.first_touch_hours_median,
            result.first_touch_leads,
        ),
    )


@app.command("targets")
def targets_report(
    ctx: Context,
    period: Annotated[
        str | None, Option("--period", "-p", help=N_("Only this period (2026-12, 2026-Q4 …)."))
    ] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """Each target against what is won and what the pipeline promises.

    \b
    Won = value of deals won in the period so far; done = won / target;
    elapsed = share of the period gone by; projected = won / elapsed (the
    same pace to the end); weighted pipeline = open deals whose expected close
    falls in the period × stage probability (periods not yet over); coverage
    = weighted pipeline / (target − won), null once the target is met.
    """
    from salesflow import targets
    from salesflow.output import headings, render, reports

    def progress(scope: Scope) -> tuple[list[targets.Progress], targets.Undated]:
        only = targets.parse_period(period) if period else None
        return targets.progress(scope, only), targets.undated(scope)

    report = _report(ctx, progress, as_of=as_of)
    found, undated = report.result
    rows = [p.record(report.converter) for p in found]
    if rows and undated.deals:
        rows.append(undated.record(report.converter))
    if report.machine(rows, fmt, raw):
        return
    title = report.title(N_("Targets"), span=False)
    shown = render(
        rows,
        "table",
        report.term,
        columns=reports.progress_columns(),
        title=title,
        empty=_("No targets set — salesflow target set 2026-12 200000"),
    )
    if shown:
        reports.say_lines(
            report.term,
            [headings.targets_note()]
            + reports.undated_note(undated.deals, report.converter.text(undated.value)),
        )


# report trend/review, products and breakdown are declared in their own modules, on this group.
from salesflow.cli import report_groups, trends  # noqa: E402, F401
