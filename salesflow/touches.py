"""A lead's derived touch times, stored on the lead so the agenda reads them from an index:

- `leads.touched_at`: the latest `activities.happened_at` of the lead (NULL: never touched);
- `leads.idle_since`: the latest of its creation, its last touch and its last stage move that
  was not a pipeline remap (`stages set --map` moves nobody's deal) — what "stale" measures.

Both are facts about other rows, so they are rewritten in the same transaction as those rows:
every path that adds activities or stage moves calls `refresh` (new leads get them in their
INSERT, see leads.insert), undo restores them with the rest of the row, and `db check` compares
them with the rows they come from (`problems`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from salesflow.i18n import _
from salesflow.pipeline import REMAP_NOTE


def _touched(only: str = "") -> str:
    """The defining expression of touched_at, for an UPDATE or SELECT over `leads`; `only`
    narrows the activities it reads (an extra condition on `a`)."""
    return f"(SELECT max(a.happened_at) FROM activities a WHERE a.lead_id = leads.id{only})"


TOUCHED = _touched()
_MOVED = (
    "(SELECT max(c.changed_at) FROM stage_changes c WHERE c.lead_id = leads.id "
    "AND c.note IS NOT :remap)"
)


def _idle(touched: str) -> str:
    # max() of text compares ISO 8601 UTC strings; '' stands for "none" so max never is NULL.
    return f"max(coalesce({touched}, ''), coalesce({_MOVED}, ''), created_at)"


def refresh(conn: sqlite3.Connection, lead_ids: Iterable[int]) -> None:
    """Recompute both facts of these leads from their activities and history (a lead whose
    facts did not change is not rewritten, so it leaves no undo step)."""
    ids = ",".join(str(int(i)) for i in set(lead_ids))
    if ids:
        _refresh(conn, f"id IN ({ids})", {})


def refresh_after_activity(conn: sqlite3.Connection, first_id: int) -> None:
    """Recompute the facts of every lead that has an activity numbered `first_id` or later
    (a bulk import appends activities above the previous maximum id).

    Undo gets one step for all those leads instead of one per lead (tens of thousands of
    statements made undoing a large import eight times slower): the same recomputation over
    the activities numbered below `first_id`, the ones there were before. Undo replays it
    first, while the imported activities are still there, then deletes them."""
    from salesflow.store import journal

    ids = ",".join(
        str(r[0])
        for r in conn.execute(
            "SELECT DISTINCT lead_id FROM activities WHERE id >= ? ORDER BY lead_id", (first_id,)
        )
    )
    if not ids:
        return
    before = _update(f"id IN ({ids})", f" AND a.id < {int(first_id)}")
    with journal.replaced_by(conn, before.replace(":remap", _quote(REMAP_NOTE))):
        conn.execute(_update(f"id IN ({ids})"), {"remap": REMAP_NOTE})


def _refresh(conn: sqlite3.Connection, where: str, params: dict[str, object]) -> None:
    conn.execute(_update(where), {**params, "remap": REMAP_NOTE})


def _update(where: str, only: str = "") -> str:
    """One UPDATE of both facts (one undo step per lead changed), from the activities that
    pass `only` (an extra condition on `a`)."""
    touched = _touched(only)
    idle = _idle(touched)
    return (
        f"UPDATE leads SET touched_at = {touched}, idle_since = {idle} WHERE {where} "
        f"AND (touched_at IS NOT {touched} OR idle_since IS NOT {idle})"
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def problems(conn: sqlite3.Connection) -> list[str]:
    """`db check`: each lead whose stored touch times differ from what its rows say."""
    rows = conn.execute(
        f"SELECT id, touched_at, touched, idle_since, {_idle('touched')} FROM "
        f"(SELECT *, {TOUCHED} AS touched FROM leads) AS leads "
        f"WHERE touched_at IS NOT touched OR idle_since IS NOT {_idle('touched')} ORDER BY id",
        {"remap": REMAP_NOTE},
    )
    found = []
    for lead_id, stored_touch, touch, stored_idle, idle in rows:
        if stored_touch != touch:
            found.append(
                _("lead #{id}: touched_at is {stored} but its latest activity is {actual}").format(
                    id=lead_id, stored=stored_touch or _("empty"), actual=touch or _("none")
                )
            )
        if stored_idle != idle:
            found.append(
                _("lead #{id}: idle_since is {stored}, not {actual}").format(
                    id=lead_id, stored=stored_idle or _("empty"), actual=idle
                )
            )
    return found
