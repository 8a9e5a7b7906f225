"""The stage pipeline: ordered open stages with win probabilities, then `won` and `lost`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import _

WON, LOST = "won", "lost"
# The note on the history rows a pipeline change writes: a remap, not a sign of life.
REMAP_NOTE = "pipeline changed"
DEFAULT_STALE_DAYS = 14
PRESETS: dict[str, list[tuple[str, int]]] = {
    "b2b": [
        ("lead", 10),
        ("contacted", 20),
        ("qualified", 35),
        ("proposal", 50),
        ("quote", 65),
        ("negotiation", 80),
    ],
    "simple": [("lead", 10), ("quote", 50)],
    "seed6": [
        ("identify", 10),
        ("demo", 35),
        ("needs & solution", 65),
        ("quote/contract", 75),
    ],
}


@dataclass(frozen=True)
class Stage:
    name: str
    probability: int
    kind: str  # open | won | lost
    position: int
    stale_days: int = DEFAULT_STALE_DAYS

    @property
    def is_open(self) -> bool:
        return self.kind == "open"


@dataclass(frozen=True)
class StageSpec:
    """One stage as the user typed it: `name:probability[:stale_days]`."""

    name: str
    probability: int
    stale_days: int = DEFAULT_STALE_DAYS


def lead_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Leads in each stage (stages without leads are absent)."""
    return dict(conn.execute("SELECT stage, count(*) FROM leads GROUP BY stage").fetchall())


def stages(conn: sqlite3.Connection) -> list[Stage]:
    rows = conn.execute(
        "SELECT name, probability, kind, position, stale_days FROM stages ORDER BY position"
    )
    return [Stage(*r) for r in rows]


def open_stages(conn: sqlite3.Connection) -> list[Stage]:
    return [s for s in stages(conn) if s.is_open]


def get_stage(conn: sqlite3.Connection, name: str) -> Stage:
    """Find a stage by name, case-insensitively; unknown names list the valid ones."""
    all_stages = stages(conn)
    for s in all_stages:
        if s.name == name:
            return s
    folded = [s for s in all_stages if s.name.casefold() == name.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    names = ", ".join(s.name for s in all_stages)
    raise SalesflowError(
        _('unknown stage "{name}" — the stages are: {names}').format(name=name, names=names)
    )


def parse_spec(text: str) -> StageSpec:
    """Read `name:prob` or `name:prob:stale_days`; the name may hold any text, CJK included."""
    parts = text.rsplit(":", 2)
    hint = _("write stages as name:probability, e.g. lead:10 demo:40 quote:70")
    if len(parts) < 2 or not parts[0].strip():
        raise SalesflowError(_('cannot read stage "{text}" — {hint}').format(text=text, hint=hint))
    if len(parts) == 3 and not parts[1].strip().isdigit():
        parts = [parts[0] + ":" + parts[1], parts[2]]
    name = parts[0].strip()
    try:
        probability = int(parts[1].strip().rstrip("%"))
        stale = int(parts[2]) if len(parts) == 3 else DEFAULT_STALE_DAYS
    except ValueError:
        raise SalesflowError(
            _('cannot read stage "{text}" — {hint}').format(text=text, hint=hint)
        ) from None
    if not 0 <= probability <= 100:
        raise SalesflowError(
            _('stage "{name}" has probability {probability} — use 0 to 100').format(
                name=name, probability=probability
            )
        )
    if stale < 1:
        raise SalesflowError(
            _('stage "{name}" has a stale limit of {stale} days — use 1 or more').format(
                name=name, stale=stale
            )
        )
    return StageSpec(name, probability, stale)


def set_pipeline(
    conn: sqlite3.Connection,
    specs: list[StageSpec],
    mapping: dict[str, str],
    now_iso: str,
) -> dict[str, int]:
    """Replace the open stages. Leads in a stage that disappears move by `mapping` (OLD=NEW),
    each move recorded in its history as of `now_iso`; otherwise the change is refused. History
    keeps the old names: it says what happened. Returns how many leads each mapping moved."""
    if not specs:
        raise SalesflowError(_("give at least one open stage"), hint=Hint("stages.set"))
    names = [s.name for s in specs]
    reserved = {WON, LOST} & {n.casefold() for n in names}
    if reserved:
        raise SalesflowError(
            _('"{reserved}" always exists as a closed stage — list only the open stages').format(
                reserved=sorted(reserved)[0]
            )
        )
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SalesflowError(_('stage "{dupes}" is listed twice').format(dupes=sorted(dupes)[0]))
    current = {s.name for s in open_stages(conn)}
    for old, new in mapping.items():
        if old not in current:
            raise SalesflowError(
                _('there is no open stage "{old}" to move deals from').format(old=old),
                hint=Hint("stages.map_from", old=old, new=new),
            )
        if old in names:
            raise SalesflowError(
                _(
                    '"{old}" stays in the new pipeline: only the deals of stages that go are moved'
                ).format(old=old),
                hint=Hint("stages.map_stays", old=old, new=new),
            )
        if new not in names:
            raise SalesflowError(
                _(
                    '"{new}" is not an open stage of the new pipeline (deals are closed one by one)'
                ).format(new=new),
                hint=Hint("stages.map_to", old=old, new=new),
            )
    blocking = conn.execute(
        "SELECT stage, count(*), group_concat(id) FROM leads GROUP BY stage ORDER BY stage"
    ).fetchall()
    moved: dict[str, int] = {}
    for stage, count, ids in blocking:
        if stage in names or stage in (WON, LOST):
            continue
        if stage not in mapping:
            shown = ", ".join(f"#{i}" for i in ids.split(",")[:5])
            raise SalesflowError(
                _(
                    '{count} lead(s) are in stage "{stage}", which the new pipeline drops ({shown})'
                ).format(count=count, stage=stage, shown=shown),
                hint=Hint("stages.map_dropped", stage=stage),
            )
        moved[stage] = count
    for old, new in mapping.items():
        conn.execute(
            "INSERT INTO stage_changes (lead_id, from_stage, to_stage, changed_at, note) "
            "SELECT id, stage, ?, ?, ? FROM leads WHERE stage = ?",
            (new, now_iso, REMAP_NOTE, old),
        )
        conn.execute(
            "UPDATE leads SET stage = ?, updated_at = ? WHERE stage = ?", (new, now_iso, old)
        )
        # A closed deal reopens to where it was; point it at the stage that replaced that one.
        conn.execute("UPDATE leads SET lost_from = ? WHERE lost_from = ?", (new, old))
    _write_stages(conn, specs)
    return moved


def _write_stages(conn: sqlite3.Connection, specs: list[StageSpec]) -> None:
    # Delete-and-insert keeps positions dense; `won`/`lost` always follow the open stages.
    conn.execute("DELETE FROM stages")
    rows = [(s.name, i, s.probability, "open", s.stale_days) for i, s in enumerate(specs)]
    rows += [(WON, len(specs), 100, "won", DEFAULT_STALE_DAYS)]
    rows += [(LOST, len(specs) + 1, 0, "lost", DEFAULT_STALE_DAYS)]
    conn.executemany(
        "INSERT INTO stages (name, position, probability, kind, stale_days) VALUES (?, ?, ?, ?, ?)",
        rows,
    )


def preset(name: str) -> list[StageSpec]:
    key = name.strip().lower()
    if key not in PRESETS:
        raise SalesflowError(
            _('unknown preset "{name}" — choose one of: {presets}').format(
                name=name, presets=", ".join(PRESETS)
            )
        )
    return [StageSpec(n, p) for n, p in PRESETS[key]]
