"""Who the leads are, for the duplicates of `salesflow import leads`, in memory that does not
grow with the file or the database: the leads already in the database are found through
their indexes (migration 11's leads_email, leads_name and leads_phone_digits), the file's
new leads are held in memory up to HELD of them and then in a temporary table, and only the
chunk of rows being placed is held whole.

A key is what keys.Keys.of makes of a lead: who it is as `lead dupes` and `lead add` see it
(salesflow/dupes.py). The indexes compare ASCII letters without case and the phone without
spaces, dashes, dots, + and brackets: each chunk asks them, in one query per kind, for its
rows' e-mails and phones as written and as Keys.of makes them (a Chinese mobile with and
without its country code) and for the names that may read as its rows' name keys
(dupes.named), and keeps what Keys.of says is the same lead. A stored lead whose e-mail
differs from the row's only in the case of a non-ASCII letter, or whose phone has other
marks between its digits (/, ext.), is therefore not found (README, "Import and export")."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from salesflow.dupes import PHONE_DIGITS, as_indexed, company_key, name_key, named, phone_spellings
from salesflow.i18n import N_
from salesflow.importer.keys import Keys

CHUNK = 10_000  # rows placed together when no Batches sets the size
# New leads whose keys stay in memory (about 0.45 KB each): looking them up there is several
# times quicker than in a table, so an import of that many new leads is as quick as it was
# when all keys were held; past it they all move to the table and memory stops growing.
HELD = 50_000
_KINDS = (N_("email"), N_("phone"), N_("name and company"))
_SEP = "\x1f"  # between name and company in a key: a character no cell keeps


def _text(kind: int, key: Any) -> str:
    return f"{key[0]}{_SEP}{key[1]}" if kind == 2 else key


def _spelt(rows: list[tuple[tuple, tuple]]) -> list[set]:
    """What to ask the existing leads' indexes for: e-mails and phones as Keys.of makes them and
    as written (a Chinese mobile with and without +86/0086), the name keys (dupes.named)."""
    spelt: list[set] = [set(), set(), set()]
    for (e, p, person), (__, __, email, phone) in rows:
        if e:
            spelt[0].update((e, email.strip()))
        if p:
            spelt[1].update((as_indexed(phone), *phone_spellings(p)))
        if person:
            spelt[2].add(person[0])
    return spelt


class Seen:
    """The keys of the leads an import has met: existing ones (ids up to `last`) by index
    look-ups; this file's new leads in memory, up to HELD of them, then in temp.import_seen
    (all but the chunk being placed). A target is an existing lead's id, or -(n + 1) for the
    file's n-th new lead."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.last = conn.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0]
        conn.execute("DROP TABLE IF EXISTS temp.import_seen")
        conn.execute(
            "CREATE TEMP TABLE import_seen (kind INTEGER NOT NULL, key TEXT NOT NULL, "
            "target INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID"
        )
        conn.execute("DROP TABLE IF EXISTS temp.import_rows")
        conn.execute("CREATE TEMP TABLE import_rows (lead INTEGER PRIMARY KEY, row INTEGER)")
        self.stored = False  # whether import_seen has any keys yet
        self.found: list[dict[Any, int]] = [{}, {}, {}]  # kind -> key -> target, looked up
        self.chunk = Keys()  # the keys of the new leads not in the table
        self.held = self.chunk.held()
        self.rows: dict[int, int] = {}  # those new leads: index -> row of the file

    def look_up(self, rows: Iterable[tuple[tuple, tuple]]) -> None:
        """Before a chunk is placed: what its rows' keys already point at. `rows` are each
        row's keys (Keys.of) and its facts as written (name, company, email, phone)."""
        if not self.last and not self.stored:  # nothing to look up: all held in memory
            return
        rows = list(rows)
        wanted: list[set] = [{k[i] for k, __ in rows if k[i]} for i in range(3)]
        if self.last:
            self._existing(wanted, _spelt(rows))
        if self.stored:
            for kind, keys in enumerate(wanted):
                by_text = {_text(kind, k): k for k in keys if k not in self.found[kind]}
                if not by_text:
                    continue
                for text, target in self.conn.execute(
                    "SELECT key, target FROM temp.import_seen WHERE kind = ? "
                    "AND key IN (SELECT value FROM json_each(?))",
                    (kind, json.dumps(list(by_text))),
                ):
                    self.found[kind].setdefault(by_text[text], target)

    def _existing(self, wanted: list[set], spelt: list[set]) -> None:
        """Existing leads with these keys, the oldest first (as a lead add would warn)."""
        queries = (
            "SELECT id, NULL, NULL, email, NULL FROM leads WHERE email COLLATE NOCASE IN "
            "(SELECT value FROM json_each(?)) AND email IS NOT NULL AND id <= ?",
            f"SELECT id, NULL, NULL, NULL, phone FROM leads WHERE {PHONE_DIGITS} IN "
            "(SELECT value FROM json_each(?)) AND phone IS NOT NULL AND id <= ?",
        )
        for kind in range(3):
            if not spelt[kind]:
                continue
            if kind == 2:
                found = named(self.conn, spelt[2], self.last)
                keyed = (((name_key(n), company_key(c)), id_) for id_, n, c in found)
            else:
                params = (json.dumps(sorted(spelt[kind])), self.last)
                keyed = (
                    (Keys.of(*row[1:])[kind], row[0])
                    for row in self.conn.execute(queries[kind], params)
                )
            hits = sorted((id_, key) for key, id_ in keyed if key in wanted[kind])
            for id_, key in hits:
                self.found[kind].setdefault(key, id_)

    def match(self, keys: tuple) -> list[tuple[int, str]]:
        """The distinct leads (or earlier rows) these keys point at, email first."""
        found: list[tuple[int, str]] = []
        for kind, key in enumerate(keys):
            if not key:
                continue
            target = self.found[kind].get(key)
            if target is None:
                target = self.held[kind].get(key)
            if target is not None and all(t != target for t, __ in found):
                found.append((target, _KINDS[kind]))
        return found

    def add(self, index: int, row: int, keys: tuple | None) -> None:
        """The file's `index`-th new lead, from `row`; its keys unless it is no one to match."""
        self.rows[index] = row
        if keys is not None:
            self.chunk.add(-index - 1, keys)

    def row_of(self, index: int) -> int:
        """The row of the file the `index`-th new lead came from."""
        if index in self.rows:
            return self.rows[index]
        return self.conn.execute(
            "SELECT row FROM temp.import_rows WHERE lead = ?", (index,)
        ).fetchone()[0]

    def settle(self) -> None:
        """After a chunk: past HELD new leads, their keys and rows go to the temporary tables."""
        self.found = [{}, {}, {}]
        if len(self.rows) < HELD and not self.stored:
            return
        self._store(self.chunk)
        self.conn.executemany("INSERT INTO temp.import_rows VALUES (?, ?)", self.rows.items())
        self.chunk = Keys()
        self.held = self.chunk.held()
        self.rows = {}

    def absorb(self) -> None:
        """The existing leads' keys into the temporary table, for when the leads' indexes are
        set aside for a bulk load (importer/leadwrite.py): afterwards every look-up is there.
        Read a chunk at a time in id order, so the oldest lead keeps a key, as in _existing."""
        if not self.last:
            return
        cursor = self.conn.execute(
            "SELECT id, name, company, email, phone FROM leads WHERE id <= ? ORDER BY id",
            (self.last,),
        )
        while rows := cursor.fetchmany(CHUNK):
            keys = Keys()
            for id_, *facts in rows:
                keys.add(id_, Keys.of(*facts))
            self._store(keys)
        self.last = 0

    def _store(self, keys: Keys) -> None:
        """Keys into the table, one kind at a time in key order (the table's order)."""
        for kind, by_key in enumerate(keys.held()):
            self.conn.executemany(
                "INSERT OR IGNORE INTO temp.import_seen VALUES (?, ?, ?)",
                sorted((kind, _text(kind, key), target) for key, target in by_key.items()),
            )
            by_key.clear()
        self.stored = True

    def close(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS temp.import_seen")
        self.conn.execute("DROP TABLE IF EXISTS temp.import_rows")
