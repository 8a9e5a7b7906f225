"""Planning and applying `salesflow import leads`."""

from __future__ import annotations

import sqlite3
from array import array
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
        plan.keep_notes = batches.KEEP_NOTES
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
    done = 0
    for done, (number, values, extra) in enumerate(
        row_values(replace(sheet, rows=rows) if fields else sheet, cols), 1
    ):
        tick(done)
        if batches is not None and done % batches.SIZE == 0:
            batches.flush(plan)
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
        placer.place(number, facts, values)
    finished(progress, N_("Checking rows"), done, sheet.size)
    plan.rows = done
    _resolve_updates(conn, plan, placer.pending)
    return plan


class _Placer:
    """Where each row's lead goes: a new lead, an earlier row's, or an existing one."""

    def __init__(
        self, conn: sqlite3.Connection, plan: Plan, on_duplicate: str, batches: Batches | None
    ) -> None:
        self.conn, self.plan, self.on_duplicate, self.batches = conn, plan, on_duplicate, batches
        self.exported = False
        # Who each lead and row is, held for the whole import (all else of a row is let go):
        # an existing lead by its id, the n-th new lead by -(n + 1), its row in `numbers`.
        self.keys = Keys()
        for id_, name, company, email, phone in conn.execute(
            "SELECT id, name, company, email, phone FROM leads ORDER BY id"
        ):
            self.keys.add(id_, Keys.of(name, company, email, phone))
        self.numbers = array("q")  # the row of each new lead
        self.pending: dict[int, dict[str, Any]] = {}  # existing lead -> wanted facts (update)

    def place(self, number: int, facts: leads.NewLead, values: dict[str, str]) -> None:
        plan = self.plan
        row_keys = Keys.of(facts.name, facts.company, facts.email, facts.phone)
        matches = self.keys.match(row_keys)
        if not matches:
            if not self.exported:
                self.keys.add(-plan.new_count - 1, row_keys)
            self.numbers.append(number)
            plan.row_leads[number] = ("new", plan.new_count)
            plan.new.append(facts)
            return
        target, by = matches[0]
        what = self.describe(target)
        if self.on_duplicate == "skip":
            said = _("skipped: same {by} as {what}").format(by=_(by), what=what)
            plan.note("skipped", RowNote(number, said))
        elif self.on_duplicate == "error":
            said = _("duplicate of {what} (same {by})").format(what=what, by=_(by))
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
                _merge(plan.new[index - plan.written], facts, values)
            elif self.batches is not None:  # a lead already written
                self.batches.merge(index, partial(_wanted, facts, values))
            plan.row_leads[number] = ("new", index)
            said = _("merged into {what} (same {by})").format(what=what, by=_(by))
            plan.note("merged", RowNote(number, said))
        else:
            wanted = self.pending.setdefault(target, {})
            wanted.update(_wanted(facts, values, wanted.get("tags"), wanted.get("notes")))
            wanted.setdefault("_rows", []).append(number)
            plan.row_leads[number] = target
            if "stage" in values:
                wanted["_stage"] = (number, facts.stage)

    def describe(self, target: int) -> str:
        if target < 0:
            return _("row {row}").format(row=self.numbers[-target - 1])
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


# Facts an update may change: everything but stage and history, which `advance` owns.
_FIELD_OF = {f"bant_{k}": (f"bant_{k}", "bant") for k in leads.BANT_KEYS}
_UPDATABLE = ("name", "company", "email", "phone", "source", "grade", *_FIELD_OF,
              "bant_note", "notes", "expected_close", "address", "tax_id", "doc_lang")  # fmt: skip


def _given(values: dict[str, str], column: str) -> bool:
    return any(v in values for v in _FIELD_OF.get(column, (column,)))


def _wanted(
    facts: leads.NewLead, values: dict[str, str], tags: str | None, notes: str | None
) -> dict[str, Any]:
    """The facts a duplicate row gives (its non-empty cells) for updating a lead that has
    `tags` and `notes`: given facts replace, tags and notes add up (so a re-import is a no-op)."""
    wanted: dict[str, Any] = {}
    for column in _UPDATABLE:
        if _given(values, column):
            wanted[column] = getattr(facts, column)
    if "value" in values:
        wanted["value_minor"] = facts.value_minor
        wanted["currency"] = facts.currency
    if facts.tags:
        wanted["tags"] = ",".join(leads.clean_tags([tags or "", facts.tags]))
    if facts.notes:
        wanted["notes"] = _add_note(notes, facts.notes)
    return wanted


def _add_note(old: str | None, new: str) -> str:
    """`old` plus the lines of `new` it does not have yet: importing twice adds nothing."""
    if not old:
        return new
    have = set(old.splitlines())
    fresh = [line for line in new.splitlines() if line not in have]
    return "\n".join([old, *fresh]) if fresh else old


def _merge(target: leads.NewLead, facts: leads.NewLead, values: dict[str, str]) -> None:
    """A later row of the file about the same new lead: its given facts win."""
    for column, value in _wanted(facts, values, target.tags, target.notes).items():
        setattr(target, column, value)


def _resolve_updates(
    conn: sqlite3.Connection, plan: Plan, pending: dict[int, dict[str, Any]]
) -> None:
    """Compare the wanted facts with the stored lead: only real differences are updates."""
    for lead in leads.get_many(conn, list(pending)):
        wanted = pending[lead.id]
        numbers = wanted.pop("_rows")
        stage_row = wanted.pop("_stage", None)
        if "tags" in wanted:
            wanted["tags"] = ",".join(leads.clean_tags([lead.tags, wanted["tags"]]))
        if "notes" in wanted:
            wanted["notes"] = _add_note(lead.notes, wanted["notes"])
        changes = {k: v for k, v in wanted.items() if getattr(lead, k) != v}
        if stage_row and stage_row[1] != lead.stage:
            said = _(
                "{label} stays in stage {stage}: an import updates facts, not stages — "
                "salesflow advance {id} {to}"
            ).format(label=lead.label, stage=lead.stage, id=lead.id, to=stage_row[1])
            plan.notices.append(RowNote(stage_row[0], said))
        if changes:
            plan.updates[lead.id] = changes
        else:
            said = _("same as {label}").format(label=lead.label)
            for n in numbers:
                plan.note("unchanged", RowNote(n, said))
