"""`salesflow export …` and `salesflow import …`: whole tables out, spreadsheets in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

from salesflow.cli.export_help import export_help
from salesflow.cli.options import RawOpt
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.session import Session
from salesflow.exporter import SPECS
from salesflow.i18n import N_, _, ngettext

if TYPE_CHECKING:
    import sqlite3

    from salesflow.importer import Applied, Plan, Progress
    from salesflow.sheets import Sheet

import_app = command_group(
    help=N_(
        "Bring leads and activities in from CSV, TSV, JSON or NDJSON, e-mail (eml, mbox, "
        "Maildir) and phone contacts (vCard) — one transaction, one undo."
    ),
    no_args_is_help=True,
)

export_app = command_group()
ExportTable = StrEnum("ExportTable", {name: name for name in SPECS})  # type: ignore[misc]


class DataFormat(StrEnum):
    csv = "csv"
    tsv = "tsv"
    json = "json"
    ndjson = "ndjson"


@export_app.command("export", help=export_help)
def export(
    ctx: Context,
    table: Annotated[
        ExportTable, Argument(metavar="TABLE", help=N_("The table to write."), show_default=False)
    ],
    fmt: Annotated[
        DataFormat | None,
        Option(
            "--format",
            "-f",
            help=N_("csv, tsv, json or ndjson (default: from -o, else csv)."),
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        Option("--output", "-o", metavar="FILE", help=N_("Write to FILE (mode 0600).")),
    ] = None,
    raw: RawOpt = False,
    excel: Annotated[
        bool, Option("--excel", help=N_("CSV/TSV: start with a UTF-8 BOM for Excel."))
    ] = False,
) -> None:
    from pathlib import Path

    from salesflow import exporter, sheets
    from salesflow.errors import SalesflowError
    from salesflow.output import write_rows

    s: Session = ctx.obj
    to_file = output not in (None, "-")
    by_name = sheets.format_of(output) if to_file else None
    if to_file and fmt is None and by_name is None and "." in Path(output).name:
        raise SalesflowError(
            _(
                "cannot tell a format from {name} — name it .csv, .tsv, "
                ".json or .ndjson, or pass --format"
            ).format(name=Path(output).name)
        )
    chosen = fmt.value if fmt else by_name or "csv"
    if excel and chosen not in ("csv", "tsv"):
        raise SalesflowError(
            _("--excel is for csv or tsv, not {chosen} — drop --excel").format(chosen=chosen)
        )
    with s.read() as conn:
        spec = exporter.spec(table.value, conn)
        if chosen in ("csv", "tsv"):
            # Text cells, formula-escaped by the query unless --raw: written as they are.
            rows = exporter.cells(conn, spec.name, escape=not raw, excel=excel)
        else:
            rows = exporter.rows(conn, spec.name)
        if to_file:
            from salesflow.output.files import private_text_file

            with private_text_file(Path(output).expanduser()) as out:
                out.write("\ufeff" if excel else "")
                n = write_rows(rows, chosen, out, raw=True, keys=spec.header)
        else:
            s.term.raw.write("\ufeff" if excel else "")
            n = write_rows(rows, chosen, s.term.raw, raw=True, keys=spec.header)
    if to_file:
        s.term.say(
            _("Exported {n} row(s) of {name} to {output}").format(
                n=n, name=spec.name, output=output
            )
        )


class OnDuplicate(StrEnum):
    skip = "skip"
    update = "update"
    error = "error"


class ActivityDuplicate(StrEnum):
    skip = "skip"
    error = "error"


class Encoding(StrEnum):
    auto = "auto"
    utf8 = "utf-8"
    gb18030 = "gb18030"


FileArg = Annotated[
    str,
    Argument(metavar="FILE", help=N_("CSV, TSV, JSON or NDJSON file; - reads standard input.")),
]
MapOpt = Annotated[
    list[str] | None,
    Option(
        "--map",
        metavar="HEADER=FIELD,…",
        help=N_(
            'Map columns by hand, e.g. "公司=company,联系人=name"; FIELD "-" drops a column; '
            '"First Name+Last Name=name" joins columns. Repeatable.'
        ),
    ),
]
EncodingOpt = Annotated[
    Encoding,
    Option(
        "--encoding",
        help=N_("auto: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030/GBK."),
        case_sensitive=False,
    ),
]
DryRunOpt = Annotated[
    bool, Option("--dry-run", help=N_("Report what would happen; change nothing."))
]
SkipErrorsOpt = Annotated[
    bool,
    Option("--skip-errors", help=N_("Import the good rows even when some rows have errors.")),
]
# Rows from which a terminal gets a progress bar; smaller files finish before it would show.
_PROGRESS_ROWS = 5000


def _read(
    file: str, encoding: str, parse: Callable[[bytes, str, str], Sheet] | None = None
) -> Sheet:
    import sys
    from pathlib import Path

    from salesflow import sheets
    from salesflow.errors import SalesflowError

    if file == "-":
        if parse is None:
            return sheets.open_stream(sys.stdin.buffer, "standard input", encoding)
        return parse(sys.stdin.buffer.read(), "standard input", encoding)
    path = Path(file).expanduser()
    try:
        if parse is None:
            return sheets.open_file(path, path.name, encoding)
        data = path.read_bytes()
    except FileNotFoundError:
        raise SalesflowError(_("no file {file} — check the path").format(file=file)) from None
    except IsADirectoryError:
        raise SalesflowError(
            _("{file} is a folder — give the file to import").format(file=file)
        ) from None
    except OSError as e:
        raise SalesflowError(
            _("cannot read {file}: {strerror}").format(file=file, strerror=e.strerror)
        ) from None
    return parse(data, path.name, encoding)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """An import holds 100k+ rows of plain strings and dicts, none in a reference cycle; the
    cyclic collector would only rescan them again and again (~15% of the import's time)."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _Bar:
    """A Rich progress bar on stderr, only when stderr is a terminal and the file is large."""

    def __init__(self, s: Session, rows: int) -> None:
        self.progress = None
        err = s.term.err
        if rows >= _PROGRESS_ROWS and getattr(err, "isatty", lambda: False)():
            from rich.progress import Progress

            self.progress = Progress(console=s.term.progress_console(), transient=True)
        self.tasks: dict[str, object] = {}

    def __enter__(self) -> Progress | None:
        if self.progress is not None:
            self.progress.start()
            return self.update
        return None

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def update(self, what: str, done: int, total: int) -> None:
        if what not in self.tasks:
            self.tasks[what] = self.progress.add_task(_(what), total=total)
        self.progress.update(self.tasks[what], completed=done)


def _run(
    s: Session,
    file: str,
    encoding: str,
    *,
    dry_run: bool,
    skip_errors: bool,
    plan: Callable[..., Plan],
    apply: Callable[..., Applied],
    read: Callable[[str, str], Sheet] | None = None,
) -> None:
    """Read, plan and report; refuse a plan with row errors unless --skip-errors; else apply
    it in the same (one, journalled) transaction the plan was made in."""
    # The collector comes back only once the rows are gone (this call's locals): enabled
    # while they live, its first pass would scan every one of them.
    with _no_cycle_collection():
        _import(s, file, encoding, dry_run=dry_run, skip_errors=skip_errors, plan=plan,
                apply=apply, read=read or _read)  # fmt: skip


# What an import did, per kind of row (singular, plural) — whole sentences, so they translate.
_IMPORTED = {
    "leads": (N_("Imported {count} lead"), N_("Imported {count} leads")),
    "activities": (N_("Imported {count} activity"), N_("Imported {count} activities")),
    "products": (N_("Imported {count} product"), N_("Imported {count} products")),
}
_UPDATED = {
    "leads": N_(", updated {count} lead(s)"),
    "products": N_(", updated {count} product(s)"),
}
_NOTHING = {
    "leads": N_("Nothing to import: no new leads and nothing to update{left_out}"),
    "activities": N_("Nothing to import: no new activities and nothing to update{left_out}"),
    "products": N_("Nothing to import: no new products and nothing to update{left_out}"),
}


def _import(
    s: Session,
    file: str,
    encoding: str,
    *,
    dry_run: bool,
    skip_errors: bool,
    plan: Callable[..., Plan],
    apply: Callable[..., Applied],
    read: Callable[[str, str], Sheet],
) -> None:
    from salesflow.errors import SalesflowError
    from salesflow.output.imports import report_lines

    sheet = read(file, encoding)
    with s.read() if dry_run else s.write() as conn, _Bar(s, sheet.size) as bar:
        planned = plan(conn, sheet, bar)
        print(
            "\n".join(report_lines(planned, dry_run=dry_run, skip_errors=skip_errors)),
            file=s.term.out,
        )
        if planned.errors and not dry_run and not skip_errors:
            raise SalesflowError(
                ngettext(
                    "{count} row has errors, so nothing was imported (first: {errors}) — "
                    "fix the file, or pass --skip-errors to import the other rows",
                    "{count} rows have errors, so nothing was imported (first: {errors}) — "
                    "fix the file, or pass --skip-errors to import the other rows",
                    planned.error_rows,
                ).format(count=planned.error_rows, errors=planned.errors[0])
            )
        if dry_run:
            return
        applied = apply(conn, planned, now_iso=s.now_iso, progress=bar)
    left_out = (
        _("; {count} row(s) with errors left out").format(count=planned.error_rows)
        if planned.errors
        else ""
    )
    if not applied.added and not applied.updated:
        s.term.say(_(_NOTHING[planned.kind]).format(left_out=left_out))
        return
    added = len(applied.added)
    done = _(_IMPORTED[planned.kind][added != 1]).format(count=added)
    if applied.updated:
        done += _(_UPDATED.get(planned.kind, _UPDATED["leads"])).format(count=applied.updated)
    s.term.say(
        _("{done}{left_out} — salesflow undo takes the whole import back").format(
            done=done, left_out=left_out
        )
    )


@import_app.command("leads")
def import_leads(
    ctx: Context,
    file: FileArg,
    mapping: MapOpt = None,
    encoding: EncodingOpt = Encoding.auto,
    dry_run: DryRunOpt = False,
    on_duplicate: Annotated[
        OnDuplicate,
        Option(
            "--on-duplicate",
            help=N_(
                "A row matching a lead by email, phone or name + company: skip it, update "
                "the lead's facts from its non-empty cells (never its stage), or count it as an "
                "error."
            ),
            case_sensitive=False,
        ),
    ] = OnDuplicate.skip,
    source: Annotated[
        str | None, Option("--source", "-s", help=N_("Source of rows that name none."))
    ] = None,
    stage: Annotated[
        str | None,
        Option("--stage", help=N_("Stage of rows that name none (default: the first).")),
    ] = None,
    skip_errors: SkipErrorsOpt = False,
) -> None:
    """Import leads from a spreadsheet or another tool.

    Headers map by themselves in English or Chinese: name/contact/联系人/姓名,
    company/公司/客户名称, email/邮箱, phone/电话/联系方式/手机, source/线索来源/来源,
    grade/分级, value/金额/预算, currency/币种, stage/阶段, tags/标签, notes/备注/跟进记录,
    expected_close/预计成交日期, bant_budget … bant_timeline, lost_reason/丢单原因,
    created_at/创建时间 — and every column of `salesflow export leads`. Columns with no such
    field are kept: appended to the lead's notes as "header: value" lines, and listed in the
    report; drop one with --map "header=-". id, probability and customer_id are not imported.
    --map "First Name+Last Name=name" joins columns (a space, none between CJK: 姓+名=name);
    First/Last Name, Given/Family Name and 名/姓 join by themselves, and Pipedrive, HubSpot,
    Salesforce and Zoho CRM export headers map without a --map.

    Values: money as 50000, 50k, ¥1200, $3.5k or 1200 JPY, in the row's currency else the
    config currency; grade A/B/C; stage a stage of the pipeline (won/lost too; lost needs a
    lost_reason); dates ISO (2026-12-01) or any form salesflow reads; times without an offset
    are local. A leading ' that export adds before formula-like text is taken off.

    Duplicates (email, phone digits, or name + company, case-insensitive, against the
    database and earlier rows) follow --on-duplicate; importing a file twice adds nothing.
    Row numbers in the report are spreadsheet rows (the header is row 1). Any row error
    makes the import change nothing, unless --skip-errors. The whole import is one
    transaction and one `salesflow undo`.
    """
    from salesflow import importer

    s: Session = ctx.obj
    mapped = importer.parse_map(mapping or [])

    def plan(conn: sqlite3.Connection, sheet: Sheet, bar: Progress | None) -> Plan:
        options = importer.LeadOptions(
            currency=s.currency,
            clock=importer.Clock(s.now, s.tz, s.date_order),
            on_duplicate=on_duplicate.value,
            source=source,
            stage=stage,
            mapping=mapped,
        )
        out = importer.Batches(conn, now_iso=s.now_iso, write=not dry_run, keep_going=skip_errors)
        return with_fields.plan(conn, sheet, options, bar, out)  # writes as it reads

    from salesflow.importer import fields as with_fields

    _run(s, file, encoding.value, dry_run=dry_run, skip_errors=skip_errors, plan=plan,
         apply=importer.Batches.finish_plan)  # fmt: skip


@import_app.command("activities")
def import_activities(
    ctx: Context,
    file: FileArg,
    mapping: MapOpt = None,
    encoding: EncodingOpt = Encoding.auto,
    dry_run: DryRunOpt = False,
    on_duplicate: Annotated[
        ActivityDuplicate,
        Option(
            "--on-duplicate",
            help=N_(
                "A row repeating a logged touch (same lead, kind, time and note): skip it or "
                "count it as an error."
            ),
            case_sensitive=False,
        ),
    ] = ActivityDuplicate.skip,
    skip_errors: SkipErrorsOpt = False,
) -> None:
    """Import logged touches (calls, emails, meetings …) from another tool.

    Each row names its lead by lead_id (12 or #12), else email, else name + company
    (联系人 + 公司; a name alone when it is unique), and has happened_at (时间/日期; without
    an offset it is local time; not in the future), kind (call, email, meeting, visit, note,
    or 电话/邮件/会议/拜访; empty means note) and note (内容/备注/跟进记录). Columns with no
    such field are appended to the note as "header: value" lines and listed in the report.

    A row repeating an activity already logged (or an earlier row) is a duplicate, so
    importing a file twice adds nothing. Any row error makes the import change nothing,
    unless --skip-errors. One transaction, one `salesflow undo`.
    """
    from salesflow import importer

    s: Session = ctx.obj
    mapped = importer.parse_map(mapping or [])

    def plan(conn: sqlite3.Connection, sheet: Sheet, bar: Progress | None) -> Plan:
        options = importer.ActivityOptions(
            clock=importer.Clock(s.now, s.tz, s.date_order),
            on_duplicate=on_duplicate.value,
            mapping=mapped,
        )
        out = importer.ActivityBatches(
            conn, now_iso=s.now_iso, write=not dry_run, keep_going=skip_errors
        )
        return importer.plan_activities(conn, sheet, options, bar, batches=out)

    _run(s, file, encoding.value, dry_run=dry_run, skip_errors=skip_errors, plan=plan,
         apply=importer.ActivityBatches.finish_plan)  # fmt: skip


# The mail, contacts and products importers add their commands to this group.
from salesflow.cli import capture as _capture  # noqa: E402, F401
from salesflow.cli import products as _products  # noqa: E402, F401
