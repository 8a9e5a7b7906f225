"""`salesflow lead …`: add, list, show, edit and remove leads."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

from salesflow.cli import complete
from salesflow.cli.options import (
    AddressOpt,
    DocLangOpt,
    Format,
    FormatOpt,
    RawOpt,
    TaxIdOpt,
    buyer_facts,
)
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.session import Session
from salesflow.i18n import N_, _, join, ngettext

if TYPE_CHECKING:
    from salesflow.leads import LeadFields
    from salesflow.merge import Preview

app = command_group(help=N_("Capture, find and change leads."), no_args_is_help=True)

Company = Annotated[str | None, Option("--company", "-c", help=N_("Company name."))]
Email = Annotated[str | None, Option("--email", "-e")]
Phone = Annotated[str | None, Option("--phone", "-p")]
Source = Annotated[str | None, Option("--source", "-s", help=N_("Trade show, website, referral …"))]
Grade = Annotated[
    str | None,
    Option(
        "--grade",
        "-g",
        help=N_("A: clear near-term need, B: potential need, C: long-term nurture."),
    ),
]
Bant = Annotated[
    str | None,
    Option(
        "--bant", help=N_("budget=yes,authority=unknown,need=yes,timeline=no (yes/no/unknown).")
    ),
]
BantNote = Annotated[str | None, Option("--bant-note", help=N_("A note on BANT."))]
Value = Annotated[
    str | None,
    Option(
        "--value", "-v", help=N_('Expected value: 50000, 50k, 1,200.50, $3.5k, ¥1200 ("" clears).')
    ),
]
Currency = Annotated[
    str | None, Option("--currency", help=N_("ISO 4217 code (default: config currency)."))
]
Tags = Annotated[list[str] | None, Option("--tag", "-t", help=N_("A tag; repeat for more."))]
Note = Annotated[str | None, Option("--note", "-n", help=N_("Free notes."))]
Sets = Annotated[
    list[str] | None,
    Option(
        "--set",
        metavar="FIELD=VALUE",
        help=N_(
            'A custom field: region=South (declared with config set fields; "region=" clears). '
            "Repeat for more."
        ),
    ),
]
Close = Annotated[
    str | None,
    Option("--expected-close", help=N_('Expected close date: 2026-12-31, eom, +30d ("" clears).')),
]


def _fields(
    s: Session,
    *,
    name: str | None,
    company: str | None,
    email: str | None,
    phone: str | None,
    source: str | None,
    grade: str | None,
    bant: str | None,
    bant_note: str | None,
    value: str | None,
    currency: str | None,
    default_currency: str,
    tags: list[str] | None,
    note: str | None,
    expected_close: str | None,
    address: str | None,
    tax_id: str | None,
    doc_lang: str | None,
) -> LeadFields:
    from salesflow import leads, money

    return leads.LeadFields(
        name=name,
        company=company,
        email=leads.check_email(email) if email else email,
        phone=phone,
        source=source,
        grade=leads.check_grade(grade) if grade else None,
        bant=leads.parse_bant(bant) if bant else {},
        bant_note=bant_note,
        value=leads.read_value(value, currency, default_currency),
        currency=money.check_currency(currency) if currency else None,
        tags=leads.clean_tags(tags) if tags is not None else None,
        notes=note,
        expected_close=s.parse_date(expected_close).isoformat()
        if expected_close and expected_close.strip()
        else None,
        clear={k for k, v in (("value", value), ("expected_close", expected_close)) if v == ""},
        **buyer_facts(address, tax_id, doc_lang),
    )


# What a merge moved, per table: "3 activities" (the count leads, as the English said).
def _merge_details(brings: Preview, other: int, keep: int, keep_stage: str) -> str:
    """What the merge question adds: OTHER's rows that move, and what of OTHER is not kept."""
    from salesflow import money
    from salesflow.output.layout import series

    words = {
        "quotes": lambda n: ngettext("{count} quote", "{count} quotes", n),
        "followups": lambda n: ngettext("{count} follow-up", "{count} follow-ups", n),
        "activities": lambda n: ngettext("{count} activity", "{count} activities", n),
    }
    moving = [words[t](n).format(count=n) for t, n in brings.moving.items() if n]
    said = ""
    if moving:
        said += _("; its {rows} move to #{keep}").format(rows=series(moving), keep=keep)
    lost = []
    if brings.stage_lost is not None:
        lost.append(
            _("its open stage {stage} (#{keep} stays at {keep_stage})").format(
                stage=brings.stage_lost, keep=keep, keep_stage=keep_stage
            )
        )
    if brings.value_lost is not None:
        lost.append(_("its value {value}").format(value=money.display(*brings.value_lost)))
    if lost:
        said += _("; not kept from #{other}: {lost}").format(other=other, lost=series(lost))
    return said


_MOVED = {
    "activities": N_("{count} activities"),
    "followups": N_("{count} followups"),
    "quotes": N_("{count} quotes"),
    "stage_changes": N_("{count} stage changes"),
}


@app.command("add")
def add(
    ctx: Context,
    name: Annotated[str, Argument(help=N_("The contact's name."))],
    company: Company = None,
    email: Email = None,
    phone: Phone = None,
    source: Source = None,
    grade: Grade = None,
    bant: Bant = None,
    bant_note: BantNote = None,
    value: Value = None,
    currency: Currency = None,
    tag: Tags = None,
    note: Note = None,
    stage: Annotated[
        str | None,
        Option("--stage", help=N_("Start in a later open stage."), autocompletion=complete.stages),
    ] = None,
    expected_close: Close = None,
    address: AddressOpt = None,
    tax_id: TaxIdOpt = None,
    doc_lang: DocLangOpt = None,
    force: Annotated[
        bool, Option("--force", help=N_("Add it even when a lead with these facts exists."))
    ] = False,
    set_: Sets = None,
) -> None:
    """Capture a new lead (refused, naming the lead, when the same e-mail, phone, or name at
    the same company exists: --force adds it anyway)."""
    from salesflow import dupes, leads
    from salesflow import fields as custom

    s: Session = ctx.obj
    with s.write() as conn:
        values = custom.parse_sets(conn, set_) if set_ else {}
        fields = _fields(
            s, name=name, company=company, email=email, phone=phone, source=source, grade=grade,
            bant=bant, bant_note=bant_note, value=value, currency=currency,
            default_currency=s.currency, tags=tag, note=note, expected_close=expected_close,
            address=address, tax_id=tax_id, doc_lang=doc_lang,
        )  # fmt: skip
        if not force and (found := dupes.existing(conn, name, company, email, phone)):
            shown = "; ".join(
                _("{label} ({why})").format(label=label, why=_(why)) for __, label, why in found[:3]
            )
            raise leads.SalesflowError(
                _(
                    "this lead may exist already: {shown} — see salesflow lead "
                    "show {found}, or add it anyway with --force"
                ).format(shown=shown, found=found[0][0])
            )
        lead = leads.add(conn, fields, stage=stage, currency=s.currency, now_iso=s.now_iso)
        custom.set_values(conn, lead.id, values)
    s.term.say(_("Added lead {label} in stage {stage}").format(label=lead.label, stage=lead.stage))


@app.command("list")
def list_(
    ctx: Context,
    stage: Annotated[
        str | None, Option("--stage", help=N_("Only this stage."), autocompletion=complete.stages)
    ] = None,
    grade: Grade = None,
    source: Source = None,
    tag: Annotated[str | None, Option("--tag", "-t", help=N_("Only leads with this tag."))] = None,
    search: Annotated[
        str | None, Option("--search", "-q", help=N_("Text in name, company, email or phone."))
    ] = None,
    open_: Annotated[
        bool,
        Option(
            "--open/--closed",
            help=N_("Open leads (default) or closed (won/lost) ones."),
            show_default=False,
        ),
    ] = True,
    all_: Annotated[bool, Option("--all", "-a", help=N_("Open and closed leads."))] = False,
    sort: Annotated[
        str,
        Option("--sort", help=N_("id, created, updated, value, name, company, stage, close.")),
    ] = "id",
    limit: Annotated[
        int | None, Option("--limit", "-n", min=1, help=N_("At most N leads."))
    ] = None,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """List leads (open ones unless --closed or --all), each with its next step and when it
    is due (columns a narrow terminal leaves out first)."""
    from salesflow import followups, leads, pipeline
    from salesflow.output import render
    from salesflow.output.views import lead_columns

    s: Session = ctx.obj
    with s.read() as conn:
        flt = leads.LeadFilter(
            stage=pipeline.get_stage(conn, stage).name if stage else None,
            grade=leads.check_grade(grade) if grade else None,
            source=source,
            tag=tag,
            search=search,
            status="all" if all_ else ("open" if open_ else "closed"),
            sort=sort,
            limit=limit,
        )
        unrated: list[str] = []
        if flt.sort == "value":
            from salesflow.value_order import leads_by_value

            found, unrated = leads_by_value(conn, flt, s.currency)
        else:
            found = leads.search(conn, flt)
        rows = [lead.record(p) for lead, p in found]
        steps = followups.next_steps(conn, [r["id"] for r in rows])
        shown = pipeline.shown_names(conn)
        names: list[str] = []
        if fmt != Format.table:  # machine formats carry the custom fields, as export does
            from salesflow import fields

            names, values = fields.columns_of(conn, [r["id"] for r in rows])
    for row in rows:
        row["stage"] = shown.get(row["stage"], row["stage"])
        row["next_action"], row["next_due"] = steps.get(row["id"], (None, None))
        for name in names:
            row[name] = values.get(row["id"], {}).get(name)
    render(
        rows, fmt.value, s.term, columns=lead_columns(), raw=raw, empty=_("No leads match."),
        keys=[*leads.RECORD_KEYS, "next_action", "next_due", *names],
    )  # fmt: skip
    if unrated and fmt == Format.table:
        note = _(
            "Sorted by value in {base}; leads in {currencies} (no exchange rate) come after, "
            "by currency — salesflow config set fx.{first} RATE"
        )
        s.term.line(
            note.format(base=s.currency, currencies=_(", ").join(unrated), first=unrated[0]),
            style="dim",
        )


@app.command("show")
def show(
    ctx: Context,
    ref: Annotated[
        str,
        Argument(
            help=N_("Lead number (12, #12) or a piece of its name/company."),
            autocompletion=complete.leads,
        ),
    ],
    fmt: FormatOpt = Format.table,
) -> None:
    """Show one lead: facts, BANT, its stage history and its quotes."""
    from salesflow import cards
    from salesflow.output import write_object
    from salesflow.output.views import lead_card

    s: Session = ctx.obj
    with s.read() as conn:
        card = cards.lead_card(conn, ref, today=s.today)
    if fmt in (Format.json, Format.ndjson):
        write_object(card, s.term, compact=fmt == Format.ndjson)
    elif fmt == Format.table:
        lead_card(card, s.term, s.tz)
    else:
        from salesflow.output import render

        render([card["lead"]], fmt.value, s.term)


@app.command("edit")
def edit(
    ctx: Context,
    ref: Annotated[
        str,
        Argument(
            help=N_("Lead number or a piece of its name/company."), autocompletion=complete.leads
        ),
    ],
    name: Annotated[str | None, Option("--name", help=N_("New contact name."))] = None,
    company: Company = None,
    email: Email = None,
    phone: Phone = None,
    source: Source = None,
    grade: Grade = None,
    bant: Bant = None,
    bant_note: BantNote = None,
    value: Value = None,
    currency: Currency = None,
    tag: Annotated[list[str] | None, Option("--tag", "-t", help=N_("Replace the tags."))] = None,
    note: Note = None,
    expected_close: Close = None,
    address: AddressOpt = None,
    tax_id: TaxIdOpt = None,
    doc_lang: DocLangOpt = None,
    set_: Sets = None,
) -> None:
    """Change a lead's facts (only the options given)."""
    from salesflow import fields as custom
    from salesflow import leads

    s: Session = ctx.obj
    facts = (name, company, email, phone, source, grade, bant, bant_note, value, currency, tag,
             note, expected_close, address, tax_id, doc_lang)  # fmt: skip
    with s.write() as conn:
        lead = leads.resolve(conn, ref)
        if set_:
            custom.set_values(conn, lead.id, custom.parse_sets(conn, set_))
            if all(f is None for f in facts):
                s.term.say(_("Updated lead {label}").format(label=lead.label))
                return
        fields = _fields(
            s, name=name, company=company, email=email, phone=phone, source=source, grade=grade,
            bant=bant, bant_note=bant_note, value=value, currency=currency,
            default_currency=lead.currency, tags=tag, note=note, expected_close=expected_close,
            address=address, tax_id=tax_id, doc_lang=doc_lang,
        )  # fmt: skip
        lead = leads.edit(conn, lead, fields, s.now_iso)
    s.term.say(_("Updated lead {label}").format(label=lead.label))


@app.command("rm")
def rm(
    ctx: Context,
    ref: Annotated[
        str,
        Argument(
            help=N_("Lead number or a piece of its name/company."), autocompletion=complete.leads
        ),
    ],
    yes: Annotated[bool, Option("--yes", "-y", help=N_("Do not ask for confirmation."))] = False,
) -> None:
    """Delete a lead and its history (salesflow undo brings it back)."""
    from salesflow import leads
    from salesflow.cli.session import confirmed

    s: Session = ctx.obj
    with s.read() as conn:  # ask outside the write lock: a waiting prompt must not block others
        lead = leads.resolve(conn, ref)
    if not confirmed(
        s,
        yes,
        _("Delete lead {label} and its history?").format(label=lead.label),
        _("Nothing deleted."),
    ):
        return
    with s.write() as conn:
        lead = leads.get(conn, lead.id)
        leads.remove(conn, lead)
    s.term.say(_("Deleted lead {label} (salesflow undo brings it back)").format(label=lead.label))


@app.command("dupes")
def dupes_(
    ctx: Context,
    fuzzy: Annotated[
        bool, Option("--fuzzy", help=N_("Also names nearly alike at the same company."))
    ] = False,
    fmt: FormatOpt = Format.table,
    raw: RawOpt = False,
) -> None:
    """Likely duplicate leads, in pairs with the reason: same e-mail, same phone digits, or
    the same name at the same company (case, width, spaces and 有限公司/Ltd/Inc. set aside)."""
    from salesflow import dupes
    from salesflow.output import Column, render

    s: Session = ctx.obj
    with s.read() as conn:
        rows = [p.record() for p in dupes.find(conn, fuzzy=fuzzy)]
    columns = [
        Column("keep_lead", "Lead"),
        Column("other_lead", "Likely the same as"),
        Column("reason", "Why"),
    ]
    render(
        rows, fmt.value, s.term, columns=columns, raw=raw, keys=dupes.RECORD_KEYS,
        empty=_("No likely duplicates."),
    )  # fmt: skip
    if rows and fmt == Format.table:
        s.term.say(_("Merge a pair: salesflow lead merge KEEP OTHER"))


class StageFrom(StrEnum):
    keep = "keep"
    other = "other"


@app.command("merge")
def merge_(
    ctx: Context,
    keep: Annotated[str, Argument(help=N_("The lead that stays (number or a piece of its name)."))],
    other: Annotated[str, Argument(help=N_("The lead merged into it and then deleted."))],
    stage_from: Annotated[
        StageFrom,
        Option("--stage-from", help=N_("Whose stage the merged lead keeps."), case_sensitive=False),
    ] = StageFrom.keep,
    yes: Annotated[bool, Option("--yes", "-y", help=N_("Do not ask for confirmation."))] = False,
) -> None:
    """Make one lead of two: OTHER's activities, follow-ups, quotes, stage history and tags
    move to KEEP, KEEP's empty facts are filled from OTHER, the merge is recorded in KEEP's
    history and OTHER is deleted. One command: salesflow undo takes it all back."""
    from salesflow import leads, merge, pipeline
    from salesflow.cli.session import confirmed

    s: Session = ctx.obj
    with s.read() as conn:  # ask outside the write lock: a waiting prompt must not block others
        kept, gone = leads.resolve(conn, keep), leads.resolve(conn, other)
        merge.check_pair(kept, gone)
        brings = merge.preview(conn, kept, gone, stage_from_other=stage_from == StageFrom.other)
        keep_stage = pipeline.get_stage(conn, kept.stage).shown
    if not confirmed(
        s,
        yes,
        _("Merge lead {label} into {label2} and delete {label}{details}?").format(
            label=gone.label,
            label2=kept.label,
            details=_merge_details(brings, gone.id, kept.id, keep_stage),
        ),
        _("Nothing merged."),
    ):
        return
    with s.write() as conn:
        merged = merge.merge(
            conn, leads.get(conn, kept.id), leads.get(conn, gone.id),
            stage_from_other=stage_from == StageFrom.other, now_iso=s.now_iso,
        )  # fmt: skip
    moved = join(
        _(_MOVED[t]).format(count=n) if t in _MOVED else f"{n} {t.replace('_', ' ')}"
        for t, n in merged.moved.items()
        if n
    )
    filled = _("; filled {facts}").format(facts=join(merged.filled)) if merged.filled else ""
    s.term.say(
        _(
            "Merged lead {label} into {label2} (moved {value}{filled}); "
            "stage {stage} — salesflow undo takes it back"
        ).format(
            label=merged.other.label,
            label2=merged.keep.label,
            value=moved or _("nothing"),
            filled=filled,
            stage=merged.stage,
        )
    )
