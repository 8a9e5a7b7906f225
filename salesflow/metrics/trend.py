"""`report trend`: the summary's figures per local calendar period (ISO week, month, quarter).

Each period's figures are `report summary --since <first day> --until <last day>`: the
period is the summary's own window (metrics.window), and its figures come from the summary's
functions (follow-ups, first touch) or the same conditions on an index that holds one period
as one range (deals closed: leads_closed; migration 14), so every period costs a few index
ranges, not a pass over every lead."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.metrics.groups import check_by, gathered, keyed
from salesflow.metrics.habits import (
    FIRST_TOUCH_SPAN,
    _followups_due,
    _on_time,
    first_touch_median,
    followup_counts,
)
from salesflow.metrics.tally import base_total, mean, median, ratio
from salesflow.metrics.windows import Scope, window
from salesflow.pipeline import LOST, WON

BY = ("week", "month", "quarter")
# The metrics a trend can show, named as in `report summary`'s record (won_value included).
METRICS = (
    "won_value", "won", "lost", "win_rate", "leads_created", "lead_to_win_rate",
    "avg_deal_size", "cycle_days_median", "cycle_days_mean", "followup_timeliness",
    "first_touch_hours_median",
)  # fmt: skip
DEFAULT_METRICS = (
    "won_value", "won", "win_rate", "leads_created", "avg_deal_size", "cycle_days_median",
    "followup_timeliness", "first_touch_hours_median",
)  # fmt: skip
MONEY = frozenset({"won_value", "avg_deal_size"})
MAX_PERIODS = 520


@dataclass(frozen=True)
class Span:
    """One calendar period: its label (`2026-11`, `2026-W47`, `2026-Q4`) and local days."""

    label: str
    start: date
    end: date  # the day after its last day

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def span_of(by: str, day: date) -> Span:
    """The period of kind `by` that `day` falls in."""
    if by == "week":
        year, week, weekday = day.isocalendar()
        monday = day - timedelta(days=weekday - 1)
        return Span(f"{year:04d}-W{week:02d}", monday, monday + timedelta(weeks=1))
    if by == "month":
        start = day.replace(day=1)
        return Span(f"{day.year:04d}-{day.month:02d}", start, _add_months(start, 1))
    if by == "quarter":
        quarter = (day.month - 1) // 3 + 1
        start = date(day.year, 3 * quarter - 2, 1)
        return Span(f"{day.year:04d}-Q{quarter}", start, _add_months(start, 3))
    raise ValueError(by)


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def spans(by: str, count: int, last_day: date) -> list[Span]:
    """The `count` periods ending with the one `last_day` falls in, oldest first."""
    if by not in BY:
        raise SalesflowError(
            _('cannot cut periods by "{by}" — use week, month or quarter').format(by=by)
        )
    if not 1 <= count <= MAX_PERIODS:
        message = _("--periods must be 1–{most}, not {count}")
        raise SalesflowError(message.format(most=MAX_PERIODS, count=count))
    out = [span_of(by, last_day)]
    while len(out) < count:
        try:
            out.append(span_of(by, out[-1].start - timedelta(days=1)))
        except OverflowError:  # before year 1: no earlier periods exist
            break
    return out[::-1]


def year_ago(by: str, span: Span) -> Span | None:
    """The same period a year earlier: the same month, quarter or ISO week number (None when
    that year has no such week, e.g. a week 53)."""
    if by == "week":
        year, week = int(span.label[:4]) - 1, int(span.label[-2:])
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            return None
        return span_of(by, monday)
    try:
        return span_of(by, span.start.replace(year=span.start.year - 1))
    except ValueError:
        return None


def parse_metrics(text: str | None) -> list[str]:
    """`won_value,win_rate` → the metric names, in the order given; None: the defaults."""
    if text is None:
        return list(DEFAULT_METRICS)
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in METRICS]
    if unknown or not names:
        message = _('unknown metric "{name}" — choose from {names}')
        name = unknown[0] if unknown else text
        raise SalesflowError(message.format(name=name, names=", ".join(METRICS)))
    return list(dict.fromkeys(names))


@dataclass
class TrendRow:
    span: Span
    group: str | None
    values: dict[str, Any]  # metric name → int, float, Decimal (base currency) or None
    target: Decimal | None = None  # the period's target in the base currency, if one is set
    of_target: float | None = None  # won value ÷ target
    complete: bool = True  # False: the period has not ended (today is in it)

    def record(self, metrics: list[str], grouped: bool, converter: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"period": self.span.label}
        if grouped:
            out["group"] = self.group
        out["start"] = self.span.start.isoformat()
        out["end"] = self.span.last_day.isoformat()
        out["complete"] = self.complete
        for name in metrics:
            value = self.values.get(name)
            out[name] = converter.text(value) if name in MONEY else value
        out["target"] = converter.text(self.target)
        out["of_target"] = self.of_target
        out["currency"] = converter.base
        return out


@dataclass
class Trend:
    by: str
    metrics: list[str]
    group: str | None  # what the rows are grouped by (report breakdown's --by), None: not
    spans: list[Span]
    rows: list[TrendRow]  # per period (per group), oldest first
    # The year-ago period of the last one, per group: the change vs the same period last year.
    year_ago: dict[str | None, TrendRow] = field(default_factory=dict)

    def record_keys(self) -> list[str]:
        head = ["period", *(["group"] if self.group else []), "start", "end", "complete"]
        return [*head, *self.metrics, "target", "of_target", "currency"]

    def records(self, converter: Any) -> list[dict[str, Any]]:
        return [r.record(self.metrics, self.group is not None, converter) for r in self.rows]


# ---- one period at a time ------------------------------------------------------------


def _grouping(group: str | None, lead: str = "t.id") -> tuple[str, str, dict[str, str], bool]:
    """(join, key, params, from_row) of `group` (metrics.groups.keyed, the breakdown's own,
    inside trend()'s gathered()), or one group for every lead."""
    return keyed(group, lead, gathered=group == "product") if group else ("", "NULL", {}, False)


def trend(
    scope: Scope,
    by: str,
    count: int,
    metrics: list[str],
    group: str | None = None,
    last_day: date | None = None,
) -> Trend:
    """The figures per period for the `count` periods up to the one holding `last_day`
    (default: the scope's reference day, today), plus the year-ago period of the last one;
    per `group` (anything `report breakdown --by` takes) when one is given."""
    if group is not None:
        from salesflow import fields

        group = check_by(group, fields.declared(scope.conn), option="--group")
    chosen = spans(by, count, last_day or scope.window.ref_day)
    extra = year_ago(by, chosen[-1])
    every = chosen + ([extra] if extra is not None and extra not in chosen else [])
    names: dict[str | None, str | None] = {}
    cells: list[dict[str | None, dict[str, Any]]] = []
    with gathered(scope.conn, group or ""):  # the leads' products, once
        for span in every:
            # The summary's own window for the period: the same bounds, the same SQL.
            period = replace(scope, window=window(scope.window.at, scope.window.tz, span.start,
                                                  span.last_day))  # fmt: skip
            found: dict[str | None, dict[str, Any]] = {}

            def cell(key: str | None, found: dict[str | None, dict[str, Any]] = found) -> dict:
                fold = key.casefold() if key else None
                seen = names.get(fold, key)
                # One spelling whatever order SQLite returns the groups in (as breakdown does).
                names[fold] = min(seen, key) if seen and key else seen or key
                return found.setdefault(fold, {})

            _closed(period, group, cell)
            _created(period, group, "lead_to_win_rate" in metrics, cell)
            if "followup_timeliness" in metrics:
                _followups(period, group, cell)
            if "first_touch_hours_median" in metrics:
                _first_touch(period, group, cell)
            cells.append(found)
    targets = _targets(scope, every) if by != "week" else {}
    keys: set[str | None] = {k for found in cells for k in found} if group else {None}
    if group == "grade":  # A, B and C always show, as in report grades
        keys |= {"a", "b", "c"}
        for g in "ABC":
            names.setdefault(g.casefold(), g)
    order = sorted(keys, key=lambda k: (k is None, k or ""))

    def row(p: int, fold: str | None) -> TrendRow:
        values = _figures(scope, cells[p].get(fold, {}))
        out = TrendRow(every[p], names.get(fold, fold), values)
        out.complete = every[p].end <= scope.window.ref_day
        if group is None and (target := targets.get(every[p].label)) is not None:
            out.target = target
            out.of_target = ratio(values["won_value"], target)
        return out

    rows = [row(p, k) for p in range(len(chosen)) for k in order]
    past = {}
    if extra is not None:
        past = {r.group: r for r in (row(every.index(extra), k) for k in order)}
    return Trend(by, metrics, group, chosen, rows, past)


def _figures(scope: Scope, c: dict[str, Any]) -> dict[str, Any]:
    """The summary's arithmetic (metrics.kpis.summary) on one period's counts."""
    converter = scope.converter
    won_value = base_total(converter, c.get("won_money", []))
    valued = sum(n for cur, n in c.get("won_valued", []) if converter.can_convert(cur))
    won, lost = c.get("won", 0), c.get("lost", 0)
    cycle = c.get("cycle", {})
    created = c.get("created", 0)
    return {
        "won_value": won_value,
        "won": won,
        "lost": lost,
        "win_rate": ratio(won, won + lost),
        "leads_created": created,
        "lead_to_win_rate": ratio(c.get("created_won", 0), created),
        "avg_deal_size": won_value / valued if valued else None,
        "cycle_days_median": median(cycle),
        "cycle_days_mean": mean(cycle),
        "followup_timeliness": ratio(c.get("on_time", 0), c.get("due", 0)),
        "first_touch_hours_median": c.get("first_touch"),
    }


def _closed(scope: Scope, group: str | None, cell: Any) -> None:
    """Deals won or lost in the period: counts, value per currency, won deals by cycle days
    (the summary's tallies, off the closed deals' index range)."""
    window, days = scope.window, scope.days
    span = f"{days.day('closed_at')} - {days.day('created_at')}"
    join, key, params, _row = _grouping(group)
    rows = scope.conn.execute(
        f"SELECT {key} AS k, stage, currency, "
        f"CASE WHEN stage = '{WON}' THEN {span} END AS cyc, count(*), "
        "coalesce(sum(value_minor), 0), count(value_minor) "
        f"FROM leads AS t INDEXED BY leads_closed {join} "
        f"WHERE closed_at IS NOT NULL AND {window.within('closed_at')} "
        f"AND stage IN ('{WON}', '{LOST}') GROUP BY k, stage, currency, cyc",
        {**scope.params, **params},
    )
    for key, stage, currency, cyc, n, minor, valued in rows:
        c = cell(key)
        if stage == LOST:
            c["lost"] = c.get("lost", 0) + n
            continue
        c["won"] = c.get("won", 0) + n
        c.setdefault("won_money", []).append((currency, minor))
        c.setdefault("won_valued", []).append((currency, valued))
        hist = c.setdefault("cycle", {})
        hist[cyc] = hist.get(cyc, 0) + n


def _created(scope: Scope, group: str | None, won: bool, cell: Any) -> None:
    """Leads created in the period, and (for lead-to-win) how many of them are won now."""
    within = scope.window.within("created_at")
    if group is None and not won:
        n = scope.conn.execute(
            f"SELECT count(*) FROM leads INDEXED BY leads_created_at WHERE {within}",
            scope.params,
        ).fetchone()[0]
        cell(None)["created"] = n
        return
    join, key, params, _row = _grouping(group)
    rows = scope.conn.execute(
        f"SELECT {key} AS k, count(*), sum(stage = '{WON}') FROM leads AS t {join} "
        f"WHERE {within} GROUP BY k",
        {**scope.params, **params},
    )
    for key, n, n_won in rows:
        c = cell(key)
        c["created"] = c.get("created", 0) + n
        c["created_won"] = c.get("created_won", 0) + n_won


def _followups(scope: Scope, group: str | None, cell: Any) -> None:
    """Follow-ups due in the period whose day is over, and those done by it: the summary's
    followup_counts, per group with the same conditions."""
    if group is None:
        due, on_time = followup_counts(scope)
        c = cell(None)
        c["due"], c["on_time"] = due, on_time
        return
    # Counted per lead first, then each lead looked up once: the follow-ups' own conditions
    # inside, where their column names mean theirs. A customer's check-in (no lead) is in no
    # group.
    join, key, params, from_row = _grouping(group, "f.lid")
    if from_row:
        join = f"LEFT JOIN leads t ON t.id = f.lid {join}"
    rows = scope.conn.execute(
        f"SELECT {key} AS k, sum(f.n), sum(f.ok) FROM ("
        f"SELECT lead_id AS lid, count(*) AS n, coalesce(sum({_on_time(scope)}), 0) AS ok "
        f"FROM followups WHERE {_followups_due(scope)} GROUP BY lead_id) f {join} GROUP BY k",
        {**scope.params, **params},
    )
    for k, n, ok in rows:
        c = cell(k)
        c["due"] = c.get("due", 0) + n
        c["on_time"] = c.get("on_time", 0) + ok


def _first_touch(scope: Scope, group: str | None, cell: Any) -> None:
    """Median hours to first touch of the leads created in the period: the summary's
    first_touch_median; per group, the middle one or two by rank within each group."""
    if group is None:
        n, hours = first_touch_median(scope)
        cell(None)["first_touch"] = hours
        return
    join, key, params, _row = _grouping(group)
    rows = scope.conn.execute(
        # Groups differing only in case are one group (SQLite folds ASCII only, as
        # breakdown's spellings mostly are).
        "SELECT min(k), avg(h) FROM (SELECT k, h, "
        "row_number() OVER (PARTITION BY k COLLATE NOCASE ORDER BY span) AS r, "
        "count(*) OVER (PARTITION BY k COLLATE NOCASE) AS n FROM ("
        f"SELECT {key} AS k, {FIRST_TOUCH_SPAN} AS span, "
        f"max(0.0, {FIRST_TOUCH_SPAN} * 24) AS h FROM leads AS t {join} "
        "WHERE first_touch_at IS NOT NULL AND first_touch_at <= :at AND created_at <= :at "
        f"AND {scope.window.within('created_at')})) "
        "WHERE r IN ((n + 1) / 2, n / 2 + 1) GROUP BY k COLLATE NOCASE",
        {**scope.params, **params},
    )
    for key, hours in rows:
        cell(key)["first_touch"] = round(hours, 4)


def _targets(scope: Scope, chosen: list[Span]) -> dict[str, Decimal]:
    """The targets set for these periods (month or quarter), in the base currency."""
    from salesflow import targets

    labels = {s.label for s in chosen}
    out = {}
    for t in targets.all_targets(scope.conn):
        if t.period.text not in labels:
            continue
        if scope.converter.can_convert(t.currency):
            out[t.period.text] = scope.converter.to_base(t.currency, t.amount_minor)
        else:
            scope.converter.missing.add(t.currency)
    return out
