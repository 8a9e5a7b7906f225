"""The digest as plain text (cron mail), Markdown, self-contained HTML (an email body with
inline styles) or JSON. One line per row, written by the same function for every format."""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from salesflow.i18n import _, bracketed, join, labelled, ngettext
from salesflow.output.terminal import Terminal
from salesflow.output.views import when, word


def days_text(n: int | None) -> str:
    return ngettext("{n} day", "{n} days", n or 0).format(n=n)


def _who(row: dict[str, Any]) -> str:
    who = f"#{row['lead_id']} {row['lead']}"
    return bracketed(who, row["company"]) if row.get("company") else who


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
        what = {"action": row["action"], "deal": _deal(row), "due": due}
        if key == "overdue" and row.get("days"):
            late = days_text(row["days"])
            return _("{action} — {deal} (due {due}, {late} late)").format(**what, late=late)
        return _("{action} — {deal} (due {due})").format(**what)
    if key == "unplanned":
        if row.get("since"):
            return _("{deal} has no next step, last touch {when}").format(
                deal=_deal(row), when=when(row["since"], tz)
            )
        return _("{deal} has no next step").format(deal=_deal(row))
    if key == "stale":
        return _("{deal} idle for {days}").format(deal=_deal(row), days=days_text(row["days"]))
    if key == "first_touch":
        return _("{deal} created {when}, not contacted yet").format(
            deal=_deal(row), when=when(row["since"], tz)
        )
    if key == "quotes_expiring":
        return _("{number} {total} — {who} expires {left} ({valid_until})").format(
            number=row["number"],
            total=amount(row["total"], row["currency"]),
            who=_who(row),
            left=expires_in(row["days_left"]),
            valid_until=row["valid_until"],
        )
    if key == "quotes_unanswered":
        return _("{number} {total} — {who} sent {when}").format(
            number=row["number"],
            total=amount(row["total"], row["currency"]),
            who=_who(row),
            when=when(row["sent_at"], tz),
        )
    if key == "changes":
        if row["change"] == "new":
            return _("new lead {who} in {stage}").format(who=_who(row), stage=row["to"])
        reason = _(" ({reason})").format(reason=row["reason"]) if row.get("reason") else ""
        return _("{change}: {who} {from_stage} → {to_stage}{reason}").format(
            change=word(row["change"]), who=_who(row), from_stage=row["from"],
            to_stage=row["to"], reason=reason,
        )  # fmt: skip
    if key == "targets":
        return pace(row)
    return ", ".join(f"{k}={v}" for k, v in row.items())


def expires_in(days_left: int) -> str:
    """`today`, `in 3 days`: when a quote's validity ends."""
    if days_left == 0:
        return _("today")
    return _("in {days}").format(days=days_text(days_left))


def amount(text: str | None, currency: str) -> str:
    from decimal import Decimal

    from salesflow import money

    if text is None:
        return "—"
    from salesflow.output import figures

    return figures.display(money.to_minor(Decimal(text), currency), currency)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def pace(row: dict[str, Any]) -> str:
    cur = row["currency"]
    if row["target"] is None:
        return _("{period}: the target's currency has no fx rate — config set fx.CODE RATE").format(
            period=row["period"]
        )
    text = _("{period}: {won} of {target} won ({done}), {elapsed} of the period gone").format(
        period=row["period"],
        won=amount(row["won"], cur),
        target=amount(row["target"], cur),
        done=_pct(row["done"]),
        elapsed=_pct(row["elapsed"]),
    )
    if row.get("projected") is not None:
        text += _(", on pace for {amount}").format(amount=amount(row["projected"], cur))
    if row.get("weighted_pipeline") is not None:
        text += _("; weighted pipeline closing in it {amount}").format(
            amount=amount(row["weighted_pipeline"], cur)
        )
    return text


def headline_title(d: Any) -> str:
    from salesflow.daynames import dated

    return _("salesflow digest {day}").format(day=dated(d.day))


def counts_line(d: Any) -> str:
    """What the day holds, in a few words: the counts of each section, or why there are none."""
    if not d.leads:
        return _(
            "your pipeline is empty — add a lead with `salesflow lead add NAME` "
            "(or try `salesflow demo`)."
        )
    counts = _(", ").join(
        _("{section}: {count}").format(section=_lower_first(s.title), count=s.total)
        for s in d.sections
        if s.key != "targets"
    )
    if not counts:
        return _("all clear — open deals: {n}, nothing due.").format(n=d.open_deals)
    return _("open deals: {n}; {counts}.").format(n=d.open_deals, counts=counts)


def _lower_first(title: str) -> str:
    """A section title inside a sentence: "changes since Wed 2026-12-02", the weekday as the
    digest writes it everywhere else."""
    return title[:1].lower() + title[1:]


def sentence(text: str) -> str:
    """The counts line standing as a paragraph of its own: "Open deals: 68; …"."""
    return text[:1].upper() + text[1:]


def _zoned(d: Any) -> str:
    return bracketed(headline_title(d), d.zone) if d.leads else headline_title(d)


def header(d: Any) -> str:
    return labelled(_zoned(d), counts_line(d))


def whole(amount: str | None, currency: str) -> str:
    """A base-currency figure in whole units, as the report tables show it: `1,694,548 CNY`."""
    from decimal import Decimal

    from salesflow.output import figures

    if amount is None:
        return "—"
    return f"{figures.whole(Decimal(amount))} {currency}"


def figures(h: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The header strip: (label, figure, detail) for open pipeline, won this month against its
    target, and follow-up timeliness this month. `h` is Headline.record()."""
    cur = h["currency"]
    won = f"{whole(h['won'], cur)}"
    month = h["month"]
    if h["target"] is not None:
        won_detail = _(
            "{done} of {target} target, {elapsed} of the month gone; on pace for {projected}"
        ).format(
            done=_pct(h["done"]),
            target=whole(h["target"], cur),
            elapsed=_pct(h["elapsed"]),
            projected=whole(h["projected"], cur),
        )
    else:
        deals = ngettext("{n} deal", "{n} deals", h["won_deals"]).format(n=h["won_deals"])
        won_detail = _("{deals}; no target for {month} — salesflow target set").format(
            deals=deals, month=month
        )
    due = h["followups_due"]
    open_deals = ngettext("{n} open deal", "{n} open deals", h["open_deals"])
    return [
        (_("Open pipeline"), whole(h["pipeline"], cur), open_deals.format(n=h["open_deals"])),
        (_("Weighted"), whole(h["weighted"], cur), _("open value × stage probability")),
        (_("Won in {month}").format(month=month), won, won_detail),
        (
            _("Follow-ups on time"),
            _pct(h["timeliness"]),
            _("{on_time} of {due} due in {month} so far").format(
                on_time=h["followups_on_time"], due=due, month=month
            ) if due else _("none due in {month} yet").format(month=month),
        ),
    ]  # fmt: skip


def figure_lines(d: Any) -> list[str]:
    if d.headline is None:
        return []
    shape = _("{label}: {figure} ({detail})")
    lines = [shape.format(label=x, figure=f, detail=more) for x, f, more in figures(_h(d))]
    if note := unconverted_note(d):
        lines.append(note)
    return lines


def unconverted_note(d: Any) -> str | None:
    """Which currencies the money figures leave out (no exchange rate), or None."""
    missing = list(d.headline.unconverted) if d.headline is not None else []
    if not missing:
        return None
    return _(
        "Left out of these money figures: amounts in {missing} (no exchange rate — "
        "salesflow config set fx.{first} RATE)"
    ).format(missing=join(missing), first=missing[0])


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
    return _("  … and {more} more ({where})").format(more=_more(section), where=where)


def text(d: Any, tz: tzinfo | None) -> str:
    out = [header(d), *figure_lines(d)]
    for s in d.sections:
        out += ["", bracketed(s.title, s.total)]
        out += [f"  - {line(s.key, r, tz)}" for r in s.rows]
        if _more(s):
            out.append(_more_line(s))
    return "\n".join(out) + "\n"


def _md_escape(value: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in value)


def markdown(d: Any, tz: tzinfo | None) -> str:
    # The title a heading, the counts a paragraph under it (as the HTML page has them).
    out = [f"# {_md_escape(_zoned(d))}", ""]
    out.append(_md_escape(sentence(counts_line(d))))
    if d.headline is not None:
        out += [""] + [f"- {_md_escape(x)}" for x in figure_lines(d)]
    for s in d.sections:
        out += ["", f"## {_md_escape(bracketed(s.title, s.total))}", ""]
        out += [f"- {_md_escape(line(s.key, r, tz))}" for r in s.rows]
        if _more(s):
            where = _md_escape(more_command(s))
            out.append("- " + _("… and {more} more ({where})").format(more=_more(s), where=where))
    return "\n".join(out) + "\n"


def document(d: Any, fmt: str, tz: tzinfo | None) -> str:
    """The digest as one document: `text`, `md`, `html` (a mail body) or `json`."""
    if fmt == "json":
        return json.dumps(d.record(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return markdown(d, tz)
    if fmt == "html":
        from salesflow.i18n import active
        from salesflow.output.digest_mail import html_page

        return html_page(d, tz, lang=active())
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
        console.print(Text(bracketed(s.title, s.total), style=style))
        for r in s.rows:
            console.print(Text(f"  • {line(s.key, r, tz)}"))
        if _more(s):
            console.print(Text(_more_line(s), style="dim"))
