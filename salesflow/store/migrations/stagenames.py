"""The closed stages' names: won and lost keep their kind (every rule and report reads it)
but may be called what the seller calls them (成交, 丢单)."""

from __future__ import annotations

STEPS: list[tuple[int, str, str]] = [
    (
        15,
        "display names of the closed stages: stages.label (NULL: the stage's name)",
        "ALTER TABLE stages ADD COLUMN label TEXT;",
    ),
]
