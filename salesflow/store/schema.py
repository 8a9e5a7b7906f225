"""Schema objects a bulk load sets aside: dropped inside the caller's transaction, created
again as they were before it can commit."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

# Migration 12 (kept here beside the other column lists): what documents print.
DOCUMENT_COLUMNS = "".join(
    f"ALTER TABLE {table} ADD COLUMN {column};\n"
    for table, column in (
        ("leads", "address TEXT"),
        ("leads", "tax_id TEXT"),
        ("leads", "doc_lang TEXT CHECK (doc_lang IN ('zh_CN', 'en'))"),
        ("quotes", "payment_terms TEXT"),
        ("quotes", "delivery TEXT"),
        ("quotes", "tax_note TEXT"),
        ("quote_items", "unit TEXT"),
    )
)


@contextmanager
def set_aside(conn: sqlite3.Connection, names: Sequence[str]) -> Iterator[None]:
    """Drop these indexes or triggers for a bulk append and create them again after it.

    An index built from the loaded rows costs a fraction of the same entries inserted one by
    one in random order; a paused trigger still has its WHEN evaluated for every row. On an
    error the caller's rollback brings them back with everything else."""
    marks = ", ".join("?" for _ in names)
    found = conn.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE name IN ({marks}) "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name",
        tuple(names),
    ).fetchall()
    for kind, name, _ in found:
        conn.execute(f'DROP {kind.upper()} "{name}"')
    yield
    for _, _, sql in found:
        conn.execute(sql)
