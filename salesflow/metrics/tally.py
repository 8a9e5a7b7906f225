"""Tallies: the per-(key, stage, currency) counts most reports start from, and the medians and
means read from day histograms.

Queries return per-(stage, currency) or per-day aggregates, never every row: at 100k leads the
work stays inside SQLite."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

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
    """The tallies of `leads` itself can be read off leads_tally in its order."""
    return scope.source == "leads"


# leads_tally's leading columns: grouping by all of them follows the index (no sort).
_TALLY_GROUP = "stage, currency, source, grade"


def tallies(scope: Scope, by: str | None = None, cycles: bool = True) -> list[Tally]:
    """Counts and value sums per (by, stage, currency, cycle days); `cycles=False` when the
    caller does not need won deals split by cycle length. Rows are per stored spelling of
    `by` (trimmed): callers fold spellings that differ in case."""
    if by not in (None, "source", "grade"):
        raise ValueError(by)
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
    if _tally_in_order(scope, by):
        # In leads_tally's order (stage, currency, source, grade): no sort of every lead.
        source = "leads INDEXED BY leads_tally"
        columns = ["stage", "currency", "source", "grade"] if by else ["stage", "currency"]
    else:
        # The state at an --as-of instant (a temporary table): one pass, won deals split by
        # cycle length in the same grouping.
        group = f"{by}, stage, currency" if by else "stage, currency"
        cycle = f"CASE WHEN stage = '{WON}' AND {closed} THEN {span} END"
        rows = scope.conn.execute(
            f"SELECT {key}, stage, currency, {cycle} AS cyc, {sums} "
            f"FROM {scope.scan} GROUP BY {group}, cyc",
            scope.params,
        )
        return [Tally(*row) for row in rows]
    group = ", ".join(columns)
    rows = scope.conn.execute(
        f"SELECT {group}, {key}, {sums} FROM {source} GROUP BY {group}", scope.params
    ).fetchall()
    width = len(columns)
    stage_at, currency_at = columns.index("stage"), columns.index("currency")
    out = [Tally(r[width], r[stage_at], r[currency_at], None, *r[width + 1 :]) for r in rows]
    if not cycles:
        return out
    # The deals won in the window by cycle length: counted apart, then taken off their
    # group's won row, so every sum over the rows stays the same.
    won_columns = [c for c in columns if c != "stage"]
    won_group = ", ".join(won_columns)
    counted: dict[tuple[Any, ...], int] = {}
    for *group_key, key_value, days_won, n in scope.conn.execute(
        f"SELECT {won_group}, {key}, {span} AS cyc, count(*) FROM {source} "
        f"WHERE stage = '{WON}' AND {closed} GROUP BY {won_group}, cyc",
        scope.params,
    ):
        currency = group_key[won_columns.index("currency")]
        counted[tuple(group_key)] = counted.get(tuple(group_key), 0) + n
        out.append(Tally(key_value, WON, currency, days_won, 0, 0, 0, 0, n, 0, 0))
    for i, row in enumerate(rows):
        group_key = tuple(row[columns.index(c)] for c in won_columns)
        if row[stage_at] == WON and group_key in counted:
            out[i] = replace(out[i], closed=out[i].closed - counted[group_key])
    return out


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
