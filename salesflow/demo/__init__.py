"""The demo pipeline generator: a year of believable selling history from a seed.

`fill` (fill.py) runs the steps: deals walk the pipeline (deals.py, on clock.py's integer time
and dice.py's seeded draws), their history is written (history.py), won deals become
customers (customers.py), and deals that reached the quote stage get offers (terms.py,
offers.py, quote_rows.py). words.py holds the names and notes it combines.
"""

from salesflow.demo.clock import HISTORY_DAYS, Clock
from salesflow.demo.deals import GRADE_PROFILES, REPEAT_SOURCE, GradeProfile, Progress
from salesflow.demo.fill import TABLES, DemoSummary, fill, lead_count, set_default_currency

__all__ = [
    "GRADE_PROFILES", "HISTORY_DAYS", "REPEAT_SOURCE", "TABLES", "Clock", "DemoSummary",
    "GradeProfile", "Progress", "fill", "lead_count", "set_default_currency",
]  # fmt: skip
