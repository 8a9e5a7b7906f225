"""Writing the new and updated leads of `salesflow import leads`: a plan all at once
(apply_leads), or batch by batch while the file is still being read (Batches), so that a
file of any size is never held in memory. Either way it is the command's one transaction
and one undo: a refused import rolls every batch back."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from typing import Any

from salesflow import leads
from salesflow.i18n import N_
from salesflow.importer.plan import Applied, Plan, Progress, ticker

# leads' indexes whose entries a bulk load writes in random order (the others it appends).
_BULK_MIN = 10_000


def _bulk_indexes(conn: sqlite3.Connection) -> list[str]:
    """Indexes on leads and stage_changes a bulk load fills row by row; unique ones keep rules."""
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name IN ('leads', 'stage_changes') AND sql IS NOT NULL "
            "AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name"
        )
    ]


def _by_lead(conn: sqlite3.Connection) -> set[str]:
    """stage_changes' indexes that start with lead_id."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stage_changes'"
        )
    ]
    return {n for n in names if [r[2] for r in conn.execute(f'PRAGMA index_info("{n}")')][:1]
            == ["lead_id"]}  # fmt: skip


def apply_leads(
    conn: sqlite3.Connection, plan: Plan, *, now_iso: str, progress: Progress | None = None
) -> Applied:
    """Write the plan: updates first (journalled row by row), then every new lead and its
    creation history as one bulk insert (journalled as one step per table), then the won
    ones join their customer as a win through `advance` does."""
    from salesflow.store import roomy_cache
    from salesflow.store.schema import set_aside

    _update(conn, plan.updates, now_iso)
    tick = ticker(progress, N_("Writing leads"), len(plan.new))

    def counted() -> Iterator[leads.NewLead]:
        for done, new in enumerate(plan.new, 1):
            tick(done)
            yield new

    # As many new leads as there are already: building the random-order indexes again after
    # the load is cheaper than inserting into them row by row.
    existing = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    rebuilt = _bulk_indexes(conn) if len(plan.new) >= max(existing, _BULK_MIN) else []
    with roomy_cache(conn):
        added = _insert(conn, counted(), rebuilt, set_aside(conn, rebuilt))
    _join_won(conn, added, now_iso)
    return Applied(added, len(plan.updates))


def _insert(
    conn: sqlite3.Connection, new: Iterable[leads.NewLead], bulk: bool | list[str], *inside: Any
) -> range:
    """New leads and their creation history, journalled as one step per table."""
    from salesflow.store import journal

    with (
        journal.compact_inserts(conn, ("leads", "stage_changes"), bulk=bool(bulk)),
        ExitStack() as s,
    ):
        for context in inside:
            s.enter_context(context)
        return leads.insert(conn, new)


def _update(conn: sqlite3.Connection, updates: dict[int, dict[str, Any]], now_iso: str) -> None:
    for lead_id, changes in updates.items():
        changes = {**changes, "updated_at": now_iso}
        assignments = ", ".join(f"{k} = ?" for k in changes)
        conn.execute(f"UPDATE leads SET {assignments} WHERE id = ?", (*changes.values(), lead_id))


def _join_won(conn: sqlite3.Connection, added: range, now_iso: str) -> None:
    from salesflow import customers

    won = conn.execute(
        "SELECT l.id FROM leads l JOIN stages s ON s.name = l.stage "
        "WHERE l.id BETWEEN ? AND ? AND s.kind = 'won' ORDER BY l.id",
        (added.start, added.stop - 1),
    )
    for lead in leads.get_many(conn, [r[0] for r in won]):
        # The customer dates from the win, as it does when `advance … won` creates it.
        customers.join(conn, lead, lead.closed_at or now_iso)


class Batches:
    """Writes a plan's new leads every SIZE rows while plan_leads reads on, and lets them go.

    What needs the whole file waits for finish() (and the updates of existing leads, written
    by update(), for the file's end: two rows may update one lead): the won leads joining
    their customers (a later row may change one). With `write` false (a dry run) it only
    lets go. A row error stops the writing unless `keep_going`: the import will be refused
    and rolled back."""

    SIZE = 10_000
    KEEP_NOTES = 100  # skipped/unchanged/merged rows kept for the report (which shows 20)

    def __init__(
        self, conn: sqlite3.Connection, *, now_iso: str, write: bool, keep_going: bool
    ) -> None:
        self.conn, self.now_iso, self.write, self.keep_going = conn, now_iso, write, keep_going
        self.first: int | None = None  # the id of the first new lead
        self.existing = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
        self.bulk = False  # the random-order indexes are set aside until finish()
        self.held = ExitStack()
        # Called before the leads' indexes are set aside: who finds duplicates through them
        # (importer/seen.py) takes what it needs first.
        self.before_bulk: Callable[[], None] | None = None

    def flush(self, plan: Plan) -> None:
        """Write the new leads planned so far and the custom field values of their rows."""
        from salesflow import fields
        from salesflow.store import fulltext, roomy_cache
        from salesflow.store.schema import set_aside

        if plan.errors and not self.keep_going:
            self.write = False
        if self.write and plan.new:
            if self.first is None:
                self.held.enter_context(roomy_cache(self.conn))
            if not self.bulk and plan.rows >= max(self.existing, _BULK_MIN):
                # As many rows as there were leads (plan.rows: the sheet's, until it is all
                # read): building those indexes again at the end is cheaper than inserting
                # into them row by row. Not the history's index by lead: each batch's derived
                # facts look leads up in it.
                aside = [i for i in _bulk_indexes(self.conn) if i not in _by_lead(self.conn)]
                if self.before_bulk is not None:
                    self.before_bulk()
                self.held.enter_context(set_aside(self.conn, aside))
                self.bulk = True
            fulltext.write_pending(self.conn)  # the last batch's, before this one
            added = _insert(self.conn, plan.new, True)
            if self.first is None:
                self.first = added.start
            # One writer (the command's transaction): the ids follow on from the last batch.
            assert added.start == self.first + plan.written, (added, self.first, plan.written)
        if self.write:
            for number, values in plan.field_values.items():
                target = plan.row_leads.get(number)
                # Not an existing lead's (an int): update() writes those once the file is
                # read, as only then are they compared with what the lead has.
                if isinstance(target, tuple):  # else skipped, or a row error left out
                    fields.set_values(self.conn, self._id(target), values)
        plan.written += len(plan.new)
        plan.new.clear()
        plan.row_leads.clear()
        plan.field_values.clear()

    def merge(self, index: int, wanted: Callable[[str, str | None], dict[str, Any]]) -> None:
        """A row about the `index`-th new lead, already written: what it gives replaces (tags
        and notes add up), as it does for a new lead not yet written."""
        if not self.write:
            return
        lead = leads.get(self.conn, self._id(("new", index)))
        changes = {k: v for k, v in wanted(lead.tags, lead.notes).items() if getattr(lead, k) != v}
        if changes:
            assignments = ", ".join(f"{k} = ?" for k in changes)
            self.conn.execute(
                f"UPDATE leads SET {assignments} WHERE id = ?", (*changes.values(), lead.id)
            )

    def update(
        self, plan: Plan, lead_id: int, changes: dict[str, Any], values: dict[str, str]
    ) -> None:
        """Write one existing lead's changes and custom field values (unless a dry run, or
        an import to be refused)."""
        from salesflow import fields

        if self.write and not (plan.errors and not self.keep_going):
            _update(self.conn, {lead_id: changes}, self.now_iso)
            fields.set_values(self.conn, lead_id, values)

    def finish(self, plan: Plan) -> Applied:
        """Write the rest: the last batch, the set-aside indexes, the wins."""
        self.flush(plan)
        self.held.close()
        if self.first is None:
            self.first = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM leads").fetchone()[
                0
            ]
        added = range(self.first, self.first + plan.written)
        _join_won(self.conn, added, self.now_iso)
        return Applied(added, plan.update_count)

    @staticmethod
    def finish_plan(conn: sqlite3.Connection, plan: Plan, **__: Any) -> Applied:
        """finish() of the Batches that wrote `plan` (an `apply` for cli/data.py's _run)."""
        assert plan.batches is not None
        return plan.batches.finish(plan)

    def _id(self, target: Any) -> int:
        if isinstance(target, tuple):
            assert self.first is not None
            return self.first + target[1]
        return target
