"""The lead card behind `lead show`: the lead's facts plus one section per kind of history.

Later capabilities (activities, follow-ups, quotes) add a section function to SECTIONS instead
of changing `lead show`. A section is called as `section(conn, lead)`; one that needs the local
date (an expired quote, an overdue follow-up) adds a `today` parameter and gets it too.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

from salesflow import leads, moves, pipeline
from salesflow.leads import Lead

Section = Callable[..., list[dict[str, Any]]]


def _history(conn: sqlite3.Connection, lead: Lead) -> list[dict[str, Any]]:
    return [
        {
            "from": m.from_stage or None,
            "to": m.to_stage,
            "at": m.changed_at,
            "note": m.note,
            "reason": m.reason,
        }
        for m in moves.history(conn, lead.id)
    ]


def _quotes(conn: sqlite3.Connection, lead: Lead, today: date) -> list[dict[str, Any]]:
    from salesflow import quotes

    return quotes.lead_section(conn, lead, today)


SECTIONS: dict[str, Section] = {"history": _history}
SECTIONS["quotes"] = _quotes


def lead_card(conn: sqlite3.Connection, ref: str, today: date | None = None) -> dict[str, Any]:
    lead = leads.resolve(conn, ref)
    stage = pipeline.get_stage(conn, lead.stage)
    card: dict[str, Any] = {"lead": lead.record(stage.probability)}
    for name, section in SECTIONS.items():
        if "today" in inspect.signature(section).parameters:
            if today is None:
                raise ValueError(f"the {name} section needs today's date")
            card[name] = section(conn, lead, today=today)
        else:
            card[name] = section(conn, lead)
    return card
