"""Terminal views of the reports: funnel bars, the KPI board, and the report tables.

They take the same plain records the machine formats print (money as decimal strings in the
record's `currency`, rates as fractions), so what a seller reads and what a script reads are
one set of numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from salesflow import money
from salesflow.i18n import N_, _, ngettext
from salesflow.output import Column, figures, render
from salesflow.output.terminal import Terminal

# A board value: its text, or (a figure aligned with the others, the words after it).
Value = str | tuple[str, str]

DASH = "—"


def pct(value: float | None) -> str:
    return DASH if value is None else f"{value * 100:.1f}%"


def amount(value: str | None) -> str:
    """A decimal string as `12,500` for a report table: whole units, rounded half-up, so a
    table of many money columns still fits a terminal (machine formats keep the cents)."""
    if value is None:
        return DASH
    return figures.whole(Decimal(value))


def days(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def _num(key: str, header: str, fmt: Any = str, hide: int | None = None) -> Column:
    def get(row: dict[str, Any]) -> str:
        value = row.get(key)
        return DASH if value is None else fmt(value)

    return Column(key, header, justify="right", get=get, hide=hide)


def _money_col(key: str, header: str, hide: int | None = None) -> Column:
    # The currency is in the report's title: narrow headers keep an 80-column table whole.
    return Column(key, header, justify="right", get=lambda r: amount(r[key]), hide=hide)


def _pct_col(key: str, header: str, hide: int | None = None) -> Column:
    return Column(key, header, justify="right", get=lambda r: pct(r.get(key)), hide=hide)


def say_lines(term: Terminal, lines: list[str]) -> None:
    """Notes under a table, on stdout with it (they are part of the report)."""
    for line in lines:
        term.line(line)


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
    _bars(term, forward, sizes, labels)
    render(rows, "table", term, columns=funnel_columns())
    say_lines(term, callouts)


def _bars(
    term: Terminal, forward: list[dict[str, Any]], sizes: list[Decimal], labels: list[str]
) -> None:
    """stage, probability, centred bar, figure, conversion — one space apart; as wide as the
    terminal allows (at most 60 cells of bar). Too narrow for the probability and conversion
    beside a bar of 10, they go (the table below has them); too narrow for any bar, no bars."""
    from salesflow.output.layout import cells, styled

    texts = [
        [r["stage"], f"{r['probability']}%", label, pct(r["conversion"])]
        for r, label in zip(forward, labels, strict=True)
    ]
    widths = [max((cells(t[i]) for t in texts), default=0) for i in range(4)]
    used = [0, 1, 2, 3]
    span = term.width - sum(widths) - 4
    if span < 10:
        used = [0, 2]
        span = term.width - widths[0] - widths[2] - 2
    span = min(span, 60)
    if span < 4 or not forward:
        return
    widest = max(sizes, default=Decimal(0))
    color = term.color
    for row, size, text in zip(forward, sizes, texts, strict=True):
        width = 0 if not widest else max(int(size / widest * span), 1 if size else 0)
        pad = (span - width) // 2
        bar = " " * pad + "█" * width + " " * (span - width - pad)
        bar = styled(bar, "green" if row["kind"] == "won" else "cyan", color)
        parts = {
            0: text[0] + " " * (widths[0] - cells(text[0])),
            1: styled(text[1].rjust(widths[1]), "dim", color),
            2: text[2].rjust(widths[2]),
            3: styled(text[3].rjust(widths[3]), "dim", color),
        }
        line = " ".join([parts[0], *(parts[i] for i in used[1:2] if i == 1), bar])
        line = " ".join([line, *(parts[i] for i in used if i >= 2)])
        term.out.write((line if color else line.rstrip(" ")) + "\n")
    term.out.write("\n")


def funnel_callouts(weakest: dict[str, Any] | None, slowest: dict[str, Any] | None) -> list[str]:
    """The bottleneck in words: the weakest step and the stage where deals sit longest."""
    lines = []
    if weakest is not None:
        w = weakest
        lines.append(
            _(
                "Weakest step: {from_stage} → {to_stage} converts {conversion} ({reached_to} of "
                "{reached_from} deals that reached {from_stage})."
            ).format(
                from_stage=w["from_stage"],
                to_stage=w["to_stage"],
                conversion=f"{w['conversion'] * 100:.1f}%",
                reached_to=w["reached_to"],
                reached_from=w["reached_from"],
            )
        )
    # "Longest" means something only once some stage holds deals for a day or more.
    if slowest is not None and slowest["median_days_in_stage"]:
        visits = slowest["visits"]
        lines.append(
            ngettext(
                "Deals sit longest in {stage}: median {median} days (mean {mean}, {visits} visit).",
                "Deals sit longest in {stage}: median {median} days (mean {mean}, "
                "{visits} visits).",
                visits,
            ).format(
                stage=slowest["stage"],
                median=f"{slowest['median_days_in_stage']:.1f}",
                mean=f"{slowest['avg_days_in_stage']:.1f}",
                visits=visits,
            )
        )
    return lines


def funnel_columns() -> list[Column]:
    return [
        Column("stage", N_("Stage"), style="bold", no_wrap=True),
        _num("deals", N_("Now")),
        _money_col("value", N_("Value"), hide=4),
        _money_col("weighted_value", N_("Weighted"), hide=3),
        _num("reached", N_("Reached")),
        _pct_col("conversion", N_("Conv")),
        _num("avg_days_in_stage", N_("Avg days"), days, hide=1),
        _num("median_days_in_stage", N_("Med days"), days, hide=2),
    ]


# ---- the KPI board ---------------------------------------------------------------


def kpi_board(record: dict[str, Any], term: Terminal, *, title: str) -> None:
    m = lambda key: amount(record[key])  # noqa: E731

    def count(key: str) -> str:
        return f"{record[key]:,}"

    def of(rate: float | None, part: int, whole: int) -> tuple[str, str]:
        # The rate lines up with the other rates; the counts follow it: "84.2% (250 of 297)".
        shown = _("{rate} ({part} of {whole})").format(rate=pct(rate), part=part, whole=whole)
        figure = pct(rate)
        return (figure, shown[len(figure) :]) if shown.startswith(figure) else (shown, "")

    sections = {
        _("Pipeline"): [
            (_("Open deals"), count("open_deals")),
            (_("Pipeline value"), m("pipeline_value")),
            (_("Weighted pipeline"), m("weighted_pipeline")),
            (_("Velocity per day"), m("sales_velocity_per_day")),
        ],
        _("Results"): [
            (_("Leads created"), count("leads_created")),
            (_("Won / lost"), f"{record['won']:,} / {record['lost']:,}"),
            (_("Won value"), m("won_value")),
            (_("Win rate"), pct(record["win_rate"])),
            (_("Win rate by value"), pct(record["win_rate_by_value"])),
            (_("Lead-to-win"), pct(record["lead_to_win_rate"])),
            (_("Average deal"), m("avg_deal_size")),
        ],
        _("Speed"): [
            (_("Cycle, median days"), days(record["cycle_days_median"])),
            (_("Cycle, mean days"), days(record["cycle_days_mean"])),
            (_("First touch, median hours"), days(record["first_touch_hours_median"])),
        ],
        _("Habits"): [
            (
                _("First touch in time"),
                of(
                    record["first_touch_hit_rate"],
                    record["first_touch_hits"],
                    record["first_touch_due"],
                ),
            ),
            (
                _("Follow-ups on time"),
                of(
                    record["followup_timeliness"],
                    record["followups_on_time"],
                    record["followups_due"],
                ),
            ),
            (
                _("Repeat purchase rate"),
                of(
                    record["repeat_purchase_rate"],
                    record["repeat_customers"],
                    record["customers_won"],
                ),
            ),
        ],
    }
    term.line(title, style="bold")
    _board(list(sections.items()), term)


def _board(panels: list[tuple[str, list[tuple[str, Value]]]], term: Terminal) -> None:
    """Four panels, two by two four cells apart, each its name over label/value rows (values
    right-aligned two cells from the widest label; a value given as (figure, what follows)
    has its figure aligned with the others and the rest after it); one under another when two
    side by side would not fit the terminal."""
    from salesflow.output.layout import cells, styled

    color = term.color
    drawn = []
    for name, items in panels:
        split = [(label, *((v, "") if isinstance(v, str) else v)) for label, v in items]
        left = max(cells(x) for x in [name, *(label for label, _f, _t in split)])
        right = max(cells(figure) for _l, figure, _t in split)
        tail = max(cells(rest) for _l, _f, rest in split)
        width = left + 2 + right + tail
        lines = [styled(name, "bold underline", color) + " " * (width - cells(name))]
        for label, figure, rest in split:
            gap = " " * (left - cells(label) + 2 + right - cells(figure))
            pad = " " * (tail - cells(rest))
            lines.append(styled(label, "dim", color) + gap + figure + rest + pad)
        drawn.append((width, lines))
    first = max(drawn[0][0], drawn[2][0])
    second = max(drawn[1][0], drawn[3][0])
    out: list[str] = []
    if not term.fit or first + 4 + second <= term.width:
        for (w1, a), (_w2, b) in ((drawn[0], drawn[1]), (drawn[2], drawn[3])):
            if out:
                out.append("")
            for n in range(max(len(a), len(b))):
                one = a[n] + " " * (first - w1) if n < len(a) else " " * first
                two = b[n] if n < len(b) else ""
                out.append(one + " " * 4 + two)
    else:
        for _w, lines in drawn:
            if out:
                out.append("")
            out += lines
    term.out.write("".join((x if color else x.rstrip(" ")) + "\n" for x in out))


# ---- conversion, lost, sources, grades -------------------------------------------


def conversion_columns() -> list[Column]:
    return [
        Column("stage", N_("From"), style="bold", no_wrap=True),
        Column("next_stage", N_("To"), no_wrap=True),
        _num("reached", N_("Reached")),
        _pct_col("conversion", N_("Conv")),
        Column(
            "probability", N_("Prob"), justify="right", get=lambda r: f"{r['probability']}%", hide=4
        ),
        _num("closed", N_("Closed"), hide=3),
        _pct_col("observed_win_rate", N_("Won"), hide=2),
        _pct_col("calibrated_probability", N_("Calib."), hide=1),
    ]


def lost_columns() -> list[Column]:
    return [
        Column("reason", N_("Reason"), get=lambda r: r["reason"] or _("(no reason)"), style="bold"),
        _num("count", N_("Deals")),
        _pct_col("share", N_("Share")),
        _pct_col("cumulative_share", N_("Cumulative"), hide=1),
        _money_col("value", N_("Value"), hide=2),
    ]


_BREAKDOWNS = {"source": N_("Source"), "grade": N_("Grade")}
# The built-in kinds of touch as column headers (their own entries: see views.WORDS).
KINDS = {
    "call": N_("Call (a kind of touch, as a header)"),
    "email": N_("Email (a kind of touch, as a header)"),
    "meeting": N_("Meeting (a kind of touch, as a header)"),
    "visit": N_("Visit (a kind of touch, as a header)"),
    "note": N_("Note (a kind of touch, as a header)"),
    "other": N_("Other (a kind of touch, as a header)"),
}


def kind_name(kind: str) -> str:
    """A kind of touch as a header: `Call` (电话); one a user added, capitalised as typed."""
    from salesflow.words import translated

    entry = KINDS.get(kind)
    return (translated(entry) if entry else None) or kind.capitalize()


def breakdown_columns(name: str) -> list[Column]:
    return [
        Column(
            name, _BREAKDOWNS.get(name, name), style="bold", get=lambda r: r[name] or _("(none)")
        ),
        _num("leads", N_("Leads")),
        _num("won", N_("Won")),
        _num("lost", N_("Lost"), hide=5),
        _pct_col("win_rate", N_("Win")),
        _pct_col("lead_to_win_rate", N_("To win"), hide=2),
        _money_col("won_value", N_("Won value"), hide=4),
        _money_col("avg_deal_size", N_("Avg deal"), hide=3),
        _num("cycle_days_median", N_("Cycle"), days, hide=1),
    ]


# ---- activity --------------------------------------------------------------------


def activity_columns(rows: list[dict[str, Any]], kinds: tuple[str, ...]) -> list[Column]:
    """The week table; a kind of touch nobody logged in these weeks gets no column."""
    used = [k for k in (*kinds, "other") if any(r[k] for r in rows)]
    return [
        Column("week", N_("Week of"), style="bold", no_wrap=True),
        _num("touches", N_("Touches")),
        *(_num(k, kind_name(k)) for k in used),
        _num("leads_created", N_("New leads")),
        _num("followups_due", N_("Due")),
        _pct_col("followup_timeliness", N_("On time")),
    ]


def activity_notes(on_time: int, due: int, first_touch: float | None, touched: int) -> list[str]:
    if first_touch is not None:
        touch = _("median {hours} hours").format(hours=f"{first_touch:.1f}")
    else:
        touch = _("no touched leads")
    rate = pct(on_time / due if due else None)
    return [
        _("Follow-ups done on time: {rate} ({on_time} of {due} due).").format(
            rate=rate, on_time=on_time, due=due
        ),
        _(
            "Time to first touch: {touch} ({touched} leads created in these weeks were touched)."
        ).format(touch=touch, touched=touched),
    ]


# ---- forecast --------------------------------------------------------------------


_BUCKETS = {"overdue": N_("overdue"), "later": N_("later"), "undated": N_("no close date")}


def forecast_columns(calibrated: bool, simulated: bool) -> list[Column]:
    def label(row: dict[str, Any]) -> str:
        if row["bucket"] == "month":
            return row["month"]
        return _(_BUCKETS[row["bucket"]])

    cols = [
        Column("month", N_("Expected close"), style="bold", get=label, no_wrap=True),
        _num("deals", N_("Deals")),
        _money_col("value", N_("Value")),
        _money_col("weighted_value", N_("Weighted")),
    ]
    if calibrated:
        cols.append(_money_col("calibrated_weighted_value", N_("Calibrated")))
    if simulated:
        cols += [_money_col(k, k.upper(), hide=1) for k in ("p10", "p50", "p90")]
    return cols


def calibration_columns() -> list[Column]:
    return [
        Column("stage", N_("Stage"), style="bold", no_wrap=True),
        Column(
            "probability", N_("Configured"), justify="right", get=lambda r: f"{r['probability']}%"
        ),
        _num("closed", N_("Closed n")),
        _num("won", N_("Won")),
        _pct_col("observed", N_("Observed")),
        _pct_col("calibrated", N_("Calibrated")),
        Column("few_deals", "", get=lambda r: _("few deals") if r["few_deals"] else ""),
    ]


# ---- targets ---------------------------------------------------------------------


def target_columns() -> list[Column]:
    return [
        Column("period", N_("Period"), style="bold", no_wrap=True),
        Column("start", N_("From"), no_wrap=True, hide=1),
        Column("end", N_("To"), no_wrap=True, hide=2),
        Column(
            "amount",
            N_("Target"),
            justify="right",
            get=lambda r: figures.display(
                money.to_minor(Decimal(r["amount"]), r["currency"]), r["currency"]
            ),
        ),
    ]


def undated_note(deals: int, value: str | None) -> list[str]:
    """The line under `report targets` about open deals no period counts."""
    if not deals:
        return []
    return [
        _(
            "Undated: {deals} open deal(s) worth {value} have no expected close date, so no "
            "period's pipeline counts them — salesflow lead edit N --expected-close DATE"
        ).format(deals=f"{deals:,}", value=value)
    ]


def _period(row: dict[str, Any]) -> str:
    return _("undated") if row["period"] == "undated" else row["period"]


def progress_columns() -> list[Column]:
    return [
        Column("period", N_("Period"), style="bold", get=_period, no_wrap=True),
        _money_col("target", N_("Target")),
        _money_col("won", N_("Won")),
        _pct_col("done", N_("Done")),
        _pct_col("elapsed", N_("Elapsed"), hide=2),
        _money_col("projected", N_("Projected"), hide=3),
        _money_col("weighted_pipeline", N_("Pipeline"), hide=1),
        _pct_col("coverage", N_("Cover"), hide=4),
    ]
