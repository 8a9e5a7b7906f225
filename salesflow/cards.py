"""The lead card behind `lead show`: the lead's facts plus one section per kind of history.

Later capabilities (activities, follow-ups, quotes) add a section function to SECTIONS instead
of changing `lead show`. A section is called as `section(conn, lead, today)`: today's local
date tells an expired quote or an overdue follow-up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

from salesflow import leads, moves, pipeline
from salesflow.leads import Lead

Section = Callable[[sqlite3.Connection, Lead, date], list[dict[str, Any]]]


def _history(conn: sqlite3.Connection, lead: Lead, today: date) -> list[dict[str, Any]]:
    shown = pipeline.shown_names(conn)  # won and lost by what the seller calls them
    return [
        {
            "from": shown.get(m.from_stage, m.from_stage) or None,
            "to": shown.get(m.to_stage, m.to_stage),
            "at": m.changed_at,
            "note": m.note,
            "reason": m.reason,
        }
        for m in moves.history(conn, lead.id)
    ]


def _activities(conn: sqlite3.Connection, lead: Lead, today: date) -> list[dict[str, Any]]:
    from salesflow import activities

    return [a.record() for a in activities.for_lead(conn, lead.id)]  # newest first


def _followups(conn: sqlite3.Connection, lead: Lead, today: date) -> list[dict[str, Any]]:
    from salesflow import followups

    return [
        {
            "id": f.id,
            "status": "open" if f.is_open else "done",
            "due": f.due_text,
            "action": f.action,
            "recur": f.every,
            "done_at": f.done_at,
        }
        for f in followups.for_lead(conn, lead.id)
    ]


def _quotes(conn: sqlite3.Connection, lead: Lead, today: date) -> list[dict[str, Any]]:
    from salesflow import quotes

    return quotes.lead_section(conn, lead, today)


SECTIONS: dict[str, Section] = {"history": _history}
SECTIONS["followups"] = _followups
SECTIONS["activities"] = _activities
SECTIONS["quotes"] = _quotes


def lead_card(conn: sqlite3.Connection, ref: str, today: date) -> dict[str, Any]:
    lead = leads.resolve(conn, ref)
    stage = pipeline.get_stage(conn, lead.stage)
    card: dict[str, Any] = {"lead": lead.record(stage.probability)}
    card["lead"]["stage"] = stage.shown
    for name, section in SECTIONS.items():
        card[name] = section(conn, lead, today)
    return card
