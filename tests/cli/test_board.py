"""`report summary`: each panel's figures end in one column (display cells, CJK two), the
counts after a rate follow it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from salesflow import i18n
from tests.cli.test_width import cells, demo_db, invoke  # noqa: F401 - demo_db is a fixture

HABITS = {"en": ["Habits", "First touch in time", "Follow-ups on time", "Repeat purchase rate"],
          "zh_CN": ["习惯", "首次接触及时率", "跟进及时率", "复购率"]}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("width", [60, 120])
def test_habit_rates_line_up(demo_db: Path, lang: str, width: int) -> None:  # noqa: F811
    record = json.loads(invoke(demo_db, "report", "summary", "--format", "json"))
    record = record[0] if isinstance(record, list) else record
    rates = [
        f"{record[key] * 100:.1f}%"
        for key in ("first_touch_hit_rate", "followup_timeliness", "repeat_purchase_rate")
    ]
    try:
        shown = invoke(demo_db, "--lang", lang, "report", "summary", "--width", str(width))
    finally:
        i18n.use("en")
    heading, *labels = HABITS[lang]
    lines = shown.splitlines()
    top = next(n for n, x in enumerate(lines) if re.search(rf"(^|\s){heading}$", x))
    start = cells(lines[top][: lines[top].index(heading)])  # the panel's left edge
    ends = []
    for label, rate in zip(labels, rates, strict=True):
        line = next(x for x in lines[top + 1 :] if label in x)
        at = line.index(label)
        assert cells(line[:at]) == start, (label, line)
        found = re.search(re.escape(rate) + r"(?!\d)", line[at:])
        assert found, (rate, line)
        ends.append(cells(line[: at + found.end()]))  # the rate's last cell
        part = "(" if lang == "en" else "（"
        assert line[at + found.end() :].lstrip(" ").startswith(part), line
    assert len(set(ends)) == 1, (lang, width, shown)
