"""Terminal views of the reports: funnel bars, the KPI board, and the report tables.

They take the same plain records the machine formats print (money as decimal strings in the
record's `currency`, rates as fractions), so what a seller reads and what a script reads are
one set of numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from salesflow import money
from salesflow.output import Column, plain, render
from salesflow.output.terminal import Terminal

DASH = "—"


def pct(value: float | None) -> str:
    return DASH if value is None else f"{value * 100:.1f}%"


def amount(value: str | None) -> str:
    """A decimal string as `12,500` for a report table: whole units, rounded half-up, so a
    table of many money columns still fits a terminal (machine formats keep the cents)."""
    if value is None:
        return DASH
    from decimal import ROUND_HALF_UP

    return f"{Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def days(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def _num(key: str, header: str, fmt: Any = str) -> Column:
    def get(row: dict[str, Any]) -> str:
        value = row.get(key)
        return DASH if value is None else fmt(value)

    return Column(key, header, justify="right", get=get)


def _money_col(key: str, header: str) -> Column:
    # The currency is in the report's title: narrow headers keep an 80-column table whole.
    return Column(key, header, justify="right", get=lambda r: amount(r[key]))


def _pct_col(key: str, header: str) -> Column:
    return Column(key, header, justify="right", get=lambda r: pct(r.get(key)))


def say_lines(term: Terminal, lines: list[str]) -> None:
    """Notes under a table, on stdout with it (they are part of the report)."""
    for line in lines:
        written = None if term.color else plain.line(line, term.width)
        if written is not None:
            term.out.write(written)
        else:
            term.console().print(line, markup=False, highlight=False)


# ---- funnel ----------------------------------------------------------------------


def funnel(
    rows: list[dict[str, Any]],
    callouts: list[str],
    term: Terminal,
    *,
    title: str,
    bars: str = "count",
) -> None:
    """Centred bars, one per stage, so the pipeline reads as a funnel; then the table."""
    term.line(title, style="bold")
    forward = [r for r in rows if r["kind"] != "lost"]
    if bars == "value":
        sizes = [Decimal(r["value"] or 0) for r in forward]
        labels = [amount(r["value"]) for r in forward]
    else:
        sizes = [Decimal(r["reached"]) for r in forward]
        labels = [f"{r['reached']:,}" for r in forward]
    widest = max(sizes, default=Decimal(0))
    name_w = max((len(r["stage"]) for r in forward), default=0)
    label_w = max((len(x) for x in labels), default=0)
    span = min(max(term.width - name_w - label_w - 17, 10), 60)
    cells = []
    for row, size, label in zip(forward, sizes, labels, strict=True):
        width = 0 if not widest else max(int(size / widest * span), 1 if size else 0)
        pad = (span - width) // 2
        bar = " " * pad + "█" * width + " " * (span - width - pad)
        cells.append([row["stage"], f"{row['probability']}%", bar, label, pct(row["conversion"])])
    text = None if term.color else plain.grid(cells, "lrlrr", term.width)
    if text is not None:
        term.out.write(text + "\n")
    else:
        _bars(term, forward, cells)
    render(rows, "table", term, columns=funnel_columns())
    say_lines(term, callouts)


def _bars(term: Terminal, forward: list[dict[str, Any]], cells: list[list[str]]) -> None:
    from rich.table import Table
    from rich.text import Text

    console = term.console()
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True, style="dim")
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(justify="right", no_wrap=True, style="dim")
    for row, (stage, probability, bar_text, label, conversion) in zip(forward, cells, strict=True):
        bar = Text(bar_text, style="green" if row["kind"] == "won" else "cyan")
        grid.add_row(Text(stage), probability, bar, label, conversion)
    console.print(grid)
    console.print()


def funnel_callouts(weakest: dict[str, Any] | None, slowest: dict[str, Any] | None) -> list[str]:
    """The bottleneck in words: the weakest step and the stage where deals sit longest."""
    lines = []
    if weakest is not None:
        w = weakest
        lines.append(
            f"Weakest step: {w['from_stage']} → {w['to_stage']} converts "
            f"{w['conversion'] * 100:.1f}% ({w['reached_to']} of {w['reached_from']} deals "
            f"that reached {w['from_stage']})."
        )
    # "Longest" means something only once some stage holds deals for a day or more.
    if slowest is not None and slowest["median_days_in_stage"]:
        visits = slowest["visits"]
        lines.append(
            f"Deals sit longest in {slowest['stage']}: median "
            f"{slowest['median_days_in_stage']:.1f} days (mean "
            f"{slowest['avg_days_in_stage']:.1f}, {visits} visit{'' if visits == 1 else 's'})."
        )
    return lines


def funnel_columns() -> list[Column]:
    return [
        Column("stage", "Stage", style="bold", no_wrap=True),
        _num("deals", "Now"),
        _money_col("value", "Value"),
        _money_col("weighted_value", "Weighted"),
        _num("reached", "Reached"),
        _pct_col("conversion", "Conv"),
        _num("avg_days_in_stage", "Avg days", days),
        _num("median_days_in_stage", "Med days", days),
    ]


# ---- the KPI board ---------------------------------------------------------------


def kpi_board(record: dict[str, Any], term: Terminal, *, title: str) -> None:
    m = lambda key: amount(record[key])  # noqa: E731

    def count(key: str) -> str:
        return f"{record[key]:,}"

    sections = {
        "Pipeline": [
            ("Open deals", count("open_deals")),
            ("Pipeline value", m("pipeline_value")),
            ("Weighted pipeline", m("weighted_pipeline")),
            ("Velocity per day", m("sales_velocity_per_day")),
        ],
        "Results": [
            ("Leads created", count("leads_created")),
            ("Won / lost", f"{record['won']:,} / {record['lost']:,}"),
            ("Win rate", pct(record["win_rate"])),
            ("Win rate by value", pct(record["win_rate_by_value"])),
            ("Lead-to-win", pct(record["lead_to_win_rate"])),
            ("Average deal", m("avg_deal_size")),
        ],
        "Speed": [
            ("Cycle, median days", days(record["cycle_days_median"])),
            ("Cycle, mean days", days(record["cycle_days_mean"])),
            ("First touch, median hours", days(record["first_touch_hours_median"])),
        ],
        "Habits": [
            (
                "Follow-ups on time",
                f"{pct(record['followup_timeliness'])} "
                f"({record['followups_on_time']} of {record['followups_due']})",
            ),
            (
                "Repeat purchase rate",
                f"{pct(record['repeat_purchase_rate'])} "
                f"({record['repeat_customers']} of {record['customers_won']})",
            ),
        ],
    }
    term.line(title, style="bold")
    text = None if term.color else plain.board(list(sections.items()), term.width)
    if text is not None:
        term.out.write(text)
        return
    from rich.table import Table
    from rich.text import Text

    console = term.console()
    board = Table.grid(padding=(0, 4))
    board.add_column()
    board.add_column()
    panels = []
    for name, items in sections.items():
        panel = Table.grid(padding=(0, 2))
        panel.add_column(style="dim")
        panel.add_column(justify="right")
        panel.add_row(Text(name, style="bold underline"), "")
        for label, value in items:
            panel.add_row(label, value)
        panels.append(panel)
    board.add_row(panels[0], panels[1])
    board.add_row("", "")
    board.add_row(panels[2], panels[3])
    console.print(board)


# ---- conversion, lost, sources, grades -------------------------------------------


def conversion_columns() -> list[Column]:
    return [
        Column("stage", "From", style="bold", no_wrap=True),
        Column("next_stage", "To"),
        _num("reached", "Reached"),
        _pct_col("conversion", "Conv"),
        Column("probability", "Prob", justify="right", get=lambda r: f"{r['probability']}%"),
        _num("closed", "Closed"),
        _pct_col("observed_win_rate", "Won"),
        _pct_col("calibrated_probability", "Calib."),
    ]


def lost_columns() -> list[Column]:
    return [
        Column("reason", "Reason", get=lambda r: r["reason"] or "(no reason)", style="bold"),
        _num("count", "Deals"),
        _pct_col("share", "Share"),
        _pct_col("cumulative_share", "Cumulative"),
        _money_col("value", "Value"),
    ]


def breakdown_columns(name: str) -> list[Column]:
    return [
        Column(name, name.capitalize(), style="bold", get=lambda r: r[name] or "(none)"),
        _num("leads", "Leads"),
        _num("won", "Won"),
        _num("lost", "Lost"),
        _pct_col("win_rate", "Win"),
        _pct_col("lead_to_win_rate", "To win"),
        _money_col("won_value", "Won value"),
        _money_col("avg_deal_size", "Avg deal"),
        _num("cycle_days_median", "Cycle", days),
    ]


# ---- activity --------------------------------------------------------------------


def activity_columns(rows: list[dict[str, Any]], kinds: tuple[str, ...]) -> list[Column]:
    """The week table; a kind of touch nobody logged in these weeks gets no column."""
    used = [k for k in (*kinds, "other") if any(r[k] for r in rows)]
    return [
        Column("week", "Week of", style="bold"),
        _num("touches", "Touches"),
        *(_num(k, k.capitalize()) for k in used),
        _num("leads_created", "New leads"),
        _num("followups_due", "Due"),
        _pct_col("followup_timeliness", "On time"),
    ]


def activity_notes(on_time: int, due: int, first_touch: float | None, touched: int) -> list[str]:
    touch = f"median {first_touch:.1f} hours" if first_touch is not None else "no touched leads"
    return [
        f"Follow-ups done on time: {pct(on_time / due if due else None)} ({on_time} of {due} due).",
        f"Time to first touch: {touch} ({touched} leads created in these weeks were touched).",
    ]


# ---- forecast --------------------------------------------------------------------


def forecast_columns(calibrated: bool, simulated: bool) -> list[Column]:
    def label(row: dict[str, Any]) -> str:
        if row["bucket"] == "month":
            return row["month"]
        return {"overdue": "overdue", "later": "later", "undated": "no close date"}[row["bucket"]]

    cols = [
        Column("month", "Expected close", style="bold", get=label),
        _num("deals", "Deals"),
        _money_col("value", "Value"),
        _money_col("weighted_value", "Weighted"),
    ]
    if calibrated:
        cols.append(_money_col("calibrated_weighted_value", "Calibrated"))
    if simulated:
        cols += [_money_col(k, k.upper()) for k in ("p10", "p50", "p90")]
    return cols


def calibration_columns() -> list[Column]:
    return [
        Column("stage", "Stage", style="bold", no_wrap=True),
        Column("probability", "Configured", justify="right", get=lambda r: f"{r['probability']}%"),
        _num("closed", "Closed n"),
        _num("won", "Won"),
        _pct_col("observed", "Observed"),
        _pct_col("calibrated", "Calibrated"),
        Column("few_deals", "", get=lambda r: "few deals" if r["few_deals"] else ""),
    ]


# ---- targets ---------------------------------------------------------------------


def target_columns() -> list[Column]:
    return [
        Column("period", "Period", style="bold"),
        Column("start", "From"),
        Column("end", "To"),
        Column(
            "amount",
            "Target",
            justify="right",
            get=lambda r: money.display(
                money.to_minor(Decimal(r["amount"]), r["currency"]), r["currency"]
            ),
        ),
    ]


def progress_columns() -> list[Column]:
    return [
        Column("period", "Period", style="bold"),
        _money_col("target", "Target"),
        _money_col("won", "Won"),
        _pct_col("done", "Done"),
        _pct_col("elapsed", "Elapsed"),
        _money_col("projected", "Projected"),
        _money_col("weighted_pipeline", "Pipeline"),
        _pct_col("coverage", "Cover"),
    ]
