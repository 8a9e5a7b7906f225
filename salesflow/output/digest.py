"""The digest as plain text (cron mail), Markdown, self-contained HTML (an email body with
inline styles) or JSON. One line per row, written by the same function for every format."""

from __future__ import annotations

import html
import json
from datetime import tzinfo
from typing import Any

from salesflow.output.terminal import Terminal
from salesflow.output.views import when

_FMT_DAYS = {1: "1 day"}


def _days(n: int | None) -> str:
    return _FMT_DAYS.get(n or 0, f"{n} days")


def _who(row: dict[str, Any]) -> str:
    company = f" ({row['company']})" if row.get("company") else ""
    return f"#{row['lead_id']} {row['lead']}{company}"


def line(key: str, row: dict[str, Any], tz: tzinfo | None) -> str:
    """One row of a section as a sentence a seller reads at a glance."""
    if key in ("overdue", "today"):
        due = row["due_date"] + (f" {row['due_time']}" if row.get("due_time") else "")
        late = f", {_days(row['days'])} late" if key == "overdue" and row.get("days") else ""
        return f"{row['action']} — {_who(row)} [{row['stage']}] (due {due}{late})"
    if key == "unplanned":
        last = f", last touch {when(row['since'], tz)}" if row.get("since") else ""
        return f"{_who(row)} [{row['stage']}] has no next step{last}"
    if key == "stale":
        return f"{_who(row)} [{row['stage']}] idle for {_days(row['days'])}"
    if key == "first_touch":
        return f"{_who(row)} created {when(row['since'], tz)}, not contacted yet"
    if key == "quotes_expiring":
        left = "today" if row["days_left"] == 0 else f"in {_days(row['days_left'])}"
        return (
            f"{row['number']} {_amount(row['total'], row['currency'])} — {_who(row)} "
            f"expires {left} ({row['valid_until']})"
        )
    if key == "quotes_unanswered":
        return (
            f"{row['number']} {_amount(row['total'], row['currency'])} — {_who(row)} "
            f"sent {when(row['sent_at'], tz)}"
        )
    if key == "yesterday":
        if row["change"] == "new":
            return f"new lead {_who(row)} in {row['to']}"
        reason = f" ({row['reason']})" if row.get("reason") else ""
        return f"{row['change']}: {_who(row)} {row['from']} → {row['to']}{reason}"
    if key == "targets":
        return _pace(row)
    return ", ".join(f"{k}={v}" for k, v in row.items())


def _amount(text: str | None, currency: str) -> str:
    from decimal import Decimal

    from salesflow import money

    if text is None:
        return "—"
    return money.display(money.to_minor(Decimal(text), currency), currency)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _pace(row: dict[str, Any]) -> str:
    cur = row["currency"]
    if row["target"] is None:
        return f"{row['period']}: the target's currency has no fx rate — config set fx.CODE RATE"
    text = (
        f"{row['period']}: {_amount(row['won'], cur)} of {_amount(row['target'], cur)} won "
        f"({_pct(row['done'])}), {_pct(row['elapsed'])} of the period gone"
    )
    if row.get("projected") is not None:
        text += f", on pace for {_amount(row['projected'], cur)}"
    if row.get("weighted_pipeline") is not None:
        text += f"; weighted pipeline closing in it {_amount(row['weighted_pipeline'], cur)}"
    return text


def header(d: Any) -> str:
    day = f"{d.day:%a %Y-%m-%d}"
    if not d.leads:
        return (
            f"salesflow digest {day}: your pipeline is empty — add a lead with "
            "`salesflow lead add NAME` (or try `salesflow demo`)."
        )
    counts = ", ".join(f"{s.title.lower()}: {s.total}" for s in d.sections if s.key != "targets")
    if not counts:
        return (
            f"salesflow digest {day} ({d.zone}): all clear — open deals: {d.open_deals}, "
            "nothing due."
        )
    return f"salesflow digest {day} ({d.zone}): open deals: {d.open_deals}; {counts}."


def _more(section: Any) -> int:
    return section.total - len(section.rows)


# Where a section's rows beyond the digest's limit can be seen in full.
_ALL_OF = {
    "quotes_expiring": "salesflow quote list --status sent",
    "quotes_unanswered": "salesflow quote list --status sent",
}


def _more_line(section: Any) -> str:
    where = _ALL_OF.get(section.key, "salesflow today --all")
    return f"  … and {_more(section)} more ({where})"


def text(d: Any, tz: tzinfo | None) -> str:
    out = [header(d)]
    for s in d.sections:
        out += ["", f"{s.title} ({s.total})"]
        out += [f"  - {line(s.key, r, tz)}" for r in s.rows]
        if _more(s):
            out.append(_more_line(s))
    return "\n".join(out) + "\n"


def _md_escape(value: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in value)


def markdown(d: Any, tz: tzinfo | None) -> str:
    out = [f"# {_md_escape(header(d))}"]
    for s in d.sections:
        out += ["", f"## {_md_escape(s.title)} ({s.total})", ""]
        out += [f"- {_md_escape(line(s.key, r, tz))}" for r in s.rows]
        if _more(s):
            out.append(f"- … and {_more(s)} more")
    return "\n".join(out) + "\n"


_STYLE = {
    "body": "font-family:-apple-system,'Segoe UI',Roboto,'Noto Sans CJK SC','PingFang SC',"
    "'Microsoft YaHei',sans-serif;color:#1f2328;max-width:720px;margin:0 auto;padding:16px",
    "h1": "font-size:17px;margin:0 0 12px",
    "h2": "font-size:15px;margin:18px 0 6px;border-bottom:1px solid #d0d7de;padding-bottom:4px",
    "li": "margin:3px 0;font-size:14px",
    "overdue": "color:#cf222e",
}


def html_page(d: Any, tz: tzinfo | None) -> str:
    """One self-contained page with inline styles (mail clients drop <style> blocks); every
    piece of user text goes through html.escape."""
    e = html.escape
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(header(d))}</title></head>",
        f'<body style="{_STYLE["body"]}">',
        f'<h1 style="{_STYLE["h1"]}">{e(header(d))}</h1>',
    ]
    for s in d.sections:
        colour = f";{_STYLE['overdue']}" if s.key == "overdue" else ""
        parts.append(f'<h2 style="{_STYLE["h2"]}{colour}">{e(s.title)} ({s.total})</h2><ul>')
        parts += [f'<li style="{_STYLE["li"]}">{e(line(s.key, r, tz))}</li>' for r in s.rows]
        if _more(s):
            parts.append(f'<li style="{_STYLE["li"]}">… and {_more(s)} more</li>')
        parts.append("</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def render_digest(d: Any, fmt: str, term: Terminal, tz: tzinfo | None) -> None:
    if fmt == "json":
        term.raw.write(json.dumps(d.record(), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "md":  # documents, like the machine formats, keep the exact text
        term.raw.write(markdown(d, tz))
    elif fmt == "html":
        term.raw.write(html_page(d, tz))
    elif fmt == "table":
        _rich(d, term, tz)
    else:
        term.out.write(text(d, tz))


def _rich(d: Any, term: Terminal, tz: tzinfo | None) -> None:
    from rich.text import Text

    console = term.console()
    console.print(Text(header(d), style="bold"))
    for s in d.sections:
        console.print()
        style = "bold red" if s.key == "overdue" else "bold"
        console.print(Text(f"{s.title} ({s.total})", style=style))
        for r in s.rows:
            console.print(Text(f"  • {line(s.key, r, tz)}"))
        if _more(s):
            console.print(Text(_more_line(s), style="dim"))
