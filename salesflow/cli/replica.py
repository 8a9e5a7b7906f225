"""`salesflow replica …`, `replicate`, `handover` and `takeover`: off-site replication through
Litestream and the hand-over of writing between machines."""

from __future__ import annotations

import os
from typing import Annotated

from salesflow.cli.options import Format, FormatOpt
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.session import Session
from salesflow.i18n import N_, _

app = command_group(
    help=N_("The off-site replica (Litestream): set, show, status, restore."), no_args_is_help=True
)
replicate_app = command_group()
handover_app = command_group()
takeover_app = command_group()

FromOpt = Annotated[
    str | None,
    Option("--from", help=N_("Replica URL (default: the replica set in the database).")),
]


def _where(s: Session, url: str | None = None):
    """The database, its settings (when the file exists: a new machine has none yet) and the
    replica; never creates the database."""
    from salesflow import store
    from salesflow.replica.flows import Where

    settings = store.all_settings(s.conn) if os.path.exists(s.file) else {}
    return Where(s.file, settings, url)


@app.command("set")
def replica_set(
    ctx: Context,
    url: Annotated[
        str, Argument(help=N_("s3://bucket/path, sftp://user@host/path or file:///path"))
    ],
) -> None:
    """Send this database to URL (run salesflow replicate to start)."""
    from salesflow import store
    from salesflow.replica import target

    s: Session = ctx.obj
    parsed = target.parse(url)
    with s.write() as conn:
        store.set_setting(conn, target.URL_KEY, parsed.url)
    s.term.say(
        _("Replica set to {parsed} — start it with: salesflow replicate").format(
            parsed=target.redacted(parsed)
        )
    )


@app.command("show")
def replica_show(ctx: Context, fmt: FormatOpt = Format.table) -> None:
    """The replica and where each credential comes from (values of secrets are never shown)."""
    from salesflow.output import facts, render
    from salesflow.replica import target

    s: Session = ctx.obj
    where = _where(s)
    parsed = where.target
    rows = [
        {"item": "url", "value": target.redacted(parsed)},
        {"item": "type", "value": parsed.scheme},
    ]
    for key in (*target.PLAIN_KEYS[:2], *target.SECRET_KEYS):
        value, source = target.credential(where.settings, key)
        if key in target.SECRET_KEYS and value:
            value = _("(set, hidden)")
        if source == "config":
            source = _("config (where a credential comes from)")
            source = "config" if source.startswith("config (") else source
        elif source.startswith("env "):
            source = _("env {name}").format(name=source[4:])
        rows.append({"item": key, "value": f"{value} ({source})" if value else None})
    rows.append({"item": "lease_seconds", "value": target.lease_seconds(where.settings)})
    render(rows, fmt.value, s.term, columns=facts.columns())


@app.command("unset")
def replica_unset(ctx: Context) -> None:
    """Stop using the replica here (the replica itself is left as it is)."""
    from salesflow import store
    from salesflow.errors import SalesflowError
    from salesflow.replica import state, target

    s: Session = ctx.obj
    if state.running(state.load(s.file)):
        raise SalesflowError(_("salesflow replicate is running for this database — stop it first"))
    # Not through the lease check: unsetting is how a copy stops following the replica.
    with s.write(replica_gate=False) as conn:
        if store.get_setting(conn, target.URL_KEY) is None:
            raise SalesflowError(_("no replica is set"))
        store.set_setting(conn, target.URL_KEY, None)
    state.forget(s.file)
    s.term.say(_("Replica unset; this database is no longer replicated"))


@app.command("status")
def replica_status(ctx: Context, fmt: FormatOpt = Format.table) -> None:
    """Is replicate running, who holds the lease, the last replicated transaction, lag, size."""
    from salesflow.output import facts, render
    from salesflow.replica.status import status

    s: Session = ctx.obj
    render(status(_where(s), s.now, s.tz), fmt.value, s.term, columns=facts.columns())


@app.command("restore")
def replica_restore(
    ctx: Context,
    to: Annotated[
        str | None, Option("--to", help=N_("Restore into this file (default: --db)."))
    ] = None,
    as_of: Annotated[
        str | None, Option("--as-of", help=N_('The state at this moment, e.g. "2026-12-01 18:00".'))
    ] = None,
    url: FromOpt = None,
    force: Annotated[
        bool, Option("--force", help=N_("Replace an existing database (a safety backup is kept)."))
    ] = False,
) -> None:
    """Bring the database back from the replica (a new machine, a lost disk), then check it."""
    from salesflow import dates
    from salesflow.errors import SalesflowError
    from salesflow.replica import flows, state
    from salesflow.replica import lease as leases

    s: Session = ctx.obj
    out = os.path.abspath(os.path.expanduser(to)) if to else s.file
    if os.path.exists(out) and not force:
        raise SalesflowError(
            _(
                "{out} already exists — add --force to replace it (a safety "
                "backup is kept) or restore --to another file"
            ).format(out=out)
        )
    where = _where(s, url)
    stamp = None
    if as_of:
        instant = dates.parse_instant(as_of, s.now, _zone(s))
        stamp = dates.to_utc_iso(instant)
    from dataclasses import replace

    done = flows.restore(replace(where, db=out), out, s.now, stamp)
    try:
        current = flows.remote_lease(replace(where, db=out))
    except SalesflowError:
        current = None
    state.save(out, state.State(restored_at=dates.to_utc_iso(s.now)).with_lease(current))
    _say_restored(s, done)
    if current is not None and leases.state(current, leases.me(out), s.now) != leases.MINE:
        name = leases.holder_text(current, leases.me(out))
        if current.released_at:
            said = _(
                "{name} handed the pipeline over: this copy is read-only until salesflow takeover"
            )
        else:
            said = _("{name} holds it: this copy is read-only until salesflow takeover")
        s.term.say(said.format(name=name))


def _zone(s: Session):
    """The user's zone without creating the database on a machine that has none yet."""
    if os.path.exists(s.file):
        return s.tz
    from salesflow import dates

    return dates.local_zone(None)


def _say_restored(s: Session, done) -> None:
    as_of = _(" as of {when}").format(when=_local(s, done.as_of)) if done.as_of else ""
    s.term.say(
        _("Restored {path}{as_of}: {leads} lead(s), db check ok").format(
            path=done.path, as_of=as_of, leads=done.leads
        )
    )
    if done.saved:
        s.term.say(_("The database it replaced is saved as {saved}").format(saved=done.saved))


def _local(s: Session, iso: str) -> str:
    from salesflow import dates

    return f"{dates.from_utc_iso(iso).astimezone(s.tz):%Y-%m-%d %H:%M:%S}"


@replicate_app.command("replicate")
def replicate(
    ctx: Context,
    print_unit: Annotated[
        str | None,
        Option("--print-unit", help=N_("Write a service unit to stdout: systemd or launchd.")),
    ] = None,
) -> None:
    """Stream every change to the replica until stopped (SIGTERM or Ctrl-C); renews the lease."""
    import signal

    from salesflow.errors import SalesflowError
    from salesflow.replica import replicating, units

    s: Session = ctx.obj
    where = _where(s)
    if print_unit is not None:
        print(units.render(print_unit, s.file, where.target), file=s.term.out, end="")
        return
    if not os.path.exists(s.file):
        raise SalesflowError(_("{file} does not exist — nothing to replicate").format(file=s.file))
    stop = []

    def on_signal(signum, _frame) -> None:
        stop.append(signum)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    s.term.say(
        _("Replicating {file} to {target} (stop: Ctrl-C)").format(
            file=s.file, target=units.shown(where.target)
        )
    )
    ended = replicating.run(where, lambda: _clock(s), s.tz, lambda: bool(stop), s.term.say)
    s.term.say(
        _("Replication handed over.") if ended == "handed over" else _("Replication stopped.")
    )


def _clock(s: Session):
    from salesflow import dates

    return s.now if os.environ.get("SALESFLOW_NOW") else dates.utc_now()


@handover_app.command("handover")
def handover(ctx: Context) -> None:
    """Send the last changes to the replica and release the lease for another machine."""
    from salesflow.replica import flows

    s: Session = ctx.obj
    done = flows.handover(_where(s), s.now, s.tz)
    if done.stopped_pid:
        s.term.say(
            _("Stopped salesflow replicate (pid {stopped_pid})").format(
                stopped_pid=done.stopped_pid
            )
        )
    as_of = _(" (last change {when})").format(when=_local(s, done.as_of)) if done.as_of else ""
    s.term.say(
        _(
            "Handed over: the replica has every change of this "
            "copy{as_of}; this copy is now read-only. On the other "
            "machine: salesflow takeover"
        ).format(as_of=as_of)
    )


@takeover_app.command("takeover")
def takeover(
    ctx: Context,
    force: Annotated[
        bool, Option("--force", help=N_("Take over although the holder did not hand over."))
    ] = False,
    url: FromOpt = None,
) -> None:
    """Restore the latest state from the replica here and take the lease to write."""
    from salesflow.replica import flows
    from salesflow.replica import lease as leases

    s: Session = ctx.obj
    done = flows.takeover(_where(s, url), s.now, _zone(s), force)
    if done is None:
        s.term.say(_("This copy already holds the pipeline."))
        return
    _say_restored(s, done.restored)
    if done.forced and done.previous is not None:
        name = leases.holder_text(done.previous, leases.me(s.file))
        last = _local(s, done.restored.as_of) if done.restored.as_of else _("its last sync")
        s.term.say(
            _(
                "Warning: took over from {name} without a handover — "
                "anything {name} changed after {last} (not yet on the "
                "replica) is not in this copy"
            ).format(name=name, last=last)
        )
    s.term.say(_("This copy now holds the pipeline; keep it replicated: salesflow replicate"))
