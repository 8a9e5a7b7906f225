"""`db check`: SQLite's own checks plus the invariants salesflow relies on."""

from __future__ import annotations

import sqlite3

from salesflow.i18n import _
from salesflow.store import derived


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def problems(conn: sqlite3.Connection) -> list[str]:
    """Every inconsistency found, one line each; empty when the database is sound."""
    found = integrity_problems(conn)
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        found.append(
            _("{table} row {rowid} points to a missing {parent} row").format(
                table=table, rowid=rowid, parent=parent
            )
        )
    found += [
        _('lead #{id} is in stage "{stage}", which the pipeline does not have').format(
            id=i, stage=s
        )
        for i, s in conn.execute(
            "SELECT id, stage FROM leads WHERE stage NOT IN (SELECT name FROM stages)"
        )
    ]
    found += [
        _('lead #{id} is in stage "{stage}" but its history ends in "{last}"').format(
            id=i, stage=s, last=h
        )
        for i, s, h in conn.execute(
            "SELECT l.id, l.stage, c.to_stage FROM leads l JOIN stage_changes c ON c.id = "
            "(SELECT id FROM stage_changes WHERE lead_id = l.id ORDER BY changed_at DESC, id DESC "
            "LIMIT 1) WHERE c.to_stage != l.stage"
        )
    ]
    found += [
        _("lead #{id} has no stage history").format(id=i)
        for (i,) in conn.execute(
            "SELECT id FROM leads l WHERE NOT EXISTS "
            "(SELECT 1 FROM stage_changes WHERE lead_id = l.id)"
        )
    ]
    found += [
        _("lead #{id} is {stage} but has no closing time").format(id=i, stage=s)
        for i, s in conn.execute(
            "SELECT l.id, l.stage FROM leads l JOIN stages s ON s.name = l.stage "
            "WHERE s.kind != 'open' AND l.closed_at IS NULL"
        )
    ]
    for kind in ("won", "lost"):
        if not conn.execute("SELECT 1 FROM stages WHERE kind = ?", (kind,)).fetchone():
            found.append(_('the pipeline has no "{kind}" stage').format(kind=kind))
    found += derived.problems(conn)
    found += _money_problems(conn)
    found += _quote_problems(conn)
    from salesflow.store import fulltext

    found += fulltext.problems(conn)
    return found


def _quote_problems(conn: sqlite3.Connection) -> list[str]:
    """A quote's stored figures must add up the way the document shows them."""
    found = [
        _(
            "quote {number}: its lines add up to {lines} (minor units) but its subtotal is "
            "{subtotal}"
        ).format(number=n, lines=lines, subtotal=sub)
        for n, sub, lines in conn.execute(
            "SELECT q.number, q.subtotal_minor, coalesce(sum(i.amount_minor), 0) FROM quotes q "
            "LEFT JOIN quote_items i ON i.quote_id = q.id GROUP BY q.id "
            "HAVING q.subtotal_minor != coalesce(sum(i.amount_minor), 0)"
        )
    ]
    found += [
        _("quote {number}: subtotal − discount + tax is not its total").format(number=n)
        for (n,) in conn.execute(
            "SELECT number FROM quotes "
            "WHERE subtotal_minor - discount_minor + tax_minor != total_minor"
        )
    ]
    found += [
        _("quote {number} line {position}: line total − discount is not its amount").format(
            number=n, position=p
        )
        for n, p in conn.execute(
            "SELECT q.number, i.position FROM quote_items i JOIN quotes q ON q.id = i.quote_id "
            "WHERE i.gross_minor - i.discount_minor != i.amount_minor"
        )
    ]
    return found


def _money_problems(conn: sqlite3.Connection) -> list[str]:
    found = []
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        for col in (r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')):
            if not col.endswith("_minor"):
                continue
            bad = conn.execute(
                f'SELECT count(*) FROM "{table}" '
                f"WHERE typeof(\"{col}\") NOT IN ('integer', 'null')"
            ).fetchone()[0]
            if bad:
                found.append(
                    _(
                        "{table}.{column} holds {count} non-integer amount(s); money must be "
                        "integers"
                    ).format(table=table, column=col, count=bad)
                )
    return found
