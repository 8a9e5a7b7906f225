"""Custom lead fields: `config set fields industry,region` declares them; each lead's values
live in the `lead_fields` table (one row per lead and field; migration 18), not in new columns.

A value is text, trimmed; setting a field to "" removes its value. A field taken out of the
declaration keeps its stored values (declaring it again shows them again), but is no longer
shown, exported, imported or offered to `report breakdown --by`.
"""

from __future__ import annotations

import re
import sqlite3

from salesflow import store
from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import _, join
from salesflow.nearest import nearest

SETTING = "fields"
# Names a custom field cannot take: the lead's own columns and export headers, and what
# `report breakdown --by` already groups by.
RESERVED = frozenset(
    """id name company email phone source grade stage value currency probability tags notes
    note bant_budget bant_authority bant_need bant_timeline bant_note expected_close
    lost_reason lost_from won_note customer_id created_at updated_at closed_at address tax_id
    doc_lang segment product customer touched_at idle_since first_touch_at stages_entered
    fields next_action next_due""".split()  # noqa: SIM905 - a word list reads better quoted once
)
_NAME = re.compile(r"[^\W\d]\w{0,39}")
# The lead's own facts `lead add`/`lead edit` set directly: a `--set` naming one of them (or
# nearly) is pointed at it, since declaring it as a field is refused.
OWN_FACTS = (
    "name", "company", "email", "phone", "source", "grade", "value", "currency", "tags",
    "notes", "expected_close", "address", "tax_id", "doc_lang", "bant_note",
)  # fmt: skip


def check_names(text: str) -> str:
    """`industry,region` (comma-separated, `，` too) as the stored declaration; "" declares
    none."""
    names: dict[str, str] = {}
    for raw in re.split(r"[,，]", text):
        name = raw.strip()
        if not name:
            continue
        if not _NAME.fullmatch(name):
            raise SalesflowError(
                _('field name "{name}" — use letters, digits and _ (starting with a letter), '
                  "e.g. industry,region").format(name=name)
            )  # fmt: skip
        if name.casefold() in RESERVED:
            raise SalesflowError(
                _('"{name}" is one of the lead\'s own facts — give the custom field another '
                  "name").format(name=name)
            )  # fmt: skip
        names.setdefault(name.casefold(), name)
    return ",".join(names.values())


def declared(conn: sqlite3.Connection) -> list[str]:
    """The declared field names, in the declared order."""
    value = store.get_setting(conn, SETTING)
    return [n for n in (value or "").split(",") if n]


def canonical(conn: sqlite3.Connection, name: str, *, what: str = "--set") -> str:
    """The declared spelling of `name` (any case); refuses an undeclared one."""
    names = declared(conn)
    for n in names:
        if n.casefold() == name.strip().casefold():
            return n
    shown = join(names) if names else _("none yet")
    close = nearest(name, [*names, *OWN_FACTS], n=1)
    if close and close[0] in names:
        raise SalesflowError(
            _('{what}: "{name}" is not a declared field — did you mean "{close}"? '
              "(declared: {shown})").format(
                what=what, name=name.strip(), close=close[0], shown=shown
            )
        )  # fmt: skip
    if close:
        raise SalesflowError(
            _('{what}: "{name}" is not a declared field — "{fact}" is one of the lead\'s own '
              "facts").format(what=what, name=name.strip(), fact=close[0]),
            hint=Hint("field.own_fact", fact=close[0]),
        )  # fmt: skip
    raise SalesflowError(
        _('{what}: "{name}" is not a declared field (declared: {shown})').format(
            what=what, name=name.strip(), shown=shown
        ),
        hint=Hint("config.fields", fields=",".join([*names, name.strip()])),
    )


def parse_sets(conn: sqlite3.Connection, texts: list[str]) -> dict[str, str]:
    """`--set industry=制造业 --set region=` as {declared name: value ("" clears)}."""
    out: dict[str, str] = {}
    for text in texts:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise SalesflowError(
                _('--set "{text}" — write FIELD=VALUE, e.g. --set region=华南').format(text=text)
            )
        out[canonical(conn, name)] = " ".join(value.split())
    return out


def set_values(conn: sqlite3.Connection, lead_id: int, values: dict[str, str]) -> int:
    """Write a lead's field values ("" removes one); returns how many changed."""
    changed = 0
    for name, value in values.items():
        if value:
            cur = conn.execute(
                "INSERT INTO lead_fields (lead_id, field, value) VALUES (?, ?, ?) "
                "ON CONFLICT (lead_id, field) DO UPDATE SET value = excluded.value "
                "WHERE value IS NOT excluded.value",
                (lead_id, name, value),
            )
        else:
            cur = conn.execute(
                "DELETE FROM lead_fields WHERE lead_id = ? AND field = ?", (lead_id, name)
            )
        changed += max(cur.rowcount, 0)
    return changed


def columns_of(
    conn: sqlite3.Connection, lead_ids: list[int]
) -> tuple[list[str], dict[int, dict[str, str]]]:
    """The declared names and, per lead of `lead_ids` that has any, its values: what a
    listing's machine formats add as a column per field (`export leads` does the same)."""
    # A name declared before it was reserved (next_due) would overwrite the listing's own.
    names = [n for n in declared(conn) if n.casefold() not in RESERVED]
    if not names or not lead_ids:
        return names, {}
    wanted = set(lead_ids)
    found: dict[int, dict[str, str]] = {}
    marks = ", ".join("?" * len(names))
    for lead_id, name, value in conn.execute(
        f"SELECT lead_id, field, value FROM lead_fields WHERE field IN ({marks})", names
    ):
        if lead_id in wanted:
            found.setdefault(lead_id, {})[name] = value
    return names, found


def values_of(conn: sqlite3.Connection, lead_id: int) -> dict[str, str | None]:
    """The lead's value of every declared field (None: no value), in the declared order."""
    names = declared(conn)
    if not names:
        return {}
    stored = dict(
        conn.execute("SELECT field, value FROM lead_fields WHERE lead_id = ?", (lead_id,))
    )
    return {n: stored.get(n) for n in names}
