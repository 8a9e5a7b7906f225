"""The undo journal: triggers write the inverse SQL of every row change into `journal_steps`.

One `journal` row is one command, so `undo` takes back a whole command however many rows it
touched. Triggers record only while the newest `journal` row is open, so migrations and
`undo` itself leave no steps. The triggers are generated from the live schema, which makes
every table a later migration adds undoable without further code.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from salesflow.store import appended, derived, fulltext
from salesflow.store.schema import set_aside

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS journal (id INTEGER PRIMARY KEY, command TEXT NOT NULL, "
    "created_at TEXT NOT NULL, open INTEGER NOT NULL DEFAULT 1)",
    "CREATE TABLE IF NOT EXISTS journal_steps (id INTEGER PRIMARY KEY, "
    "journal_id INTEGER NOT NULL, sql TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS journal_steps_journal ON journal_steps (journal_id)",
)
# How many commands stay undoable; older steps are pruned so the file does not grow forever.
KEEP = 100
_RECORDING = "(SELECT open FROM journal ORDER BY id DESC LIMIT 1) = 1"
# `journal.open`: 1 = recording, 0 = closed (undoable), 2 = recording paused by compact_inserts.
_PAUSED = 2
_CURRENT = "(SELECT id FROM journal ORDER BY id DESC LIMIT 1)"
# `journal.open` 3: a `db restore`; its one step is the path of the safety copy of the database
# it replaced, so `undo` can swap that back (see restore_mark).
_RESTORED = 3
# The step compact_inserts writes for a bulk load: the rows it appended, bounded above so a
# later load's rows are not counted as this one's, and how many they were (what `undo --list`
# says the command changed, whatever happens to the table later). Steps journalled before the
# bound was written have only the mark.
_COMPACT = re.compile(
    r'DELETE FROM "(\w+)" WHERE rowid > (\d+)(?: AND rowid <= \d+ /\* (\d+) \*/)?'
)


@dataclass(frozen=True)
class Undone:
    command: str
    created_at: str
    rows: int


def journalled_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        # Litestream keeps _litestream_seq/_litestream_lock in the file: its own, not undoable.
        "AND name NOT LIKE 'journal%' AND name NOT LIKE '\\_litestream\\_%' ESCAPE '\\' "
        # The full-text index (store/migrations/second.py, migration 11) follows its tables through
        # their own triggers; undo restores the tables and the index follows them again.
        "AND name NOT GLOB '*_fts' AND name NOT GLOB '*_fts_*' ORDER BY name"
    )
    return [r[0] for r in rows]


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in each table the journal covers (all the user's data), by table name."""
    return {
        t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        for t in journalled_tables(conn)
    }


def undoable(conn: sqlite3.Connection) -> int:
    """How many commands `undo` can take back."""
    # open 4: kept for redo (store/redo.py), not undoable
    return conn.execute("SELECT count(*) FROM journal WHERE open IN (0, 3)").fetchone()[0]


def install_triggers(conn: sqlite3.Connection) -> None:
    """(Re)create the three undo triggers of every table, matching its current columns."""
    for statement in SCHEMA:  # not executescript(): it would commit the caller's transaction
        conn.execute(statement)
    for table in journalled_tables(conn):
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        for event in ("insert", "update", "delete"):
            conn.execute(f'DROP TRIGGER IF EXISTS "journal_{table}_{event}"')
        q = f"'\"{table}\"'"
        insert_inverse = f"'DELETE FROM ' || {q} || ' WHERE rowid = ' || NEW.rowid"
        sets = " || ', ' || ".join(f'\'"{c}" = \' || quote(OLD."{c}")' for c in cols)
        update_inverse = f"'UPDATE ' || {q} || ' SET ' || {sets} || ' WHERE rowid = ' || OLD.rowid"
        names = ", ".join(f'"{c}"' for c in cols).replace("'", "''")
        values = " || ', ' || ".join(f'quote(OLD."{c}")' for c in cols)
        delete_inverse = (
            f"'INSERT INTO ' || {q} || ' (rowid, {names}) VALUES (' || OLD.rowid || ', ' "
            f"|| {values} || ')'"
        )
        for event, inverse in (
            ("insert", insert_inverse),
            ("update", update_inverse),
            ("delete", delete_inverse),
        ):
            conn.execute(
                f'CREATE TRIGGER "journal_{table}_{event}" AFTER {event.upper()} ON "{table}" '
                f"WHEN {_RECORDING} BEGIN "
                f"INSERT INTO journal_steps (journal_id, sql) VALUES ({_CURRENT}, {inverse}); END"
            )


def begin_command(conn: sqlite3.Connection, command: str, now_iso: str) -> int:
    # A new write ends what `redo` could re-apply (store/redo.py, journal.open = 4).
    conn.execute(
        "DELETE FROM journal_steps WHERE journal_id IN (SELECT id FROM journal WHERE open = 4)"
    )
    conn.execute("DELETE FROM journal WHERE open = 4")
    cur = conn.execute(
        "INSERT INTO journal (command, created_at, open) VALUES (?, ?, 1)", (command, now_iso)
    )
    return int(cur.lastrowid)


def end_command(conn: sqlite3.Connection, journal_id: int) -> None:
    """Close the command; a command that changed nothing leaves no journal entry."""
    has_steps = conn.execute(
        "SELECT 1 FROM journal_steps WHERE journal_id = ? LIMIT 1", (journal_id,)
    ).fetchone()
    if has_steps:
        conn.execute("UPDATE journal SET open = 0 WHERE id = ?", (journal_id,))
        conn.execute(
            "DELETE FROM journal_steps WHERE journal_id IN "
            "(SELECT id FROM journal WHERE id <= ? - ?)",
            (journal_id, KEEP),
        )
        conn.execute("DELETE FROM journal WHERE id <= ? - ?", (journal_id, KEEP))
    else:
        conn.execute("DELETE FROM journal WHERE id = ?", (journal_id,))


def undo_last(conn: sqlite3.Connection) -> Undone | None:
    """Replay the newest command's inverse steps, newest first. Runs inside the caller's
    transaction; foreign keys are checked at commit because rows come back in reverse order."""
    row = conn.execute(
        "SELECT id, command, created_at, open FROM journal WHERE open IN (0, ?) "
        "ORDER BY id DESC LIMIT 1",
        (_RESTORED,),
    ).fetchone()
    if row is None:
        return None
    journal_id, command, created_at, state = row
    if state == _RESTORED:  # rows cannot take back a restore; see restore_mark
        raise RuntimeError("undo_last reached a restore: swap back its safety copy instead")
    conn.execute("PRAGMA defer_foreign_keys = ON")
    steps = conn.execute(
        "SELECT sql FROM journal_steps WHERE journal_id = ? ORDER BY id DESC", (journal_id,)
    ).fetchall()
    # Rows, not steps: one compact step (see compact_inserts) can take back thousands.
    # rowcount leaves out what triggers change (derived facts set right as rows come back).
    rows = 0
    # A load in batches leaves one compact step per batch and table: the first batch's (the
    # lowest mark, replayed last) deletes what the others would, in one statement.
    compact: dict[str, int] = {}
    for (sql,) in steps:
        if m := _COMPACT.fullmatch(sql):
            compact[m[1]] = min(compact.get(m[1], int(m[2])), int(m[2]))
    for (sql,) in steps:
        m = _COMPACT.fullmatch(sql)
        if m and int(m[2]) != compact[m[1]]:
            continue
        if m and m[1] in derived.SOURCES:
            rows += derived.delete_appended(conn, journal_id, m[1], int(m[2]), compact.get("leads"))
        elif m:
            rows += appended.delete_appended(conn, m[1], int(m[2]))
        else:
            rows += max(conn.execute(sql).rowcount, 0)
    conn.execute("DELETE FROM journal_steps WHERE journal_id = ?", (journal_id,))
    conn.execute("DELETE FROM journal WHERE id = ?", (journal_id,))
    return Undone(command=command, created_at=created_at, rows=rows)


def mark_restore(conn: sqlite3.Connection, command: str, now_iso: str, saved: str) -> None:
    """Record in a database about to be restored that the restore is its newest command, and
    where the database it replaces was saved."""
    cur = conn.execute(
        "INSERT INTO journal (command, created_at, open) VALUES (?, ?, ?)",
        (command, now_iso, _RESTORED),
    )
    conn.execute(
        "INSERT INTO journal_steps (journal_id, sql) VALUES (?, ?)", (cur.lastrowid, saved)
    )


@dataclass(frozen=True)
class RestoreMark:
    command: str
    created_at: str
    saved: str  # the safety copy of the database the restore replaced


def restore_mark(conn: sqlite3.Connection) -> RestoreMark | None:
    """The restore `undo` would take back next, if the newest undoable command is one."""
    row = conn.execute(
        "SELECT j.command, j.created_at, j.open, s.sql FROM journal j "
        "LEFT JOIN journal_steps s ON s.journal_id = j.id "
        "WHERE j.open IN (0, ?) ORDER BY j.id DESC LIMIT 1",
        (_RESTORED,),
    ).fetchone()
    if row is None or row[2] != _RESTORED:
        return None
    return RestoreMark(row[0], row[1], row[3])


@contextmanager
def compact_inserts(
    conn: sqlite3.Connection, tables: Sequence[str], *, bulk: bool = False
) -> Iterator[None]:
    """Journal a bulk load that only APPENDS rows to `tables` as one step per table,
    `DELETE FROM t WHERE rowid > <max rowid before>`, instead of one step per row.

    A million-row fill would otherwise write a million inverse statements (and pay for them);
    the compact steps undo it just as exactly. List parents before children: undo replays
    steps newest first, so children go first. Anything else inside the block (an UPDATE, a
    DELETE, an INSERT into another table) would escape the journal, so the block counts the
    rows it changed and refuses to commit when they are not exactly the appended ones.
    Outside a journalled command it only runs the block."""
    row = conn.execute("SELECT id, open FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    if row is None or row[1] != 1:
        yield
        return
    journal_id = row[0]
    marks = {t: _max_rowid(conn, t) for t in tables}
    conn.execute("UPDATE journal SET open = ? WHERE id = ?", (_PAUSED, journal_id))
    # Paused, the tables' triggers (journal and derived facts) do nothing; for a `bulk` load
    # they are set aside altogether (their WHEN is still evaluated for every row).
    # The search index's triggers are set aside too (FTS5's own writes would count as rows
    # changed), and the appended rows indexed in one statement per table after the block.
    indexed = [t for t in tables if t in fulltext.indexed_tables(conn)]
    triggers = (_triggers_on(conn, tables) if bulk else []) + sorted(
        fulltext.trigger_names(indexed)
    )
    before = conn.total_changes
    try:
        with set_aside(conn, triggers):
            yield
            changed = conn.total_changes - before
            # The derived facts' triggers pause with the journal: set the facts the appended
            # rows change in one pass. Not journalled, and need not be: undo deletes the
            # appended rows with the triggers running, and they put the facts back as they were.
            for table in tables:
                derived.refresh_appended(conn, table, marks[table])
            for table in indexed:
                fulltext.index_appended(conn, table, marks[table])
    finally:
        conn.execute("UPDATE journal SET open = 1 WHERE id = ?", (journal_id,))
    appended = 0
    for table in tables:
        mark = marks[table]
        count, end = conn.execute(
            f'SELECT count(*), max(rowid) FROM "{table}" WHERE rowid > ?', (mark,)
        ).fetchone()
        if count:
            appended += count
            conn.execute(
                "INSERT INTO journal_steps (journal_id, sql) VALUES (?, ?)",
                (
                    journal_id,
                    f'DELETE FROM "{table}" WHERE rowid > {mark} AND rowid <= {end} /* {count} */',
                ),
            )
    if changed != appended:
        raise RuntimeError(
            f"compact_inserts: the block changed {changed} rows but appended {appended} to "
            f"{', '.join(tables)}; it may only append to those tables"
        )


def _triggers_on(conn: sqlite3.Connection, tables: Sequence[str]) -> list[str]:
    keep = fulltext.trigger_names(tables)  # compact_inserts sets these aside in any case
    marks = ", ".join("?" for _ in tables)
    return [
        name
        for (name,) in conn.execute(
            f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
            tuple(tables),
        )
        if name not in keep
    ]


@contextmanager
def replaced_by(conn: sqlite3.Connection, inverse: str) -> Iterator[None]:
    """Run a block unrecorded and journal `inverse`, one SQL statement that takes back every
    change the block made, as its one undo step (instead of one step per row it changed).
    The caller vouches for `inverse`; undo replays it after the command's later steps and
    before its earlier ones. Outside a journalled command it only runs the block."""
    row = conn.execute("SELECT id, open FROM journal ORDER BY id DESC LIMIT 1").fetchone()
    if row is None or row[1] != 1:
        yield
        return
    journal_id = row[0]
    conn.execute("UPDATE journal SET open = ? WHERE id = ?", (_PAUSED, journal_id))
    try:
        yield
    finally:
        conn.execute("UPDATE journal SET open = 1 WHERE id = ?", (journal_id,))
    conn.execute("INSERT INTO journal_steps (journal_id, sql) VALUES (?, ?)", (journal_id, inverse))


def _max_rowid(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f'SELECT coalesce(max(rowid), 0) FROM "{table}"').fetchone()[0]
