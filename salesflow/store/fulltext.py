"""The full-text search index (migration 11): one trigram FTS5 table `<table>_fts` per searched
table, with `content="<table>"` so it stores only the index, kept current by the triggers
`<table>_ai`, `<table>_ad` and `<table>_au` in the transaction of every write — undo included,
since undo writes the tables back through those same triggers."""

from __future__ import annotations

import sqlite3

TRIGGERS = ("ai", "ad", "au")


def indexed_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables that have a full-text index."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB '*_fts' "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
    )
    return [name.removesuffix("_fts") for (name,) in rows]


def trigger_names(tables: list[str] | tuple[str, ...]) -> set[str]:
    return {f"{t}_{suffix}" for t in tables for suffix in TRIGGERS}


def index_appended(conn: sqlite3.Connection, table: str, after_rowid: int) -> None:
    """Index the rows appended to `table` (rowid > after_rowid) while its triggers were set
    aside for a bulk load."""
    fts = f"{table}_fts"
    cols = ", ".join(r[1] for r in conn.execute(f'PRAGMA table_info("{fts}")'))
    conn.execute(
        f"INSERT INTO {fts} (rowid, {cols}) SELECT rowid, {cols} FROM {table} WHERE rowid > ?",
        (after_rowid,),
    )


def problems(conn: sqlite3.Connection) -> list[str]:
    """Each index that differs from its table (FTS5's integrity-check against the content)."""
    found = []
    for table in indexed_tables(conn):
        fts = f"{table}_fts"
        try:
            conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.OperationalError:
            raise  # busy, read-only …: not a finding about the index
        except sqlite3.DatabaseError:
            found.append(
                f"the search index of {table} ({fts}) does not match the table — rebuild it: "
                f"sqlite3 <db> \"INSERT INTO {fts} ({fts}) VALUES ('rebuild')\""
            )
    return found
