"""`lead list --sort value` across currencies: with exchange rates configured, deals are
compared by their value in the base currency, largest first; a currency without a rate cannot
be compared with the rest, so its deals come after them (by currency, then value) and are
named, and deals without a value come last."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from decimal import Decimal

from salesflow import fx, leads
from salesflow.leads import Lead, LeadFilter


def leads_by_value(
    conn: sqlite3.Connection, flt: LeadFilter, base: str
) -> tuple[list[tuple[Lead, int]], list[str]]:
    """The leads `flt` selects in value order, each with its stage's probability, and the
    currencies among them that have no rate (sorted). Without any rate configured, the plain
    order stands: by currency, then value."""
    conv = fx.converter(conn, base)
    if not conv.rates:
        return leads.search(conn, flt), []

    def key(found: tuple[Lead, int]) -> tuple[int, str, Decimal, int]:
        lead = found[0]
        if lead.value_minor is None:
            return (2, "", Decimal(0), lead.id)
        if conv.can_convert(lead.currency):
            return (0, "", -conv.to_base(lead.currency, lead.value_minor), lead.id)
        return (1, lead.currency, -Decimal(lead.value_minor), lead.id)

    # Sorted here, not in SQL: the rates are exact decimals, SQLite's arithmetic is float.
    ordered = sorted(leads.search(conn, replace(flt, sort="id", limit=None)), key=key)
    if flt.limit is not None:
        ordered = ordered[: flt.limit]
    unrated = {
        lead.currency
        for lead, _p in ordered
        if lead.value_minor is not None and not conv.can_convert(lead.currency)
    }
    return ordered, sorted(unrated)
