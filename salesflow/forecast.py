"""The forecast: open deals by month of expected close, weighted by their stage's probability —
as configured, calibrated on the closed deals, or simulated (Monte Carlo)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from salesflow import metrics, money
from salesflow.fx import Converter
from salesflow.metrics import Scope

DEFAULT_RUNS = 1000
PERCENTILES = (10, 50, 90)


@dataclass
class Row:
    """One line of the forecast: a month, or the overdue / later / undated deals."""

    bucket: str  # overdue | month | later | undated
    month: str | None  # YYYY-MM for a month row
    deals: int
    value: Decimal
    weighted_value: Decimal
    calibrated_weighted_value: Decimal | None = None
    p10: Decimal | None = None  # simulated won value
    p50: Decimal | None = None
    p90: Decimal | None = None

    def record(self, converter: Converter) -> dict[str, Any]:
        """The stable machine shape: every key always present, null when not asked for."""
        sim = {f"p{q}": converter.text(getattr(self, f"p{q}")) for q in PERCENTILES}
        return {
            "bucket": self.bucket,
            "month": self.month,
            "deals": self.deals,
            "value": converter.text(self.value),
            "weighted_value": converter.text(self.weighted_value),
            "calibrated_weighted_value": converter.text(self.calibrated_weighted_value),
            **sim,
            "currency": converter.base,
        }


@dataclass
class Calibration:
    stage: str
    probability: int  # configured, percent
    closed: int  # closed deals that reached the stage
    won: int
    observed: float | None  # won / closed
    calibrated: float  # shrunk toward the configured probability
    weight: float  # how much the history counts: closed / (closed + PRIOR_DEALS)

    @property
    def few(self) -> bool:
        return self.closed < metrics.FEW_DEALS

    def record(self) -> dict[str, Any]:
        return {**self.__dict__, "few_deals": self.few}


@dataclass
class Forecast:
    rows: list[Row]
    calibration: list[Calibration] | None
    runs: int | None
    seed: int | None
    missing_rates: set[str]


def months_from(day: date, n: int) -> list[str]:
    out = []
    year, month = day.year, day.month
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _bucket(month: str | None, months: list[str]) -> tuple[str, str | None]:
    if month is None:
        return "undated", None
    if month < months[0]:
        return "overdue", None
    if month in months:
        return "month", month
    return "later", None


def calibration(scope: Scope) -> list[Calibration]:
    """Per open stage: how often closed deals that reached it were won, shrunk toward the
    configured probability by PRIOR_DEALS pseudo-deals."""
    r = metrics.reach(scope, outcome=True)
    out = []
    for s in scope.stages:
        if not s.is_open:
            continue
        closed, won = r.closed_reached[s.name], r.won_reached[s.name]
        out.append(
            Calibration(
                stage=s.name,
                probability=s.probability,
                closed=closed,
                won=won,
                observed=metrics.ratio(won, closed),
                calibrated=metrics.calibrated(s.probability, closed, won),
                weight=round(closed / (closed + metrics.PRIOR_DEALS), 6),
            )
        )
    return out


def forecast(
    scope: Scope,
    months: int = 3,
    calibrate: bool = False,
    simulate: bool = False,
    runs: int = DEFAULT_RUNS,
    seed: int | None = None,
) -> Forecast:
    """Open deals at t by month of expected close, from the reference day's month on."""
    converter = scope.converter
    horizon = months_from(scope.window.ref_day, months)
    names = scope.open_names
    configured = {s.name: Decimal(s.probability) / 100 for s in scope.stages if s.is_open}
    cal = calibration(scope) if calibrate else None
    calibrated = {c.stage: Decimal(str(c.calibrated)) for c in cal} if cal else None
    keys = [("overdue", None), *(("month", m) for m in horizon), ("later", None)]
    keys.append(("undated", None))
    rows = {k: Row(k[0], k[1], 0, Decimal(0), Decimal(0)) for k in keys}
    params = dict(scope.params)
    marks = []
    for i, name in enumerate(names):
        params[f"o{i}"] = name
        marks.append(f":o{i}")
    if names:
        query = (
            "SELECT stage, currency, substr(expected_close, 1, 7) AS m, count(*), "
            f"coalesce(sum(value_minor), 0) FROM {scope.source} "
            f"WHERE stage IN ({', '.join(marks)}) "
            "GROUP BY stage, currency, m"
        )
        for stage, currency, month, n, minor in scope.conn.execute(query, params):
            row = rows[_bucket(month, horizon)]
            value = converter.to_base(currency, minor)
            row.deals += n
            row.value += value
            row.weighted_value += value * configured[stage]
            if calibrated is not None:
                row.calibrated_weighted_value = (
                    row.calibrated_weighted_value or Decimal(0)
                ) + value * calibrated[stage]
    if calibrated is not None:
        for row in rows.values():
            if row.calibrated_weighted_value is None:
                row.calibrated_weighted_value = Decimal(0)
    if simulate and names:
        probabilities = {n: float(p) for n, p in (calibrated or configured).items()}
        _simulate(scope, rows, horizon, probabilities, params, marks, runs, seed)
    # Overdue, later and undated lines only show when they hold deals; months always show.
    shown = [r for r in rows.values() if r.bucket == "month" or r.deals]
    return Forecast(
        shown, cal, runs if simulate else None, seed if simulate else None, set(converter.missing)
    )


def _simulate(
    scope: Scope,
    rows: dict[tuple[str, str | None], Row],
    horizon: list[str],
    probabilities: dict[str, float],
    params: dict[str, Any],
    marks: list[str],
    runs: int,
    seed: int | None,
) -> None:
    """P10/P50/P90 of won value per line: each run wins each open deal independently with
    its probability. This needs the open deals one by one (only those, never every lead)."""
    converter = scope.converter
    deals: dict[tuple[str, str | None], list[tuple[int, float]]] = {}
    query = (
        "SELECT stage, currency, value_minor, substr(expected_close, 1, 7) "
        f"FROM {scope.source} WHERE stage IN ({', '.join(marks)}) AND value_minor > 0"
    )
    for stage, currency, minor, month in scope.conn.execute(query, params):
        if not converter.can_convert(currency):
            continue
        value = converter.minor(converter.to_base(currency, minor))
        deals.setdefault(_bucket(month, horizon), []).append((value, probabilities[stage]))
    rnd = random.Random(seed)
    exponent = money.exponent(converter.base)
    for key, row in rows.items():
        totals = sorted(_runs(deals.get(key, []), runs, rnd.random))
        for q in PERCENTILES:
            # Nearest rank: the smallest total with at least q% of the runs at or below it.
            total = totals[max(math.ceil(q / 100 * runs) - 1, 0)]
            setattr(row, f"p{q}", Decimal(total).scaleb(-exponent))


def _runs(items: list[tuple[int, float]], runs: int, draw: Any) -> list[int]:
    if not items:
        return [0] * runs
    return [sum([v for v, p in items if draw() < p]) for _ in range(runs)]
