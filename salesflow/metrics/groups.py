"""`report breakdown --by`: the summary's figures per source, grade, customer segment, product
or custom lead field, all from the same tallies (metrics/tally.py) and definitions.

What a lead's group is:
- `source`, `grade`: the lead's own (as `report sources` / `report grades`).
- `segment`: the segment of the customer the lead belongs to — its customer while it is won,
  else the customer of its company's name (its name without a company), as a win would join
  it; none for a lead of no known customer.
- `product`: every catalogue product its quotes name (any version, drafts included), by SKU
  (else name): a lead quoted two products is in both groups, so the groups' sums can exceed
  the whole; a lead whose quotes name none is in none.
- a custom field (`config fields`): its value, trimmed; none without one.
Groups are matched ignoring case; "none" is the lead without a group.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.metrics.breakdowns import GroupRow, breakdown
from salesflow.metrics.tally import Tally
from salesflow.metrics.windows import Scope
from salesflow.pipeline import WON

BUILT_IN = ("source", "grade", "segment", "product")

_SEGMENT = (
    "coalesce((SELECT c.segment FROM customers c WHERE c.id = t.customer_id), "
    "(SELECT c.segment FROM leads x JOIN customers c ON c.name = "
    "trim(coalesce(nullif(trim(x.company), ''), x.name)) COLLATE NOCASE WHERE x.id = t.id))"
)
# Every (lead, product its quotes name) once.
_LEAD_PRODUCTS = (
    "SELECT DISTINCT q.lead_id, coalesce(p.sku, p.name) AS product FROM quotes q "
    "JOIN quote_items i ON i.quote_id = q.id JOIN products p ON p.id = i.product_id"
)
_PRODUCTS = f"LEFT JOIN ({_LEAD_PRODUCTS}) g ON g.lead_id = {{lead}}"
# The same, gathered once (gathered()) for a set of queries that would each gather it again.
_GATHERED = "LEFT JOIN temp.lead_products g ON g.lead_id = {lead}"
_FIELD = "LEFT JOIN lead_fields g ON g.lead_id = {lead} AND g.field = :field"


def check_by(by: str, declared: list[str], option: str = "--by") -> str:
    """`--by` (`report trend --group`): a built-in grouping or a declared field (any case),
    as its canonical name."""
    text = by.strip()
    for name in (*BUILT_IN, *declared):
        if text.casefold() == name.casefold():
            return name
    shown = ", ".join((*BUILT_IN, *declared))
    if option == "--group":
        message = _('--group "{group}" is not something to group by — use one of: {shown}')
        raise SalesflowError(message.format(group=text, shown=shown))
    raise SalesflowError(
        _('--by "{by}" is not something to group by — use one of: {shown}').format(
            by=text, shown=shown
        )
    )


def keyed(
    by: str, lead: str = "t.id", *, gathered: bool = False
) -> tuple[str, str, dict[str, str], bool]:
    """(join, key, params, from_row) putting a lead in its group of `by` (a name check_by
    gave): what breakdown and trend both group by. `t` is the lead's row of `leads` and
    `lead` its id; from_row says the key reads `t` (source, grade, segment), else the join
    needs only the id. The key is trimmed, '' is none. The join adds `g` (lead_fields, or
    the leads' products), which shares no column name with leads but `id`: a query may
    name leads' other columns without `t.`. `gathered`: inside gathered(), whose table the
    product join reads."""
    if by in ("source", "grade"):
        return "", f"nullif(trim(t.{by}), '')", {}, True
    if by == "segment":
        return "", f"nullif(trim({_SEGMENT}), '')", {}, True
    if by == "product":
        join, key = (_GATHERED if gathered else _PRODUCTS), "g.product"
    else:
        join, key = _FIELD, "g.value"
    return join.format(lead=lead), f"nullif(trim({key}), '')", {"field": by}, False


@contextmanager
def gathered(conn: sqlite3.Connection, by: str) -> Iterator[bool]:
    """For the many queries of `report trend` (four a period): the leads' products gathered
    once into a temporary table, which keyed(…, gathered=True) joins, instead of SQLite
    gathering them again for every query. Yields whether it did (only `product` needs it);
    the table goes with the block. A temporary table lives outside the database file, so
    this works on a read-only connection too."""
    if by != "product":
        yield False
        return
    conn.execute(f"CREATE TEMP TABLE lead_products AS {_LEAD_PRODUCTS}")
    try:
        conn.execute("CREATE INDEX temp.lead_products_lead ON lead_products (lead_id)")
        yield True
    finally:
        conn.execute("DROP TABLE temp.lead_products")


def group_tallies(scope: Scope, by: str) -> list[Tally]:
    """Tallies (tally.tallies' shape) keyed by segment, product or a custom field: one pass
    over the leads' state, won deals split by cycle length in the same grouping."""
    window, days = scope.window, scope.days
    join, key, params, _row = keyed(by)
    cohort = window.within("t.created_at")
    closed = f"t.closed_at IS NOT NULL AND {window.within('t.closed_at')}"
    span = f"{days.day('t.closed_at')} - {days.day('t.created_at')}"
    cycle = f"CASE WHEN t.stage = '{WON}' AND {closed} THEN {span} END"
    sums = (
        f"count(*), coalesce(sum(t.value_minor), 0), sum({cohort}), "
        f"coalesce(sum(CASE WHEN {cohort} THEN t.value_minor END), 0), sum({closed}), "
        f"coalesce(sum(CASE WHEN {closed} THEN t.value_minor END), 0), "
        f"count(CASE WHEN {closed} THEN t.value_minor END)"
    )
    rows = scope.conn.execute(
        f"SELECT {key} AS k, t.stage, t.currency, {cycle} AS cyc, {sums} "
        f"FROM {scope.source} AS t NOT INDEXED {join} GROUP BY k, t.stage, t.currency, cyc",
        {**scope.params, **params},
    )
    return [Tally(*row) for row in rows]


def by_group(scope: Scope, by: str) -> list[GroupRow]:
    """`report breakdown --by`: every group's row, with its open pipeline."""
    if by in ("source", "grade"):
        return breakdown(scope, by, pipeline=True)
    return breakdown(scope, by, group_tallies(scope, by), pipeline=True)
