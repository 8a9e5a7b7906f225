"""`salesflow undo`, `salesflow db …` and `salesflow config …`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from salesflow.cli import complete
from salesflow.cli.options import Format, FormatOpt
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.session import Session, confirmed
from salesflow.i18n import N_, _

if TYPE_CHECKING:
    import sqlite3

    from salesflow.store.journal import RestoreMark
    from salesflow.store.redo import Entry as RedoEntry

undo_app = command_group()
redo_app = command_group()
db_app = command_group(help=N_("The database file."), no_args_is_help=True)
config_app = command_group(
    help=N_("Settings: currency, timezone, date_order, seller.* …"), no_args_is_help=True
)

ConfigKey = Annotated[str, Argument(autocompletion=complete.config_keys)]


# An undo of a command older than this asks first (on a terminal): it may not be the one
# the user has in mind.
RECENT_MINUTES = 10


@undo_app.command("undo")
def undo(
    ctx: Context,
    yes: Annotated[bool, Option("--yes", "-y", help=N_("Do not ask for confirmation."))] = False,
    list_: Annotated[
        bool, Option("--list", help=N_("Show the last 20 commands undo can take back."))
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Take back the last command that changed something, whole (it says which first; on a
    terminal it asks when that command is not recent or not your last command line)."""
    from salesflow import store
    from salesflow.store import journal, redo

    s: Session = ctx.obj
    if list_:
        _undo_list(s, fmt)
        return
    s.replica_gate(write=True)  # before saying what it would take back
    with s.read() as conn:
        restored = journal.restore_mark(conn)
        newest = [] if restored else redo.undoable(conn, 1)
    if restored:
        _undo_restore(s, restored)
        return
    if not newest:
        s.term.say(_("Nothing to undo."))
        return
    target = newest[0]
    what = _described(target, s)
    s.term.say(_("Undo: {what}").format(what=what))
    # Scripts and pipes are not asked (there is no one to answer); a terminal is.
    why = None if yes or not s.term.interactive else _why_ask(s, target)
    if why and not confirmed(
        s, yes, _("{why} — take it back?").format(why=why), _("Nothing undone.")
    ):
        return
    from salesflow.output.views import when

    with store.transaction(s.conn, write=True) as conn:
        undone = redo.undo(conn, target.id)
    if target.compact:
        said = _(
            "Undid: salesflow {command}  ({created_at}, {rows} row(s)) — a bulk load is not "
            "kept for redo: run the command again to redo it"
        )
    else:
        said = _(
            "Undid: salesflow {command}  ({created_at}, {rows} row(s)) — "
            "salesflow redo re-applies it"
        )
    # The rows the command changed, as "Undo:" just said (each row once, however many times
    # the command or its triggers wrote it).
    s.term.say(
        said.format(
            command=_shorten(undone.command),
            created_at=when(undone.created_at, s.tz),
            rows=target.total,
        )
    )


@redo_app.command("redo")
def redo_(ctx: Context) -> None:
    """Re-apply what the last undo took back (until another command changes something)."""
    from salesflow import store
    from salesflow.store import redo

    s: Session = ctx.obj
    s.replica_gate(write=True)
    with store.transaction(s.conn, write=True) as conn:
        entry = redo.redo(conn, s.now_iso)
    if entry is None:
        s.term.say(_("Nothing to redo (only what undo took back, until another change)."))
        return
    s.term.say(_("Redid: {entry}").format(entry=_described(entry, s)))


def _described(entry: RedoEntry, s: Session) -> str:
    from salesflow.output.layout import series
    from salesflow.output.views import when
    from salesflow.words import table_word

    tables = series([f"{table_word(t)} {n}" for t, n in sorted(entry.rows.items())])
    rows = (
        _("{count} row(s): {tables}").format(count=entry.total, tables=tables)
        if entry.rows
        else _("the database file")
    )
    return _("salesflow {command}  ({when}; {rows})").format(
        command=_shorten(entry.command), when=when(entry.created_at, s.tz), rows=rows
    )


def _why_ask(s: Session, entry: RedoEntry) -> str | None:
    """Why this undo deserves a question, or None when it is plainly the one meant."""
    from salesflow import dates

    age = s.now - dates.from_utc_iso(entry.created_at)
    if age.total_seconds() > RECENT_MINUTES * 60:
        hours = age.total_seconds() / 3600
        if age.days:
            ago = _("{count} day(s)").format(count=age.days)
        elif hours >= 1:
            ago = _("{count:.0f} h").format(count=hours)
        else:
            ago = _("{count} min").format(count=age.seconds // 60)
        return _("That command ran {ago} ago").format(ago=ago)
    last = s.previous_line
    if last is not None and last != entry.command and not _walking_back(last):
        return _("Your last command was salesflow {command}, not this one").format(
            command=_shorten(last)
        )
    return None


def _walking_back(line: str) -> bool:
    """An undo or redo just before: the user is stepping through the history on purpose."""
    import shlex

    from salesflow.cli.commands import command_words

    return command_words(shlex.split(line))[:1] in (["undo"], ["redo"])


def _undo_list(s: Session, fmt: Format) -> None:
    from salesflow.output import Column, render
    from salesflow.output.views import when
    from salesflow.store import redo

    with s.read() as conn:
        entries = redo.undoable(conn, 20)
    rows = [
        {"command": f"salesflow {e.command}", "at": e.created_at, "rows": e.total} for e in entries
    ]
    columns = [
        Column("command", N_("Command")),
        Column("at", N_("When"), get=lambda r: when(r["at"], s.tz), no_wrap=True),
        Column("rows", N_("Rows changed"), justify="right"),
    ]
    render(
        rows, fmt.value, s.term, columns=columns, empty=_("Nothing to undo."),
        keys=["command", "at", "rows"],
    )  # fmt: skip


def _shorten(command: str, limit: int = 120) -> str:
    # A 400-item `quote new` is one command line; the message shows which, not all of it.
    return command if len(command) <= limit else command[: limit - 1] + "…"


def _undo_restore(s: Session, restored: RestoreMark) -> None:
    """A restore is taken back whole by swapping back the safety copy it made."""
    from pathlib import Path

    from salesflow.errors import SalesflowError
    from salesflow.store import backup, journal

    saved = Path(restored.saved)
    command = _shorten(restored.command)
    if not saved.is_file():
        raise SalesflowError(
            _(
                "the last command was salesflow {command}, and the copy it "
                "saved of the database before ({saved}) is gone — nothing "
                "was undone"
            ).format(command=command, saved=saved)
        )
    backup.check_restorable(saved)

    def still(reader: sqlite3.Connection) -> None:
        if journal.restore_mark(reader) != restored:
            raise SalesflowError(
                _("another command changed the database meanwhile — run undo again")
            )

    now_saved = backup.restore(
        s.conn, s.path, saved, backup.default_target(s.path, s.now), still=still
    )
    s.term.say(
        _(
            "Undid: salesflow {command}  ({created_at}): the database is "
            "back as it was before, from {saved}; the restored one is "
            "saved as {path}"
        ).format(command=command, created_at=restored.created_at, saved=saved, path=now_saved.path)
    )


@db_app.command("path")
def db_path(ctx: Context) -> None:
    """Print where the database file is."""
    s: Session = ctx.obj
    s.require_file()
    print(s.path, file=s.term.raw)  # for scripts: $(salesflow db path)


@config_app.command("set")
def config_set(
    ctx: Context,
    key: Annotated[
        str,
        Argument(
            help=N_("Setting name, e.g. currency, timezone, seller.name."),
            autocompletion=complete.config_keys,
        ),
    ],
    value: Annotated[str, Argument(help=N_("New value."))],
) -> None:
    """Change a setting."""
    from salesflow import config

    s: Session = ctx.obj
    with s.write() as conn:
        key, value = config.set_value(conn, key, value)
    s.term.say(_("{key} = {value}").format(key=key, value=value))


@config_app.command("get")
def config_get(ctx: Context, key: ConfigKey) -> None:
    """Print one setting's value: its default when it is not set and has one (saying so on
    stderr); exit 1 when it is not set and has none."""
    from salesflow import store
    from salesflow.config import default, shown
    from salesflow.errors import SalesflowError

    s: Session = ctx.obj
    with s.read() as conn:
        value = store.get_setting(conn, key)
    if value is None and key == "timezone":  # the machine's: $TZ, else the system's
        value = getattr(s.tz, "key", None) or str(s.tz)
        s.term.say(
            _("timezone is not set: {value} (the system's) is in effect").format(value=value)
        )
    elif value is None:
        value = default(key)
        if value is None:
            raise SalesflowError(
                _('setting "{key}" is not set — see salesflow config list').format(key=key)
            )
        s.term.say(_("{key} is not set: {value} is its default").format(key=key, value=value))
    print(shown(key, value), file=s.term.raw)  # for scripts: the exact value


@config_app.command("unset")
def config_unset(ctx: Context, key: ConfigKey) -> None:
    """Remove a setting (back to its default)."""
    from salesflow import config

    s: Session = ctx.obj
    with s.write() as conn:
        config.unset(conn, key)
    s.term.say(_("{key} unset").format(key=key))


@config_app.command("list")
def config_list(ctx: Context, fmt: FormatOpt = Format.table) -> None:
    """All settings that are set."""
    from salesflow import store
    from salesflow.config import shown
    from salesflow.output import facts, render

    s: Session = ctx.obj
    with s.read() as conn:
        rows = [{"key": k, "value": shown(k, v)} for k, v in store.all_settings(conn).items()]
    render(
        rows, fmt.value, s.term, columns=facts.setting_columns(),
        empty=_("No settings set; defaults apply."),
    )  # fmt: skip


@db_app.command("backup")
def db_backup(
    ctx: Context,
    file: Annotated[
        str | None, Argument(help=N_("Target file (default: next to the database, timestamped)."))
    ] = None,
) -> None:
    """Write a consistent, integrity-checked copy of the database (mode 0600)."""
    from pathlib import Path

    from salesflow.store import backup

    s: Session = ctx.obj
    target = Path(file).expanduser() if file else backup.default_target(s.path, s.now)
    done = backup.backup(s.conn, target)
    s.term.say(
        _("Backed up to {path} ({size:,} bytes, integrity ok)").format(
            path=done.path, size=done.size
        )
    )


@db_app.command("check")
def db_check(ctx: Context) -> None:
    """Integrity, foreign keys and salesflow's own invariants; exit 1 listing any problem."""
    from salesflow import store
    from salesflow.dbcheck import problems
    from salesflow.errors import SalesflowError

    s: Session = ctx.obj
    # The write lock, though nothing is written: FTS5's check of the search index against its
    # tables is an INSERT, which a read snapshot could not upgrade while another command writes.
    with store.transaction(s.conn, write=True) as conn:
        found = problems(conn)
    if found:
        for line in found:
            print(_("problem: {line}").format(line=line), file=s.term.out)
        raise SalesflowError(
            _("{count} problem(s) found in {path}").format(count=len(found), path=s.path)
        )
    print(_("ok: {path} passed every check").format(path=s.path), file=s.term.out)


@db_app.command("restore")
def db_restore(
    ctx: Context,
    file: Annotated[str, Argument(help=N_("A backup made by `salesflow db backup`."))],
    yes: Annotated[bool, Option("--yes", "-y", help=N_("Do not ask for confirmation."))] = False,
) -> None:
    """Replace the database with FILE, after checking FILE and backing up the current one."""
    import shlex
    from pathlib import Path

    from salesflow.errors import SalesflowError
    from salesflow.store import backup

    s: Session = ctx.obj
    source = Path(file).expanduser()
    backup.check_restorable(source)
    if source.resolve() == s.path.resolve():
        raise SalesflowError(
            _("{source} is the database itself — give a backup file").format(source=source)
        )
    if s.conn.readonly:
        raise SalesflowError(
            _("cannot restore into {path}: {readonly}").format(
                path=s.path, readonly=s.conn.readonly
            )
        )
    # A restore is a write: refused on a copy that does not hold the replica's lease.
    s.replica_gate(write=True)
    if not confirmed(
        s,
        yes,
        _("Replace {path} with {source}?").format(path=s.path, source=source),
        _("Nothing restored."),
    ):
        return
    saved = backup.restore(
        s.conn,
        s.path,
        source,
        backup.default_target(s.path, s.now),
        mark=(shlex.join(s.argv), s.now_iso),
    )
    s.term.say(
        _(
            "Restored {source} into {path}; the previous database is "
            "saved as {path2} (salesflow undo swaps it back)"
        ).format(source=source, path=s.path, path2=saved.path)
    )


@db_app.command("info")
def db_info(ctx: Context, fmt: FormatOpt = Format.table) -> None:
    """Path, size, schema version, row counts and the latest backup."""
    from salesflow import store
    from salesflow.output import facts, render
    from salesflow.store import backup, journal

    s: Session = ctx.obj
    with s.read() as conn:
        version = store.schema_version(conn)
        counts = journal.row_counts(conn)
        undoable = journal.undoable(conn)
    size = sum(
        p.stat().st_size for p in (s.path, s.path.with_name(s.path.name + "-wal")) if p.exists()
    )
    last = backup.latest_backup(s.path)
    rows = [
        {"item": "path", "value": str(s.path)},
        {"item": "size_bytes", "value": size},
        {"item": "schema_version", "value": version},
        {"item": "last_backup", "value": str(last) if last else None},
        {"item": "undoable_commands", "value": undoable},
        *({"item": f"rows.{t}", "value": n} for t, n in counts.items()),
    ]
    render(rows, fmt.value, s.term, columns=facts.columns())
