"""Tallies: the per-(key, stage, currency) counts most reports start from, and the medians and
means read from day histograms.

Queries return per-(stage, currency) or per-day aggregates, never every row: at 100k leads the
work stays inside SQLite."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from salesflow.fx import Converter
from salesflow.metrics.windows import Scope
from salesflow.pipeline import WON


@dataclass(frozen=True)
class Tally:
    key: str | None
    stage: str
    currency: str
    cycle_days: int | None  # for deals won in the window: days from creation to won
    deals: int  # every lead in this stage at the instant
    value: int  # their value in minor units (missing values count 0)
    cohort: int  # ... of which created in the window
    cohort_value: int
    closed: int  # ... of which closed in the window (won/lost stages only)
    closed_value: int
    closed_valued: int  # closed ones that have a value


def _tally_in_order(scope: Scope, by: str | None) -> bool:
    """The plain stage/currency tallies of `leads` itself can be read off leads_tally."""
    return by is None and scope.source == "leads"


def tallies(scope: Scope, by: str | None = None, cycles: bool = True) -> list[Tally]:
    """Counts and value sums per (by, stage, currency, cycle days); `cycles=False` when the
    caller does not need won deals split by cycle length."""
    window, days = scope.window, scope.days
    key = f"nullif(trim({by}), '')" if by else "NULL"
    cohort = window.within("created_at")
    closed = f"closed_at IS NOT NULL AND {window.within('closed_at')}"
    # Without a window the cohort is every lead: the same aggregate twice is computed once.
    in_cohort = "count(*)" if cohort == "1" else f"sum({cohort})"
    cohort_value = "value_minor" if cohort == "1" else f"CASE WHEN {cohort} THEN value_minor END"
    if window.within("closed_at") == "1":
        closed = "closed_at IS NOT NULL"
    sums = (
        f"count(*), coalesce(sum(value_minor), 0), {in_cohort}, "
        f"coalesce(sum({cohort_value}), 0), sum({closed}), "
        f"coalesce(sum(CASE WHEN {closed} THEN value_minor END), 0), "
        f"count(CASE WHEN {closed} THEN value_minor END)"
    )
    span = f"{days.day('closed_at')} - {days.day('created_at')}"
    cycle = f"CASE WHEN stage = '{WON}' AND {closed} THEN {span} END"
    if _tally_in_order(scope, by):
        # Per stage and currency in leads_tally's order (no sort of every lead).
        rows = [
            Tally(None, stage, currency, None, *rest)
            for stage, currency, *rest in scope.conn.execute(
                f"SELECT stage, currency, {sums} FROM leads INDEXED BY leads_tally "
                "GROUP BY stage, currency",
                scope.params,
            )
        ]
        if not cycles:
            return rows
        # The deals won in the window by cycle length: counted apart, then taken off their
        # currency's won row, so every sum over the rows stays the same.
        counted: dict[str, int] = {}
        for currency, days_won, n in scope.conn.execute(
            f"SELECT currency, {span} AS cyc, count(*) FROM leads INDEXED BY leads_tally "
            f"WHERE stage = '{WON}' AND {closed} GROUP BY currency, cyc",
            scope.params,
        ):
            counted[currency] = counted.get(currency, 0) + n
            rows.append(Tally(None, WON, currency, days_won, 0, 0, 0, 0, n, 0, 0))
        return [
            replace(t, closed=t.closed - counted[t.currency])
            if t.stage == WON and t.cycle_days is None and t.currency in counted
            else t
            for t in rows
        ]
    group = f"{key} COLLATE NOCASE, " if by else ""
    rows = scope.conn.execute(
        f"SELECT min({key}), stage, currency, {cycle} AS cyc, {sums} "
        f"FROM {scope.scan} GROUP BY {group}stage, currency, cyc",
        scope.params,
    )
    return [Tally(*r) for r in rows]


def base_total(converter: Converter, items: Iterable[tuple[str, int]]) -> Decimal:
    """Sum (currency, minor units) items in the base currency, noting what cannot be."""
    return sum((converter.to_base(cur, minor) for cur, minor in items), Decimal(0))


def ratio(num: float | Decimal | int, den: float | Decimal | int) -> float | None:
    return None if not den else round(float(Decimal(num) / Decimal(den)), 6)


# ---- medians from histograms -----------------------------------------------------


def median(hist: dict[int, int]) -> float | None:
    """Median of integer values given as {value: count}."""
    n = sum(hist.values())
    if not n:
        return None
    lo_rank, hi_rank = (n - 1) // 2, n // 2
    seen, lo = 0, None
    for value in sorted(hist):
        seen += hist[value]
        if lo is None and seen > lo_rank:
            lo = value
        if seen > hi_rank:
            return (lo + value) / 2  # type: ignore[operator]
    raise AssertionError("unreachable")


def mean(hist: dict[int, int]) -> float | None:
    n = sum(hist.values())
    return None if not n else round(sum(v * c for v, c in hist.items()) / n, 4)


def cycle_histogram(rows: Iterable[Tally]) -> dict[int, int]:
    hist: dict[int, int] = {}
    for t in rows:
        if t.cycle_days is not None:
            hist[t.cycle_days] = hist.get(t.cycle_days, 0) + t.closed
    return hist
