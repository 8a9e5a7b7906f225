"""The SVG builders of output/svg.py: shapes in proportion, labels escaped and shortened by
display cells."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree

from salesflow.output import svg


def test_columns_scale_to_the_largest_value_or_target() -> None:
    chart = svg.columns(
        ["2026-09", "2026-10", "2026-11"], [Decimal(50), None, Decimal(100)], title="<won>",
        shown=["50", "", "100"], targets=[None, None, Decimal(200)], top_label="200",
    )  # fmt: skip
    root = ElementTree.fromstring(chart)  # well-formed, the title escaped
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == "<won>"
    heights = [float(r.get("height")) for r in root.iter(f"{ns}rect")]
    plot = 200 - 22 - 22  # the height less the room above and below
    # The target (200) fills the plot: 50 is a quarter of it, 100 a half; None draws no bar.
    assert heights == [plot / 4, plot / 2]
    targets = [x for x in root.iter(f"{ns}line") if x.get("stroke") == svg.TARGET]
    assert [float(x.get("y1")) for x in targets] == [22.0]
    assert "<script" not in chart


def test_rows_escape_and_shorten_labels() -> None:
    chart = svg.rows(
        ["<b>price</b>", "很长的丢单原因说明文字超过了标签栏" * 2], [3, 1], ["3", "1"], title="lost"
    )
    assert "&lt;b&gt;price&lt;/b&gt;" in chart and "<b>" not in chart
    labels = re.findall(r'text-anchor="end"[^>]*>([^<]*)<', chart)
    assert labels[1].endswith("…") and len(labels[1]) < 34
    widths = [float(w) for w in re.findall(r'<rect[^>]* width="([0-9.]+)"', chart)]
    assert abs(widths[0] / widths[1] - 3) < 0.01
