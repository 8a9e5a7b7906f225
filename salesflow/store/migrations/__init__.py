"""Numbered schema changes. Append only: a released step is never edited.

`PRAGMA user_version` holds the number of the last applied step, so the every-command
check is one pragma read. Each module holds a run of steps; a new step goes in a new module
(or the last one while it stays small) and its list is added to MIGRATIONS below.
"""

from __future__ import annotations

from salesflow.store.migrations import (
    buyers,
    created,
    fields,
    first,
    products,
    search_pairs,
    second,
    stagenames,
    trend,
)  # fmt: skip

MIGRATIONS: list[tuple[int, str, str]] = [
    *first.STEPS,
    *second.STEPS,
    *search_pairs.STEPS,
    *trend.STEPS,
    *stagenames.STEPS,
    *buyers.STEPS,
    *products.STEPS,
    *fields.STEPS,
    *created.STEPS,
]

LATEST = MIGRATIONS[-1][0]
