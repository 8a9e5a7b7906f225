"""What `undo` would take back, the list of undoable commands, and `redo`.

Undo replays a command's inverse steps with the journal's triggers recording, into a journal
row of its own: those recorded steps are the inverse of the undo, i.e. the command again. The
row is kept with `open` = 4 (taken back, can be redone) until `redo` replays it — recording in
turn the steps that undo it — or a new command starts (journal.begin_command drops every
open = 4 row: a redo after a new write would apply to a different database). A bulk load
(compact steps) is not kept for redo: its undo deletes many rows, and recording each one
would cost more than the load; run the import again instead.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.store import journal

REDO = 4
_TABLE = re.compile(r'^(?:DELETE FROM|UPDATE|INSERT INTO) "(\w+)"')
# The row a journal step writes: `… WHERE rowid = N` or `INSERT … (rowid, …) VALUES (N, …`.
_ROWID = re.compile(r"WHERE rowid = (-?\d+)$|^INSERT INTO \S+ \(rowid, .*?\) VALUES \((-?\d+),")


@dataclass(frozen=True)
class Entry:
    id: int
    command: str
    created_at: str
    rows: dict[str, int]  # rows per table the command changed
    compact: bool  # a bulk load: undone by a few statements, not redoable

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _entry(conn: sqlite3.Connection, row: tuple) -> Entry:
    journal_id, command, created_at = row
    rows: dict[str, int] = {}
    touched: set[tuple[str, str]] = set()  # a row changed twice (derived facts) counts once
    compact = False
    for (sql,) in conn.execute("SELECT sql FROM journal_steps WHERE journal_id = ?", (row[0],)):
        if m := journal._COMPACT.fullmatch(sql):
            compact = True
            if m[3] is not None:  # the rows it appended, counted when it ran
                n = int(m[3])
            else:  # an older step: the rows above its mark now
                q = f'SELECT count(*) FROM "{m[1]}" WHERE rowid > ?'
                n = conn.execute(q, (int(m[2]),)).fetchone()[0]
            rows[m[1]] = rows.get(m[1], 0) + n
        elif (m := _TABLE.match(sql)) and (r := _ROWID.search(sql)):
            key = (m[1], r[1] or r[2])
            rows[m[1]] = rows.get(m[1], 0) + (key not in touched)
            touched.add(key)
    return Entry(journal_id, command, created_at, rows, compact)


def undoable(conn: sqlite3.Connection, limit: int = 20) -> list[Entry]:
    """The newest `limit` commands undo can take back, newest first (restores included)."""
    rows = conn.execute(
        "SELECT id, command, created_at FROM journal WHERE open IN (0, ?) ORDER BY id DESC LIMIT ?",
        (journal._RESTORED, limit),
    ).fetchall()
    return [_entry(conn, r) for r in rows]


def redoable(conn: sqlite3.Connection) -> Entry | None:
    row = conn.execute(
        "SELECT id, command, created_at FROM journal WHERE open = ? ORDER BY id DESC LIMIT 1",
        (REDO,),
    ).fetchone()
    return _entry(conn, row) if row else None


def undo(conn: sqlite3.Connection, expected: int) -> journal.Undone:
    """Take back the newest undoable command, which must still be journal row `expected`
    (what the user was shown), keeping what redo needs."""
    newest = undoable(conn, 1)
    if not newest or newest[0].id != expected:
        raise SalesflowError(_("another command changed the database meanwhile — run undo again"))
    target = newest[0]
    keep = None
    if not target.compact:
        keep = conn.execute(
            "INSERT INTO journal (command, created_at, open) VALUES (?, ?, 1)",
            (target.command, target.created_at),
        ).lastrowid
    undone = journal.undo_last(conn)
    if keep is not None:
        _close(conn, keep, REDO)
    assert undone is not None
    return undone


def redo(conn: sqlite3.Connection, now_iso: str) -> Entry | None:
    """Re-apply what the last undo took back; it becomes undoable again."""
    entry = redoable(conn)
    if entry is None:
        return None
    again = conn.execute(
        "INSERT INTO journal (command, created_at, open) VALUES (?, ?, 1)",
        (entry.command, now_iso),
    ).lastrowid
    conn.execute("PRAGMA defer_foreign_keys = ON")
    steps = conn.execute(
        "SELECT sql FROM journal_steps WHERE journal_id = ? ORDER BY id DESC", (entry.id,)
    ).fetchall()
    for (sql,) in steps:
        conn.execute(sql)
    conn.execute("DELETE FROM journal_steps WHERE journal_id = ?", (entry.id,))
    conn.execute("DELETE FROM journal WHERE id = ?", (entry.id,))
    _close(conn, again, 0)
    return entry


def _close(conn: sqlite3.Connection, journal_id: int, state: int) -> None:
    if conn.execute("SELECT 1 FROM journal_steps WHERE journal_id = ?", (journal_id,)).fetchone():
        conn.execute("UPDATE journal SET open = ? WHERE id = ?", (state, journal_id))
    else:
        conn.execute("DELETE FROM journal WHERE id = ?", (journal_id,))
