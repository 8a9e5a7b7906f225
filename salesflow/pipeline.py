"""The stage pipeline: ordered open stages with win probabilities, then `won` and `lost`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from salesflow.errors import Hint, SalesflowError
from salesflow.i18n import N_, _
from salesflow.nearest import nearest

WON, LOST = "won", "lost"
# The note on the history rows a pipeline change writes: a remap, not a sign of life.
# Stored as written (queries find the moves by it); shown in the active language.
REMAP_NOTE = N_("pipeline changed")
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


# Names that say "closed": an open stage called so is almost surely meant as won or lost.
CLOSED_WORDS = {
    WON: ("won", "win", "closed won", "成交", "已成交", "赢单", "签约", "已签约", "成功"),
    LOST: ("lost", "lose", "closed lost", "丢单", "输单", "失败", "流失", "已丢单"),
}


@dataclass(frozen=True)
class Stage:
    name: str
    probability: int
    kind: str  # open | won | lost
    position: int
    stale_days: int = DEFAULT_STALE_DAYS
    label: str | None = None  # what the seller calls won/lost (成交, 丢单); None: the name

    @property
    def is_open(self) -> bool:
        return self.kind == "open"

    @property
    def shown(self) -> str:
        """The name a seller reads: the display name of won/lost, else the stage's name."""
        return self.label or self.name


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
        "SELECT name, probability, kind, position, stale_days, label FROM stages ORDER BY position"
    )
    return [Stage(*r) for r in rows]


def shown_names(conn: sqlite3.Connection) -> dict[str, str]:
    """{stored name: display name} for the stages called otherwise (won → 成交): what every
    view applies to a stage name it shows. Empty when won and lost go by their names."""
    rows = conn.execute("SELECT name, label FROM stages WHERE label IS NOT NULL")
    return dict(rows.fetchall())


def open_stages(conn: sqlite3.Connection) -> list[Stage]:
    return [s for s in stages(conn) if s.is_open]


def get_stage(conn: sqlite3.Connection, name: str) -> Stage:
    """Find a stage by name, case-insensitively; won and lost also by their display names
    (成交 or won alike). Unknown names list the valid ones."""
    all_stages = stages(conn)
    for s in all_stages:
        if name in (s.name, s.label):
            return s
    key = name.strip().casefold()
    folded = [s for s in all_stages if key in (s.name.casefold(), (s.label or "").casefold())]
    if len(folded) == 1:
        return folded[0]
    names = ", ".join(s.shown for s in all_stages)
    typed = [s.name for s in all_stages] + [s.label for s in all_stages if s.label]
    if close := nearest(name, typed, n=1):
        raise SalesflowError(
            _('unknown stage "{name}" — did you mean "{close}"? The stages are: {names}').format(
                name=name, close=close[0], names=names
            )
        )
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


@dataclass
class PipelineChange:
    """What a pipeline change did: leads moved out of each dropped stage (a merge into a
    stage that stays, recorded in their history), stages renamed (history rewritten to the
    new name, so time in stage and "reached" carry on), and closed-stage names set."""

    moved: dict[str, int]
    renamed: dict[str, str]


def set_pipeline(
    conn: sqlite3.Connection,
    specs: list[StageSpec],
    mapping: dict[str, str],
    now_iso: str,
    *,
    won: str | None = None,
    lost: str | None = None,
) -> PipelineChange:
    """Replace the open stages. Leads in a stage that disappears move by `mapping` (OLD=NEW):
    to a NEW that is a stage today, each move is recorded in its history as of `now_iso` and
    the history keeps the old name (it says what happened); to a NEW no stage has, and only
    OLD maps to it, it is a rename and the history takes the new name. A stage that goes
    without a mapping while it has leads is refused. `won`/`lost` set the display names of
    the closed stages."""
    if not specs:
        raise SalesflowError(_("give at least one open stage"), hint=Hint("stages.set"))
    names = [s.name for s in specs]
    _check_open_names(conn, names, won, lost)
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
    targets = list(mapping.values())
    renamed = {o: n for o, n in mapping.items() if n not in current and targets.count(n) == 1}
    blocking = conn.execute(
        "SELECT stage, count(*), group_concat(id) FROM leads GROUP BY stage ORDER BY stage"
    ).fetchall()
    moved: dict[str, int] = {}
    for stage, count, ids in blocking:
        if stage in names or stage in (WON, LOST) or stage in renamed:
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
    for old, new in renamed.items():
        _rename_history(conn, old, new)
    for old, new in mapping.items():
        if old in renamed:
            continue
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
    labels = {k: s.label for s in stages(conn) if (k := s.kind) != "open"}
    for kind, name in ((WON, won), (LOST, lost)):
        if name is not None:
            labels[kind] = None if name.strip().casefold() == kind else name.strip()
    _write_stages(conn, specs, labels)
    return PipelineChange(moved, renamed)


_CLOSED_CLASH = {
    WON: N_('"{name}" is the won stage, which always exists — list only the open stages '
        "(name the won stage with --won)"),
    LOST: N_('"{name}" is the lost stage, which always exists — list only the open stages '
        "(name the lost stage with --lost)"),
}  # fmt: skip


def _check_open_names(
    conn: sqlite3.Connection, names: list[str], won: str | None, lost: str | None
) -> None:
    if any(name is not None and not name.strip() for name in (won, lost)):
        raise SalesflowError(_("a stage needs a name"))
    closed = {WON: won, LOST: lost}
    for s in stages(conn):
        if not s.is_open and closed[s.kind] is None:
            closed[s.kind] = s.label
    for kind, label in closed.items():
        taken = {kind} | ({label.strip().casefold()} if label else set())
        clash = next((n for n in names if n.strip().casefold() in taken), None)
        if clash is not None:
            said = _CLOSED_CLASH[kind]
            raise SalesflowError(_(said).format(name=clash))
    if won and lost and won.strip().casefold() == lost.strip().casefold():
        raise SalesflowError(_("won and lost need two different names"))


def closed_lookalikes(specs: list[StageSpec]) -> list[tuple[StageSpec, str]]:
    """Open stages that look like a closed one (成交:100, 丢单:0, won-like names, or a
    probability of 100 or 0), each with the kind it looks like: `stages set` warns."""
    found = []
    for spec in specs:
        key = spec.name.strip().casefold()
        for kind, words in CLOSED_WORDS.items():
            sure = 100 if kind == WON else 0
            if key in words or spec.probability == sure:
                found.append((spec, kind))
                break
    return found


def rename_stage(conn: sqlite3.Connection, old: str, new: str) -> tuple[Stage, str]:
    """Give a stage a new name, keeping its history: an open stage's name is rewritten in
    every lead and stage change (time in stage and "reached" carry on); won and lost keep
    their kind and take `new` as their display name (`won`/`lost` again: the plain name)."""
    stage = get_stage(conn, old)
    name = " ".join(new.split())
    if not name:
        raise SalesflowError(_("a stage needs a name"))
    for other in stages(conn):
        if other.name == stage.name:
            continue
        if name.casefold() in (other.name.casefold(), (other.label or "").casefold()):
            raise SalesflowError(
                _('there is already a stage "{name}" — pick another name').format(name=name)
            )
    if stage.is_open:  # (won and lost are other stages' names: refused above)
        if name != stage.name:
            _rename_history(conn, stage.name, name)
            conn.execute("UPDATE stages SET name = ? WHERE name = ?", (name, stage.name))
    else:
        label = None if name.casefold() == stage.kind else name
        conn.execute("UPDATE stages SET label = ? WHERE kind = ?", (label, stage.kind))
    return stage, name


def _rename_history(conn: sqlite3.Connection, old: str, new: str) -> None:
    # The stage_changes trigger keeps leads.stages_entered in step with to_stage. The store
    # knows the settings by key: quote.stage is the one that names a stage.
    conn.execute("UPDATE stage_changes SET to_stage = ? WHERE to_stage = ?", (new, old))
    conn.execute("UPDATE stage_changes SET from_stage = ? WHERE from_stage = ?", (new, old))
    conn.execute("UPDATE leads SET stage = ? WHERE stage = ?", (new, old))
    conn.execute("UPDATE leads SET lost_from = ? WHERE lost_from = ?", (new, old))
    conn.execute(
        "UPDATE settings SET value = ? WHERE key = 'quote.stage' AND value = ?", (new, old)
    )


def _write_stages(
    conn: sqlite3.Connection, specs: list[StageSpec], labels: dict[str, str | None]
) -> None:
    # Delete-and-insert keeps positions dense; `won`/`lost` always follow the open stages.
    conn.execute("DELETE FROM stages")
    rows = [(s.name, i, s.probability, "open", s.stale_days, None) for i, s in enumerate(specs)]
    rows += [(WON, len(specs), 100, "won", DEFAULT_STALE_DAYS, labels.get(WON))]
    rows += [(LOST, len(specs) + 1, 0, "lost", DEFAULT_STALE_DAYS, labels.get(LOST))]
    conn.executemany(
        "INSERT INTO stages (name, position, probability, kind, stale_days, label) "
        "VALUES (?, ?, ?, ?, ?, ?)",
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
