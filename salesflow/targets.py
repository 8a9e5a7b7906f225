"""Sales targets per month, quarter or year, and how the won deals and the pipeline measure
up against them."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from salesflow import dates, metrics, money
from salesflow.errors import Hint, NotFound, SalesflowError
from salesflow.fx import Converter
from salesflow.i18n import N_, _
from salesflow.metrics import Scope
from salesflow.pipeline import WON

_PERIOD = re.compile(r"(?P<y>[0-9]{4})(?:-(?:(?P<m>[0-9]{1,2})|[qQ](?P<q>[0-9])))?")
_HINT = N_("write a month (2026-12), a quarter (2026-Q4) or a year (2026)")


@dataclass(frozen=True)
class Period:
    text: str  # normalised: 2026-12, 2026-Q4 or 2026
    start: date  # first local day
    end: date  # the day after the last one

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.end.toordinal() - 1)


def parse_period(text: str) -> Period:
    m = _PERIOD.fullmatch(text.strip())
    if not m:
        raise SalesflowError(
            _('cannot read period "{text}" — {hint}').format(text=text, hint=_(_HINT))
        )
    year = int(m["y"])
    if not dates.FIRST_YEAR <= year <= dates.LAST_YEAR:
        raise SalesflowError(
            _(
                'period "{text}" is outside the years '
                "{first_year}–{last_year} that salesflow keeps dates in — "
                "{hint}"
            ).format(
                text=text, first_year=dates.FIRST_YEAR, last_year=dates.LAST_YEAR, hint=_(_HINT)
            )
        )
    if m["m"]:
        month = int(m["m"])
        if not 1 <= month <= 12:
            raise SalesflowError(
                _('period "{text}": months run 01–12 — {hint}').format(text=text, hint=_(_HINT))
            )
        end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return Period(f"{year:04d}-{month:02d}", date(year, month, 1), end)
    if m["q"]:
        quarter = int(m["q"])
        if not 1 <= quarter <= 4:
            raise SalesflowError(
                _('period "{text}": quarters run Q1–Q4 — {hint}').format(text=text, hint=_(_HINT))
            )
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return Period(f"{year:04d}-Q{quarter}", start, end)
    return Period(f"{year:04d}", date(year, 1, 1), date(year + 1, 1, 1))


@dataclass(frozen=True)
class Target:
    period: Period
    amount_minor: int
    currency: str
    created_at: str
    updated_at: str

    def record(self) -> dict[str, Any]:
        values = (
            self.period.text, self.period.start.isoformat(), self.period.last_day.isoformat(),
            money.to_decimal_string(self.amount_minor, self.currency), self.currency,
            self.updated_at,
        )  # fmt: skip
        return dict(zip(RECORD_KEYS, values, strict=True))


# The columns of Target.record, so an empty CSV/TSV `target list` still has its header row.
RECORD_KEYS = ["period", "start", "end", "amount", "currency", "updated_at"]


def _target(row: tuple) -> Target:
    period, amount, currency, created, updated = row
    return Target(parse_period(period), amount, currency, created, updated)


def get(conn: sqlite3.Connection, period: Period) -> Target | None:
    row = conn.execute(
        "SELECT period, amount_minor, currency, created_at, updated_at FROM targets "
        "WHERE period = ?",
        (period.text,),
    ).fetchone()
    return _target(row) if row else None


def set_target(
    conn: sqlite3.Connection, period: Period, amount: money.Money, now_iso: str
) -> tuple[Target, Target | None]:
    """Set (or replace) the target of `period`; returns it and the one it replaced."""
    if amount.minor <= 0:
        raise SalesflowError(
            _("a target must be more than zero, not {amount}").format(amount=amount),
            hint=Hint("target.set_example", period=period.text),
        )
    previous = get(conn, period)
    conn.execute(
        "INSERT INTO targets (period, amount_minor, currency, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (period) DO UPDATE SET "
        "amount_minor = excluded.amount_minor, currency = excluded.currency, "
        "updated_at = excluded.updated_at",
        (period.text, amount.minor, amount.currency, now_iso, now_iso),
    )
    current = get(conn, period)
    assert current is not None
    return current, previous


def all_targets(conn: sqlite3.Connection) -> list[Target]:
    rows = conn.execute(
        "SELECT period, amount_minor, currency, created_at, updated_at FROM targets"
    ).fetchall()
    # By start day; at one start the year before its quarter before its month.
    targets = [_target(r) for r in rows]
    return sorted(targets, key=lambda t: (t.period.start, -t.period.end.toordinal()))


def remove(conn: sqlite3.Connection, period: Period) -> Target:
    found = get(conn, period)
    if found is None:
        raise NotFound(_("no target for {text}").format(text=period.text), hint=Hint("target.list"))
    conn.execute("DELETE FROM targets WHERE period = ?", (period.text,))
    return found


@dataclass
class Progress:
    target: Target
    amount: Decimal | None  # the target in the base currency (None: its currency has no rate)
    won: Decimal
    won_deals: int
    elapsed: float  # share of the period gone by at t, 0-1
    done: float | None  # won / target
    projected: Decimal | None  # won at the same pace over the whole period
    weighted_pipeline: Decimal | None  # open deals expected to close in the period x probability
    pipeline_deals: int
    coverage: float | None  # weighted pipeline / what is still missing

    def record(self, converter: Converter) -> dict[str, Any]:
        return {
            "period": self.target.period.text,
            "start": self.target.period.start.isoformat(),
            "end": self.target.period.last_day.isoformat(),
            "target": converter.text(self.amount),
            "won": converter.text(self.won),
            "won_deals": self.won_deals,
            "done": self.done,
            "elapsed": self.elapsed,
            "projected": converter.text(self.projected),
            "weighted_pipeline": converter.text(self.weighted_pipeline),
            "pipeline_deals": self.pipeline_deals,
            "coverage": self.coverage,
            "currency": converter.base,
        }


def progress(scope: Scope, only: Period | None = None) -> list[Progress]:
    """Each target against the deals won in its period up to t and the weighted open deals
    whose expected close falls in the period (for periods not yet over)."""
    chosen = all_targets(scope.conn)
    if only is not None:
        chosen = [t for t in chosen if t.period.text == only.text]
        if not chosen:
            raise NotFound(
                _("no target for {text}").format(text=only.text),
                hint=Hint("target.set", period=only.text),
            )
    return [_progress(scope, t) for t in chosen]


def _progress(scope: Scope, target: Target) -> Progress:
    converter, window = scope.converter, scope.window
    begin = metrics.day_start(target.period.start, window.tz)
    finish = metrics.day_start(target.period.end, window.tz)
    elapsed = (window.at - begin).total_seconds() / (finish - begin).total_seconds()
    elapsed = min(max(elapsed, 0.0), 1.0)
    won, won_deals = won_in(scope, target.period)
    weighted, deals = None, 0
    if elapsed < 1:
        weighted, deals = _closing_in(scope, target.period)
    amount = None
    if converter.can_convert(target.currency):
        amount = converter.to_base(target.currency, target.amount_minor)
    else:
        converter.missing.add(target.currency)
    projected = None
    if elapsed >= 1:
        projected = won
    elif elapsed > 0:
        projected = won / Decimal(str(elapsed))
    coverage = None
    if amount is not None and weighted is not None and amount > won:
        coverage = metrics.ratio(weighted, amount - won)
    return Progress(
        target=target,
        amount=amount,
        won=won,
        won_deals=won_deals,
        elapsed=round(elapsed, 6),
        done=metrics.ratio(won, amount) if amount else None,
        projected=projected,
        weighted_pipeline=weighted,
        pipeline_deals=deals,
        coverage=coverage,
    )


@dataclass
class Undated:
    """Open deals with no expected close date: no period's pipeline counts them."""

    deals: int
    value: Decimal  # open value in the base currency
    weighted: Decimal  # × stage probability

    def record(self, converter: Converter) -> dict[str, Any]:
        return {
            "period": "undated", "start": None, "end": None, "target": None, "won": None,
            "won_deals": None, "done": None, "elapsed": None, "projected": None,
            "weighted_pipeline": converter.text(self.weighted), "pipeline_deals": self.deals,
            "coverage": None, "currency": converter.base,
        }  # fmt: skip


def undated(scope: Scope) -> Undated:
    marks = {f"o{i}": name for i, name in enumerate(scope.open_names)}
    if not marks:
        return Undated(0, Decimal(0), Decimal(0))
    probability = {s.name: s.probability for s in scope.stages}
    rows = scope.conn.execute(
        f"SELECT stage, currency, count(*), coalesce(sum(value_minor), 0) FROM {scope.source} "
        f"WHERE stage IN ({', '.join(':' + m for m in marks)}) AND expected_close IS NULL "
        "GROUP BY stage, currency",
        marks,
    ).fetchall()
    to_base = scope.converter.to_base
    value = sum((to_base(cur, minor) for __, cur, __, minor in rows), Decimal(0))
    weighted = sum(
        (to_base(cur, minor * probability[stage]) for stage, cur, __, minor in rows), Decimal(0)
    ) / Decimal(100)
    return Undated(sum(n for __, __, n, __ in rows), value, weighted)


def won_in(scope: Scope, period: Period) -> tuple[Decimal, int]:
    """The value (base currency) and number of deals won in the period up to the window's t."""
    window = scope.window
    won_rows = scope.conn.execute(
        f"SELECT currency, count(*), coalesce(sum(value_minor), 0) FROM {scope.source} "
        f"WHERE stage = '{WON}' AND closed_at >= :a AND closed_at < :b AND closed_at <= :at "
        "GROUP BY currency",
        {
            "a": dates.to_utc_iso(metrics.day_start(period.start, window.tz)),
            "b": dates.to_utc_iso(metrics.day_start(period.end, window.tz)),
            "at": window.at_iso,
        },
    ).fetchall()
    won = sum((scope.converter.to_base(cur, minor) for cur, __, minor in won_rows), Decimal(0))
    return won, sum(n for __, n, __ in won_rows)


def _closing_in(scope: Scope, period: Period) -> tuple[Decimal, int]:
    params: dict[str, Any] = {"a": period.start.isoformat(), "b": period.end.isoformat()}
    marks = []
    for i, name in enumerate(scope.open_names):
        params[f"o{i}"] = name
        marks.append(f":o{i}")
    if not marks:
        return Decimal(0), 0
    probability = {s.name: s.probability for s in scope.stages}
    rows = scope.conn.execute(
        f"SELECT stage, currency, count(*), coalesce(sum(value_minor), 0) FROM {scope.source} "
        f"WHERE stage IN ({', '.join(marks)}) AND expected_close >= :a AND expected_close < :b "
        "GROUP BY stage, currency",
        params,
    ).fetchall()
    weighted = sum(
        (
            scope.converter.to_base(cur, minor * probability[stage])
            for stage, cur, __, minor in rows
        ),
        Decimal(0),
    ) / Decimal(100)
    return weighted, sum(n for __, __, n, __ in rows)
