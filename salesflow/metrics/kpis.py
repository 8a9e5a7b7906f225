"""The KPI board of `salesflow report summary`: pipeline, results, speed and habits in one
record, built from the tallies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from salesflow.fx import Converter
from salesflow.metrics.habits import first_touch_hits, first_touch_median, followup_counts
from salesflow.metrics.tally import (
    Tally,
    base_total,
    cycle_histogram,
    mean,
    median,
    ratio,
    tallies,
)
from salesflow.metrics.windows import Scope
from salesflow.pipeline import LOST, WON


@dataclass
class Summary:
    since: date | None
    until: date | None
    as_of: date | None
    currency: str
    leads_created: int
    open_deals: int
    won: int
    lost: int
    won_value: Decimal  # deals won in the window, in the base currency
    win_rate: float | None
    win_rate_by_value: float | None
    lead_to_win_rate: float | None
    avg_deal_size: Decimal | None
    cycle_days_median: float | None
    cycle_days_mean: float | None
    pipeline_value: Decimal
    weighted_pipeline: Decimal
    sales_velocity_per_day: Decimal | None
    followups_due: int
    followups_on_time: int
    followup_timeliness: float | None
    first_touch_leads: int
    first_touch_hours_median: float | None
    first_touch_due: int  # cohort leads whose first-touch window has passed
    first_touch_hits: int  # … of them touched within it
    first_touch_hit_rate: float | None
    repeat_customers: int
    customers_won: int
    repeat_purchase_rate: float | None
    missing_rates: set[str] = field(default_factory=set)

    def record(self, converter: Converter) -> dict[str, Any]:
        """The stable machine shape of `report summary --format json`."""
        money = (
            "won_value",
            "avg_deal_size",
            "pipeline_value",
            "weighted_pipeline",
            "sales_velocity_per_day",
        )
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            if name == "missing_rates":
                continue
            value = getattr(self, name)
            if name in money:
                value = converter.text(value)
            elif isinstance(value, date):
                value = value.isoformat()
            out[name] = value
        out["unconverted_currencies"] = sorted(self.missing_rates)
        return out


def summary(scope: Scope) -> Summary:
    converter = scope.converter
    rows = tallies(scope)
    won = [t for t in rows if t.stage == WON]
    lost = [t for t in rows if t.stage == LOST]
    n_won, n_lost = sum(t.closed for t in won), sum(t.closed for t in lost)
    cohort = sum(t.cohort for t in rows)
    won_value = base_total(converter, ((t.currency, t.closed_value) for t in won))
    lost_value = base_total(converter, ((t.currency, t.closed_value) for t in lost))
    valued_won = sum(t.closed_valued for t in won if converter.can_convert(t.currency))
    avg_deal = won_value / valued_won if valued_won else None
    cycle = cycle_histogram(won)
    open_deals, pipeline_value, weighted = open_pipeline(scope, rows)
    cycle_mean = mean(cycle)
    velocity = None
    if n_won and avg_deal is not None and cycle_mean:
        # Exact arithmetic: the rounded win rate and mean would shift the money figure.
        mean_days = Decimal(sum(d * c for d, c in cycle.items())) / Decimal(sum(cycle.values()))
        velocity = Decimal(open_deals * n_won) / Decimal(n_won + n_lost) * avg_deal / mean_days
    due, on_time = followup_counts(scope)
    touched, first_touch = first_touch_median(scope)
    from salesflow.agenda import first_touch_limit

    hits, due_touch = first_touch_hits(scope, first_touch_limit(scope.conn))
    repeat, customers = repeat_customers(scope)
    return Summary(
        since=scope.window.since,
        until=scope.window.until,
        as_of=scope.window.as_of,
        currency=converter.base,
        leads_created=cohort,
        open_deals=open_deals,
        won=n_won,
        lost=n_lost,
        won_value=won_value,
        win_rate=ratio(n_won, n_won + n_lost),
        win_rate_by_value=ratio(won_value, won_value + lost_value),
        lead_to_win_rate=ratio(sum(t.cohort for t in won), cohort),
        avg_deal_size=avg_deal,
        cycle_days_median=median(cycle),
        cycle_days_mean=cycle_mean,
        pipeline_value=pipeline_value,
        weighted_pipeline=weighted,
        sales_velocity_per_day=velocity,
        followups_due=due,
        followups_on_time=on_time,
        followup_timeliness=ratio(on_time, due),
        first_touch_leads=touched,
        first_touch_hours_median=first_touch,
        first_touch_due=due_touch,
        first_touch_hits=hits,
        first_touch_hit_rate=ratio(hits, due_touch),
        repeat_customers=repeat,
        customers_won=customers,
        repeat_purchase_rate=ratio(repeat, customers),
        missing_rates=set(converter.missing),
    )


def open_pipeline(scope: Scope, rows: list[Tally] | None = None) -> tuple[int, Decimal, Decimal]:
    """(open deals, their value, their value × stage probability), in the base currency: the
    pipeline figures of the summary, also read alone (the digest's header) from the tallies
    without the won deals' cycles."""
    stage, converter = scope.stage, scope.converter
    if rows is None:
        # Alone, only the open stages' rows are read (a range of leads_tally per stage).
        names = [name for name, s in stage.items() if s.is_open]
        marks = ", ".join("?" * len(names))
        groups = scope.conn.execute(
            f"SELECT stage, currency, count(*), coalesce(sum(value_minor), 0) "
            f"FROM {scope.source} WHERE stage IN ({marks}) GROUP BY stage, currency",
            names,
        ).fetchall()
    else:
        groups = [(t.stage, t.currency, t.deals, t.value) for t in rows]
    is_open = [g for g in groups if g[0] in stage and stage[g[0]].is_open]
    value = base_total(converter, ((cur, v) for _, cur, _, v in is_open))
    weighted = base_total(
        converter, ((cur, v * stage[name].probability) for name, cur, _, v in is_open)
    ) / Decimal(100)
    return sum(n for _, _, n, _ in is_open), value, weighted


def repeat_customers(scope: Scope) -> tuple[int, int]:
    """(customers with >= 2 deals won in the window, customers with >= 1)."""
    # The won deals' rows of leads_tally: no look-up of each lead.
    source = "leads INDEXED BY leads_tally" if scope.source == "leads" else scope.source
    row = scope.conn.execute(
        "SELECT coalesce(sum(n >= 2), 0), count(*) FROM (SELECT customer_id, count(*) AS n "
        f"FROM {source} WHERE customer_id IS NOT NULL AND stage = '{WON}' "
        f"AND {scope.window.within('closed_at')} GROUP BY customer_id)",
        scope.params,
    ).fetchone()
    return row[0], row[1]
