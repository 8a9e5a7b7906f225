"""`report funnel` (the cohort stage by stage, with its weakest step and slowest stage) and
`report conversion` (stage-to-stage conversion and calibrated win probabilities)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from salesflow.fx import Converter
from salesflow.metrics.stages import reach, stage_days
from salesflow.metrics.tally import base_total, mean, median, ratio, tallies
from salesflow.metrics.windows import Scope
from salesflow.pipeline import Stage


@dataclass
class FunnelRow:
    stage: str
    kind: str
    probability: int
    deals: int  # cohort deals in this stage at the instant
    value: Decimal
    weighted_value: Decimal
    reached: int
    conversion: float | None
    avg_days_in_stage: float | None
    median_days_in_stage: float | None
    visits: int

    def record(self, converter: Converter) -> dict[str, Any]:
        """The stable machine shape of one `report funnel --format json` row."""
        return {
            "stage": self.stage,
            "kind": self.kind,
            "probability": self.probability,
            "open_deals": self.deals if self.kind == "open" else None,
            "deals": self.deals,
            "value": converter.text(self.value),
            "weighted_value": converter.text(self.weighted_value),
            "currency": converter.base,
            "reached": self.reached,
            "conversion": self.conversion,
            "avg_days_in_stage": self.avg_days_in_stage,
            "median_days_in_stage": self.median_days_in_stage,
        }


@dataclass
class Bottleneck:
    from_stage: str
    to_stage: str
    conversion: float
    reached_from: int
    reached_to: int


@dataclass
class Funnel:
    rows: list[FunnelRow]
    weakest: Bottleneck | None  # the transition with the lowest conversion
    slowest: FunnelRow | None  # the open stage with the longest median time in stage
    missing_rates: set[str]


def funnel(scope: Scope) -> Funnel:
    how_far = reach(scope)
    reached = how_far.reached
    # Per stage: the cohort's (currency, deals, value), from the same pass as reach when it
    # had them.
    per_stage: dict[str, list[tuple[str, int, int]]] = {}
    if how_far.cohort is not None:
        for (stage, currency), (deals, value) in how_far.cohort.items():
            per_stage.setdefault(stage, []).append((currency, deals, value))
    else:
        for t in tallies(scope, cycles=False):
            per_stage.setdefault(t.stage, []).append((t.currency, t.cohort, t.cohort_value))
    times = stage_days(scope)
    rows: list[FunnelRow] = []
    previous: Stage | None = None
    for s in scope.stages:
        group = per_stage.get(s.name, [])
        value = base_total(scope.converter, ((currency, v) for currency, _, v in group))
        conversion = None
        if previous is not None and s.kind != "lost":
            conversion = ratio(reached[s.name], reached[previous.name])
        hist = times.get(s.name, {})
        rows.append(
            FunnelRow(
                stage=s.shown,
                kind=s.kind,
                probability=s.probability,
                deals=sum(deals for _, deals, _ in group),
                value=value,
                weighted_value=value * s.probability / Decimal(100),
                reached=reached[s.name],
                conversion=conversion,
                avg_days_in_stage=mean(hist) if s.is_open else None,
                median_days_in_stage=median(hist) if s.is_open else None,
                visits=sum(hist.values()),
            )
        )
        if s.kind != "lost":
            previous = s
    return Funnel(rows, _weakest(rows), _slowest(rows), set(scope.converter.missing))


def _weakest(rows: list[FunnelRow]) -> Bottleneck | None:
    best: Bottleneck | None = None
    forward = [r for r in rows if r.kind != "lost"]
    for prev, row in zip(forward, forward[1:], strict=False):
        if row.conversion is None:
            continue
        if best is None or row.conversion < best.conversion:
            best = Bottleneck(prev.stage, row.stage, row.conversion, prev.reached, row.reached)
    return best


def _slowest(rows: list[FunnelRow]) -> FunnelRow | None:
    timed = [r for r in rows if r.median_days_in_stage is not None]
    # max() keeps the first of equals: the earlier stage wins a tie.
    return max(timed, key=lambda r: r.median_days_in_stage or 0.0) if timed else None


@dataclass
class ConversionRow:
    stage: str
    next_stage: str
    reached: int
    reached_next: int
    conversion: float | None
    probability: int
    closed: int  # closed deals (now won or lost) that reached `stage`
    won: int
    observed_win_rate: float | None
    calibrated_probability: float

    def record(self) -> dict[str, Any]:
        return dict(self.__dict__)


# What the configured probability is worth, in closed deals, when calibrating: with n closed
# deals the observed rate gets weight n / (n + PRIOR_DEALS).
PRIOR_DEALS = 10
FEW_DEALS = 30  # below this many closed deals the calibrated figure leans on the prior


def calibrated(probability: int, closed: int, won: int) -> float:
    """P(won | reached s), shrunk toward the configured probability when deals are few."""
    return round((won + PRIOR_DEALS * probability / 100) / (closed + PRIOR_DEALS), 6)


def conversion(scope: Scope) -> list[ConversionRow]:
    r = reach(scope, outcome=True)
    forward = [s for s in scope.stages if s.kind != "lost"]
    rows = []
    for s, nxt in zip(forward, forward[1:], strict=False):
        closed, won = r.closed_reached[s.name], r.won_reached[s.name]
        rows.append(
            ConversionRow(
                stage=s.name,
                next_stage=nxt.shown,
                reached=r.reached[s.name],
                reached_next=r.reached[nxt.name],
                conversion=ratio(r.reached[nxt.name], r.reached[s.name]),
                probability=s.probability,
                closed=closed,
                won=won,
                observed_win_rate=ratio(won, closed),
                calibrated_probability=calibrated(s.probability, closed, won),
            )
        )
    return rows
