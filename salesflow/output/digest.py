"""The digest as plain text (cron mail), Markdown, self-contained HTML (an email body with
inline styles) or JSON. One line per row, written by the same function for every format."""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from salesflow.output.terminal import Terminal
from salesflow.output.views import when

_FMT_DAYS = {1: "1 day"}


def days_text(n: int | None) -> str:
    return _FMT_DAYS.get(n or 0, f"{n} days")


def _who(row: dict[str, Any]) -> str:
    company = f" ({row['company']})" if row.get("company") else ""
    return f"#{row['lead_id']} {row['lead']}{company}"


def worth(row: dict[str, Any]) -> str:
    """The deal's grade and value, as the digest ranks it: `A · 50,000.00 CNY`."""
    value = amount(row["value"], row["currency"]) if row.get("value") is not None else ""
    return " · ".join(filter(None, (row.get("grade"), value)))


def _deal(row: dict[str, Any]) -> str:
    shown = worth(row)
    return f"{_who(row)} [{row['stage']}]" + (f" {shown}" if shown else "")


def line(key: str, row: dict[str, Any], tz: tzinfo | None) -> str:
    """One row of a section as a sentence a seller reads at a glance."""
    if key in ("overdue", "today"):
        due = row["due_date"] + (f" {row['due_time']}" if row.get("due_time") else "")
        late = f", {days_text(row['days'])} late" if key == "overdue" and row.get("days") else ""
        return f"{row['action']} — {_deal(row)} (due {due}{late})"
    if key == "unplanned":
        last = f", last touch {when(row['since'], tz)}" if row.get("since") else ""
        return f"{_deal(row)} has no next step{last}"
    if key == "stale":
        return f"{_deal(row)} idle for {days_text(row['days'])}"
    if key == "first_touch":
        return f"{_deal(row)} created {when(row['since'], tz)}, not contacted yet"
    if key == "quotes_expiring":
        left = "today" if row["days_left"] == 0 else f"in {days_text(row['days_left'])}"
        return (
            f"{row['number']} {amount(row['total'], row['currency'])} — {_who(row)} "
            f"expires {left} ({row['valid_until']})"
        )
    if key == "quotes_unanswered":
        return (
            f"{row['number']} {amount(row['total'], row['currency'])} — {_who(row)} "
            f"sent {when(row['sent_at'], tz)}"
        )
    if key == "changes":
        if row["change"] == "new":
            return f"new lead {_who(row)} in {row['to']}"
        reason = f" ({row['reason']})" if row.get("reason") else ""
        return f"{row['change']}: {_who(row)} {row['from']} → {row['to']}{reason}"
    if key == "targets":
        return pace(row)
    return ", ".join(f"{k}={v}" for k, v in row.items())


def amount(text: str | None, currency: str) -> str:
    from decimal import Decimal

    from salesflow import money

    if text is None:
        return "—"
    return money.display(money.to_minor(Decimal(text), currency), currency)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def pace(row: dict[str, Any]) -> str:
    cur = row["currency"]
    if row["target"] is None:
        return f"{row['period']}: the target's currency has no fx rate — config set fx.CODE RATE"
    text = (
        f"{row['period']}: {amount(row['won'], cur)} of {amount(row['target'], cur)} won "
        f"({_pct(row['done'])}), {_pct(row['elapsed'])} of the period gone"
    )
    if row.get("projected") is not None:
        text += f", on pace for {amount(row['projected'], cur)}"
    if row.get("weighted_pipeline") is not None:
        text += f"; weighted pipeline closing in it {amount(row['weighted_pipeline'], cur)}"
    return text


def headline_title(d: Any) -> str:
    return f"salesflow digest {d.day:%a %Y-%m-%d}"


def counts_line(d: Any) -> str:
    """What the day holds, in a few words: the counts of each section, or why there are none."""
    if not d.leads:
        return (
            "your pipeline is empty — add a lead with `salesflow lead add NAME` "
            "(or try `salesflow demo`)."
        )
    counts = ", ".join(f"{s.title.lower()}: {s.total}" for s in d.sections if s.key != "targets")
    if not counts:
        return f"all clear — open deals: {d.open_deals}, nothing due."
    return f"open deals: {d.open_deals}; {counts}."


def header(d: Any) -> str:
    zone = f" ({d.zone})" if d.leads else ""
    return f"{headline_title(d)}{zone}: {counts_line(d)}"


def whole(amount: str | None, currency: str) -> str:
    """A base-currency figure in whole units, as the report tables show it: `1,694,548 CNY`."""
    from decimal import ROUND_HALF_UP, Decimal

    if amount is None:
        return "—"
    return f"{Decimal(amount).quantize(Decimal(1), ROUND_HALF_UP):,} {currency}"


def figures(h: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The header strip: (label, figure, detail) for open pipeline, won this month against its
    target, and follow-up timeliness this month. `h` is Headline.record()."""
    cur = h["currency"]
    won = f"{whole(h['won'], cur)}"
    if h["target"] is not None:
        won_detail = (
            f"{_pct(h['done'])} of {whole(h['target'], cur)} target, {_pct(h['elapsed'])} of "
            f"the month gone; on pace for {whole(h['projected'], cur)}"
        )
    else:
        won_detail = (
            f"{_n(h['won_deals'], 'deal')}; no target for {h['month']} — salesflow target set"
        )
    due = h["followups_due"]
    return [
        ("Open pipeline", whole(h["pipeline"], cur), _n(h["open_deals"], "open deal")),
        ("Weighted", whole(h["weighted"], cur), "open value × stage probability"),
        (f"Won in {h['month']}", won, won_detail),
        (
            "Follow-ups on time",
            _pct(h["timeliness"]),
            f"{h['followups_on_time']} of {due} due in {h['month']} so far" if due else
            f"none due in {h['month']} yet",
        ),
    ]  # fmt: skip


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def figure_lines(d: Any) -> list[str]:
    if d.headline is None:
        return []
    return [f"{label}: {figure} ({detail})" for label, figure, detail in figures(_h(d))]


def _h(d: Any) -> dict[str, Any]:
    return d.headline.record()


def _more(section: Any) -> int:
    return section.total - len(section.rows)


# Where a section's rows beyond the digest's limit can be seen in full.
_ALL_OF = {
    "quotes_expiring": "salesflow quote list --status sent",
    "quotes_unanswered": "salesflow quote list --status sent",
}


_TODAY_ALL = "salesflow today --all"


def more_command(section: Any) -> str:
    if section.key == "changes":  # every change of the window: the digest with room for them
        return f"salesflow digest --since {section.since.isoformat()} --limit {section.total}"
    return _ALL_OF.get(section.key, _TODAY_ALL)


def _more_line(section: Any) -> str:
    where = more_command(section)
    return f"  … and {_more(section)} more ({where})"


def text(d: Any, tz: tzinfo | None) -> str:
    out = [header(d), *figure_lines(d)]
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
    if d.headline is not None:
        out += [""] + [f"- {_md_escape(x)}" for x in figure_lines(d)]
    for s in d.sections:
        out += ["", f"## {_md_escape(s.title)} ({s.total})", ""]
        out += [f"- {_md_escape(line(s.key, r, tz))}" for r in s.rows]
        if _more(s):
            out.append(f"- … and {_more(s)} more ({_md_escape(more_command(s))})")
    return "\n".join(out) + "\n"


def document(d: Any, fmt: str, tz: tzinfo | None) -> str:
    """The digest as one document: `text`, `md`, `html` (a mail body) or `json`."""
    if fmt == "json":
        return json.dumps(d.record(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return markdown(d, tz)
    if fmt == "html":
        from salesflow.output.digest_mail import html_page

        return html_page(d, tz)
    return text(d, tz)


def render_digest(d: Any, fmt: str, term: Terminal, tz: tzinfo | None) -> None:
    if fmt == "table":
        _rich(d, term, tz)
    elif fmt == "text":
        term.out.write(document(d, fmt, tz))
    else:  # documents, like the machine formats, keep the exact text
        term.raw.write(document(d, fmt, tz))


def _rich(d: Any, term: Terminal, tz: tzinfo | None) -> None:
    from rich.text import Text

    console = term.console()
    console.print(Text(header(d), style="bold"))
    for x in figure_lines(d):
        console.print(Text(f"  {x}"))
    for s in d.sections:
        console.print()
        style = "bold red" if s.key == "overdue" else "bold"
        console.print(Text(f"{s.title} ({s.total})", style=style))
        for r in s.rows:
            console.print(Text(f"  • {line(s.key, r, tz)}"))
        if _more(s):
            console.print(Text(_more_line(s), style="dim"))
