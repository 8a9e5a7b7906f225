"""`salesflow report review`: the monthly review's numbers on a hand-built month, its HTML
(inline SVG, escaped text, no script), the file it writes, and bad input."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest


@pytest.fixture
def month(ok, monkeypatch) -> None:
    """All 09:00 UTC. October: #1 Old created 10-05 (4,000), won 10-20.
    November: #2 Ann created 11-02 (10,000), quoted 11-02 the catalogue's G2 2 × 3,000 and
    a free-text "Install" 1 × 4,000 (no tax), accepted 11-12 (won, 10,000); #3 Bob created
    11-03 (5,000), quoted 11-04 " gateway g2 " 1 × 2,900, lost 11-06 for "<b>price</b>".
    Today is 11-23."""

    def on(day: str, *args: str) -> None:
        monkeypatch.setenv("SALESFLOW_NOW", f"2026-{day}T09:00:00Z")
        ok(*args)

    on("10-05", "lead", "add", "Old", "--value", "4000")
    on("10-20", "advance", "1", "won")
    on("11-01", "product", "add", "Gateway G2", "--sku", "G2", "--price", "3000")
    on("11-01", "product", "add", "Spare kit", "--price", "500")  # never quoted
    on("11-02", "lead", "add", "Ann", "--value", "10000")
    on("11-02", "quote", "new", "2", "--item", "G2; 2", "--item", "Install; 1; 4000")
    on("11-02", "quote", "send", "Q-2026-0001")
    on("11-03", "lead", "add", "Bob", "--value", "5000")
    on("11-04", "quote", "new", "3", "--item", " gateway g2 ; 1; 2900")
    on("11-04", "quote", "send", "Q-2026-0002")
    on("11-06", "advance", "3", "lost", "--reason", "<b>price</b>")
    on("11-12", "quote", "accept", "Q-2026-0001")
    ok("target", "set", "2026-11", "20000")
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T09:00:00Z")


def test_the_numbers_of_a_month(ok, month) -> None:
    r = json.loads(ok("report", "review", "--month", "2026-11", "-f", "json").stdout)
    assert (r["month"], r["start"], r["end"], r["previous"]) == (
        "2026-11", "2026-11-01", "2026-11-30", "2026-10"
    )  # fmt: skip
    assert r["complete"] is False  # today is the 23rd: November so far
    kpis, before = r["kpis"], r["previous_kpis"]
    # November: Ann won (10,000, 10 days), Bob lost; both created in November.
    assert (kpis["won"], kpis["lost"], kpis["win_rate"], kpis["won_value"]) == (
        1, 1, 0.5, "10000.00"
    )  # fmt: skip
    assert (kpis["leads_created"], kpis["cycle_days_median"]) == (2, 10.0)
    # October: Old won (4,000, 15 days).
    assert (before["won"], before["won_value"], before["cycle_days_median"]) == (1, "4000.00", 15)
    # The same as report summary for each month.
    summary = ok(
        "report", "summary", "--since", "2026-11-01", "--until", "2026-11-30", "-f", "json"
    )
    assert kpis == json.loads(summary.stdout)
    trend = r["trend"]
    assert [t["period"] for t in trend][::11] == ["2025-12", "2026-11"] and len(trend) == 12
    assert [t["won_value"] for t in trend[-2:]] == ["4000.00", "10000.00"]
    assert (trend[-1]["target"], trend[-1]["of_target"]) == ("20000.00", 0.5)
    # The funnel of the leads created in November: both reached lead; one won.
    stages = {f["stage"]: f["reached"] for f in r["funnel"]}
    assert (stages["lead"], stages["won"]) == (2, 1)
    assert [(x["reason"], x["count"], x["share"]) for x in r["lost"]] == [("<b>price</b>", 1, 1.0)]
    # Products: G2 on both offers (2 × 3,000 + 2,900 = 8,900), won on Ann's (6,000 of the
    # 10,000 revenue); the free-text Install won 4,000.
    got = [
        (p["sku"], p["quoted"], p["quoted_quantity"], p["quoted_value"], p["won"], p["revenue"],
         p["revenue_share"])
        for p in r["products"]
    ]  # fmt: skip
    assert got == [
        ("G2", 2, "3", "8900.00", 1, "6000.00", 0.6), (None, 1, "1", "4000.00", 1, "4000.00", 0.4)
    ]  # fmt: skip
    # ... which is report products of the month, row for row, without the idle Spare kit.
    products = ok(
        "report", "products", "--since", "2026-11-01", "--until", "2026-11-30", "-f", "json"
    )
    every = json.loads(products.stdout)
    assert [p["product"] for p in every] == ["Gateway G2", "Spare kit", None]
    assert r["products"] == [p for p in every if p["quoted"] or p["won"]]


def test_the_default_month_is_the_last_one_ended(ok, month) -> None:
    r = json.loads(ok("report", "review", "-f", "json").stdout)
    assert (r["month"], r["kpis"]["won_value"], r["products"]) == ("2026-10", "4000.00", [])
    assert r["complete"] is True
    assert "Monthly review · 2026-10</title>" in ok("report", "review").stdout


def test_the_page_has_its_charts_and_escapes_user_text(ok, month, tmp_path: Path) -> None:
    page = ok("report", "review", "--month", "2026-11").stdout
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 3
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")
    assert "&lt;b&gt;price&lt;/b&gt;" in page and "<b>price" not in page
    assert "10,000" in page and "▲ 150.0% vs 2026-10 (4,000)" in page  # won value, vs October
    assert "▼ 50.0 pp vs 2026-10 (100.0%)" in page  # win rate 50% after 100%: points
    # November has not ended: the page says its figures are so far
    assert "Monthly review · 2026-11 so far</title>" in page
    assert "2026-11 has not ended: its figures are so far, its changes partial." in page
    assert "Target 20,000: 50.0% reached." in page
    assert "Top products" in page and "G2 Gateway G2" in page and "other (free text)" in page
    out = tmp_path / "review.html"
    result = ok("report", "review", "--month", "2026-11", "-o", str(out))
    assert out.read_text(encoding="utf-8") == page
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert result.stdout == "" and "Wrote the review of 2026-11" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--month", "2026-13"), 1, 'cannot read month "2026-13" — write it as 2026-11'),
        (("--month", "november"), 1, 'cannot read month "november"'),
        (("--month", "2027-01"), 1, "2027-01 has not begun yet"),
        (("--format", "pdf"), 2, "pdf"),
    ],
)
def test_bad_input(empty_db, fails, args, code: int, message: str) -> None:
    fails("report", "review", *args, code=code, match=message)
