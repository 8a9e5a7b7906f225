"""Step 14: indexes that let `report trend` read one period at a time.

Released: never edited.
"""

from __future__ import annotations

STEPS: list[tuple[int, str, str]] = [
    (
        14,
        "report trend: deals closed and leads first touched, by time",
        """
        -- The deals closed in one period are a range of this index (with what the summary
        -- reads of them); leads_tally starts with the stage and holds every lead.
        CREATE INDEX leads_closed ON leads (closed_at, stage, currency, value_minor,
            created_at, source, grade) WHERE closed_at IS NOT NULL;
        -- The touched leads created in one period are a range of this one: leads_first_touch
        -- keeps them in order of hours to first touch, for the median.
        CREATE INDEX leads_touched ON leads (created_at, first_touch_at)
            WHERE first_touch_at IS NOT NULL;
        """,
    ),
]
