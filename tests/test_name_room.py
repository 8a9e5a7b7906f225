"""A narrow table gives the name of a row (a product) the room its optional figures would
take: figures are never cut, an optional one gives way before the name is cut below 16
cells; when even the essential figures leave no room, each row is a card."""

from __future__ import annotations

import csv
import io

import pytest


@pytest.fixture
def products(ok) -> list[dict[str, str]]:
    ok("demo", "--leads", "150")
    rows = list(csv.DictReader(io.StringIO(ok("report", "products", "-f", "csv").stdout)))
    return [r for r in rows if r["sku"]]


def test_products_keep_their_names_at_60_columns(ok, products):
    out = ok("--width", "60", "report", "products").stdout
    lines = out.splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert "Disc" not in lines[1]  # the optional figure gave way
    for r in products:
        label = f"{r['sku']} {r['product']}"
        shown = label if len(label) <= 16 else label[:15].rstrip() + "…"
        row = next(line for line in lines if line.startswith(" " + shown)), label
        # Figures whole: the revenue in whole units, grouped as the table groups them.
        assert f"{round(float(r['revenue'])):,}" in row[0], row


def test_products_become_cards_when_the_figures_take_the_width(ok, products):
    out = ok("--width", "40", "report", "products").stdout
    first = products[0]
    assert f"Product:      {first['sku']} {first['product']}" in out
    assert "Revenue:" in out
