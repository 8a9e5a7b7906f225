"""The report of an import (or its dry run): counts, then every row error, then the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from salesflow.importer import Plan

# Skipped and unchanged rows are listed up to this many (a re-import skips every row);
# row errors are always listed in full, since each one needs fixing.
SHOWN = 20


def report_lines(plan: Plan, *, dry_run: bool) -> list[str]:
    noun = plan.kind
    lines = ["Dry run — nothing was changed."] if dry_run else []
    lines.append(f"{plan.sheet}: {plan.rows} row(s)")
    counts = [
        (f"new {noun}", len(plan.new)),
        ("updated", len(plan.updates)),
        ("unchanged", len(plan.unchanged)),
        ("duplicates skipped", len(plan.skipped)),
        ("merged into an earlier row", len(plan.merged)),
        ("rows with errors", plan.error_rows),
    ]
    shown = [(label, n) for label, n in counts if n or label == f"new {noun}"]
    width = max(len(label) for label, _ in shown)
    lines += [f"  {label:<{width}}  {n}" for label, n in shown]
    if plan.kept:
        target = "notes" if noun == "leads" else "note"
        named = ", ".join(plan.kept[:SHOWN])
        more = f" … and {len(plan.kept) - SHOWN} more" if len(plan.kept) > SHOWN else ""
        lines.append(f"Kept in the {target} (no such field): {named}{more}")
    if plan.ignored:
        lines.append(f"Not imported: {', '.join(plan.ignored)}")
    lines += [str(e) for e in plan.errors]
    lines += [str(n) for n in plan.notices]
    for group in (plan.merged, plan.skipped, plan.unchanged):
        lines += [str(n) for n in group[:SHOWN]]
        if len(group) > SHOWN:
            lines.append(f"… and {len(group) - SHOWN} more like these")
    return lines
