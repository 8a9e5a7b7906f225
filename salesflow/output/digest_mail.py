"""The digest as an HTML e-mail body: a strip of the morning's figures, then each section as a
compact table, most valuable work first.

Mail clients are the constraint, not browsers: Gmail and Outlook drop or rewrite `<style>`
blocks and ignore classes, so every rule is an inline `style` attribute; layout is tables
(Outlook's Word engine does not know flexbox or max-width on divs); the column is 600 px wide
and shrinks to the screen on a phone (width 100% with max-width 600px). Every piece of user
text goes through html.escape.
"""

from __future__ import annotations

import html
from datetime import tzinfo
from typing import Any

from salesflow.i18n import N_, _, bracketed
from salesflow.output.digest import (
    amount,
    counts_line,
    days_text,
    expires_in,
    figures,
    header,
    headline_title,
    more_command,
    pace,
    sentence,
    unconverted_note,
    whole,
)
from salesflow.output.views import when, word

_FONT = (
    "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,'Noto Sans CJK SC',"
    "'PingFang SC','Microsoft YaHei',sans-serif"
)
_INK, _MUTED, _LINE, _ACCENT, _RED = "#1f2328", "#57606a", "#d0d7de", "#1d4e89", "#cf222e"
_CELL = f"padding:6px 6px;border-bottom:1px solid {_LINE};vertical-align:top;font-size:13px"
_HEAD = (
    f"padding:4px 6px;border-bottom:2px solid {_LINE};text-align:left;font-size:11px;"
    f"color:{_MUTED};font-weight:600;text-transform:uppercase;letter-spacing:.03em"
)
# Three columns fit a phone: what and who; stage and value; when.
_HEADS = {
    "overdue": (N_("Follow-up"), N_("Stage · value"), N_("Late")),
    "today": (N_("Follow-up"), N_("Stage · value"), N_("Due")),
    "changes": (N_("Change"), N_("Stage"), N_("When")),
}
_LEAD_HEADS = (N_("Lead"), N_("Stage · value"), N_("Since"))
_QUOTE_HEADS = (N_("Quote"), N_("Value"), N_("When"))
# The page's language for browsers and screen readers (BCP 47).
_HTML_LANG = {"zh_CN": "zh-CN"}


def html_page(d: Any, tz: tzinfo | None, lang: str = "en") -> str:
    e = html.escape
    title = header(d)
    parts = [
        f'<!DOCTYPE html><html lang="{e(_HTML_LANG.get(lang, lang))}"><head>'
        '<meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title></head>",
        f'<body style="margin:0;padding:0;background:#f6f8fa;color:{_INK};{_FONT}">',
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="background:#f6f8fa"><tr><td align="center" style="padding:12px 8px">',
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="width:100%;max-width:600px;background:#ffffff;border:1px solid {_LINE};'
        # Long user text (a URL in a follow-up, a long company name) breaks rather than
        # widening the page past a phone's screen.
        'border-radius:6px"><tr><td style="padding:16px 14px;overflow-wrap:anywhere;'
        'word-break:break-word">',
        f'<h1 style="margin:0;font-size:18px;line-height:1.35;color:{_INK}">'
        f"{e(headline_title(d))}</h1>",
        f'<p style="margin:2px 0 12px;font-size:13px;color:{_MUTED}">'
        f"{e(sentence(counts_line(d)))}</p>",
    ]
    if d.headline is not None:
        parts.append(_strip(figures(d.headline.record())))
    if note := unconverted_note(d):
        parts.append(f'<p style="margin:8px 0;font-size:13px;color:#b45309">{e(note)}</p>')
    if d.won_trend:
        parts.append(_won_chart(d.won_trend))
    for s in d.sections:
        parts.append(_section(s, tz))
    parts.append(
        f'<p style="margin:18px 0 0;font-size:11px;color:{_MUTED}">{e(_("salesflow digest"))} · '
        f"{e(d.zone)}</p>"
    )
    parts.append("</td></tr></table></td></tr></table></body></html>\n")
    return "\n".join(parts)


def _strip(cells: list[tuple[str, str, str]]) -> str:
    """Two rows of two figures: readable at 600 px and still at 320 px on a phone."""
    e = html.escape
    out = [
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="margin:0 0 8px">'
    ]
    for i in range(0, len(cells), 2):
        out.append("<tr>")
        for label, figure, detail in cells[i : i + 2]:
            out.append(
                f'<td width="50%" style="width:50%;padding:8px 10px;background:#f3f6f9;'
                f'border:4px solid #ffffff;vertical-align:top">'
                f'<div style="font-size:11px;color:{_MUTED};text-transform:uppercase;'
                f'letter-spacing:.03em">{e(label)}</div>'
                f'<div style="font-size:20px;font-size:clamp(15px,5vw,20px);font-weight:700;'
                # Never broken inside the number; on a phone the currency may go to the next
                # line, so two figures side by side fit 320 px.
                f'color:{_ACCENT};line-height:1.3;word-break:normal;overflow-wrap:normal">'
                f"{e(figure)}</div>"
                f'<div style="font-size:12px;color:{_MUTED};line-height:1.35">{e(detail)}</div>'
                "</td>"
            )
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _section(s: Any, tz: tzinfo | None) -> str:
    e = html.escape
    colour = _RED if s.key == "overdue" else _INK
    count = bracketed(s.title, s.total)[len(s.title) :]  # " (3)", or "（3）" in Chinese
    out = [
        f'<h2 style="margin:18px 0 4px;font-size:15px;color:{colour}">{e(s.title)}'
        f"{' ' if count.startswith(' ') else ''}"
        f'<span style="color:{_MUTED};font-weight:400">{e(count.strip())}</span></h2>'
    ]
    if s.key == "targets":
        out += [f'<p style="margin:2px 0;font-size:13px">{e(pace(r))}</p>' for r in s.rows]
        return "".join(out)
    heads = _HEADS.get(s.key, _QUOTE_HEADS if s.key.startswith("quotes") else _LEAD_HEADS)
    out.append(
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="border-collapse:collapse;width:100%"><tr>'
    )
    out += [f'<th style="{_HEAD}">{e(_(h))}</th>' for h in heads[:2]]
    out.append(f'<th style="{_HEAD};text-align:right">{e(_(heads[2]))}</th></tr>')
    for row in s.rows:
        what, who, stage, value, due = cells(s.key, row, tz)
        late = f";color:{_RED}" if s.key == "overdue" else ""
        deal = e(stage) + (f'<br><span style="color:{_INK}">{e(value)}</span>' if value else "")
        out.append(
            f'<tr><td style="{_CELL}"><span style="font-weight:600">{e(what)}</span><br>'
            f'<span style="color:{_MUTED}">{e(who)}</span></td>'
            f'<td style="{_CELL};color:{_MUTED}">{deal}</td>'
            # "逾期18天", "today 15:30": short, and never split from its unit.
            f'<td style="{_CELL};text-align:right;white-space:nowrap{late}">{e(due)}</td></tr>'
        )
    more = s.total - len(s.rows)
    if more:
        rest = _("… and {more} more:").format(more=more)
        out.append(
            f'<tr><td colspan="3" style="{_CELL};color:{_MUTED}">{e(rest)} '
            f'<code style="font-size:12px">{e(more_command(s))}</code></td></tr>'
        )
    out.append("</table>")
    return "".join(out)


def cells(key: str, row: dict[str, Any], tz: tzinfo | None) -> tuple[str, str, str, str, str]:
    """(what, who, stage, value, when) of one row, as the compact table shows it."""
    who = f"#{row['lead_id']} {row['lead']}" + (f", {row['company']}" if row.get("company") else "")
    if key in ("overdue", "today"):
        due = row["due_date"] + (f" {row['due_time']}" if row.get("due_time") else "")
        if key == "overdue" and row.get("days"):
            due = _("{days} late").format(days=days_text(row["days"]))
        elif key == "today":
            due = (
                _("today {time}").format(time=row["due_time"])
                if row.get("due_time")
                else _("today")
            )
        return row["action"], who, row["stage"], _worth(row), due
    if key == "unplanned":
        last = (
            _("last touch {when}").format(when=when(row["since"], tz))
            if row.get("since")
            else _("never touched")
        )
        return _("No next step"), who, row["stage"], _worth(row), last
    if key == "stale":
        idle = _("{days} idle").format(days=days_text(row["days"]))
        return _("Idle"), who, row["stage"], _worth(row), idle
    if key == "first_touch":
        since = _("since {when}").format(when=when(row["since"], tz))
        return _("Not contacted"), who, row["stage"], _worth(row), since
    if key.startswith("quotes"):
        value = amount(row["total"], row["currency"])
        if key == "quotes_expiring":
            left = _("expires {left}").format(left=expires_in(row["days_left"]))
            return row["number"], who, word("sent"), value, left
        sent = _("sent {when}").format(when=when(row["sent_at"], tz))
        return row["number"], who, word("sent"), value, sent
    # the changes since the last working day
    move = row["to"] if row["change"] == "new" else f"{row['from']} → {row['to']}"
    change = _(_CHANGES.get(row["change"], row["change"].capitalize()))
    reason = _(" ({reason})").format(reason=row["reason"]) if row.get("reason") else ""
    return change + reason, who, move, "", when(row["at"], tz)


_CHANGES = {"new": N_("New lead"), "won": N_("Won"), "lost": N_("Lost"), "moved": N_("Moved")}


def _worth(row: dict[str, Any]) -> str:
    """Grade and value in whole units, as compact as the table wants them."""
    value = whole(row["value"], row["currency"]) if row.get("value") is not None else ""
    return " · ".join(filter(None, (row.get("grade"), value)))


def _won_chart(rows: list[dict[str, Any]]) -> str:
    """Won value per month as small columns (inline SVG), the month's target as a red mark."""
    from decimal import Decimal

    from salesflow.i18n import _
    from salesflow.output import svg
    from salesflow.output.review import short

    e = html.escape
    values = [Decimal(r["won_value"]) for r in rows]
    targets = [Decimal(r["target"]) if r["target"] else None for r in rows]
    chart = svg.columns(
        [r["period"] for r in rows], values, title=_("Won value by month"),
        shown=[short(v) for v in values], targets=targets, height=150,
    )  # fmt: skip
    note = _("{month} so far.").format(month=rows[-1]["period"])
    if targets[-1] is not None:
        note = _("{month} so far; the red mark is its target, {target}.").format(
            month=rows[-1]["period"], target=whole(rows[-1]["target"], rows[-1]["currency"])
        )
    return (
        f'<h2 style="margin:14px 0 4px;font-size:15px;color:{_INK}">'
        f"{e(_('Won value by month'))}</h2>{chart}"
        f'<p style="margin:2px 0 0;font-size:12px;color:{_MUTED}">{e(note)}</p>'
    )
