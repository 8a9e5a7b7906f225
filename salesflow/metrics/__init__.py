"""The numbers behind `salesflow report`, computed from the stored history as SQL aggregates.

The definitions are stated in salesflow/definitions.py (shown by `salesflow report --help`);
tests/test_metrics.py pins each one against values worked out by hand.

    windows     the window a report covers, local days in SQL, each lead's state (Scope)
    tally       per-(key, stage, currency) counts, medians and means of day histograms
    kpis        the KPI board (report summary)
    habits      follow-up timeliness, first touch, activity per week
    stages      how far deals got (reach) and their days in each stage
    funnels     the funnel and stage-to-stage conversion
    breakdowns  lost reasons, and the summary per source or grade
"""

from salesflow.metrics.breakdowns import (
    GROUP_KEYS,
    LOST_KEYS,
    GroupRow,
    LostRow,
    breakdown,
    lost_reasons,
)
from salesflow.metrics.funnels import (
    FEW_DEALS,
    PRIOR_DEALS,
    Bottleneck,
    ConversionRow,
    Funnel,
    FunnelRow,
    calibrated,
    conversion,
    funnel,
)
from salesflow.metrics.habits import (
    FIRST_TOUCH_SPAN,
    ON_TIME_UTC,
    Activity,
    WeekRow,
    activity,
    activity_window,
    first_touch_median,
    followup_counts,
)
from salesflow.metrics.kpis import Summary, repeat_customers, summary
from salesflow.metrics.stages import VISIT_DAYS, Reach, reach, stage_days
from salesflow.metrics.tally import (
    Tally,
    base_total,
    cycle_histogram,
    mean,
    median,
    ratio,
    tallies,
)
from salesflow.metrics.windows import (
    LocalDays,
    Scope,
    Window,
    day_start,
    jdn_to_date,
    local_days,
    scope,
    window,
)

__all__ = [
    "FEW_DEALS",
    "FIRST_TOUCH_SPAN",
    "GROUP_KEYS",
    "LOST_KEYS",
    "ON_TIME_UTC",
    "PRIOR_DEALS",
    "VISIT_DAYS",
    "Activity",
    "Bottleneck",
    "ConversionRow",
    "Funnel",
    "FunnelRow",
    "GroupRow",
    "LocalDays",
    "LostRow",
    "Reach",
    "Scope",
    "Summary",
    "Tally",
    "WeekRow",
    "Window",
    "activity",
    "activity_window",
    "base_total",
    "breakdown",
    "calibrated",
    "conversion",
    "cycle_histogram",
    "day_start",
    "first_touch_median",
    "followup_counts",
    "funnel",
    "jdn_to_date",
    "local_days",
    "lost_reasons",
    "mean",
    "median",
    "ratio",
    "reach",
    "repeat_customers",
    "scope",
    "stage_days",
    "summary",
    "tallies",
    "window",
]
