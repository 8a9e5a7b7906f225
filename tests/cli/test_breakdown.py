"""`report breakdown --by`: the summary's figures per source, grade, segment, product or custom
field, worked out by hand (clock pinned to Monday 2026-11-23 09:00 UTC)."""

import json

import pytest


def breakdown(ok, by: str, *args: str, **kw) -> dict:
    rows = json.loads(ok("report", "breakdown", "--by", by, "-f", "json", *args, **kw).stdout)
    return {next(iter(r.values())): r for r in rows}  # keyed by the group (the first column)


@pytest.fixture
def four(ok, two_leads) -> None:
    """#1 张伟 (CNY 500,000, 华南) won today; #2 Jane Roe (USD 12,500, 华南) lost;
    #3 王芳 (CNY 100,000, 华东) open in lead (10%) with a quote of G2;
    #4 Li (CNY 200,000, no region) open in quote (65%); base CNY, 1 USD = 7 CNY."""
    ok("config", "set", "currency", "CNY")
    ok("config", "set", "fx.USD", "7")
    ok("config", "set", "fields", "industry,region")
    ok("lead", "edit", "1", "--set", "region=华南")
    ok("lead", "edit", "2", "--set", "region=华南 ")  # the same group, trimmed
    ok("lead", "add", "王芳", "--company", "杭州某厂", "--value", "100k", "--set", "region=华东")
    ok("lead", "add", "Li", "--company", "XCo", "--value", "200k")
    ok("advance", "1", "won")
    ok("advance", "2", "lost", "--reason", "price")
    ok("advance", "4", "quote")
    ok("product", "add", "Edge gateway G2", "--sku", "G2", "--price", "980")
    ok("quote", "new", "3", "--item", "G2; 1")


def test_by_a_custom_field(ok, four) -> None:
    got = breakdown(ok, "region")
    assert list(got) == ["华南", "华东", None]  # by leads, the leads without one last
    # 华南: #1 won (500,000, cycle 0 days), #2 lost: win rate 1/2, lead-to-win 1/2
    assert got["华南"] == {
        "region": "华南", "leads": 2, "won": 1, "lost": 1, "win_rate": 0.5,
        "lead_to_win_rate": 0.5, "won_value": "500000.00", "avg_deal_size": "500000.00",
        "currency": "CNY", "cycle_days_median": 0.0, "open_deals": 0, "pipeline": "0.00",
        "weighted_pipeline": "0.00",
    }  # fmt: skip
    # 华东: #3 open in lead: pipeline 100,000 × 10% = 10,000 weighted
    assert (got["华东"]["open_deals"], got["华东"]["pipeline"], got["华东"]["weighted_pipeline"],
            got["华东"]["win_rate"]) == (1, "100000.00", "10000.00", None)  # fmt: skip
    # none: #4 open in quote: 200,000 × 65% = 130,000
    assert (got[None]["leads"], got[None]["pipeline"], got[None]["weighted_pipeline"]) == (
        1, "200000.00", "130000.00")  # fmt: skip
    # the pipeline of the groups adds up to the summary's
    summary = json.loads(ok("report", "summary", "-f", "json").stdout)
    assert summary["pipeline_value"] == "300000.00"
    assert summary["weighted_pipeline"] == "140000.00"
    # any case names the field; a field nobody filled is one group of none
    assert list(breakdown(ok, "Region")) == ["华南", "华东", None]
    assert list(breakdown(ok, "industry")) == [None]
    table = ok("report", "breakdown", "--by", "region", "--width", "150").stdout
    assert "Per region" in table and "(none)" in table and "130,000" in table


def test_by_segment_and_product(ok, four) -> None:
    ok("customer", "edit", "1", "--segment", "key")
    # a new deal at the same company is the key account's, before it is won
    ok("lead", "add", "李四", "--company", "深圳某科技有限公司", "--value", "50k")
    got = breakdown(ok, "segment")
    assert (got["key"]["leads"], got["key"]["won"], got["key"]["open_deals"],
            got["key"]["pipeline"]) == (2, 1, 1, "50000.00")  # fmt: skip
    assert got[None]["leads"] == 3  # Jane (lost), 王芳 and Li: no customer of their name
    got = breakdown(ok, "product")
    assert (got["G2"]["leads"], got["G2"]["open_deals"], got["G2"]["pipeline"]) == (
        1, 1, "100000.00")  # fmt: skip
    assert got[None]["leads"] == 4


def test_sources_and_grades_are_its_shortcuts(ok, tmp_path) -> None:
    env = {"SALESFLOW_DB": str(tmp_path / "demo.db")}
    ok("config", "set", "fields", "region", env=env)
    ok("demo", "--leads", "200", "--seed", "3", env=env)
    for by, report in (("source", "sources"), ("grade", "grades")):
        short = json.loads(ok("report", report, "-f", "json", env=env).stdout)
        full = json.loads(ok("report", "breakdown", "--by", by, "-f", "json", env=env).stdout)
        assert [{k: r[k] for k in short[0]} for r in full] == short
    # the demo fills the declared region for most leads
    regions = breakdown(ok, "region", env=env)
    assert len(regions) > 3 and sum(r["leads"] for r in regions.values()) == 200


def test_bad_input(ok, fails, four) -> None:
    fails("report", "breakdown", "--by", "colour",
          match='--by "colour" is not something to group by — use one of: source, grade, '
                "segment, product, industry, region")  # fmt: skip
    fails("report", "breakdown", code=2)  # --by is required
