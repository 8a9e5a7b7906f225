"""`db check`: the store's checks (SQLite's own and the tables' invariants) plus the
facts the domain derives and stores, which only the domain knows how to recompute."""

from __future__ import annotations

import sqlite3

from salesflow import touches
from salesflow.store import check


def problems(conn: sqlite3.Connection) -> list[str]:
    """Every inconsistency found, one line each; empty when the database is sound."""
    return check.problems(conn) + touches.problems(conn)
