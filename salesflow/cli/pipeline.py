"""`salesflow advance` and `salesflow stages …`: moving leads and shaping the pipeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from salesflow.cli import complete
from salesflow.cli.options import Format, FormatOpt, RawOpt
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.session import Session
from salesflow.i18n import N_, _

if TYPE_CHECKING:
    from salesflow.pipeline import PipelineChange

advance_app = command_group()
stages_app = command_group(
    help=N_("Show or change the pipeline's stages and win probabilities."),
    invoke_without_command=True,
)


@advance_app.command("advance")
def advance(
    ctx: Context,
    ref: Annotated[
        str,
        Argument(
            help=N_("Lead number or a piece of its name/company."), autocompletion=complete.leads
        ),
    ],
    stage: Annotated[
        str | None,
        Argument(
            help=N_("Target stage (default: the next open stage)."), autocompletion=complete.stages
        ),
    ] = None,
    note: Annotated[str | None, Option("--note", "-n", help=N_("Why it moved."))] = None,
    reason: Annotated[
        str | None,
        Option(
            "--reason",
            "-r",
            help=N_(
                "Lost reason (required for lost): any text; completion offers the categories "
                "of config lost_reasons and the reasons given before."
            ),
            autocompletion=complete.lost_reasons,
        ),
    ] = None,
    reopen: Annotated[
        bool, Option("--reopen", help=N_("Reopen a won/lost lead (to the stage it closed from)."))
    ] = False,
) -> None:
    """Move a lead to the next stage, or to any named stage (won, lost --reason …)."""
    from salesflow import leads, moves, pipeline

    s: Session = ctx.obj
    with s.write() as conn:
        lead = leads.resolve(conn, ref)
        move = moves.advance(
            conn, lead, stage, now_iso=s.now_iso, note=note, reason=reason, reopen=reopen
        )
        shown = pipeline.shown_names(conn)
        won = pipeline.get_stage(conn, move.to_stage).kind == "won"
    s.term.say(
        _("{label}: {from_stage} → {to_stage}{dropped_note}").format(
            label=lead.label,
            from_stage=shown.get(move.from_stage, move.from_stage),
            to_stage=shown.get(move.to_stage, move.to_stage),
            dropped_note=move.dropped_note(),
        )
    )
    if move.sent_quotes:
        from salesflow.cli.hints import sent_quotes

        s.term.say(sent_quotes(move.sent_quotes, won=won))


@stages_app.callback()
def stages_list(ctx: Context, fmt: FormatOpt = Format.table, raw: RawOpt = False) -> None:
    """The pipeline: stages in order with their win probability and open deals."""
    if ctx.invoked_subcommand is not None:
        return
    _show(ctx.obj, fmt, raw)


def _show(s: Session, fmt: Format, raw: bool) -> None:
    from salesflow import pipeline
    from salesflow.output import render
    from salesflow.output.views import stage_columns

    with s.read() as conn:
        counts = pipeline.lead_counts(conn)
        rows = [
            {
                "position": st.position + 1,
                "name": st.shown,
                "probability": st.probability,
                "kind": st.kind,
                "stale_days": st.stale_days,
                "open_deals": counts.get(st.name, 0) if st.is_open else None,
            }
            for st in pipeline.stages(conn)
        ]
    render(rows, fmt.value, s.term, columns=stage_columns(), raw=raw)


def _parse_map(pairs: list[str] | None) -> dict[str, str]:
    from salesflow.errors import SalesflowError

    mapping: dict[str, str] = {}
    for pair in pairs or []:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise SalesflowError(_('--map "{pair}" — write --map OLD=NEW').format(pair=pair))
        mapping[old.strip()] = new.strip()
    return mapping


MapOpt = Annotated[
    list[str] | None,
    Option(
        "--map",
        "-m",
        help=N_(
            "Move leads of a dropped stage: OLD=NEW (repeatable). A NEW no stage has yet "
            "renames OLD and keeps its history."
        ),
    ),
]
WonOpt = Annotated[
    str | None,
    Option("--won", help=N_("What the won stage is called, e.g. 成交 (kind stays won).")),
]
LostOpt = Annotated[
    str | None,
    Option("--lost", help=N_("What the lost stage is called, e.g. 丢单 (kind stays lost).")),
]


@stages_app.command("preset")
def stages_preset(
    ctx: Context,
    name: Annotated[str, Argument(help=N_("b2b, simple or seed6."))],
    map_: MapOpt = None,
    won: WonOpt = None,
    lost: LostOpt = None,
) -> None:
    """Replace the pipeline with a preset (b2b, simple, seed6)."""
    from salesflow import pipeline

    s: Session = ctx.obj
    with s.write() as conn:
        change = pipeline.set_pipeline(
            conn, pipeline.preset(name), _parse_map(map_), s.now_iso, won=won, lost=lost
        )
    _report(s, name, change)


@stages_app.command("set")
def stages_set(
    ctx: Context,
    specs: Annotated[
        list[str], Argument(help=N_("Open stages in order: NAME:PROB[:STALE_DAYS] …"))
    ],
    map_: MapOpt = None,
    won: WonOpt = None,
    lost: LostOpt = None,
) -> None:
    """Define your own open stages, e.g. `stages set lead:10 demo:40 quote:70` (won/lost stay;
    name them with --won 成交 --lost 丢单)."""
    from salesflow import pipeline

    s: Session = ctx.obj
    with s.write() as conn:
        specs_ = [pipeline.parse_spec(x) for x in specs]
        change = pipeline.set_pipeline(
            conn, specs_, _parse_map(map_), s.now_iso, won=won, lost=lost
        )
    for spec, kind in pipeline.closed_lookalikes(specs_):
        warning = _LOOKALIKE_WON if kind == pipeline.WON else _LOOKALIKE_LOST
        s.term.say(_(warning).format(name=spec.name, probability=spec.probability))
    _report(s, _("your stages"), change)


_LOOKALIKE_WON = N_(
    'Warning: "{name}" ({probability}%) is an open stage, yet it reads like won — to name the '
    "won stage, leave it out and add --won {name}"
)
_LOOKALIKE_LOST = N_(
    'Warning: "{name}" ({probability}%) is an open stage, yet it reads like lost — to name the '
    "lost stage, leave it out and add --lost {name}"
)


@stages_app.command("rename")
def stages_rename(
    ctx: Context,
    old: Annotated[str, Argument(help=N_("The stage as it is called now (won and lost too)."))],
    new: Annotated[str, Argument(help=N_("Its new name."))],
) -> None:
    """Rename a stage and keep its history, e.g. `stages rename won 成交` or
    `stages rename 方案 解决方案` (time in stage and conversion carry on)."""
    from salesflow import pipeline

    s: Session = ctx.obj
    with s.write() as conn:
        stage, name = pipeline.rename_stage(conn, old, new)
    s.term.say(_("Stage {old} is now called {new}.").format(old=stage.shown, new=name))
    _show(s, Format.table, False)


def _report(s: Session, what: str, change: PipelineChange) -> None:
    s.term.say(_("Pipeline set to {what}.").format(what=what))
    for old, new in change.renamed.items():
        s.term.say(_("  renamed {old} to {new}, history kept").format(old=old, new=new))
    for old, count in change.moved.items():
        s.term.say(_("  moved {count} lead(s) out of {old}").format(count=count, old=old))
    _show(s, Format.table, False)
