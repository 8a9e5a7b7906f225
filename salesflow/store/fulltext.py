"""The full-text search index (migrations 11 and 13): one trigram FTS5 table `<table>_fts` per
searched table, with `content="<table>"` so it stores only the index, and beside it
`<table>_cjk_fts`, the CJK character pairs of the view `<table>_cjk`; both kept current by the
triggers `<table>_ai`, `<table>_ad` and `<table>_au` in the transaction of every write — undo
included, since undo writes the tables back through those same triggers."""

from __future__ import annotations

import functools
import re
import sqlite3

from salesflow.i18n import _

TRIGGERS = ("ai", "ad", "au")
# The characters whose adjacent pairs are indexed: hiragana to the CJK unified ideographs,
# Hangul syllables, compatibility ideographs, ideograph extensions B–G (migration 13's view
# `<table>_cjk` uses the same ranges).
CJK_RANGES = ((0x3040, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


@functools.cache
def _runs() -> re.Pattern[str]:
    cjk = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in CJK_RANGES)
    return re.compile(f"[{cjk}]{{2,}}")


def pairs(*values: str | None) -> str | None:
    """The CJK pairs of `values` as the view `<table>_cjk` gives them: joined by spaces, in
    order, None when there are none (values are joined by a space: no pair spans two)."""
    text = " ".join(v or "" for v in values)
    if text.isascii():
        return None
    found = [
        run[i : i + 2]  # overlapping: 张伟明 → 张伟, 伟明
        for run in _runs().findall(text)
        for i in range(len(run) - 1)
    ]
    return " ".join(found) if found else None


def indexed_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables that have a full-text index."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB '*_fts' "
        "AND name NOT GLOB '*_cjk_fts' AND sql LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
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
    if _pairs_index(conn, table):
        # The pairs worked out here rather than read from the view: the view walks each row
        # character by character in SQL, far slower than a regular expression over a load.
        source = ", ".join(f'"{c}"' for c in cols.split(", "))
        rows = conn.execute(f"SELECT rowid, {source} FROM {table} WHERE rowid > ?", (after_rowid,))
        # Every row, those without pairs too, as the insert trigger does: FTS5 counts the rows
        # it was given, and the delete trigger takes each one back.
        conn.executemany(
            f"INSERT INTO {table}_cjk_fts (rowid, pairs) VALUES (?, ?)",
            ((r[0], pairs(*r[1:])) for r in rows),
        )


def write_pending(conn: sqlite3.Connection) -> None:
    """Make FTS5 write the entries it holds in memory for this transaction (a savepoint's
    release does): a bulk load in batches needs them written before its next batch, whose
    changed rows must be only the ones it appends (journal.compact_inserts counts them)."""
    conn.execute("SAVEPOINT fulltext_pending")
    conn.execute("RELEASE fulltext_pending")


def _pairs_index(conn: sqlite3.Connection, table: str) -> bool:
    """Whether `table` has the index of CJK pairs (migration 13)."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (f"{table}_cjk_fts",)
    )
    return found.fetchone() is not None


def problems(conn: sqlite3.Connection) -> list[str]:
    """Each index that differs from its table (FTS5's integrity-check against the content)."""
    found = []
    for table in indexed_tables(conn):
        for fts in (f"{table}_fts", f"{table}_cjk_fts")[: 1 + _pairs_index(conn, table)]:
            try:
                conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
            except sqlite3.OperationalError:
                raise  # busy, read-only …: not a finding about the index
            except sqlite3.DatabaseError:
                found.append(
                    _(
                        "the search index of {table} ({index}) does not match the table — "
                        'rebuild it: sqlite3 <db> "INSERT INTO {index} ({index}) VALUES '
                        "('rebuild')\""
                    ).format(table=table, index=fts)
                )
    return found
