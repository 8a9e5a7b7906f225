"""Views of follow-ups and the daily agenda: grouped tables, overdue rows in red."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, tzinfo
from typing import Any

from salesflow.i18n import N_, _, bracketed
from salesflow.output import Column, render
from salesflow.output.terminal import Terminal
from salesflow.output.views import when
from salesflow.words import rhythm

GROUP_TITLES = {
    "overdue": N_("Overdue"),
    "today": N_("Due today"),
    "upcoming": N_("Next {days} days"),
    "later": N_("Later"),
    "done": N_("Done"),
}
AGENDA_TITLES = {
    "overdue": N_("Overdue follow-ups"),
    "today": N_("Due today"),
    "unplanned": N_("No next step (open deals without a follow-up)"),
    "stale": N_("Stale deals (no touch for longer than the stage allows)"),
    "first_touch": N_("First touch overdue (new leads nobody has contacted)"),
}
AGENDA_HINTS = {
    "overdue": "salesflow followup list --overdue",
    "today": "salesflow followup list --today",
    "unplanned": "salesflow today --all",
    "stale": "salesflow today --all",
    "first_touch": "salesflow today --all",
}


def due(row: dict[str, Any]) -> str:
    """`2026-11-27 Fri` or `2026-12-01 Tue 14:30`: the weekday is what a seller plans by."""
    day = row.get("due_date")
    if not day:
        return ""
    from salesflow.daynames import weekday

    text = f"{day} {weekday(date.fromisoformat(day))}"
    return text + (f" {row['due_time']}" if row.get("due_time") else "")


def _lead(row: dict[str, Any]) -> str:
    return f"#{row['lead_id']} {row['lead']}"


def followup_columns() -> list[Column]:
    return [
        Column("id", "#", justify="right", style="dim"),
        Column("due_date", N_("Due"), get=due, no_wrap=True),
        Column("action", N_("Action"), style="bold"),
        Column("lead", N_("Lead"), get=_lead),
        Column("company", N_("Company"), hide=2),
        Column("stage", N_("Stage"), style="cyan", no_wrap=True, hide=3),
        Column("recur", N_("Repeats"), get=lambda r: rhythm(r.get("recur")), no_wrap=True, hide=1),
    ]


def _overdue_red(row: dict[str, Any]) -> str | None:
    return "red" if row.get("overdue") or row.get("section") == "overdue" else None


def followup_list(
    rows: list[dict[str, Any]],
    fmt: str,
    term: Terminal,
    *,
    days: int,
    raw: bool = False,
    limit: int | None = None,
) -> None:
    """One table per group (overdue, today, next N days, later) on a terminal, at most `limit`
    rows each (a table of thousands helps nobody and takes seconds to draw); one flat listing
    with a `when` column, every row, in machine formats."""
    if fmt != "table":
        from salesflow.followups import RECORD_KEYS

        render(rows, fmt, term, raw=raw, keys=RECORD_KEYS)
        return
    groups = [(group, [r for r in rows if r["when"] == group]) for group in GROUP_TITLES]
    followup_table([(g, chosen, len(chosen)) for g, chosen in groups], term, days=days, limit=limit)


def followup_table(
    groups: list[tuple[str, list[dict[str, Any]], int]],
    term: Terminal,
    *,
    days: int,
    limit: int | None = None,
) -> None:
    """The grouped tables of `followup_list` from (group, rows, total of the group): `rows`
    may already be cut to `limit` (the titles and "… more" lines count `total`)."""
    totals = {group: total for group, _rows, total in groups}
    if not any(totals.values()):
        term.line(_("No open follow-ups in this window."))
        return
    chosen_rows = {group: rows for group, rows, _total in groups}
    for group, title in GROUP_TITLES.items():
        total = totals.get(group, 0)
        if total:
            render(
                chosen_rows[group][:limit],
                "table",
                term,
                columns=followup_columns(),
                title=bracketed(_(title).format(days=days), total),
                row_style=_overdue_red,
            )
            if limit is not None and total > limit:
                more = total - limit
                term.line(
                    _("… and {more} more (--limit N, or --format csv for all)").format(more=more)
                )


def _waiting(row: dict[str, Any]) -> str:
    hours = row.get("hours")
    if hours is None:
        return _("never touched") if row["section"] == "unplanned" else ""
    span = _("{n} h").format(n=hours) if hours < 48 else _("{n} d").format(n=row["days"])
    return _("{span} ago").format(span=span) if row["section"] == "unplanned" else span


def _late(row: dict[str, Any]) -> str:
    days = row.get("days") or 0
    # "21 d" under the header "Late": narrow enough that the overdue table fits 60 columns.
    if days:
        return _("{n} d").format(n=days)
    return _("passed") if row["section"] == "overdue" else ""


def agenda_columns(section: str, tz: tzinfo | None = None) -> list[Column]:
    lead = [
        Column("lead_id", "#", justify="right", style="dim"),
        Column("lead", N_("Lead"), style="bold"),
        Column("company", N_("Company"), hide=2),
        Column("stage", N_("Stage"), style="cyan", no_wrap=True),
    ]
    if section in ("overdue", "today"):
        return [
            Column("followup_id", N_("F#"), justify="right", style="dim"),
            Column("due_date", N_("Due"), get=due, no_wrap=True),
            Column("days", N_("Late"), justify="right", get=_late),
            Column("action", N_("Action"), style="bold"),
            Column("lead", N_("Lead"), get=_lead),
            Column("company", N_("Company"), hide=1),
        ]
    label = {"unplanned": N_("Last touch"), "stale": N_("Idle"), "first_touch": N_("Waiting")}[
        section
    ]
    since = Column(
        "since", N_("Since"), get=lambda r: when(r.get("since"), tz), no_wrap=True, hide=1
    )
    return [*lead, Column("hours", label, justify="right", get=_waiting), since]


def agenda_heading(day: date, zone: str) -> str:
    """`Agenda for Tue 2026-12-01 (Asia/Shanghai)`; in Chinese `今日待办 12月1日 周二（…）`."""
    from salesflow.daynames import heading

    return _("Agenda for {day} ({zone})").format(day=heading(day), zone=zone)


def agenda_view(
    sections: Iterable[Any],
    fmt: str,
    term: Terminal,
    *,
    heading: str,
    tz: tzinfo | None = None,
    raw: bool = False,
) -> None:
    """`salesflow today`: one titled table per non-empty section; machine formats get every
    item as one flat row with its `section`."""
    sections = list(sections)
    if fmt != "table":
        from dataclasses import fields

        from salesflow.agenda import Item

        keys = [f.name for f in fields(Item)]
        render((i.record() for s in sections for i in s.items), fmt, term, raw=raw, keys=keys)
        return
    term.line(heading, style="bold")
    if not any(s.total for s in sections):
        term.line(_("Nothing due, and every open deal has a next step."))
        return
    for s in sections:
        if not s.total:
            continue
        term.line()
        render(
            [i.record() for i in s.items],
            "table",
            term,
            columns=agenda_columns(s.name, tz),
            title=bracketed(_(AGENDA_TITLES[s.name]), s.total),
            row_style=_overdue_red,
        )
        if s.total > len(s.items):
            term.line(
                _("  … and {more} more: {command}").format(
                    more=s.total - len(s.items), command=AGENDA_HINTS[s.name]
                )
            )
