"""`salesflow advance` and `salesflow stages …`: moving leads and shaping the pipeline."""

from __future__ import annotations

from typing import Annotated

from salesflow.cli import complete
from salesflow.cli.options import Format, FormatOpt, RawOpt
from salesflow.cli.params import Argument, Context, Option, command_group
from salesflow.cli.session import Session
from salesflow.i18n import _

advance_app = command_group()
stages_app = command_group(
    help="Show or change the pipeline's stages and win probabilities.", invoke_without_command=True
)


@advance_app.command("advance")
def advance(
    ctx: Context,
    ref: Annotated[
        str,
        Argument(help="Lead number or a piece of its name/company.", autocompletion=complete.leads),
    ],
    stage: Annotated[
        str | None,
        Argument(
            help="Target stage (default: the next open stage).", autocompletion=complete.stages
        ),
    ] = None,
    note: Annotated[str | None, Option("--note", "-n", help="Why it moved.")] = None,
    reason: Annotated[
        str | None,
        Option(
            "--reason",
            "-r",
            help="Lost reason (required for lost): any text; completion offers the categories "
            "of config lost_reasons and the reasons given before.",
            autocompletion=complete.lost_reasons,
        ),
    ] = None,
    reopen: Annotated[
        bool, Option("--reopen", help="Reopen a won/lost lead (to the stage it closed from).")
    ] = False,
) -> None:
    """Move a lead to the next stage, or to any named stage (won, lost --reason …)."""
    from salesflow import leads, moves

    s: Session = ctx.obj
    with s.write() as conn:
        lead = leads.resolve(conn, ref)
        move = moves.advance(
            conn, lead, stage, now_iso=s.now_iso, note=note, reason=reason, reopen=reopen
        )
    s.term.say(
        _("{label}: {from_stage} → {to_stage}{dropped_note}").format(
            label=lead.label,
            from_stage=move.from_stage,
            to_stage=move.to_stage,
            dropped_note=move.dropped_note(),
        )
    )


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
                "name": st.name,
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
    Option("--map", "-m", help="Move leads of a dropped stage: OLD=NEW (repeatable)."),
]


@stages_app.command("preset")
def stages_preset(
    ctx: Context,
    name: Annotated[str, Argument(help="b2b, simple or seed6.")],
    map_: MapOpt = None,
) -> None:
    """Replace the pipeline with a preset (b2b, simple, seed6)."""
    from salesflow import pipeline

    s: Session = ctx.obj
    with s.write() as conn:
        moved = pipeline.set_pipeline(conn, pipeline.preset(name), _parse_map(map_), s.now_iso)
    _report(s, name, moved)


@stages_app.command("set")
def stages_set(
    ctx: Context,
    specs: Annotated[list[str], Argument(help="Open stages in order: NAME:PROB[:STALE_DAYS] …")],
    map_: MapOpt = None,
) -> None:
    """Define your own open stages, e.g. `stages set lead:10 demo:40 quote:70` (won/lost stay)."""
    from salesflow import pipeline

    s: Session = ctx.obj
    with s.write() as conn:
        specs_ = [pipeline.parse_spec(x) for x in specs]
        moved = pipeline.set_pipeline(conn, specs_, _parse_map(map_), s.now_iso)
    _report(s, "your stages", moved)


def _report(s: Session, what: str, moved: dict[str, int]) -> None:
    s.term.say(_("Pipeline set to {what}.").format(what=what))
    for old, count in moved.items():
        s.term.say(_("  moved {count} lead(s) out of {old}").format(count=count, old=old))
    _show(s, Format.table, False)
