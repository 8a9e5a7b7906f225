"""What the rows of `salesflow import leads` want changed on leads already in the database
(`--on-duplicate update`): gathered a chunk at a time into a temporary table, so a re-import
of any size holds only one chunk's wishes, then compared with the stored leads once the file
is read: only real differences are updates. The stored leads do not change while the file is
read, so every row meets the database as it was (and a dry run says what the import does)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from salesflow import leads, money
from salesflow.i18n import _
from salesflow.importer.plan import Plan, RowError, RowNote
from salesflow.importer.values import Bad, amount

# Facts an update may change: everything but stage and history, which `advance` owns.
_FIELD_OF = {f"bant_{k}": (f"bant_{k}", "bant") for k in leads.BANT_KEYS}
_UPDATABLE = ("name", "company", "email", "phone", "source", "grade", *_FIELD_OF,
              "bant_note", "notes", "expected_close", "address", "tax_id", "doc_lang")  # fmt: skip
_KEEP_ROWS = 100  # rows named per lead for its "unchanged" notes (the report shows 20)
_PAGE = 500  # leads compared at a time
_SHORT = 40  # a changed value longer than this is named, not shown
_NAMED_ONLY = frozenset({"notes", "tags", "address", "bant_note"})


def _given(values: dict[str, str], column: str) -> bool:
    return any(v in values for v in _FIELD_OF.get(column, (column,)))


def wanted(
    facts: leads.NewLead, values: dict[str, str], tags: str | None, notes: str | None
) -> dict[str, Any]:
    """The facts a duplicate row gives (its non-empty cells) for updating a lead that has
    `tags` and `notes`: given facts replace, tags and notes add up (so a re-import is a no-op)."""
    wish: dict[str, Any] = {}
    for column in _UPDATABLE:
        if _given(values, column):
            wish[column] = getattr(facts, column)
    if "value" in values:
        wish["value_minor"] = facts.value_minor
        wish["currency"] = facts.currency
    if facts.tags:
        wish["tags"] = ",".join(leads.clean_tags([tags or "", facts.tags]))
    if facts.notes:
        wish["notes"] = add_note(notes, facts.notes)
    return wish


def add_note(old: str | None, new: str) -> str:
    """`old` plus the lines of `new` it does not have yet: importing twice adds nothing."""
    if not old:
        return new
    have = set(old.splitlines())
    fresh = [line for line in new.splitlines() if line not in have]
    return "\n".join([old, *fresh]) if fresh else old


def merge(target: leads.NewLead, facts: leads.NewLead, values: dict[str, str]) -> None:
    """A later row of the file about the same new lead: its given facts win."""
    for column, value in wanted(facts, values, target.tags, target.notes).items():
        setattr(target, column, value)


def _combined(earlier: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    """Two chunks' wishes for one lead, as if their rows had been read one after the other."""
    both = {**earlier, **later}
    if "tags" in earlier and "tags" in later:
        both["tags"] = ",".join(leads.clean_tags([earlier["tags"], later["tags"]]))
    if "notes" in earlier and "notes" in later:
        both["notes"] = add_note(earlier["notes"], later["notes"])
    both["_rows"] = (earlier["_rows"] + later["_rows"])[:_KEEP_ROWS]
    both["_n"] = earlier["_n"] + later["_n"]
    both["_fields"] = {**earlier.get("_fields", {}), **later.get("_fields", {})}
    if "_stage" not in later and "_stage" in earlier:
        both["_stage"] = earlier["_stage"]
    return both


class Pending:
    """Wishes for existing leads: the chunk's in memory, earlier chunks' in temp.import_wish."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.chunk: dict[int, dict[str, Any]] = {}
        self.stored = False
        conn.execute("DROP TABLE IF EXISTS temp.import_wish")
        conn.execute("CREATE TEMP TABLE import_wish (lead INTEGER PRIMARY KEY, wish TEXT)")

    def add(
        self,
        lead_id: int,
        number: int,
        facts: leads.NewLead,
        values: dict[str, str],
        field_values: dict[str, str] | None = None,
    ) -> None:
        """Row `number` is about existing lead `lead_id`; `field_values` are its custom
        fields' (importer/fields.py)."""
        wish = self.chunk.setdefault(lead_id, {"_rows": [], "_n": 0, "_fields": {}})
        wish.update(wanted(facts, values, wish.get("tags"), wish.get("notes")))
        if "value" in values:
            # An amount that names no currency is in the lead's own currency, not the
            # default the row was read in: only _resolve, with the stored lead, can read it.
            wish["_value"] = None if "currency" in values else [number, values["value"]]
        wish["_fields"].update(field_values or {})
        if len(wish["_rows"]) < _KEEP_ROWS:
            wish["_rows"].append(number)
        wish["_n"] += 1
        if "stage" in values:
            wish["_stage"] = (number, facts.stage, facts.lost_reason)

    def settle(self) -> None:
        """After a chunk: its wishes join the earlier chunks' in the table."""
        if not self.chunk:
            return
        earlier = {}
        if self.stored:
            earlier = {
                lead: json.loads(wish)
                for lead, wish in self.conn.execute(
                    "SELECT lead, wish FROM temp.import_wish "
                    "WHERE lead IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(self.chunk)),),
                )
            }
        self.conn.executemany(
            "INSERT OR REPLACE INTO temp.import_wish VALUES (?, ?)",
            sorted(
                (lead, json.dumps(_combined(earlier[lead], wish) if lead in earlier else wish))
                for lead, wish in self.chunk.items()
            ),
        )
        self.stored = True
        self.chunk = {}

    def resolve(self, plan: Plan, changed: Changed, value_column: str = "value") -> None:
        """Compare every wish with its stored lead; `changed(id, changes, field values)` for
        real differences, notes for the rest. A page of leads at a time, in id order."""
        self.settle()
        last = 0
        while page := self.conn.execute(
            "SELECT lead, wish FROM temp.import_wish WHERE lead > ? ORDER BY lead LIMIT ?",
            (last, _PAGE),
        ).fetchall():
            last = page[-1][0]
            wishes = {lead: json.loads(wish) for lead, wish in page}
            stored = _stored_fields(self.conn, [k for k, w in wishes.items() if w.get("_fields")])
            for lead in leads.get_many(self.conn, list(wishes)):
                fields = stored.get(lead.id, {})
                _resolve(plan, lead, wishes[lead.id], fields, changed, value_column)

    def close(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS temp.import_wish")


# changed(lead id, its changes, the custom field values that differ)
Changed = Callable[[int, dict[str, Any], dict[str, str]], None]


def _stored_fields(conn: sqlite3.Connection, lead_ids: list[int]) -> dict[int, dict[str, str]]:
    """The custom field values the leads `lead_ids` have."""
    found: dict[int, dict[str, str]] = {}
    if lead_ids:
        for lead_id, name, value in conn.execute(
            "SELECT lead_id, field, value FROM lead_fields "
            "WHERE lead_id IN (SELECT value FROM json_each(?))",
            (json.dumps(lead_ids),),
        ):
            found.setdefault(lead_id, {})[name] = value
    return found


def _resolve(
    plan: Plan,
    lead: leads.Lead,
    wish: dict[str, Any],
    stored: dict[str, str],
    changed: Changed,
    value_column: str,
) -> None:
    """Compare one lead's wish with the lead (and `stored`, its custom field values)."""
    numbers, count = wish.pop("_rows"), wish.pop("_n")
    stage_row = wish.pop("_stage", None)
    field_values = wish.pop("_fields", {})
    value = wish.pop("_value", None)
    if value is not None and lead.currency != wish["currency"]:  # else read as it should be
        try:
            wish["value_minor"], wish["currency"] = amount(value[1], None, lead.currency)
        except Bad as e:  # too large in the lead's currency (cents where the default had none)
            plan.errors.append(RowError(value[0], value_column, e.message))
            return
    if "tags" in wish:
        wish["tags"] = ",".join(leads.clean_tags([lead.tags, wish["tags"]]))
    if "notes" in wish:
        wish["notes"] = add_note(lead.notes, wish["notes"])
    changes = {k: v for k, v in wish.items() if getattr(lead, k) != v}
    fresh = {k: (stored.get(k), v) for k, v in field_values.items() if stored.get(k) != v}
    if stage_row and stage_row[1] != lead.stage:
        plan.note("notices", RowNote(stage_row[0], _stage_notice(lead, stage_row)))
    if changes or fresh:
        changed(lead.id, changes, {k: new for k, (__, new) in fresh.items()})
        plan.note("changed", lambda: RowNote(numbers[0], _described(lead, changes, fresh)))
    else:
        said = _("same as {label}").format(label=lead.label)
        for n in numbers:
            plan.note("unchanged", RowNote(n, said))
        plan.count_more("unchanged", count - len(numbers))


def _stage_notice(lead: leads.Lead, stage_row: list[Any]) -> str:
    """The notice of a row whose stage differs, with the `advance` that moves the lead (a
    lost stage needs its reason, which the row gave)."""
    import shlex

    command = ["salesflow", "advance", str(lead.id), stage_row[1]]
    if stage_row[2]:
        command += ["--reason", stage_row[2]]
    said = _("{label} stays in stage {stage}: an import updates facts, not stages — {command}")
    return said.format(label=lead.label, stage=lead.stage, command=shlex.join(command))


def _described(
    lead: leads.Lead, changes: dict[str, Any], fresh: dict[str, tuple[str | None, str]]
) -> str:
    """`#1 Jane Roe: name → Reception Desk, source web → referral`: old → new where short."""
    parts = []
    shown = {
        k: (getattr(lead, k), v) for k, v in changes.items() if k not in ("value_minor", "currency")
    }
    if "value_minor" in changes or "currency" in changes:
        new = (changes.get("value_minor", lead.value_minor), changes.get("currency", lead.currency))
        shown["value"] = (
            money.display(lead.value_minor, lead.currency) or None,
            money.display(*new),
        )
    for name, (old, new) in [*shown.items(), *fresh.items()]:
        if name in _NAMED_ONLY or len(str(new or "")) > _SHORT or len(str(old or "")) > _SHORT:
            parts.append(name)
        elif name == "name" or old in (None, ""):
            parts.append(f"{name} → {new}")
        else:
            parts.append(f"{name} {old} → {new}")
    return _("{label}: {changes}").format(label=lead.label, changes=", ".join(parts))
