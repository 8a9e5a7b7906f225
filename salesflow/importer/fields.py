"""Custom lead fields in `import leads`: a column whose header is a declared field's name (any
case, or `--map "地区=region"`) fills that field of the row's lead — a new one, the earlier
row's lead it merged into, or the existing lead it updates (`--on-duplicate update`).

The columns are taken out before the lead columns are mapped (so they are not kept in the
notes), and the values written after the leads (after each batch of them), in the same
transaction and undo.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from salesflow import csvsafe, fields
from salesflow.importer.columns import key
from salesflow.importer.leads import LeadOptions, plan_leads
from salesflow.importer.leadwrite import Batches, apply_leads
from salesflow.importer.plan import Applied, Plan, Progress
from salesflow.sheets import Sheet


def _columns(conn: sqlite3.Connection, sheet: Sheet, mapping: dict[str, str]) -> dict[int, str]:
    """Sheet column index -> declared field, by header name or by --map."""
    names = {key(n): n for n in fields.declared(conn)}
    found: dict[int, str] = {}
    for i, header in enumerate(sheet.header):
        target = mapping.get(header, header)  # --map "地区=region" names the field
        if key(target) in names:
            found[i] = names[key(target)]
    return found


def plan(
    conn: sqlite3.Connection,
    sheet: Sheet,
    options: LeadOptions,
    progress: Progress | None = None,
    batches: Batches | None = None,
) -> Plan:
    """plan_leads, with the values of declared fields read from their columns."""
    columns = _columns(conn, sheet, options.mapping)
    if not columns:
        return plan_leads(conn, sheet, options, progress, batches=batches)
    headers = {sheet.header[i] for i in columns}
    mapping = {h: t for h, t in options.mapping.items() if h not in headers}
    mapping |= dict.fromkeys(headers, "-")  # the lead mapper leaves these columns alone
    escaped = sheet.fmt in ("csv", "tsv")

    def values(cells: list[str | None]) -> dict[str, str]:
        row = {}
        for i, name in columns.items():
            text = " ".join(((cells[i] if i < len(cells) else None) or "").split())
            if escaped and text.startswith("'"):
                text = csvsafe.unescape(text)
            if text:
                row[name] = text
        return row

    options = replace(options, mapping=mapping)
    planned = plan_leads(conn, sheet, options, progress, fields=values, batches=batches)
    planned.ignored = [h for h in planned.ignored if h not in headers]
    return planned


def apply(
    conn: sqlite3.Connection, planned: Plan, *, now_iso: str, progress: Any = None
) -> Applied:
    """apply_leads, then each row's field values on the lead the row became."""
    applied = apply_leads(conn, planned, now_iso=now_iso, progress=progress)
    for number, values in planned.field_values.items():
        target = planned.row_leads.get(number)
        if target is None:  # skipped, or a row error left out
            continue
        lead_id = applied.added[target[1]] if isinstance(target, tuple) else target
        fields.set_values(conn, lead_id, values)
    return applied
