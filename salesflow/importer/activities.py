"""Planning and applying `salesflow import activities`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

from salesflow import touches
from salesflow.activities import ALIASES
from salesflow.activities import kinds as activity_kinds
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import N_, _
from salesflow.importer.columns import (
    ACTIVITY_FIELDS,
    ACTIVITY_IGNORED,
    key,
    map_columns,
    row_values,
    without_blank_columns,
)
from salesflow.importer.keys import Keys
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


class _Leads:
    """Finds the lead a row of another tool's history is about."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.ids: set[int] = set()
        self.email: dict[str, list[int]] = {}
        self.person: dict[tuple[str, str], list[int]] = {}
        self.name: dict[str, list[int]] = {}
        for id_, name, company, email in conn.execute(
            "SELECT id, name, company, email FROM leads ORDER BY id"
        ):
            self.ids.add(id_)
            e, __, person = Keys.of(name, company, email, None)
            if e:
                self.email.setdefault(e, []).append(id_)
            if person:
                self.person.setdefault(person, []).append(id_)
                self.name.setdefault(person[0], []).append(id_)

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
            return self._one(self.email.get(e, []), "email", said)
        if person:
            found = self.person.get(person, [])
            if not found and not person[1]:  # no company given: a unique name will do
                found = self.name.get(person[0], [])
            who = values["name"].strip() + (f" ({values['company'].strip()})"
                                            if person[1] else "")  # fmt: skip
            return self._one(found, "name", _('no lead is called "{who}"').format(who=who))
        raise Bad("", _("names no lead — give lead_id, email, or name (+ company)"))

    @staticmethod
    def _one(found: list[int], field_: str, missing: str) -> int:
        if not found:
            raise Bad(
                field_, _("{missing} — see salesflow lead list --all").format(missing=missing)
            )
        if len(found) > 1:
            shown = ", ".join(f"#{i}" for i in found[:5])
            said = _("matches {count} leads ({shown}) — give lead_id instead")
            raise Bad(field_, said.format(count=len(found), shown=shown))
        return found[0]


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
) -> Plan:
    """What importing `sheet` as activities would do. Reads the database, writes nothing."""
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
    plan.kept = [label for __, label in cols.extra]
    plan.ignored = cols.ignored
    known = activity_kinds(conn)
    kinds = {key(k): k for k in known}
    kinds.update({k: v for k, v in _KIND_ALIASES.items() if v in known and k not in kinds})
    finder = _Leads(conn)
    seen: dict[tuple, str] = {
        row: _("an activity already logged")
        for row in conn.execute("SELECT lead_id, kind, happened_at, note FROM activities")
    }
    clock = options.clock
    tick = ticker(progress, N_("Checking rows"), sheet.size)
    done = 0
    for done, (number, values, extra) in enumerate(row_values(sheet, cols), 1):
        tick(done)
        if "" in values:
            plan.errors.append(RowError(number, None, values[""]))
            continue
        problems: list[Bad] = []
        lead_id = kind = None
        try:
            lead_id = finder.find(values)
        except Bad as e:
            problems.append(e)
        text = values.get("kind", "note")
        kind = kinds.get(key(text))
        if kind is None:
            said = _('"{text}" is not an activity kind — use one of: {known}')
            problems.append(Bad("kind", said.format(text=text, known=", ".join(known))))
        happened = _happened(values, clock, problems)
        note = _note(values, extra, problems)
        if problems:
            plan.errors += [RowError(number, cols.header.get(b.field, b.field or None), b.message)
                            for b in problems]  # fmt: skip
            continue
        identity = (lead_id, kind, happened, note)
        if identity in seen:
            if options.on_duplicate == "error":
                said = _("duplicate of {what}").format(what=seen[identity])
                plan.errors.append(RowError(number, None, said))
            else:
                said = _("skipped: same as {what}").format(what=seen[identity])
                plan.skipped.append(RowNote(number, said))
            continue
        seen[identity] = _("row {row}").format(row=number)
        plan.new.append(identity)
    finished(progress, N_("Checking rows"), done, sheet.size)
    plan.rows = done
    return plan


def apply_activities(
    conn: sqlite3.Connection, plan: Plan, *, now_iso: str, progress: Progress | None = None
) -> Applied:
    """Write the planned activities as one bulk insert (one undo step)."""
    from salesflow.store import journal, roomy_cache

    tick = ticker(progress, N_("Writing activities"), len(plan.new))

    def rows() -> Iterator[tuple]:
        for done, (lead_id, kind, happened, note) in enumerate(plan.new, 1):
            tick(done)
            yield lead_id, kind, note, happened, now_iso

    first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM activities").fetchone()[0]
    with roomy_cache(conn), journal.compact_inserts(conn, ("activities",)):
        conn.executemany(
            "INSERT INTO activities (lead_id, kind, note, happened_at, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            rows(),
        )
    # After the compact block: these updates are journalled row by row like any other.
    touches.refresh_after_activity(conn, first)
    return Applied(range(first, first + len(plan.new)), 0)
