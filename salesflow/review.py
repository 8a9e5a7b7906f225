"""The monthly review (`salesflow report review`): one month's KPIs beside the month before,
the funnel of the leads created in it, won value month by month against the targets, why
deals were lost, and what was quoted most — every figure from the reports' own functions, so
the review and `report summary --since … --until …` never disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from salesflow import metrics
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.metrics import trend as trends
from salesflow.metrics.windows import Scope

TREND_MONTHS = 12
TOP_LINES = 8
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
class QuotedLine:
    description: str
    quotes: int  # quotes the line appears on
    quantity: str  # summed, as a decimal string
    amount: Any  # Decimal in the base currency: line amounts after line discounts


@dataclass
class Review:
    month: trends.Span
    previous: trends.Span
    this: metrics.Summary
    before: metrics.Summary
    funnel: metrics.Funnel
    trend: trends.Trend  # won value, deals won, win rate per month, this one last
    lost: list[metrics.LostRow]
    quoted: list[QuotedLine]


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
        quoted=quoted_lines(this_month),
    )


def quoted_lines(scope: Scope, limit: int = TOP_LINES) -> list[QuotedLine]:
    """The quote lines most quoted in the window: lines of the quotes issued in it (sent,
    accepted or rejected; drafts are not offers yet), grouped by description ignoring case and
    surrounding spaces, by amount in the base currency."""
    from decimal import Decimal

    w = scope.window
    rows = scope.conn.execute(
        "SELECT min(trim(i.description)), q.currency, count(DISTINCT q.id), "
        "group_concat(i.quantity, ' '), sum(i.amount_minor) FROM quote_items i "
        "JOIN quotes q ON q.id = i.quote_id WHERE q.status != 'draft' "
        "AND q.issued_on >= :since_day AND q.issued_on <= :until_day "
        "GROUP BY trim(i.description) COLLATE NOCASE, q.currency",
        w.params,
    ).fetchall()
    merged: dict[str, QuotedLine] = {}
    for text, currency, n, quantities, minor in rows:
        key = text.casefold()
        amount = scope.converter.to_base(currency, minor)
        qty = sum((Decimal(q) for q in quantities.split()), Decimal(0))
        if key in merged:
            old = merged[key]
            total = Decimal(old.quantity) + qty
            merged[key] = QuotedLine(
                min(old.description, text), old.quotes + n, str(total), old.amount + amount
            )
        else:
            merged[key] = QuotedLine(text, n, str(qty), amount)
    ordered = sorted(merged.values(), key=lambda r: (-r.amount, -r.quotes, r.description))
    return ordered[:limit]


def record(r: Review, converter: Any) -> dict[str, Any]:
    """The review as plain values: what `--format json` prints and the HTML page is drawn
    from (money as decimal strings in `currency`, rates as fractions)."""
    metrics_shown = r.trend.metrics
    return {
        "month": r.month.label,
        "start": r.month.start.isoformat(),
        "end": r.month.last_day.isoformat(),
        "previous": r.previous.label,
        "currency": converter.base,
        "kpis": r.this.record(converter),
        "previous_kpis": r.before.record(converter),
        "funnel": [row.record(converter) for row in r.funnel.rows],
        "trend": [row.record(metrics_shown, None, converter) for row in r.trend.rows],
        "lost": [row.record(converter) for row in r.lost],
        "quoted": [
            {
                "description": q.description,
                "quotes": q.quotes,
                "quantity": q.quantity,
                "amount": converter.text(q.amount),
            }
            for q in r.quoted
        ],
    }
