"""Custom lead fields in the demo: when `industry` or `region` is declared (`config set fields
industry,region` before `demo`), most leads get a value in their language, so `report
breakdown --by region` has groups to show. Undeclared, the demo writes none."""

from __future__ import annotations

import sqlite3

from salesflow import fields
from salesflow.demo.deals import Deal
from salesflow.demo.dice import Rng

NAMES = ("industry", "region")
VALUES = {
    ("industry", "zh"): ("制造业", "电子", "汽车", "零售", "能源", "医疗"),
    ("industry", "en"): (
        "Manufacturing",
        "Electronics",
        "Automotive",
        "Retail",
        "Energy",
        "Healthcare",
    ),  # fmt: skip
    ("region", "zh"): ("华东", "华南", "华北", "华中", "西南", "东北"),
    ("region", "en"): ("Europe", "North America", "APAC", "Middle East"),
}
# How often a lead has a value: people leave custom fields empty.
FILLED = {"industry": 0.6, "region": 0.8}


def write_fields(conn: sqlite3.Connection, rng: Rng, deals: list[Deal]) -> int:
    """One row per lead and filled declared field; the same seed gives the same values."""
    declared = {n.casefold(): n for n in fields.declared(conn)}
    if not any(n in declared for n in NAMES):
        return 0
    rows = []
    for d in deals:
        for name in NAMES:
            # Both draws for every lead and name, declared or not: a lead's values are the
            # seed's whichever of the two fields is declared.
            filled = rng.random() < FILLED[name]
            value = rng.choice(VALUES[name, "zh" if d.lang == "zh" else "en"])
            if filled and name in declared:
                rows.append((d.id, declared[name], value))
    conn.executemany("INSERT INTO lead_fields (lead_id, field, value) VALUES (?, ?, ?)", rows)
    return len(rows)
