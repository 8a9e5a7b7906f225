"""Step 19: one index of the leads by creation time instead of two.

Released: never edited.
"""

from __future__ import annotations

STEPS: list[tuple[int, str, str]] = [
    (
        19,
        "leads by creation time: one index with the first touch beside it",
        """
        -- leads_created_at (created_at) and leads_touched (the touched leads' created_at,
        -- first_touch_at) held the same leads in the same order: the cohort counts read this
        -- one, and the first-touch counts skip its leads not touched yet.
        DROP INDEX leads_touched;
        DROP INDEX leads_created_at;
        CREATE INDEX leads_created_at ON leads (created_at, first_touch_at);
        """,
    ),
]
