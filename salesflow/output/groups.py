"""The tables of `report products` and `report breakdown` (figures per group)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from salesflow.i18n import _
from salesflow.output import Column
from salesflow.output.reports import DASH, _money_col, _num, _pct_col


def product_label(row: dict[str, Any]) -> str:
    if row["product"] is None:
        return _("other (free text)")
    return f"{row['sku']} {row['product']}" if row["sku"] else row["product"]


def _count(value: Any) -> str:
    """12,500 and 1,234.5: counts and quantities (decimal strings) grouped by thousands."""
    return f"{Decimal(str(value)):,f}"


def product_columns() -> list[Column]:
    return [
        Column("product", _("Product"), style="bold", get=product_label),
        _num("quoted", _("Quoted"), _count),
        _num("quoted_quantity", _("Qty"), _count, hide=1),
        _money_col("quoted_value", _("Quoted value"), hide=3),
        _num("won", _("Won"), _count),
        _num("won_quantity", _("Won qty"), _count, hide=2),
        _money_col("revenue", _("Revenue")),
        _pct_col("win_rate", _("Win")),
        _pct_col("avg_discount", _("Disc"), hide=4),
        _pct_col("revenue_share", _("Share"), hide=5),
    ]


def breakdown_columns(name: str) -> list[Column]:
    """`report breakdown`: the columns of `report sources`, then the pipeline's, which a
    narrow terminal hides first."""
    from dataclasses import replace

    from salesflow.output.reports import breakdown_columns as group_columns

    own = [replace(c, hide=c.hide + 3) if c.hide else c for c in group_columns(name)]
    return [
        *own,
        _num("open_deals", _("Open"), hide=1),
        _money_col("pipeline", _("Pipeline"), hide=3),
        _money_col("weighted_pipeline", _("Weighted"), hide=2),
    ]


__all__ = ["DASH", "breakdown_columns", "product_columns", "product_label"]
