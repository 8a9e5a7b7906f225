"""The monthly review as one HTML page a seller can mail: the month's KPIs against the month
before, won value month by month against the target, the funnel, lost reasons and the top
products, with the charts as inline SVG (output/svg.py).

Built like the HTML digest for mail clients: inline styles, tables for layout, one 640 px
column that shrinks on a phone, every piece of user text escaped. It reads the plain record
`--format json` prints (salesflow.review.record), never the database."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from salesflow.i18n import N_, _, ngettext
from salesflow.output import svg
from salesflow.output.groups import product_label
from salesflow.output.reports import DASH, amount, days, pct
from salesflow.output.trend import change

_FONT = (
    "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,'Noto Sans CJK SC',"
    "'PingFang SC','Microsoft YaHei',sans-serif"
)
_INK, _MUTED, _LINE, _ACCENT = "#1f2328", "#57606a", "#d0d7de", "#1d4e89"
_UP, _DOWN = "#1a7f37", "#cf222e"
_H2 = f"margin:22px 0 6px;font-size:15px;color:{_INK}"
_NOTE = f"margin:4px 0 0;font-size:12px;color:{_MUTED};line-height:1.45"
_CELL = f"padding:5px 6px;border-bottom:1px solid {_LINE};font-size:13px"
_HEAD = (
    f"padding:4px 6px;border-bottom:2px solid {_LINE};font-size:11px;color:{_MUTED};"
    "font-weight:600;text-transform:uppercase;letter-spacing:.03em"
)

# (key, label, how it reads, whether more is better)
KPIS = (
    ("won_value", N_("Won value"), "money", True),
    ("won", N_("Deals won"), "count", True),
    ("win_rate", N_("Win rate"), "rate", True),
    ("leads_created", N_("Leads created"), "count", True),
    ("avg_deal_size", N_("Average deal"), "money", True),
    ("cycle_days_median", N_("Cycle, median days"), "days", False),
    ("followup_timeliness", N_("Follow-ups on time"), "rate", True),
    ("first_touch_hours_median", N_("First touch, median hours"), "days", False),
)


def _figure(kind: str, value: Any) -> str:
    if value is None:
        return DASH
    if kind == "money":
        return amount(value)
    if kind == "rate":
        return pct(value)
    if kind == "count":
        return f"{value:,}"
    return days(value)


def html_page(r: dict[str, Any], lang: str = "en") -> str:
    e = html.escape
    month = r["month"] if r["complete"] else _("{period} so far").format(period=r["month"])
    title = _("Monthly review · {month}").format(month=month)
    sub = _("{start} … {end} · compared with {previous} · money in {currency}").format(
        start=r["start"], end=r["end"], previous=r["previous"], currency=r["currency"]
    )
    if not r["complete"]:  # a month under way read as a whole one looks like a fall
        note = _("{period} has not ended: its figures are so far, its changes partial.")
        sub += " · " + note.format(period=r["month"])
    parts = [
        f'<!DOCTYPE html><html lang="{e(lang.replace("_", "-"))}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title></head>",
        f'<body style="margin:0;padding:0;background:#f6f8fa;color:{_INK};{_FONT}">',
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="background:#f6f8fa"><tr><td align="center" style="padding:12px 8px">',
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="width:100%;max-width:640px;background:#ffffff;border:1px solid {_LINE};'
        'border-radius:6px"><tr><td style="padding:18px 16px">',
        f'<h1 style="margin:0;font-size:20px;line-height:1.35">{e(title)}</h1>',
        f'<p style="margin:2px 0 10px;font-size:13px;color:{_MUTED}">{e(sub)}</p>',
        _kpis(r),
        _won_trend(r),
        _funnel(r),
        _lost(r),
        _products(r),
        f'<p style="margin:22px 0 0;font-size:11px;color:{_MUTED}">'
        f"{e(_('salesflow report review --month {month}').format(month=r['month']))}</p>",
        "</td></tr></table></td></tr></table></body></html>\n",
    ]
    return "\n".join(parts)


def _kpis(r: dict[str, Any]) -> str:
    """Two figures a row: this month's value, and the change against the month before."""
    e = html.escape
    now, before = r["kpis"], r["previous_kpis"]
    out = ['<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">']
    for i in range(0, len(KPIS), 2):
        out.append("<tr>")
        for key, label, kind, up_is_good in KPIS[i : i + 2]:
            moved = change(now[key], before[key], rate=kind == "rate")
            colour = _MUTED
            if moved.startswith(("▲", "▼")):
                good = moved.startswith("▲") == up_is_good
                colour = _UP if good else _DOWN
            was = _("{change} vs {previous} ({value})").format(
                change=moved, previous=r["previous"], value=_figure(kind, before[key])
            )
            out.append(
                '<td width="50%" style="width:50%;padding:8px 10px;background:#f3f6f9;'
                'border:4px solid #ffffff;vertical-align:top">'
                f'<div style="font-size:11px;color:{_MUTED};text-transform:uppercase;'
                f'letter-spacing:.03em">{e(_(label))}</div>'
                f'<div style="font-size:21px;font-weight:700;color:{_ACCENT};line-height:1.3;'
                f'white-space:nowrap">{e(_figure(kind, now[key]))}</div>'
                f'<div style="font-size:12px;color:{colour};line-height:1.35">{e(was)}</div>'
                "</td>"
            )
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _won_trend(r: dict[str, Any]) -> str:
    e = html.escape
    rows = r["trend"]
    labels = [row["period"] for row in rows]
    values = [Decimal(row["won_value"]) for row in rows]
    targets = [Decimal(row["target"]) if row["target"] else None for row in rows]
    shown = [short(v) for v in values]
    peak = max([*values, *(t for t in targets if t is not None)], default=Decimal(0))
    chart = svg.columns(
        labels, values, title=_("Won value by month"), shown=shown, targets=targets,
        top_label=amount(str(peak)),
    )  # fmt: skip
    last = rows[-1]
    notes = [
        ngettext(
            "{month}: {value} won in {deals} deal, win rate {rate}.",
            "{month}: {value} won in {deals} deals, win rate {rate}.",
            last["won"],
        ).format(
            month=last["period"],
            value=amount(last["won_value"]),
            deals=last["won"],
            rate=pct(last["win_rate"]),
        )  # fmt: skip
    ]
    if last["target"] is not None:
        notes.append(
            _("Target {target}: {share} reached.").format(
                target=amount(last["target"]), share=pct(last["of_target"])
            )
        )
    if any(t is not None for t in targets):
        notes.append(_("Red marks: the month's target."))
    return (
        f'<h2 style="{_H2}">{e(_("Won value by month"))}</h2>{chart}'
        f'<p style="{_NOTE}">{e(" ".join(notes))}</p>'
    )


def short(value: Decimal) -> str:
    """A bar's label: 3.6M, 950k, 800 — the table and notes carry the exact figures."""
    for size, suffix in ((Decimal(1_000_000), "M"), (Decimal(1000), "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:.0f}"


def _funnel(r: dict[str, Any]) -> str:
    e = html.escape
    forward = [row for row in r["funnel"] if row["kind"] != "lost"]
    heading = _("Funnel: the leads created in {month}").format(month=r["month"])
    head = f'<h2 style="{_H2}">{e(heading)}</h2>'
    if not forward or not forward[0]["reached"]:
        return head + f'<p style="{_NOTE}">{e(_("No leads were created this month."))}</p>'
    shown = [
        f"{row['reached']:,}"
        + (f" · {pct(row['conversion'])}" if row["conversion"] is not None else "")
        for row in forward
    ]
    chart = svg.rows(
        [row["stage"] for row in forward], [row["reached"] for row in forward], shown,
        title=_("Funnel"), centred=True,
    )  # fmt: skip
    note = _(
        "Deals that reached each stage (skipped stages count), and the share of the stage before."
    )
    return head + chart + f'<p style="{_NOTE}">{e(note)}</p>'


def _lost(r: dict[str, Any]) -> str:
    e = html.escape
    head = f'<h2 style="{_H2}">{e(_("Why deals were lost"))}</h2>'
    rows = r["lost"]
    if not rows:
        return head + f'<p style="{_NOTE}">{e(_("No deals were lost this month."))}</p>'
    labels = [row["reason"] or _("(no reason given)") for row in rows]
    shown = [f"{row['count']:,} · {pct(row['share'])} · {amount(row['value'])}" for row in rows]
    chart = svg.rows(labels, [row["count"] for row in rows], shown, title=_("Lost reasons"))
    return head + chart


def _products(r: dict[str, Any]) -> str:
    """`report products` of the month: what was quoted and what sold, by revenue."""
    e = html.escape
    heading, nothing = _("Top products"), _("No quotes were sent or decided this month.")
    head = f'<h2 style="{_H2}">{e(heading)}</h2>'
    rows = r["products"]
    if not rows:
        return head + f'<p style="{_NOTE}">{e(nothing)}</p>'
    right = f"{_CELL};text-align:right;white-space:nowrap"
    product = _("Product")
    out = [
        head,
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="border-collapse:collapse;width:100%"><tr>',
        f'<th style="{_HEAD};text-align:left">{e(product)}</th>',
        *(
            f'<th style="{_HEAD};text-align:right">{e(label)}</th>'
            for label in (_("Quoted"), _("Won"), _("Revenue"), _("Share"))
        ),
        "</tr>",
    ]
    for row in rows:
        name = product_label(row)
        muted = f";color:{_MUTED}" if row["product"] is None else ""
        out.append(
            f'<tr><td style="{_CELL}{muted}">{e(name)}</td>'
            f'<td style="{right}">{row["quoted"]:,}</td>'
            f'<td style="{right}">{row["won"]:,}</td>'
            f'<td style="{right}">{e(amount(row["revenue"]))}</td>'
            f'<td style="{right}">{e(pct(row["revenue_share"]))}</td></tr>'
        )
    out.append("</table>")
    note = _(
        "As report products for the month: quoted = quotes sent in it, won = quotes accepted "
        "in it, revenue = their lines after discounts, before tax, share = of all revenue."
    )
    out.append(f'<p style="{_NOTE}">{e(note)}</p>')
    return "".join(out)
