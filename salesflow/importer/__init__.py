"""Leads and activities in from a sheet: map the columns, check every row, plan, then apply.

`plan_leads` / `plan_activities` only read the database: they return what an import would
add, update and skip, and every row error, so `--dry-run` and a refused import show the
same report. `apply_*` writes a plan inside the caller's (one, journalled) transaction.
`import leads` and `import activities` write their new rows in batches while the file is
read instead (Batches, ActivityBatches, in the same transaction), and look up duplicates
through indexes and temporary tables (seen.py, activityfind.py), so a file of any size, into
a database of any size, takes the memory of a batch.

Rules a user relies on (README "Import and export"):
- Known English and Chinese headers map by themselves; `--map "header=field"` overrides and
  `header=-` drops a column. Columns salesflow has no field for are kept, as `header: value`
  lines appended to the lead's notes (the activity's note), and listed in the report.
- A lead is a duplicate when its email, its phone (digits only) or its name + company
  (case-insensitive) matches an existing lead or an earlier row; importing a file twice adds
  nothing the second time. An activity is a duplicate when lead, kind, time and note match.
- Times without an offset are local; due and close dates are local days.
"""

from salesflow.importer.activities import (
    ActivityBatches,
    ActivityOptions,
    apply_activities,
    plan_activities,
)
from salesflow.importer.columns import (
    ACTIVITY_FIELDS,
    LEAD_FIELDS,
    LEAD_IGNORED,
    Columns,
    map_columns,
    parse_map,
)
from salesflow.importer.leads import ON_DUPLICATE, LeadOptions, plan_leads
from salesflow.importer.leadwrite import Batches, apply_leads
from salesflow.importer.plan import Applied, Clock, Plan, Progress, RowError, RowNote

__all__ = [
    "ACTIVITY_FIELDS", "LEAD_FIELDS", "LEAD_IGNORED", "ON_DUPLICATE", "ActivityBatches",
    "ActivityOptions",
    "Applied", "Batches", "Clock", "Columns", "LeadOptions", "Plan", "Progress", "RowError",
    "RowNote", "apply_activities", "apply_leads", "map_columns", "parse_map", "plan_activities",
    "plan_leads",
]  # fmt: skip
