"""Planning and applying `salesflow import leads`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from salesflow import leads, money, pipeline
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import N_, _
from salesflow.importer import layouts
from salesflow.importer.columns import (
    LEAD_FIELDS,
    LEAD_IGNORED,
    map_columns,
    row_values,
    without_blank_columns,
)
from salesflow.importer.keys import Keys
from salesflow.importer.leadrow import LeadReader, Many
from salesflow.importer.plan import (
    Clock,
    Plan,
    Progress,
    RowError,
    RowNote,
    finished,
    ticker,
)
from salesflow.importer.seen import CHUNK, Seen
from salesflow.importer.updates import Pending, merge, wanted
from salesflow.importer.values import (
    Bad,
    stage_finder,
)
from salesflow.sheets import Row, Sheet

if TYPE_CHECKING:
    from salesflow.importer.leadwrite import Batches

ON_DUPLICATE = ("skip", "update", "error")


@dataclass(frozen=True)
class LeadOptions:
    currency: str  # for rows without a currency
    clock: Clock
    on_duplicate: str = "skip"
    source: str | None = None  # for rows without a source
    stage: str | None = None  # for rows without a stage (default: the first open stage)
    mapping: dict[str, str] = field(default_factory=dict)


def _default_stage(
    conn: sqlite3.Connection, find_stage: Callable[[str, str], pipeline.Stage], name: str | None
) -> pipeline.Stage:
    """The stage of rows that name none: `--stage`, else the pipeline's first open stage."""
    if not name:
        return pipeline.open_stages(conn)[0]
    try:
        return find_stage(name, "stage")
    except Bad as e:
        raise SalesflowError(e.message, hint=Hint("import.stage")) from None


def plan_leads(
    conn: sqlite3.Connection,
    sheet: Sheet,
    options: LeadOptions,
    progress: Progress | None = None,
    *,
    fields: Callable[[list[str | None]], dict[str, str]] | None = None,
    batches: Batches | None = None,
) -> Plan:
    """What importing `sheet` as leads would do. Reads the database, writes nothing — unless
    `batches` writes the new leads as they come (a big file is then never held). `fields`
    reads a row's custom field values (importer/fields.py) into field_values."""
    if options.on_duplicate not in ON_DUPLICATE:
        message = _("{on_duplicate} — use skip, update or error")
        hint = Hint("import.on_duplicate")
        raise SalesflowError(message.format(on_duplicate=options.on_duplicate), hint=hint)
    cols = map_columns(sheet.header, LEAD_FIELDS, LEAD_IGNORED, options.mapping, sheet.name)
    cols = without_blank_columns(cols, sheet)
    if "name" not in cols.fields:
        raise SalesflowError(
            _(
                "{name} has no column for the contact's name (name, contact, "
                "联系人, 姓名 …) — its columns are: {header}"
            ).format(name=sheet.name, header=", ".join(sheet.header)),
            hint=Hint("import.map_to", field="name"),
        )
    find_stage = stage_finder(conn)
    default_stage = _default_stage(conn, find_stage, options.stage)
    default_currency = money.check_currency(options.currency)
    plan = Plan("leads", f"{sheet.name} ({sheet.described})", sheet.size)
    if batches is not None:
        plan.keep_notes, plan.batches = batches.KEEP_NOTES, batches
    plan.default_source = options.source
    plan.kept = [label for __, label in cols.extra]
    plan.ignored = cols.ignored
    placer = _Placer(conn, plan, options.on_duplicate, batches)
    # A file with an `id` column (a salesflow export) lists distinct records: two rows that
    # share a phone or a name are two deals (a repeat purchase), not one lead written twice.
    # Rows are still matched against the database, so importing it twice adds nothing.
    placer.exported = any(h.strip().casefold() == "id" for h in sheet.header)
    tick = ticker(progress, N_("Checking rows"), sheet.size)
    rating = layouts.rating_column(cols.header.get("grade"))
    reader = LeadReader(
        find_stage, default_stage, default_currency, options.source, options.clock, rating
    )
    rows = _Cells(sheet.rows)  # the cells of the row being read, for the custom fields
    size = batches.SIZE if batches is not None else CHUNK
    chunk: list[tuple[int, leads.NewLead, dict[str, str]]] = []
    since = 0  # the errors of the chunk being read start here
    done = 0
    try:
        for done, (number, values, extra) in enumerate(
            row_values(replace(sheet, rows=rows) if fields else sheet, cols), 1
        ):
            tick(done)
            if fields is not None:
                got = fields(rows.cells)
                if got:
                    plan.field_values[number] = got
            if "" in values:
                plan.errors.append(RowError(number, None, values[""]))
                continue
            try:
                facts = reader.read(values, extra)
            except Many as e:
                plan.errors += [RowError(number, cols.header.get(b.field, b.field), b.message)
                                for b in e.problems]  # fmt: skip
                continue
            plan.own_source += bool(options.source and values.get("source", "").strip())
            chunk.append((number, facts, values))
            if len(chunk) == size:
                since = placer.place(chunk, since)
                chunk = []
        finished(progress, N_("Checking rows"), done, sheet.size)
        plan.rows = done
        placer.place(chunk, since)
        placer.pending.resolve(plan, placer.changed, cols.header.get("value", "value"))
    finally:
        placer.seen.close()
        placer.pending.close()
    return plan


class _Placer:
    """Where each row's lead goes: a new lead, an earlier row's, or an existing one; a chunk
    of rows at a time, after looking up who their keys already belong to (importer/seen.py)."""

    def __init__(
        self, conn: sqlite3.Connection, plan: Plan, on_duplicate: str, batches: Batches | None
    ) -> None:
        self.conn, self.plan, self.on_duplicate, self.batches = conn, plan, on_duplicate, batches
        self.exported = False
        self.seen = Seen(conn)
        if batches is not None:
            batches.before_bulk = self.seen.absorb
        self.pending = Pending(conn)

    def place(self, chunk: list[tuple[int, leads.NewLead, dict[str, str]]], since: int) -> int:
        """Place a chunk's rows, hand its new leads to the Batches; where its errors end."""
        written = [(f.name, f.company, f.email, f.phone) for __, f, __ in chunk]
        keys = [Keys.of(*facts) for facts in written]
        self.seen.look_up(zip(keys, written, strict=True))
        for (number, facts, values), row_keys in zip(chunk, keys, strict=True):
            self._place(number, facts, values, row_keys)
        self.plan.keep_errors(since)
        self.seen.settle()
        self.pending.settle()
        if self.batches is not None:
            self.batches.flush(self.plan)
        return len(self.plan.errors)

    def _place(
        self, number: int, facts: leads.NewLead, values: dict[str, str], keys: tuple
    ) -> None:
        plan = self.plan
        matches = self.seen.match(keys)
        if not matches:
            self.seen.add(plan.new_count, number, None if self.exported else keys)
            plan.row_leads[number] = ("new", plan.new_count)
            plan.new.append(facts)
            return
        target, by = matches[0]
        if self.on_duplicate == "skip":
            said = _("skipped: same {by} as {what}")
            plan.note(
                "skipped",
                lambda: RowNote(number, said.format(by=_(by), what=self.describe(target))),
            )
        elif self.on_duplicate == "error":
            said = _("duplicate of {what} (same {by})").format(what=self.describe(target), by=_(by))
            plan.errors.append(RowError(number, None, said))
        elif len(matches) > 1:  # updating one of them would be a guess
            which = _(" and ").join(
                _("{what} by {by}").format(what=self.describe(t), by=_(b)) for t, b in matches
            )
            why = _("matches {which} — fix the row or merge those leads first")
            plan.errors.append(RowError(number, None, why.format(which=which)))
        elif target < 0:  # an earlier row of this file: merge into it
            index = -target - 1
            if index >= plan.written:
                merge(plan.new[index - plan.written], facts, values)
            elif self.batches is not None:  # a lead already written
                self.batches.merge(index, partial(wanted, facts, values))
            plan.row_leads[number] = ("new", index)
            said = _("merged into {what} (same {by})")
            plan.note(
                "merged", lambda: RowNote(number, said.format(what=self.describe(target), by=_(by)))
            )
        else:
            self.pending.add(target, number, facts, values, plan.field_values.get(number))
            plan.row_leads[number] = target

    def changed(self, lead_id: int, changes: dict[str, Any], fields: dict[str, str]) -> None:
        """An existing lead the import updates: written now by the Batches, else planned
        (its custom `fields` are then written from the plan's field_values)."""
        if self.batches is None:
            self.plan.updates[lead_id] = changes
        else:
            self.plan.updated += 1
            self.batches.update(self.plan, lead_id, changes, fields)

    def describe(self, target: int) -> str:
        if target < 0:
            return _("row {row}").format(row=self.seen.row_of(-target - 1))
        name, company = self.conn.execute(
            "SELECT name, company FROM leads WHERE id = ?", (target,)
        ).fetchone()
        return f"#{target} {name}" + (f" ({company})" if company else "")


class _Cells:
    """A sheet's rows passed on, remembering the cells of the latest."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows, self.cells = rows, []

    def __iter__(self) -> Iterator[Row]:
        for number, cells in self.rows:
            self.cells = cells
            yield number, cells
