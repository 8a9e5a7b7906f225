"""Taking back what a bulk load appended (undo of a compact step, journal.compact_inserts):
`DELETE FROM table WHERE rowid > mark`, with the table's indexes and search index kept right.

Deleting row by row costs one entry in every index of the table and one search-index entry
per row, several times the delete itself. When the load is more than the rows it leaves,
those are set aside instead — the non-unique indexes and the delete triggers dropped and
created again afterwards, the search index emptied and the remaining rows indexed again — as
a bulk load sets them aside the other way round (importer/leadwrite.py)."""

from __future__ import annotations

import sqlite3

from salesflow.store import fulltext
from salesflow.store.schema import set_aside


def delete_appended(conn: sqlite3.Connection, table: str, mark: int) -> int:
    """`DELETE FROM table WHERE rowid > mark`; returns the rows deleted."""
    delete = f'DELETE FROM "{table}" WHERE rowid > ?'
    gone, kept = conn.execute(
        f"SELECT count(*) FILTER (WHERE rowid > :m), count(*) FILTER (WHERE rowid <= :m) "
        f'FROM "{table}"',
        {"m": mark},
    ).fetchone()
    if gone <= kept:
        return conn.execute(delete, (mark,)).rowcount
    aside = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL AND "
            "((type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%') OR "
            "(type = 'trigger' AND sql LIKE '%AFTER DELETE ON%'))",
            (table,),
        )
    ]
    with set_aside(conn, aside):
        deleted = conn.execute(delete, (mark,)).rowcount
    if table in fulltext.indexed_tables(conn):
        for fts in (f"{table}_fts", f"{table}_cjk_fts"):
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (fts,)).fetchone():
                conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('delete-all')")
        fulltext.index_appended(conn, table, 0)
    return deleted
