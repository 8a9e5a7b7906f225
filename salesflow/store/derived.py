"""Facts stored beside the history they are derived from, for the reports:

- `stage_changes.left_at`: when that stage visit ended — the `changed_at` of the lead's next
  change (in `changed_at, id` order); NULL while the lead is still in that visit.
- `leads.first_touch_at`: the earliest `happened_at` of the lead's activities; NULL untouched.
- `leads.stages_entered`: every `to_stage` of the lead's history, distinct, as a JSON array
  in name order (`[]` without history): how far a deal got, whatever the pipeline's order.

Triggers (migration 6) keep them right on every insert, update and delete, undo included.
A bulk load that pauses the journal (`journal.compact_inserts`) pauses them too, and then
`refresh_appended` sets them for what it appended in one set-based pass; undoing such a load
(`delete_appended`) does the same the other way. `problems` is the `db check` that
recomputes them from scratch, so a stale value cannot go unnoticed.
"""

from __future__ import annotations

import sqlite3

from salesflow.i18n import _

# The same expression as migration 6's triggers, so a recomputed value compares equal.
ENTERED = (
    "(SELECT json_group_array(to_stage) FROM (SELECT DISTINCT to_stage FROM stage_changes "
    "WHERE lead_id = {lead} ORDER BY to_stage))"
)
# Tables whose rows the facts come from.
SOURCES = ("stage_changes", "activities")


def refresh_leads(
    conn: sqlite3.Connection, table: str, leads: str, params: dict[str, object]
) -> None:
    """Set the facts that `table`'s rows give the leads selected by the SQL `leads`."""
    if table == "stage_changes":
        conn.execute(
            "UPDATE stage_changes SET left_at = x.next_at FROM (SELECT id, lead(changed_at) "
            "OVER (PARTITION BY lead_id ORDER BY changed_at, id) AS next_at FROM stage_changes "
            f"WHERE lead_id IN ({leads})) x "
            "WHERE x.id = stage_changes.id AND stage_changes.left_at IS NOT x.next_at",
            params,
        )
        entered = ENTERED.format(lead="l.id")
        conn.execute(
            f"UPDATE leads SET stages_entered = x.entered FROM (SELECT l.id, {entered} AS entered "
            f"FROM leads l WHERE l.id IN ({leads})) x "
            "WHERE x.id = leads.id AND leads.stages_entered IS NOT x.entered",
            params,
        )
    elif table == "activities":
        conn.execute(
            "UPDATE leads SET first_touch_at = x.first_at FROM (SELECT l.id, (SELECT "
            "min(happened_at) FROM activities WHERE lead_id = l.id) AS first_at FROM leads l "
            f"WHERE l.id IN ({leads})) x "
            "WHERE x.id = leads.id AND leads.first_touch_at IS NOT x.first_at",
            params,
        )


def refresh_appended(conn: sqlite3.Connection, table: str, after_rowid: int) -> None:
    """Set the derived facts that rows appended to `table` (rowid > after_rowid) change."""
    params = {"mark": after_rowid}
    if table == "stage_changes":
        # A lead whose whole history is one appended row (every lead of an import) needs no
        # window and no JSON aggregate: its one visit has not ended, and it entered that stage.
        conn.execute("DROP TABLE IF EXISTS temp.derived_multi")
        conn.execute(
            "CREATE TEMP TABLE derived_multi AS SELECT lead_id FROM stage_changes "
            "WHERE lead_id IN (SELECT lead_id FROM stage_changes WHERE rowid > :mark) "
            "GROUP BY lead_id HAVING count(*) > 1",
            params,
        )
        multi = "SELECT lead_id FROM temp.derived_multi"
        refresh_leads(conn, table, multi, params)
        conn.execute(
            "UPDATE stage_changes SET left_at = NULL WHERE rowid > :mark AND left_at IS NOT NULL "
            f"AND lead_id NOT IN ({multi})",
            params,
        )
        conn.execute(
            "UPDATE leads SET stages_entered = x.entered FROM (SELECT lead_id, "
            "json_array(to_stage) AS entered FROM stage_changes WHERE rowid > :mark "
            f"AND lead_id NOT IN ({multi})) x "
            "WHERE x.lead_id = leads.id AND leads.stages_entered IS NOT x.entered",
            params,
        )
        conn.execute("DROP TABLE temp.derived_multi")
    elif table in SOURCES:
        leads = f'SELECT DISTINCT lead_id FROM "{table}" WHERE rowid > :mark'
        refresh_leads(conn, table, leads, params)
    elif table == "leads":
        # A new lead's facts come from the rows appended with it (refreshed for the tables
        # listed after it); without any, it has no first touch and has entered no stage.
        conn.execute(
            "UPDATE leads SET first_touch_at = NULL WHERE rowid > :mark "
            "AND first_touch_at IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM activities WHERE lead_id = leads.id)",
            params,
        )
        conn.execute(
            "UPDATE leads SET stages_entered = '[]' WHERE rowid > :mark "
            "AND stages_entered != '[]' "
            "AND NOT EXISTS (SELECT 1 FROM stage_changes WHERE lead_id = leads.id)",
            params,
        )


def delete_appended(
    conn: sqlite3.Connection, journal_id: int, table: str, mark: int, leads_gone: int | None
) -> int:
    """Undo's compact step `DELETE FROM table WHERE rowid > mark` with the facts' triggers
    paused (one by one they would redo each lead's facts for every row), then the facts of
    the leads that keep existing set in one pass. `leads_gone`: the same undo deletes the
    leads above this id, so theirs are not worth setting. Returns the rows deleted."""
    from salesflow.store import appended  # imports fulltext and schema: not for every command

    keep = "" if leads_gone is None else " AND lead_id <= :gone"
    conn.execute("DROP TABLE IF EXISTS temp.derived_leads")
    conn.execute(
        "CREATE TEMP TABLE derived_leads AS "
        f'SELECT DISTINCT lead_id FROM "{table}" WHERE rowid > :mark{keep}',
        {"mark": mark, "gone": leads_gone},
    )
    conn.execute("UPDATE journal SET open = 2 WHERE id = ?", (journal_id,))
    try:
        deleted = appended.delete_appended(conn, table, mark)
    finally:
        conn.execute("UPDATE journal SET open = 0 WHERE id = ?", (journal_id,))
    refresh_leads(conn, table, "SELECT lead_id FROM temp.derived_leads", {})
    conn.execute("DROP TABLE temp.derived_leads")
    return deleted


def problems(conn: sqlite3.Connection, shown: int = 20) -> list[str]:
    """Every stored derived fact that differs from what the history says (the first
    `shown` of each kind one a line, then how many more)."""
    stale_left = conn.execute(
        "SELECT c.id, c.lead_id, c.left_at, x.next_at FROM stage_changes c JOIN "
        "(SELECT id, lead(changed_at) OVER (PARTITION BY lead_id ORDER BY changed_at, id) "
        "AS next_at FROM stage_changes) x ON x.id = c.id WHERE c.left_at IS NOT x.next_at "
        "ORDER BY c.id"
    ).fetchall()
    found = [
        _(
            "stage change #{id} of lead #{lead}: left_at is {stored} but the lead's next change "
            "is at {actual}"
        ).format(id=i, lead=lead, stored=stored or _("empty"), actual=actual or _("(none)"))
        for i, lead, stored, actual in stale_left[:shown]
    ]
    if len(stale_left) > shown:
        found.append(
            _("… and {count} more stage changes with a wrong left_at").format(
                count=len(stale_left) - shown
            )
        )
    stale_first = conn.execute(
        "SELECT l.id, l.first_touch_at, a.first_at FROM leads l LEFT JOIN "
        "(SELECT lead_id, min(happened_at) AS first_at FROM activities GROUP BY lead_id) a "
        "ON a.lead_id = l.id WHERE l.first_touch_at IS NOT a.first_at ORDER BY l.id"
    ).fetchall()
    found += [
        _("lead #{id}: first_touch_at is {stored} but its first activity is at {actual}").format(
            id=i, stored=stored or _("empty"), actual=actual or _("(none)")
        )
        for i, stored, actual in stale_first[:shown]
    ]
    if len(stale_first) > shown:
        found.append(
            _("… and {count} more leads with a wrong first_touch_at").format(
                count=len(stale_first) - shown
            )
        )
    entered = ENTERED.format(lead="l.id")
    stale_entered = conn.execute(
        f"SELECT id, stages_entered, actual FROM (SELECT l.id, l.stages_entered, {entered} "
        "AS actual FROM leads l) WHERE stages_entered IS NOT actual ORDER BY id"
    ).fetchall()
    found += [
        _("lead #{id}: stages_entered is {stored} but its history has entered {actual}").format(
            id=i, stored=stored or _("empty"), actual=actual
        )
        for i, stored, actual in stale_entered[:shown]
    ]
    if len(stale_entered) > shown:
        found.append(
            _("… and {count} more leads with wrong stages_entered").format(
                count=len(stale_entered) - shown
            )
        )
    return found
