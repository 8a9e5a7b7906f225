"""The report of an import (or its dry run): counts, then every row error, then the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from salesflow.importer import Plan
    from salesflow.importer.mail import MailPlan

# Skipped and unchanged rows are listed up to this many (a re-import skips every row);
# row errors are always listed in full, since each one needs fixing.
SHOWN = 20
TOP_UNKNOWN = 10  # unknown addresses an e-mail import names


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
    if plan.own_source:
        lines.append(
            f'--source "{plan.default_source}" not used for {plan.own_source} row(s) that name '
            "their own source (it fills in rows without one)"
        )
    lines += [str(e) for e in plan.errors]
    lines += [str(n) for n in plan.notices]
    for group in (plan.merged, plan.skipped, plan.unchanged):
        lines += [str(n) for n in group[:SHOWN]]
        if len(group) > SHOWN:
            lines.append(f"… and {len(group) - SHOWN} more like these")
    return lines


def mail_report_lines(plan: MailPlan, *, dry_run: bool) -> list[str]:
    """What `import email` did (or would do): counts, unknown addresses, closed follow-ups,
    then every message that could not be read."""
    lines = ["Dry run — nothing was changed."] if dry_run else []
    lines.append(f"{plan.source}: {plan.messages} message(s)")
    counts = [
        ("e-mail activities", len(plan.activities)),
        ("new leads", len(plan.new_leads)),
        ("replies to your mail", plan.replies),
        ("follow-ups done by a reply", len(plan.closes)),
        ("already imported", plan.duplicates),
        ("naming no lead", plan.unmatched),
        ("only your own addresses", plan.own),
        ("messages with errors", len(plan.errors)),
    ]
    shown = [(label, n) for label, n in counts if n or label == "e-mail activities"]
    width = max(len(label) for label, _ in shown)
    lines += [f"  {label:<{width}}  {n}" for label, n in shown]
    if plan.unknown:
        top = plan.unknown.most_common(TOP_UNKNOWN)
        lines.append(
            f"Addresses that match no lead ({len(plan.unknown)}; --new-leads makes leads of "
            "them): "
            + ", ".join(f"{a} ({n})" for a, n in top)
            + (" …" if len(plan.unknown) > TOP_UNKNOWN else "")
        )
    for lead in plan.new_leads[:SHOWN]:
        company = f" ({lead.company})" if lead.company else ""
        lines.append(f"new lead: {lead.name}{company} <{lead.email}>")
    if len(plan.new_leads) > SHOWN:
        lines.append(f"… and {len(plan.new_leads) - SHOWN} more new leads")
    for id_, done_at, action, who in plan.closes[:SHOWN]:
        lines.append(f"follow-up {id_} of {who} done by a reply at {done_at}: {action}")
    if len(plan.closes) > SHOWN:
        lines.append(f"… and {len(plan.closes) - SHOWN} more follow-ups")
    lines += [str(e) for e in plan.errors]
    return lines
