"""Planning and applying `salesflow import activities`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from salesflow import touches
from salesflow.activities import ALIASES
from salesflow.activities import kinds as activity_kinds
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import N_, _
from salesflow.importer import seen
from salesflow.importer.activityfind import Earlier, LeadFinder, already_logged, describe
from salesflow.importer.columns import (
    ACTIVITY_FIELDS,
    ACTIVITY_IGNORED,
    Columns,
    key,
    map_columns,
    row_values,
    without_blank_columns,
)
from salesflow.importer.plan import (
    Applied,
    Clock,
    Plan,
    Progress,
    RowError,
    RowNote,
    finished,
    ticker,
)
from salesflow.importer.values import Bad, free_text, instant
from salesflow.sheets import MAX_CELL, Sheet

# Another tool's names for the kinds salesflow.activities knows (its own are matched as well).
_KIND_ALIASES = ALIASES


@dataclass(frozen=True)
class ActivityOptions:
    clock: Clock
    on_duplicate: str = "skip"  # skip | error: an activity has nothing to update
    mapping: dict[str, str] = field(default_factory=dict)


def _happened(values: dict[str, str], clock: Clock, problems: list[Bad]) -> str | None:
    """The row's `happened_at` as a UTC instant, not in the future."""
    if "happened_at" not in values:
        problems.append(Bad("happened_at", _("is empty — when did it happen?")))
        return None
    try:
        happened = instant(values["happened_at"], clock, "happened_at")
    except Bad as e:
        problems.append(e)
        return None
    if happened and happened > clock.now_iso:
        why = _(
            "{happened} is in the future — log touches that happened; "
            "plan the next one as a follow-up"
        )
        problems.append(Bad("happened_at", why.format(happened=happened)))
    return happened


def _note(values: dict[str, str], extra: list[str], problems: list[Bad]) -> str | None:
    """The row's note as `salesflow log` stores it, the kept extra columns below it."""
    note = free_text(values.get("note"))
    note = note.strip() if note else None
    if extra:
        note = "\n".join([note, *extra] if note else extra)
    if not note:
        problems.append(Bad("note", _("is empty — say what happened")))
    elif len(note) > MAX_CELL:
        problems.append(Bad("note", _("is longer than {max:,} characters").format(max=MAX_CELL)))
    return note


def plan_activities(
    conn: sqlite3.Connection,
    sheet: Sheet,
    options: ActivityOptions,
    progress: Progress | None = None,
    *,
    batches: ActivityBatches | None = None,
) -> Plan:
    """What importing `sheet` as activities would do. Reads the database, writes nothing —
    unless `batches` writes the new activities as they come (a big file is then never held)."""
    if options.on_duplicate not in ("skip", "error"):
        raise SalesflowError(
            _(
                "{on_duplicate} — activities take skip or "
                "error (a logged touch has nothing to update)"
            ).format(on_duplicate=options.on_duplicate),
            hint=Hint("import.on_duplicate"),
        )
    cols = map_columns(sheet.header, ACTIVITY_FIELDS, ACTIVITY_IGNORED, options.mapping, sheet.name)
    cols = without_blank_columns(cols, sheet)
    if not {"lead_id", "email", "name"} & cols.fields:
        raise SalesflowError(
            _(
                "{name} has no column naming the lead (lead_id, email, or "
                "name + company) — its columns are: {header}"
            ).format(name=sheet.name, header=", ".join(sheet.header)),
            hint=Hint("import.map_to", field="lead_id"),
        )
    if "happened_at" not in cols.index:
        raise SalesflowError(
            _(
                "{name} has no column saying when each touch happened "
                "(happened_at, date, 时间 …) — its columns are: {header}"
            ).format(name=sheet.name, header=", ".join(sheet.header)),
            hint=Hint("import.map_to", field="happened_at"),
        )
    plan = Plan("activities", f"{sheet.name} ({sheet.described})", rows=sheet.size)
    if batches is not None:
        plan.keep_notes, plan.batches = batches.KEEP_NOTES, batches
    plan.kept = [label for __, label in cols.extra]
    plan.ignored = cols.ignored
    placer = _Placer(conn, plan, options, cols, batches)
    size = batches.SIZE if batches is not None else seen.CHUNK
    tick = ticker(progress, N_("Checking rows"), sheet.size)
    chunk: list[tuple[int, dict[str, str], list[str]]] = []
    since = done = 0
    try:
        for done, (number, values, extra) in enumerate(row_values(sheet, cols), 1):
            tick(done)
            if "" in values:
                plan.errors.append(RowError(number, None, values[""]))
                continue
            chunk.append((number, values, extra))
            if len(chunk) == size:
                since = placer.place(chunk, since)
                chunk = []
        finished(progress, N_("Checking rows"), done, sheet.size)
        plan.rows = done
        placer.place(chunk, since)
    finally:
        placer.earlier.close()
    return plan


class _Placer:
    """Each row a new activity, a duplicate, or an error; a chunk of rows at a time, after
    looking up the leads they name and the touches they may repeat (importer/activityfind.py)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        plan: Plan,
        options: ActivityOptions,
        cols: Columns,
        batches: ActivityBatches | None,
    ) -> None:
        self.conn, self.plan, self.options, self.cols, self.batches = (
            conn, plan, options, cols, batches
        )  # fmt: skip
        self.known = activity_kinds(conn)
        self.kinds = {key(k): k for k in self.known}
        self.kinds.update(
            {k: v for k, v in _KIND_ALIASES.items() if v in self.known and k not in self.kinds}
        )
        self.finder = LeadFinder(conn)
        self.earlier = Earlier(conn)
        # Activities numbered up to `last` were there before: the rest are this file's.
        self.last = conn.execute("SELECT coalesce(max(id), 0) FROM activities").fetchone()[0]

    def place(self, chunk: list[tuple[int, dict[str, str], list[str]]], since: int) -> int:
        """Place a chunk's rows, hand its new activities to the batches; where its errors end."""
        plan = self.plan
        self.finder.look_up([values for __, values, __ in chunk])
        touches = [t for t in (self._touch(*row) for row in chunk) if t is not None]
        logged = already_logged(self.conn, {t for __, t in touches}, self.last)
        self.earlier.look_up({t for __, t in touches} - logged)
        for number, touch in touches:
            row = None if touch in logged else self.earlier.row_of(touch)
            if touch not in logged and row is None:
                self.earlier.add(touch, number)
                plan.new.append(touch)
            elif self.options.on_duplicate == "error":
                said = _("duplicate of {what}").format(what=describe(row))
                plan.errors.append(RowError(number, None, said))
            else:
                said = _("skipped: same as {what}").format(what=describe(row))
                plan.note("skipped", RowNote(number, said))
        plan.keep_errors(since)
        self.earlier.settle()
        if self.batches is not None:
            self.batches.flush(plan)
        return len(plan.errors)

    def _touch(
        self, number: int, values: dict[str, str], extra: list[str]
    ) -> tuple[int, tuple] | None:
        """The row's (lead_id, kind, happened_at, note), or None after noting its errors."""
        problems: list[Bad] = []
        lead_id = None
        try:
            lead_id = self.finder.find(values)
        except Bad as e:
            problems.append(e)
        text = values.get("kind", "note")
        kind = self.kinds.get(key(text))
        if kind is None:
            said = _('"{text}" is not an activity kind — use one of: {known}')
            problems.append(Bad("kind", said.format(text=text, known=", ".join(self.known))))
        happened = _happened(values, self.options.clock, problems)
        note = _note(values, extra, problems)
        if problems:
            header = self.cols.header
            self.plan.errors += [RowError(number, header.get(b.field, b.field or None), b.message)
                                 for b in problems]  # fmt: skip
            return None
        return number, (lead_id, kind, happened, note)


def _insert(conn: sqlite3.Connection, touches: Iterable[tuple], now_iso: str) -> None:
    """Append activities, journalled as one step."""
    from salesflow.store import journal

    with journal.compact_inserts(conn, ("activities",)):
        conn.executemany(
            "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            ((lead_id, kind, note, happened, now_iso)
             for lead_id, kind, happened, note in touches),
        )  # fmt: skip


class ActivityBatches:
    """Writes a plan's new activities every SIZE rows while plan_activities reads on, and
    lets them go; the leads' derived facts are brought up to date once, by finish(). With
    `write` false (a dry run, or a row error without `keep_going`) it only lets go."""

    SIZE = 10_000
    KEEP_NOTES = 100  # skipped rows kept for the report (which shows 20)

    def __init__(
        self, conn: sqlite3.Connection, *, now_iso: str, write: bool, keep_going: bool
    ) -> None:
        self.conn, self.now_iso, self.write, self.keep_going = conn, now_iso, write, keep_going
        self.first: int | None = None  # the id of the first new activity
        self.held = ExitStack()

    def flush(self, plan: Plan) -> None:
        from salesflow.store import fulltext, roomy_cache

        if plan.errors and not self.keep_going:
            self.write = False
        if self.write and plan.new:
            if self.first is None:
                self.held.enter_context(roomy_cache(self.conn))
                self.first = self.conn.execute(
                    "SELECT coalesce(max(id), 0) + 1 FROM activities"
                ).fetchone()[0]
            fulltext.write_pending(self.conn)  # the last batch's, before this one
            _insert(self.conn, plan.new, self.now_iso)
        plan.written += len(plan.new)
        plan.new.clear()

    def finish(self, plan: Plan) -> Applied:
        self.flush(plan)
        self.held.close()
        if self.first is None:
            return Applied(range(0), 0)
        # After the compact blocks: these updates are journalled row by row like any other.
        touches.refresh_after_activity(self.conn, self.first)
        return Applied(range(self.first, self.first + plan.written), 0)

    @staticmethod
    def finish_plan(conn: sqlite3.Connection, plan: Plan, **__: Any) -> Applied:
        """finish() of the ActivityBatches that wrote `plan` (an `apply` for cli/data.py)."""
        assert plan.batches is not None
        return plan.batches.finish(plan)


def apply_activities(
    conn: sqlite3.Connection, plan: Plan, *, now_iso: str, progress: Progress | None = None
) -> Applied:
    """Write the planned activities as one bulk insert (one undo step)."""
    from salesflow.store import roomy_cache

    tick = ticker(progress, N_("Writing activities"), len(plan.new))

    def rows() -> Iterator[tuple]:
        for done, touch in enumerate(plan.new, 1):
            tick(done)
            yield touch

    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM activities").fetchone()[0]
    with roomy_cache(conn):
        _insert(conn, rows(), now_iso)
    # After the compact block: these updates are journalled row by row like any other.
    touches.refresh_after_activity(conn, first)
    return Applied(range(first, first + len(plan.new)), 0)
