"""Step 14: custom lead fields, one row per lead and field, searchable.

Released: never edited.
"""

from __future__ import annotations

from salesflow.store.migrations.second import _fts

STEPS: list[tuple[int, str, str]] = [
    (
        14,
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
        + _fts("lead_fields", ("value",)),
    ),
]
