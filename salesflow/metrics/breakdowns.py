"""Breakdowns: the lost-reason Pareto, and the summary's figures per source or grade."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from salesflow.fx import Converter
from salesflow.metrics.kpis import open_pipeline
from salesflow.metrics.tally import Tally, base_total, cycle_histogram, median, ratio, tallies
from salesflow.metrics.windows import Scope
from salesflow.pipeline import LOST, WON

# ---- lost reasons ----------------------------------------------------------------


@dataclass
class LostRow:
    reason: str | None
    count: int
    share: float
    cumulative_share: float
    value: Decimal

    def record(self, converter: Converter) -> dict[str, Any]:
        values = (
            self.reason, self.count, self.share, self.cumulative_share, converter.text(self.value),
            converter.base,
        )  # fmt: skip
        return dict(zip(LOST_KEYS, values, strict=True))


# The columns of LostRow.record and GroupRow.record (after the group's own column), so an
# empty CSV/TSV report still has its header row.
LOST_KEYS = ["reason", "count", "share", "cumulative_share", "value", "currency"]
GROUP_KEYS = [
    "leads", "won", "lost", "win_rate", "lead_to_win_rate", "won_value", "avg_deal_size",
    "currency", "cycle_days_median",
]  # fmt: skip


def lost_reasons(scope: Scope) -> list[LostRow]:
    """Deals lost in the window by reason (trimmed, case-insensitive; a synonym in the
    lost_reasons setting counts under its category), most frequent first."""
    reason = "nullif(trim(lost_reason), '')"
    # The lost deals' rows of leads_tally, not a scan of every lead.
    source = "leads INDEXED BY leads_tally" if scope.source == "leads" else scope.scan
    rows = scope.conn.execute(
        f"SELECT min({reason}), currency, count(*), coalesce(sum(value_minor), 0) "
        f"FROM {source} WHERE stage = '{LOST}' AND {scope.window.within('closed_at')} "
        f"GROUP BY {reason} COLLATE NOCASE, currency",
        scope.params,
    ).fetchall()
    from salesflow import config, store

    categories = config.lost_categories(store.get_setting(scope.conn, "lost_reasons"))
    by_reason: dict[str, tuple[str | None, int, Decimal]] = {}
    for text, currency, n, minor in rows:
        fold = " ".join((text or "").split()).casefold()
        if fold in categories:  # a synonym counts under its category's name
            text = categories[fold]
            fold = text.casefold()
        shown, count, value = by_reason.get(fold, (text, 0, Decimal(0)))
        shown = min(shown, text) if shown and text else shown or text
        by_reason[fold] = (shown, count + n, value + scope.converter.to_base(currency, minor))
    ordered = sorted(by_reason.values(), key=lambda x: (-x[1], -x[2], x[0] or ""))
    total = sum(n for _, n, _ in ordered)
    out, running = [], 0
    for text, n, value in ordered:
        running += n
        out.append(LostRow(text, n, ratio(n, total) or 0.0, ratio(running, total) or 0.0, value))
    return out


# ---- per source / per grade ------------------------------------------------------


@dataclass
class GroupRow:
    key: str | None
    leads: int  # created in the window
    won: int  # closed in the window
    lost: int
    win_rate: float | None
    lead_to_win_rate: float | None
    won_value: Decimal
    avg_deal_size: Decimal | None
    cycle_days_median: float | None
    open_deals: int = 0  # now (or at --as-of), like the summary's pipeline
    pipeline: Decimal = Decimal(0)
    weighted: Decimal = Decimal(0)

    def record(self, name: str, converter: Converter, *, full: bool = False) -> dict[str, Any]:
        """`report sources`/`grades` shape; `full` adds the pipeline (`report breakdown`)."""
        values = (
            self.key, self.leads, self.won, self.lost, self.win_rate, self.lead_to_win_rate,
            converter.text(self.won_value), converter.text(self.avg_deal_size), converter.base,
            self.cycle_days_median,
        )  # fmt: skip
        out = dict(zip([name, *GROUP_KEYS], values, strict=True))
        if full:
            out |= {"open_deals": self.open_deals, "pipeline": converter.text(self.pipeline),
                    "weighted_pipeline": converter.text(self.weighted)}  # fmt: skip
        return out


def breakdown(
    scope: Scope, by: str, rows: list[Tally] | None = None, *, pipeline: bool = False
) -> list[GroupRow]:
    """The summary's figures per `source` or `grade` (trimmed, case-insensitive), or per the
    group keys of `rows` (metrics/groups.py: segment, product, a custom field); `pipeline`
    adds each group's open pipeline (`report breakdown`; sources and grades show none)."""
    if rows is None and by not in ("source", "grade"):
        raise ValueError(by)
    converter = scope.converter
    groups: dict[str, list[Tally]] = {}
    names: dict[str, str | None] = {}
    for t in tallies(scope, by) if rows is None else rows:
        fold = (t.key or "").casefold()
        groups.setdefault(fold, []).append(t)
        # The same spelling whatever order SQLite returns the groups in.
        seen = names.get(fold, t.key)
        names[fold] = min(seen, t.key) if seen and t.key else seen or t.key
    if by == "grade":  # A, B and C always show, so a missing grade reads as zero
        for g in ("A", "B", "C"):
            groups.setdefault(g.casefold(), [])
            names.setdefault(g.casefold(), g)
    out = []
    for fold, group in groups.items():
        won = [t for t in group if t.stage == WON]
        lost = [t for t in group if t.stage == LOST]
        n_won, n_lost = sum(t.closed for t in won), sum(t.closed for t in lost)
        leads = sum(t.cohort for t in group)
        value = base_total(converter, ((t.currency, t.closed_value) for t in won))
        valued = sum(t.closed_valued for t in won if converter.can_convert(t.currency))
        open_deals, value_open, weighted = (
            open_pipeline(scope, group) if pipeline else (0, Decimal(0), Decimal(0))
        )
        out.append(
            GroupRow(
                key=names[fold],
                leads=leads,
                won=n_won,
                lost=n_lost,
                win_rate=ratio(n_won, n_won + n_lost),
                lead_to_win_rate=ratio(sum(t.cohort for t in won), leads),
                won_value=value,
                avg_deal_size=value / valued if valued else None,
                cycle_days_median=median(cycle_histogram(won)),
                open_deals=open_deals,
                pipeline=value_open,
                weighted=weighted,
            )
        )
    if by == "grade":
        out.sort(key=lambda r: (r.key is None, r.key or ""))
    else:
        out.sort(key=lambda r: (r.key is None, -r.leads, -r.won_value, r.key or ""))
    return out
