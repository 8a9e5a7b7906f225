"""The monthly review (`salesflow report review`): one month's KPIs beside the month before,
the funnel of the leads created in it, won value month by month against the targets, why
deals were lost, and the products that sold — every figure from the reports' own functions,
so the review and `report summary`/`report products --since … --until …` never disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from salesflow import metrics
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.metrics import trend as trends
from salesflow.metrics.products import ProductRow, product_report
from salesflow.metrics.windows import Scope

TREND_MONTHS = 12
TOP_PRODUCTS = 8
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


def parse_month(text: str) -> trends.Span:
    """`2026-11` → that month; anything else is refused."""
    m = _MONTH.fullmatch(text.strip())
    if not m or not 1 <= int(m[2]) <= 12 or int(m[1]) < 1:
        raise SalesflowError(
            _('cannot read month "{text}" — write it as 2026-11').format(text=text)
        )
    return trends.span_of("month", date(int(m[1]), int(m[2]), 1))


def last_month(today: date) -> trends.Span:
    """The last month that has ended: the one a monthly review is about."""
    return trends.span_of("month", today.replace(day=1) - timedelta(days=1))


@dataclass
class Review:
    month: trends.Span
    previous: trends.Span
    this: metrics.Summary
    before: metrics.Summary
    funnel: metrics.Funnel
    trend: trends.Trend  # won value, deals won, win rate per month, this one last
    lost: list[metrics.LostRow]
    products: list[ProductRow]  # report products of the month, the top ones


def _month_scope(scope: Scope, month: trends.Span) -> Scope:
    w = scope.window
    return replace(scope, window=metrics.window(w.at, w.tz, month.start, month.last_day))


def review(scope: Scope, month: trends.Span) -> Review:
    if month.start > scope.window.ref_day:
        message = _("{month} has not begun yet — review this month or an earlier one")
        raise SalesflowError(message.format(month=month.label))
    previous = trends.span_of("month", month.start - timedelta(days=1))
    this_month, month_before = _month_scope(scope, month), _month_scope(scope, previous)
    won_trend = trends.trend(
        scope, "month", TREND_MONTHS, ["won_value", "won", "win_rate"], last_day=month.last_day
    )
    return Review(
        month=month,
        previous=previous,
        this=metrics.summary(this_month),
        before=metrics.summary(month_before),
        funnel=metrics.funnel(this_month),
        trend=won_trend,
        lost=metrics.lost_reasons(this_month),
        products=top_products(this_month),
    )


def top_products(scope: Scope, limit: int = TOP_PRODUCTS) -> list[ProductRow]:
    """`report products` of the window (metrics.products), the rows with anything quoted or
    won: the first `limit` catalogue products in its order (revenue, then quoted value), and
    the free-text lines' row after them."""
    rows = [r for r in product_report(scope) if r.quoted or r.won]
    named = [r for r in rows if r.product_id is not None][:limit]
    return named + [r for r in rows if r.product_id is None]


def record(r: Review, converter: Any) -> dict[str, Any]:
    """The review as plain values: what `--format json` prints and the HTML page is drawn
    from (money as decimal strings in `currency`, rates as fractions)."""
    return {
        "month": r.month.label,
        "start": r.month.start.isoformat(),
        "end": r.month.last_day.isoformat(),
        # False while the month has not ended: its figures are so far (as report trend's)
        "complete": r.trend.rows[-1].complete,
        "previous": r.previous.label,
        "currency": converter.base,
        "kpis": r.this.record(converter),
        "previous_kpis": r.before.record(converter),
        "funnel": [row.record(converter) for row in r.funnel.rows],
        "trend": r.trend.records(converter),
        "lost": [row.record(converter) for row in r.lost],
        "products": [row.record(converter) for row in r.products],
    }
