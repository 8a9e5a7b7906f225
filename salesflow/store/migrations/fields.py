"""Step 18: custom lead fields, one row per lead and field, searchable.

Released: never edited.
"""

from __future__ import annotations

from salesflow.store.migrations.search_pairs import _pairs


def _index(table: str, column: str) -> str:
    """The search index of `table` as migration 13 lays every one out: trigrams without
    positions, and the CJK character pairs of the view `<table>_cjk`, kept by triggers."""
    fts, cjk = f"{table}_fts", f"{table}_cjk_fts"
    add = f"""
            INSERT INTO {fts} (rowid, {column}) VALUES (new.rowid, new.{column});
            INSERT INTO {cjk} (rowid, pairs) VALUES (new.rowid, {_pairs("new", (column,))});"""
    remove = f"""
            INSERT INTO {fts} ({fts}, rowid, {column}) VALUES ('delete', old.rowid, old.{column});
            INSERT INTO {cjk} ({cjk}, rowid, pairs) VALUES ('delete', old.rowid,
                {_pairs("old", (column,))});"""
    changed = f"old.rowid IS NOT new.rowid OR old.{column} IS NOT new.{column}"
    return f"""
        CREATE VIRTUAL TABLE {fts} USING FTS5 ({column}, tokenize='trigram', content="{table}",
            detail=none, columnsize=0);
        CREATE VIEW {table}_cjk (rowid, pairs) AS
            SELECT t.rowid, {_pairs("t", (column,))} FROM {table} t;
        CREATE VIRTUAL TABLE {cjk} USING FTS5 (pairs, tokenize='ascii', content="{table}_cjk",
            detail=none, columnsize=0);
        CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN{add}
        END;
        CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN{remove}
        END;
        CREATE TRIGGER {table}_au AFTER UPDATE OF id, {column} ON {table} WHEN {changed}
        BEGIN{remove}{add}
        END;
        """


STEPS: list[tuple[int, str, str]] = [
    (
        18,
        "lead_fields: the values of custom lead fields (config fields), in the search index",
        """
        CREATE TABLE lead_fields (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            UNIQUE (lead_id, field)
        );
        """
        # search finds a lead by its field values like by its name (salesflow/search.py).
        + _index("lead_fields", "value"),
    ),
]
