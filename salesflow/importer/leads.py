"""Planning and applying `salesflow import leads`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

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
from salesflow.importer.plan import Applied, Clock, Plan, Progress, RowError, RowNote, ticker
from salesflow.importer.values import (
    Bad,
    amount,
    bant_value,
    day,
    document_facts,
    email_problem,
    free_text,
    instant,
    one_line,
    stage_finder,
    tag_list,
)
from salesflow.sheets import MAX_CELL, Sheet

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
    conn: sqlite3.Connection, sheet: Sheet, options: LeadOptions, progress: Progress | None = None
) -> Plan:
    """What importing `sheet` as leads would do. Reads the database, writes nothing."""
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
    plan = Plan("leads", f"{sheet.name} ({sheet.described})", len(sheet.rows))
    plan.default_source = options.source
    plan.kept = [label for __, label in cols.extra]
    plan.ignored = cols.ignored
    keys = Keys()
    people: dict[int, tuple[str, str | None]] = {}
    for id_, name, company, email, phone in conn.execute(
        "SELECT id, name, company, email, phone FROM leads ORDER BY id"
    ):
        keys.add(id_, Keys.of(name, company, email, phone))
        people[id_] = (name, company)
    pending: dict[int, dict[str, Any]] = {}  # existing lead id -> wanted facts (update mode)
    # A file with an `id` column (a salesflow export) lists distinct records: two rows that
    # share a phone or a name are two deals (a repeat purchase), not one lead written twice.
    # Rows are still matched against the database, so importing it twice adds nothing.
    exported = any(h.strip().casefold() == "id" for h in sheet.header)
    tick = ticker(progress, N_("Checking rows"), len(sheet.rows))
    rating = layouts.rating_column(cols.header.get("grade"))
    reader = _LeadReader(
        find_stage, default_stage, default_currency, options.source, options.clock, rating
    )
    for done, (number, values, extra) in enumerate(row_values(sheet, cols), 1):
        tick(done)
        if "" in values:
            plan.errors.append(RowError(number, None, values[""]))
            continue
        try:
            facts = reader.read(values, extra)
        except _Many as e:
            plan.errors += [RowError(number, cols.header.get(b.field, b.field), b.message)
                            for b in e.problems]  # fmt: skip
            continue
        plan.own_source += bool(options.source and values.get("source", "").strip())
        row_keys = Keys.of(facts.name, facts.company, facts.email, facts.phone)
        matches = keys.match(row_keys)
        if not matches:
            if not exported:
                keys.add(("row", number, len(plan.new)), row_keys)
            plan.new.append(facts)
            continue
        target, by = matches[0]
        what = _describe(target, people)
        if options.on_duplicate == "skip":
            said = _("skipped: same {by} as {what}").format(by=_(by), what=what)
            plan.skipped.append(RowNote(number, said))
        elif options.on_duplicate == "error":
            said = _("duplicate of {what} (same {by})").format(what=what, by=_(by))
            plan.errors.append(RowError(number, None, said))
        elif len(matches) > 1:  # updating one of them would be a guess
            which = _(" and ").join(
                _("{what} by {by}").format(what=_describe(t, people), by=_(b)) for t, b in matches
            )
            why = _("matches {which} — fix the row or merge those leads first")
            plan.errors.append(RowError(number, None, why.format(which=which)))
        elif isinstance(target, tuple):  # an earlier row of this file: merge into it
            _merge(plan.new[target[2]], facts, values)
            said = _("merged into {what} (same {by})").format(what=what, by=_(by))
            plan.merged.append(RowNote(number, said))
        else:
            wanted = pending.setdefault(target, {})
            wanted.update(_wanted(facts, values, wanted.get("tags"), wanted.get("notes")))
            wanted.setdefault("_rows", []).append(number)
            if "stage" in values:
                wanted["_stage"] = (number, facts.stage)
    _resolve_updates(conn, plan, pending)
    return plan


class _Many(Exception):
    def __init__(self, problems: list[Bad]) -> None:  # every problem of a row, not the first
        self.problems = problems


_GRADES = {f"{g}{suffix}": g.upper() for g in "ABCabc" for suffix in ("", "类", "级")}


class _LeadReader:
    """One row's cells as a NewLead; built once per import, as its cached look-ups save work."""

    def __init__(
        self,
        find_stage: Callable[[str, str], pipeline.Stage],
        default_stage: pipeline.Stage,
        default_currency: str,
        default_source: str | None,
        clock: Clock,
        rating: str | None = None,
    ) -> None:
        self.find_stage = find_stage
        self.rating = rating  # the grade column's header when it is a "Rating" column
        self.default_stage = default_stage
        self.currency = default_currency
        self.source = default_source
        self.clock = clock
        self.now_iso = clock.now_iso

    def read(self, values: dict[str, str], extra: list[str]) -> leads.NewLead:
        """Every problem in the row is reported (as _Many), not just the first."""
        problems: list[Bad] = []
        get = values.get
        name = " ".join(get("name", "").split())
        if not name:
            problems.append(Bad("name", _("is empty — every lead needs a contact name")))
        stage = self.default_stage
        if "stage" in values:
            try:
                stage = self.find_stage(values["stage"], "stage")
            except Bad as e:
                problems.append(e)
                stage = None
        value = None
        currency = self.currency
        if "value" in values:
            try:
                value, currency = amount(values["value"], get("currency"), self.currency)
            except Bad as e:
                problems.append(e)
        elif "currency" in values:
            try:
                currency = money.check_currency(values["currency"])
            except SalesflowError as e:
                problems.append(Bad("currency", e.message))
        email_problem(one_line(get("email")), problems)
        grade = None
        if "grade" in values:
            text = values["grade"].strip()
            grade = _GRADES.get(text) or layouts.RATINGS.get(text.casefold())
            if grade is None and self.rating:  # another CRM's rating word: kept, not refused
                extra = [*extra, f"{self.rating}: {text}"]
            elif grade is None:
                said = _('"{grade}" is not a grade — use A, B or C').format(grade=values["grade"])
                problems.append(Bad("grade", said))
        bant = self.bant_value(values, problems) if "bant" in values or "bant_need" in values or (
            "bant_budget" in values or "bant_authority" in values or "bant_timeline" in values
        ) else _NO_BANT  # fmt: skip
        created, updated, closed, close = self.dates(values, problems)
        facts, lost_reason = document_facts(values, problems), free_text(get("lost_reason"))
        lost_from = None
        if stage is not None and (
            stage.kind != "open"
            or "lost_reason" in values
            or "lost_from" in values
            or "closed_at" in values
        ):
            lost_from = self._closing(stage, values, lost_reason, problems)
        if problems:
            raise _Many(problems)
        assert stage is not None
        created = created or self.now_iso
        notes = free_text(get("notes"))
        if extra:
            notes = "\n".join([notes, *extra] if notes else extra)
        if notes and len(notes) > MAX_CELL:  # the limit is on what is stored, however built
            raise _Many([_notes_too_long(len(extra))])
        return leads.NewLead(
            name=name,
            stage=stage.name,
            currency=currency,
            created_at=created,
            updated_at=updated or self.now_iso,
            company=one_line(get("company")),
            email=one_line(get("email")),
            phone=one_line(get("phone")),
            source=one_line(get("source")) or self.source,
            grade=grade,
            bant_budget=bant["budget"],
            bant_authority=bant["authority"],
            bant_need=bant["need"],
            bant_timeline=bant["timeline"],
            bant_note=free_text(get("bant_note")),
            value_minor=value,
            tags=",".join(tag_list(values["tags"])) if "tags" in values else "",
            notes=notes,
            expected_close=close,
            lost_reason=lost_reason if stage.kind == "lost" else None,
            lost_from=lost_from,
            won_note=free_text(get("won_note")),
            closed_at=(closed or created) if stage.kind != "open" else None,
            **facts,
        )

    def dates(
        self, values: dict[str, str], problems: list[Bad]
    ) -> tuple[str | None, str | None, str | None, str | None]:
        """created_at, updated_at, closed_at (UTC instants) and expected_close (a day)."""
        created, updated, closed = (
            self.instant(values[f], f, problems) if f in values else None
            for f in ("created_at", "updated_at", "closed_at")
        )
        close = None
        if "expected_close" in values:
            try:
                close = day(values["expected_close"], self.clock, "expected_close")
            except Bad as e:
                problems.append(e)
        return created, updated, closed, close

    def instant(self, text: str, field_: str, problems: list[Bad]) -> str | None:
        try:
            iso = instant(text, self.clock, field_)
        except Bad as e:
            problems.append(e)
            return None
        if iso > self.now_iso:
            said = _("{iso} is in the future — import what already happened").format(iso=iso)
            problems.append(Bad(field_, said))
        return iso

    @staticmethod
    def bant_value(values: dict[str, str], problems: list[Bad]) -> dict[str, str]:
        bant = dict(_NO_BANT)
        if "bant" in values:
            try:
                bant |= leads.parse_bant(values["bant"])
            except SalesflowError as e:
                problems.append(Bad("bant", e.message))
        for k in leads.BANT_KEYS:
            if f"bant_{k}" in values:
                try:
                    bant[k] = bant_value(values[f"bant_{k}"], f"bant_{k}")
                except Bad as e:
                    problems.append(e)
        return bant

    def _closing(
        self,
        stage: pipeline.Stage,
        values: dict[str, str],
        lost_reason: str | None,
        problems: list[Bad],
    ) -> str | None:
        """The facts only a closed lead has must match its stage; returns lost_from."""
        if stage.kind == "lost":
            if not lost_reason:
                problems.append(Bad("lost_reason", _("is empty — a lost lead needs a reason")))
            if "lost_from" in values:
                try:
                    return self.find_stage(values["lost_from"], "lost_from").name
                except Bad as e:
                    problems.append(e)
            return None
        for f in ("lost_reason", "lost_from"):
            if f in values:
                said = _('only lost leads have a {field}, not "{stage}" ones')
                problems.append(Bad(f, said.format(field=f, stage=stage.name)))
        if stage.kind == "open" and "closed_at" in values:
            said = _('only won or lost leads are closed, not "{stage}"').format(stage=stage.name)
            problems.append(Bad("closed_at", said))
        return None


_NO_BANT = dict.fromkeys(leads.BANT_KEYS, "unknown")


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


def _notes_too_long(kept: int) -> Bad:
    if kept:
        said = _(
            "the notes, with the {count} columns kept in them, are longer than {max:,} characters"
        )
        return Bad("notes", said.format(count=kept, max=MAX_CELL))
    return Bad("notes", _("the notes are longer than {max:,} characters").format(max=MAX_CELL))


def _merge(target: leads.NewLead, facts: leads.NewLead, values: dict[str, str]) -> None:
    """A later row of the file about the same new lead: its given facts win."""
    for column, value in _wanted(facts, values, target.tags, target.notes).items():
        setattr(target, column, value)


def _describe(target: Any, people: dict[int, tuple[str, str | None]]) -> str:
    if isinstance(target, tuple):
        return _("row {row}").format(row=target[1])
    name, company = people[target]
    return f"#{target} {name}" + (f" ({company})" if company else "")


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
            plan.unchanged += [RowNote(n, said) for n in numbers]


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


def apply_leads(
    conn: sqlite3.Connection, plan: Plan, *, now_iso: str, progress: Progress | None = None
) -> Applied:
    """Write the plan: updates first (journalled row by row), then every new lead and its
    creation history as one bulk insert (journalled as one step per table), then the won
    ones join their customer as a win through `advance` does."""
    from salesflow import customers
    from salesflow.store import journal, roomy_cache
    from salesflow.store.schema import set_aside

    for lead_id, changes in plan.updates.items():
        changes = {**changes, "updated_at": now_iso}
        assignments = ", ".join(f"{k} = ?" for k in changes)
        conn.execute(f"UPDATE leads SET {assignments} WHERE id = ?", (*changes.values(), lead_id))
    tick = ticker(progress, N_("Writing leads"), len(plan.new))

    def counted() -> Iterator[leads.NewLead]:
        for done, new in enumerate(plan.new, 1):
            tick(done)
            yield new

    # As many new leads as there are already: building the random-order indexes again after
    # the load is cheaper than inserting into them row by row.
    existing = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    rebuilt = _bulk_indexes(conn) if len(plan.new) >= max(existing, _BULK_MIN) else []
    tables = ("leads", "stage_changes")
    bulk = journal.compact_inserts(conn, tables, bulk=bool(rebuilt))
    with roomy_cache(conn), bulk, set_aside(conn, rebuilt):
        added = leads.insert(conn, counted())
    won = conn.execute(
        "SELECT l.id FROM leads l JOIN stages s ON s.name = l.stage "
        "WHERE l.id BETWEEN ? AND ? AND s.kind = 'won' ORDER BY l.id",
        (added.start, added.stop - 1),
    )
    for lead in leads.get_many(conn, [r[0] for r in won]):
        # The customer dates from the win, as it does when `advance … won` creates it.
        customers.join(conn, lead, lead.closed_at or now_iso)
    return Applied(added, len(plan.updates))
