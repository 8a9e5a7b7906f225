"""How a reminder reads: one line for the terminal or cron's mail, and the title and body a
notification (`remind --exec`) gets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesflow.i18n import _

if TYPE_CHECKING:
    from salesflow.reminders import Reminder


def when(r: Reminder) -> str:
    if r.due_time:
        return f"{r.due_date} {r.due_time}"
    return _("{day} (all day)").format(day=r.due_date)


def line(r: Reminder) -> str:
    who = f" — {r.lead}" if r.lead else ""
    return f"{when(r)}  {r.action}{who}"


def notice(r: Reminder) -> dict[str, str]:
    """The environment `--exec` runs with: SALESFLOW_TITLE, SALESFLOW_BODY, SALESFLOW_LEAD."""
    body = _("due {when}").format(when=when(r)) + (f" — {r.lead}" if r.lead else "")
    return {
        "SALESFLOW_TITLE": r.action,
        "SALESFLOW_BODY": body,
        "SALESFLOW_LEAD": str(r.lead_id) if r.lead_id is not None else "",
        "SALESFLOW_FOLLOWUP": str(r.followup_id),
        "SALESFLOW_DUE": r.moment,
    }
