"""`salesflow undo`, `salesflow db …` and `salesflow config …`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from salesflow.cli import complete
from salesflow.cli.options import Format, FormatOpt
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.session import Session, confirmed

if TYPE_CHECKING:
    import sqlite3

    from salesflow.store.journal import RestoreMark

undo_app = command_group()
db_app = command_group(help="The database file.", no_args_is_help=True)
config_app = command_group(
    help="Settings: currency, timezone, date_order, seller.* …", no_args_is_help=True
)

ConfigKey = Annotated[str, Argument(autocompletion=complete.config_keys)]


@undo_app.command("undo")
def undo(ctx: Context) -> None:
    """Take back the last command that changed something, whole."""
    from salesflow import store
    from salesflow.store import journal

    s: Session = ctx.obj
    s.replica_gate(write=True)
    with store.transaction(s.conn, write=True) as conn:
        restored = journal.restore_mark(conn)
        undone = None if restored else journal.undo_last(conn)
    if restored:
        _undo_restore(s, restored)
    elif undone is None:
        s.term.say("Nothing to undo.")
    else:
        s.term.say(
            f"Undid: salesflow {_shorten(undone.command)}  ({undone.created_at}, "
            f"{undone.rows} row change(s))"
        )


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
            f"the last command was salesflow {command}, and the copy it saved of the database "
            f"before ({saved}) is gone — nothing was undone"
        )
    backup.check_restorable(saved)

    def still(reader: sqlite3.Connection) -> None:
        if journal.restore_mark(reader) != restored:
            raise SalesflowError("another command changed the database meanwhile — run undo again")

    now_saved = backup.restore(
        s.conn, s.path, saved, backup.default_target(s.path, s.now), still=still
    )
    s.term.say(
        f"Undid: salesflow {command}  ({restored.created_at}): the database is back as it was "
        f"before, from {saved}; the restored one is saved as {now_saved.path}"
    )


@db_app.command("path")
def db_path(ctx: Context) -> None:
    """Print where the database file is."""
    s: Session = ctx.obj
    print(s.path, file=s.term.raw)  # for scripts: $(salesflow db path)


@config_app.command("set")
def config_set(
    ctx: Context,
    key: Annotated[
        str,
        Argument(
            help="Setting name, e.g. currency, timezone, seller.name.",
            autocompletion=complete.config_keys,
        ),
    ],
    value: Annotated[str, Argument(help="New value.")],
) -> None:
    """Change a setting."""
    from salesflow import config

    s: Session = ctx.obj
    with s.write() as conn:
        key, value = config.set_value(conn, key, value)
    s.term.say(f"{key} = {value}")


@config_app.command("get")
def config_get(ctx: Context, key: ConfigKey) -> None:
    """Print one setting's value (exit 1 when unset)."""
    from salesflow import store
    from salesflow.config import shown
    from salesflow.errors import SalesflowError

    s: Session = ctx.obj
    with s.read() as conn:
        value = store.get_setting(conn, key)
    if value is None:
        raise SalesflowError(f'setting "{key}" is not set — see salesflow config list')
    print(shown(key, value), file=s.term.raw)  # for scripts: the exact value


@config_app.command("unset")
def config_unset(ctx: Context, key: ConfigKey) -> None:
    """Remove a setting (back to its default)."""
    from salesflow import config

    s: Session = ctx.obj
    with s.write() as conn:
        config.unset(conn, key)
    s.term.say(f"{key} unset")


@config_app.command("list")
def config_list(ctx: Context, fmt: FormatOpt = Format.table) -> None:
    """All settings that are set."""
    from salesflow import store
    from salesflow.config import shown
    from salesflow.output import render

    s: Session = ctx.obj
    with s.read() as conn:
        rows = [{"key": k, "value": shown(k, v)} for k, v in store.all_settings(conn).items()]
    render(rows, fmt.value, s.term, empty="No settings set; defaults apply.")


@db_app.command("backup")
def db_backup(
    ctx: Context,
    file: Annotated[
        str | None, Argument(help="Target file (default: next to the database, timestamped).")
    ] = None,
) -> None:
    """Write a consistent, integrity-checked copy of the database (mode 0600)."""
    from pathlib import Path

    from salesflow.store import backup

    s: Session = ctx.obj
    target = Path(file).expanduser() if file else backup.default_target(s.path, s.now)
    done = backup.backup(s.conn, target)
    s.term.say(f"Backed up to {done.path} ({done.size:,} bytes, integrity ok)")


@db_app.command("check")
def db_check(ctx: Context) -> None:
    """Integrity, foreign keys and salesflow's own invariants; exit 1 listing any problem."""
    from salesflow.dbcheck import problems
    from salesflow.errors import SalesflowError

    s: Session = ctx.obj
    with s.read() as conn:
        found = problems(conn)
    if found:
        for line in found:
            print(f"problem: {line}", file=s.term.out)
        raise SalesflowError(f"{len(found)} problem(s) found in {s.path}")
    print(f"ok: {s.path} passed every check", file=s.term.out)


@db_app.command("restore")
def db_restore(
    ctx: Context,
    file: Annotated[str, Argument(help="A backup made by `salesflow db backup`.")],
    yes: Annotated[bool, Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
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
        raise SalesflowError(f"{source} is the database itself — give a backup file")
    if s.conn.readonly:
        raise SalesflowError(f"cannot restore into {s.path}: {s.conn.readonly}")
    # A restore is a write: refused on a copy that does not hold the replica's lease.
    s.replica_gate(write=True)
    if not confirmed(s, yes, f"Replace {s.path} with {source}?", "Nothing restored."):
        return
    saved = backup.restore(
        s.conn,
        s.path,
        source,
        backup.default_target(s.path, s.now),
        mark=(shlex.join(s.argv), s.now_iso),
    )
    s.term.say(
        f"Restored {source} into {s.path}; the previous database is saved as {saved.path} "
        "(salesflow undo swaps it back)"
    )


@db_app.command("info")
def db_info(ctx: Context, fmt: FormatOpt = Format.table) -> None:
    """Path, size, schema version, row counts and the latest backup."""
    from salesflow import store
    from salesflow.output import render
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
    render(rows, fmt.value, s.term)
