"""The report of an import (or its dry run): counts, then every row error, then the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesflow.i18n import N_, _, bracketed, join, ngettext
from salesflow.output.layout import cells

if TYPE_CHECKING:
    from salesflow.importer import Plan
    from salesflow.importer.mail import MailPlan

# Row notes and errors are listed up to this many (a re-import skips every row); the errors
# past them are counted by column and message, the TOP_ERRORS commonest named.
SHOWN = 20
TOP_ERRORS = 10
TOP_UNKNOWN = 10  # unknown addresses an e-mail import names


def _counts(counts: list[tuple[str, int]]) -> list[str]:
    """`  label  n` lines, the counts in one column (labels measured in terminal cells)."""
    width = max(cells(label) for label, _n in counts)
    return [f"  {label}{' ' * (width - cells(label))}  {n}" for label, n in counts]


def report_lines(plan: Plan, *, dry_run: bool, skip_errors: bool = False) -> list[str]:
    noun = plan.kind
    lines = [_("Dry run — nothing was changed.")] if dry_run else []
    lines.append(_("{sheet}: {rows} row(s)").format(sheet=plan.sheet, rows=plan.rows))
    new = _NEW.get(noun)
    counts = [
        (_(new) if new else f"new {noun}", plan.new_count),
        (_("updated"), plan.update_count),
        (_("unchanged"), plan.count("unchanged")),
        (_("duplicates skipped"), plan.count("skipped")),
        (_("merged into an earlier row"), plan.count("merged")),
        (_("rows with errors"), plan.error_rows),
    ]
    lines += _counts([(label, n) for i, (label, n) in enumerate(counts) if n or i == 0])
    if plan.kept:
        named = join(plan.kept[:SHOWN])
        more = (
            _(" … and {more} more").format(more=len(plan.kept) - SHOWN)
            if len(plan.kept) > SHOWN
            else ""
        )
        kept = (
            _("Kept in the notes (no such field): {named}{more}")
            if noun == "leads"
            else _("Kept in the note (no such field): {named}{more}")
        )
        lines.append(kept.format(named=named, more=more))
    if plan.ignored:
        lines.append(_("Not imported: {fields}").format(fields=join(plan.ignored)))
    if plan.own_source:
        lines.append(
            _(
                '--source "{source}" not used for {rows} row(s) that name their own source '
                "(it fills in rows without one)"
            ).format(source=plan.default_source, rows=plan.own_source)
        )
    lines += [str(e) for e in plan.errors[:SHOWN]]
    lines += _more_errors(plan)
    for kind in ("changed", "notices", "merged", "skipped", "unchanged"):
        shown = getattr(plan, kind)[:SHOWN]
        lines += [str(n) for n in shown]
        if plan.count(kind) > len(shown):
            more = plan.count(kind) - len(shown)
            lines.append(_("… and {more} more like these").format(more=more))
    if dry_run and plan.errors and not skip_errors:
        lines.append(
            ngettext(
                "The import would stop here: {count:,} row has errors — fix it, or pass "
                "--skip-errors to import the other rows",
                "The import would stop here: {count:,} rows have errors — fix them, or pass "
                "--skip-errors to import the other rows",
                plan.error_rows,
            ).format(count=plan.error_rows)
        )
    return lines


def _more_errors(plan: Plan) -> list[str]:
    """The errors past the first SHOWN, grouped by column and message (most first): a file
    of bad rows repeats one mistake, and its hint, a thousand times."""
    more = plan.count("errors") - min(len(plan.errors), SHOWN)
    if more <= 0:
        return []
    counts = plan.count_shapes(plan.errors[SHOWN:], dict(plan.error_shapes))
    groups = []
    for (column, said), n in sorted(counts.items(), key=lambda kv: -kv[1])[:TOP_ERRORS]:
        rows = ngettext("{count:,} row", "{count:,} rows", n).format(count=n)
        if said:
            rows = _('{rows} ("{message}")').format(rows=rows, message=said)
        groups.append(f"{column} {rows}" if column else rows)
    head = _("… and {more:,} more errors:").format(more=more)
    if len(groups) == 1:
        return [f"{head} {groups[0]}"]
    return [head, *(f"  {g}" for g in groups)]


# What a sheet of each kind adds; another kind is named as the importer calls it.
_NEW = {
    "leads": N_("new leads"),
    "activities": N_("new activities"),
}


def mail_report_lines(plan: MailPlan, *, dry_run: bool) -> list[str]:
    """What `import email` did (or would do): counts, unknown addresses, closed follow-ups,
    then every message that could not be read."""
    lines = [_("Dry run — nothing was changed.")] if dry_run else []
    lines.append(
        _("{source}: {messages} message(s)").format(source=plan.source, messages=plan.messages)
    )
    counts = [
        (_("e-mail activities"), len(plan.activities)),
        (_("new leads"), len(plan.new_leads)),
        (_("replies to your mail"), plan.replies),
        (_("follow-ups done by a reply"), len(plan.closes)),
        (_("already imported"), plan.duplicates),
        (_("naming no lead"), plan.unmatched),
        (_("only your own addresses"), plan.own),
        (_("messages with errors"), len(plan.errors)),
    ]
    lines += _counts([(label, n) for i, (label, n) in enumerate(counts) if n or i == 0])
    if plan.unknown:
        top = plan.unknown.most_common(TOP_UNKNOWN)
        lines.append(
            _("Addresses that match no lead ({n}; --new-leads makes leads of them): ").format(
                n=len(plan.unknown)
            )
            + join(bracketed(a, n) for a, n in top)
            + (" …" if len(plan.unknown) > TOP_UNKNOWN else "")
        )
    for lead in plan.new_leads[:SHOWN]:
        company = f" ({lead.company})" if lead.company else ""
        lines.append(
            _("new lead: {name}{company} <{email}>").format(
                name=lead.name, company=company, email=lead.email
            )
        )
    if len(plan.new_leads) > SHOWN:
        lines.append(_("… and {more} more new leads").format(more=len(plan.new_leads) - SHOWN))
    for id_, done_at, action, who in plan.closes[:SHOWN]:
        lines.append(
            _("follow-up {id} of {who} done by a reply at {done_at}: {action}").format(
                id=id_, who=who, done_at=done_at, action=action
            )
        )
    if len(plan.closes) > SHOWN:
        lines.append(_("… and {more} more follow-ups").format(more=len(plan.closes) - SHOWN))
    lines += [str(e) for e in plan.errors]
    return lines
