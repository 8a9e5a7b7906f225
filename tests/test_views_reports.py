"""The report views without a database: plain records in, text out."""

import io

from salesflow.output import reports
from salesflow.output.terminal import Terminal


def term() -> Terminal:
    return Terminal(out=io.StringIO(), err=io.StringIO(), is_tty=False, color=False, width=80)


def test_amounts_in_tables_are_whole_units_rounded_half_up() -> None:
    assert reports.amount("12500.50") == "12,501"
    assert reports.amount("12500.49") == "12,500"
    assert reports.amount(None) == "—"
    assert reports.pct(0.123456) == "12.3%" and reports.pct(None) == "—"


def test_callouts() -> None:
    weakest = {"from_stage": "报价", "to_stage": "谈判", "conversion": 0.25, "reached_from": 8,
               "reached_to": 2}  # fmt: skip
    slowest = {"stage": "proposal", "median_days_in_stage": 12.0, "avg_days_in_stage": 15.5,
               "visits": 1}  # fmt: skip
    assert reports.funnel_callouts(weakest, slowest) == [
        "Weakest step: 报价 → 谈判 converts 25.0% (2 of 8 deals that reached 报价).",
        "Deals sit longest in proposal: median 12.0 days (mean 15.5, 1 visit).",
    ]
    assert reports.funnel_callouts(None, {**slowest, "median_days_in_stage": 0.0}) == []


def test_funnel_bars_look_like_a_funnel() -> None:
    t = term()
    rows = [
        {"stage": s, "kind": k, "probability": p, "reached": n, "conversion": c, "deals": 0,
         "value": "0.00", "weighted_value": "0.00", "currency": "USD",
         "avg_days_in_stage": None, "median_days_in_stage": None}
        for s, k, p, n, c in [("lead", "open", 10, 10, None), ("quote", "open", 50, 5, 0.5),
                              ("won", "won", 100, 2, 0.4), ("lost", "lost", 0, 3, None)]
    ]  # fmt: skip
    reports.funnel(rows, [], t, title="Funnel")
    bars = [line for line in t.out.getvalue().splitlines() if "█" in line]
    widths = [line.count("█") for line in bars]
    assert len(bars) == 3 and widths[0] > widths[1] > widths[2]  # lost has no bar
    # Centred: each narrower bar starts further right.
    starts = [line.index("█") for line in bars]
    assert starts[0] < starts[1] < starts[2]
