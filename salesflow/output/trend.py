"""`report trend` on a terminal: a small bar chart per metric (block characters, the axis
labelled, the last value printed) with the change against the previous period and the same
period a year earlier; per group, a table per metric: a group a row, a period a column (the
oldest hidden first when the terminal is narrow), a line of bars and the changes.

A period that has not ended (today is in it) is marked "so far", and its changes say they
compare a part of a period with a whole one (`(partial)`): the trend never dresses half a
month up as a fall.

It reads the same records the machine formats print (money as decimal strings in the base
currency, rates as fractions), so the chart and a script see one set of numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from salesflow.i18n import N_, _, labelled
from salesflow.output.layout import cells, styled
from salesflow.output.reports import _BREAKDOWNS, DASH, amount, days, pct
from salesflow.output.terminal import Terminal

LABELS = {
    "won_value": N_("Won value"),
    "won": N_("Deals won"),
    "lost": N_("Deals lost"),
    "win_rate": N_("Win rate"),
    "leads_created": N_("Leads created"),
    "lead_to_win_rate": N_("Lead-to-win"),
    "avg_deal_size": N_("Average deal"),
    "cycle_days_median": N_("Cycle, median days"),
    "cycle_days_mean": N_("Cycle, mean days"),
    "followup_timeliness": N_("Follow-ups on time"),
    "first_touch_hours_median": N_("First touch, median hours"),
}
MONEY = frozenset({"won_value", "avg_deal_size"})
RATES = frozenset({"win_rate", "lead_to_win_rate", "followup_timeliness"})
HEIGHT = 3  # rows of a chart: with eighth blocks, 24 steps
_EIGHTHS = " ▁▂▃▄▅▆▇█"


def figure(metric: str, value: Any) -> str:
    """One value as a report table shows it: money in whole units, rates in %, days to 0.1."""
    if value is None:
        return DASH
    if metric in MONEY:
        return amount(value)
    if metric in RATES:
        return pct(value)
    if isinstance(value, int):
        return f"{value:,}"
    return days(value)


def number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def change(now: Any, before: Any, *, rate: bool = False) -> str:
    """`▲ 12.5%`, `▼ 3.0%`, `= 0.0%`; `—` when either is missing or the earlier one is 0.
    A `rate` (a fraction: win rate) moves by percentage points, its difference: 40% after
    35% is `▲ 5.0 pp` (个百分点), not the 14.3% it grew by."""
    a, b = number(now), number(before)
    if a is None or b is None or (b == 0 and not rate):
        return DASH
    moved = (a - b) * 100 if rate else (a - b) / b * 100
    mark = "▲" if moved > 0 else "▼" if moved < 0 else "="
    if rate:
        # TRANSLATORS: a change of a rate in percentage points: "5.0 pp".
        return f"{mark} " + _("{points} pp").format(points=f"{abs(moved):.1f}")
    return f"{mark} {abs(moved):.1f}%"


def trend(
    records: list[dict[str, Any]],
    metrics: list[str],
    year_ago: dict[Any, dict[str, Any]],
    term: Terminal,
    *,
    title: str,
    group: str | None = None,
) -> None:
    """Every metric in turn: its chart, then its last value and changes."""
    term.line(title, style="bold")
    if not records:
        return
    for metric in metrics:
        term.line()
        if group is None:
            _chart(records, metric, year_ago.get(None), term)
        else:
            _table(records, metric, group, year_ago, term)
    last = records[-1]
    if group is not None and not last["complete"]:
        note = _("{period} has not ended: its figures are so far, its changes partial.")
        term.line(note.format(period=last["period"]), style="dim")


def _levels(values: list[Decimal | None], rows: int, top: Decimal) -> list[int | None]:
    """Each value as a height in eighths of `rows` cells, `top` filling them all."""
    out: list[int | None] = []
    for v in values:
        if v is None:
            out.append(None)
        elif not top or not v:
            out.append(0)
        else:
            out.append(max(1, int(v / top * rows * 8 + Decimal("0.5"))))
    return out


def _fit(records: list[dict[str, Any]], room: int) -> tuple[list[dict[str, Any]], int]:
    """The periods shown in `room` cells (the latest when not all fit) and each one's width."""
    per = max(1, min(3, room // max(len(records), 1)))
    shown = records[-max(room // per, 1) :]
    return shown, per


def _chart(
    records: list[dict[str, Any]], metric: str, past: dict[str, Any] | None, term: Terminal
) -> None:
    color = term.color
    # The axis is labelled with the largest value of all periods and zero.
    known = [r[metric] for r in records if r[metric] is not None]
    top_text = figure(metric, max(known, key=number)) if known else DASH
    zero = figure(metric, "0" if metric in MONEY else 0)
    axis = max(cells(top_text), cells(zero))
    shown, per = _fit(records, term.width - axis - 2)
    top = max((number(v) for v in known), default=Decimal(0))
    levels = _levels([number(r[metric]) for r in shown], HEIGHT, top)  # type: ignore[arg-type]
    term.line(_(LABELS[metric]), style="bold")
    for row in range(HEIGHT - 1, -1, -1):
        label = top_text if row == HEIGHT - 1 else zero if row == 0 else ""
        tick = "┤" if row == HEIGHT - 1 else "┼" if row == 0 else "│"
        bars = []
        for level in levels:
            if level is None:
                cell = "·" if row == 0 else " "
            else:
                cell = _EIGHTHS[min(max(level - row * 8, 0), 8)]
                if row == 0 and level == 0:
                    cell = "▁"
            bars.append(cell * max(per - 1, 1) + (" " if per > 1 else ""))
        text = styled("".join(bars).rstrip(), "cyan", color)
        _raw(term, f"{label.rjust(axis)} {styled(tick, 'dim', color)}{text}")
    first, last = shown[0]["period"], shown[-1]["period"]
    span = len(shown) * per
    pad = " " * (axis + 2)
    if len(shown) == 1:
        term.line(pad + last)
    elif cells(first) + cells(last) + 1 <= span:
        term.line(pad + first + " " * (span - cells(first) - cells(last) - (per > 1)) + last)
    else:
        term.line(pad + f"{first} … {last}")
    if len(shown) < len(records):
        note = _("the last {shown} of {total} periods fit; --format csv lists every one")
        term.line(note.format(shown=len(shown), total=len(records)), style="dim")
    _say(term, _facts(records, metric, past))


def _facts(records: list[dict[str, Any]], metric: str, past: dict[str, Any] | None) -> list[str]:
    """The last value, its target, and its changes, each an unbreakable piece."""
    now = records[-1]
    items = [labelled(label(now), figure(metric, now[metric]))]
    if metric == "won_value" and now.get("target") is not None:
        target = _("target {amount} ({share})").format(
            amount=amount(now["target"]), share=pct(now["of_target"])
        )
        items.append(target)
    against = [records[-2]] if len(records) > 1 else []
    for before in [*against, *([past] if past is not None else [])]:
        moved = change(now[metric], before[metric], rate=metric in RATES)
        if now["complete"]:
            items.append(_("{change} vs {period}").format(change=moved, period=before["period"]))
        else:
            text = _("{change} vs {period} (partial)")
            items.append(text.format(change=moved, period=before["period"]))
    return items


def label(record: dict[str, Any]) -> str:
    """The period's name, `2026-12 so far` while it has not ended."""
    if record.get("complete", True):
        return record["period"]
    return _("{period} so far").format(period=record["period"])


def _say(term: Terminal, items: list[str], indent: str = "") -> None:
    """Pieces joined two spaces apart, a new line where the next would not fit."""
    line = indent
    for item in items:
        gap = "  " if line.strip() else ""
        if line.strip() and cells(line + gap + item) > term.width:
            term.line(line)
            line = indent
            gap = ""
        line += gap + item
    if line.strip():
        term.line(line)


def _table(
    records: list[dict[str, Any]],
    metric: str,
    group: str,
    year_ago: dict[Any, dict[str, Any]],
    term: Terminal,
) -> None:
    """One metric per group: a row per group, a column per period (the oldest hide first
    when the terminal is narrow), a line of bars (one cell a period, scaled across the
    groups), and the last period's change vs the one before and vs a year earlier."""
    from salesflow.output import Column, render

    periods = list(dict.fromkeys(r["period"] for r in records))
    last = next(r for r in reversed(records) if r["period"] == periods[-1])
    by_key: dict[Any, dict[str, Any]] = {}
    for r in records:
        by_key.setdefault(r["group"], {})[r["period"]] = r
    top = max((v for r in records if (v := number(r[metric])) is not None), default=Decimal(0))
    previous = periods[-2] if len(periods) > 1 else None
    past_period = next(iter(year_ago.values()), {}).get("period")
    rows = []
    for key, cells_of in by_key.items():
        row: dict[str, Any] = {
            "group": _("(none)") if key is None else str(key),
            "bars": "".join(_spark(number(cells_of[p][metric]), top) for p in periods),
        }
        for p in periods:
            row[p] = figure(metric, cells_of[p][metric])
        now = cells_of[periods[-1]][metric]
        rate = metric in RATES
        row["previous"] = change(now, cells_of[previous][metric], rate=rate) if previous else DASH
        past = year_ago.get(key)
        row["year_ago"] = change(now, past[metric], rate=rate) if past is not None else DASH
        rows.append(row)
    n = len(periods)
    name = _(_BREAKDOWNS[group]) if group in _BREAKDOWNS else group
    columns = [
        Column("group", name, style="bold"),
        Column("bars", "", no_wrap=True, style="cyan", hide=n + 1),
        # The oldest periods give way first, then the change vs a year ago, then the period
        # before the last; the last one never.
        *(Column(p, p, justify="right", hide=i + 1) for i, p in enumerate(periods[:-2])),
        *(Column(p, p, justify="right", hide=n) for p in periods[-2:-1]),
        Column(periods[-1], label(last), justify="right"),
    ]
    if previous:
        head = _("vs {period}").format(period=previous)
        columns.append(Column("previous", head, justify="right", hide=n + 2))
    if past_period and any(row["year_ago"] != DASH for row in rows):
        head = _("vs {period}").format(period=past_period)
        columns.append(Column("year_ago", head, justify="right", hide=max(n - 1, 1)))
    title = _("{metric} · per {group}").format(metric=_(LABELS[metric]), group=name)
    render(rows, "table", term, columns=columns, title=title)


def _spark(value: Decimal | None, top: Decimal) -> str:
    if value is None:
        return "·"
    if not top or not value:
        return "▁"
    return _EIGHTHS[max(2, int(value / top * 8 + Decimal("0.5")))]


def _raw(term: Terminal, line: str) -> None:
    """A chart line, already laid out for the width and coloured by us (term.line would
    wrap it by its colour codes' length): user text in it has been through flat()."""
    term.out.write(line.rstrip(" ") + "\n")
