"""What `salesflow import activities` looks up for a chunk of rows, in memory that does not
grow with the file or the database: the leads the rows name (through the leads' indexes, as
importer/seen.py finds duplicate leads), the touches already logged at the same moments
(through activities_happened_kind), and the file's earlier rows (in memory up to seen.HELD,
then in a temporary table)."""

from __future__ import annotations

import json
import sqlite3

from salesflow.dupes import named
from salesflow.i18n import _
from salesflow.importer import seen
from salesflow.importer.keys import Keys
from salesflow.importer.values import Bad


class LeadFinder:
    """Finds the lead a row of another tool's history is about, among the leads a chunk's
    rows name (look_up first)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.ids: set[int] = set()
        self.email: dict[str, list[int]] = {}
        self.person: dict[tuple[str, str], list[int]] = {}
        self.name: dict[str, list[int]] = {}

    def look_up(self, rows: list[dict[str, str]]) -> None:
        """The leads these rows may name: by id, e-mail, or name (with its company), each kind
        in one query; a name as `lead dupes` reads it (dupes.named, Keys.of)."""
        self.ids, self.email, self.person, self.name = set(), {}, {}, {}
        ids, emails, names = set(), set(), set()
        for values in rows:
            text = values.get("lead_id", "").strip().lstrip("#")
            if text.isdigit():
                ids.add(int(text))
            e, __, person = Keys.of(values.get("name"), None, values.get("email"), None)
            if e:
                emails.update((e, values["email"].strip()))
            if person:
                names.add(person[0])
        if ids:
            self.ids = {r[0] for r in self._in("SELECT id FROM leads WHERE id IN ", ids)}
        sql = "SELECT id, email FROM leads WHERE email IS NOT NULL AND email COLLATE NOCASE IN "
        for id_, email in self._in(sql, emails):
            self.email.setdefault(Keys.of(None, None, email, None)[0], []).append(id_)
        for id_, name, company in named(self.conn, names):
            person = Keys.of(name, company, None, None)[2]
            if person:
                self.person.setdefault(person, []).append(id_)
                self.name.setdefault(person[0], []).append(id_)

    def _in(self, sql: str, values: set) -> list[tuple]:
        if not values:
            return []
        query = f"{sql}(SELECT value FROM json_each(?)) ORDER BY id"
        return self.conn.execute(query, (json.dumps(sorted(values)),)).fetchall()

    def find(self, values: dict[str, str]) -> int:
        if "lead_id" in values:
            text = values["lead_id"].strip().lstrip("#")
            if not text.isdigit() or int(text) not in self.ids:
                said = _("no lead #{text} — see salesflow lead list --all")
                raise Bad("lead_id", said.format(text=text))
            return int(text)
        e, __, person = Keys.of(values.get("name"), values.get("company"), values.get("email"),
                                None)  # fmt: skip
        if e:
            said = _('no lead has email "{email}"').format(email=e)
            return _one(self.email.get(e, []), "email", said)
        if person:
            found = self.person.get(person, [])
            if not found and not person[1]:  # no company given: a unique name will do
                found = self.name.get(person[0], [])
            who = values["name"].strip() + (f" ({values['company'].strip()})"
                                            if person[1] else "")  # fmt: skip
            return _one(found, "name", _('no lead is called "{who}"').format(who=who))
        raise Bad("", _("names no lead — give lead_id, email, or name (+ company)"))


def _one(found: list[int], field_: str, missing: str) -> int:
    if not found:
        raise Bad(field_, _("{missing} — see salesflow lead list --all").format(missing=missing))
    if len(found) > 1:
        shown = ", ".join(f"#{i}" for i in found[:5])
        said = _("matches {count} leads ({shown}) — give lead_id instead")
        raise Bad(field_, said.format(count=len(found), shown=shown))
    return found[0]


def already_logged(conn: sqlite3.Connection, touches: set[tuple], last: int) -> set[tuple]:
    """Which of these (lead_id, kind, happened_at, note) are activities numbered up to `last`."""
    if not touches:
        return set()
    found = conn.execute(
        "SELECT lead_id, kind, happened_at, note FROM activities "
        "WHERE happened_at IN (SELECT value FROM json_each(?)) AND id <= ?",
        (json.dumps(sorted({t[2] for t in touches})), last),
    )
    return {row for row in found if row in touches}


def _hashes(touch: tuple) -> tuple[int, int]:
    """Two independent 64-bit hashes of a touch (Python's, seeded per process, as long as
    the table lives): the first finds it, the second tells it from one sharing the first."""
    return hash(touch), hash("\x1f".join(map(str, touch)))


class Earlier:
    """The touches of the file's earlier rows, by their hashes: row numbers in memory up to
    seen.HELD, then in temp.import_touches (all but the chunk being placed)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.held: dict[tuple[int, int], int] = {}
        self.found: dict[tuple[int, int], int] = {}  # the chunk's touches in the table
        self.stored = False
        conn.execute("DROP TABLE IF EXISTS temp.import_touches")
        conn.execute(
            "CREATE TEMP TABLE import_touches "
            "(hash INTEGER PRIMARY KEY, again INTEGER, row INTEGER)"
        )

    def look_up(self, touches: set[tuple]) -> None:
        """Before a chunk is placed: which of its touches the table holds."""
        self.found = {}
        if not self.stored or not touches:
            return
        wanted = {_hashes(t) for t in touches}
        for h, again, row in self.conn.execute(
            "SELECT hash, again, row FROM temp.import_touches "
            "WHERE hash IN (SELECT value FROM json_each(?))",
            (json.dumps([h for h, __ in wanted]),),
        ):
            if (h, again) in wanted:
                self.found[h, again] = row

    def row_of(self, touch: tuple) -> int | None:
        """The earlier row with this touch, if any."""
        h = _hashes(touch)
        row = self.found.get(h)
        return self.held.get(h) if row is None else row

    def add(self, touch: tuple, row: int) -> None:
        self.held.setdefault(_hashes(touch), row)

    def settle(self) -> None:
        """After a chunk: past seen.HELD touches, they go to the table."""
        self.found = {}
        if len(self.held) < seen.HELD and not self.stored:
            return
        self.conn.executemany(
            "INSERT OR IGNORE INTO temp.import_touches VALUES (?, ?, ?)",
            sorted((h, again, row) for (h, again), row in self.held.items()),
        )
        self.held, self.stored = {}, True

    def close(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS temp.import_touches")


def describe(row: int | None) -> str:
    """An earlier row, or (None) an activity logged before the import."""
    return _("an activity already logged") if row is None else _("row {row}").format(row=row)
