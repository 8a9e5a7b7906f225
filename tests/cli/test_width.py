"""What a terminal shows is true at every width: every figure of a command's `--format json`
appears whole in its table (or the table says that column is hidden), no line is wider than
the width, and a Chinese name is visible — for every listing and report, at 40 to 140 columns.

The expected text of each figure is worked out here from the JSON by the display rules
(listing money `10,500.00 USD`, report money whole units half-up `19,539,800`, rates to one
decimal `72.3%`), not by the code under test."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from salesflow.cli import app
from tests.conftest import NOW

WIDTHS = (40, 60, 80, 100, 140)
Rule = Any  # (value, row) -> the text the table must show, or None: nothing to check


def listing_money(value: Any, row: dict[str, Any], currency: str = "currency") -> str:
    return f"{Decimal(value):,} {row[currency]}"


def whole_units(value: Any, _row: Any = None) -> str:
    return f"{Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def rate(value: Any, _row: Any = None) -> str:
    return f"{Decimal(str(value)) * 100:.1f}%"


def days(value: Any, _row: Any = None) -> str:
    return f"{value:.1f}"


def text(value: Any, _row: Any = None) -> str:
    return str(value)


def percent(value: Any, _row: Any = None) -> str:
    return f"{value}%"


def number(value: Any, _row: Any = None) -> str:
    return f"#{value}"


def day(value: Any, _row: Any = None) -> str:
    return value[:10]  # TZ=UTC: the stored UTC day is the local day


def in_followup_sections(rule: Rule, yes: bool = True) -> Rule:
    def check(value: Any, row: dict[str, Any]) -> str | None:
        if (row["section"] in ("overdue", "today")) == yes:
            return rule(value, row)
        return None

    return check


REPORT = {
    "leads": ("Leads", text), "won": ("Won", text), "lost": ("Lost", text),
    "win_rate": ("Win", rate), "lead_to_win_rate": ("To win", rate),
    "won_value": ("Won value", whole_units), "avg_deal_size": ("Avg deal", whole_units),
    "cycle_days_median": ("Cycle", days),
}  # fmt: skip

# command line -> {JSON key: (the column's header, the rule for its text)}
COMMANDS: dict[tuple[str, ...], dict[str, tuple[str | None, Rule]]] = {
    ("lead", "list", "--limit", "60"): {
        "id": ("#", text), "stage": ("Stage", text), "grade": ("Grade", text),
        "value": ("Value", listing_money), "probability": ("Prob", percent),
    },
    ("followup", "list", "--all"): {
        "id": ("#", text), "due_date": ("Due", text), "lead_id": ("Lead", number),
        "stage": ("Stage", text),
    },
    ("today", "--all"): {
        "followup_id": ("F#", in_followup_sections(text)),
        "due_date": ("Due", in_followup_sections(text)),
        "lead_id": ("#", in_followup_sections(text, yes=False)),
        "stage": ("Stage", in_followup_sections(text, yes=False)),
    },
    ("quote", "list"): {
        "number": ("Quote", text), "lead_id": ("Lead", number), "status": ("Status", text),
        "total": ("Total", listing_money), "issued_on": ("Date", text),
        "valid_until": ("Valid until", text),
    },
    ("customer", "list"): {
        "id": ("#", text), "won_deals": ("Won", text),
        "won_values": ("Won value", lambda v, r: [
            f"{Decimal(part.split()[0]):,} {part.split()[1]}" for part in v.split("; ") if part
        ]),
        "first_purchase": ("First", day), "last_purchase": ("Last", day),
        "last_touch": ("Last touch", day), "next_checkin": ("Next check-in", text),
    },
    ("report", "funnel"): {
        "stage": ("Stage", text), "deals": ("Now", text), "value": ("Value", whole_units),
        "weighted_value": ("Weighted", whole_units), "reached": ("Reached", text),
        "conversion": ("Conv", rate), "avg_days_in_stage": ("Avg days", days),
        "median_days_in_stage": ("Med days", days),
    },
    ("report", "targets"): {
        "period": ("Period", text), "target": ("Target", whole_units),
        "won": ("Won", whole_units), "done": ("Done", rate), "elapsed": ("Elapsed", rate),
        "projected": ("Projected", whole_units),
        "weighted_pipeline": ("Pipeline", whole_units), "coverage": ("Cover", rate),
    },
    ("report", "summary"): {
        "open_deals": (None, lambda v, r: f"{v:,}"), "leads_created": (None, lambda v, r: f"{v:,}"),
        "won": (None, lambda v, r: f"{v:,}"), "lost": (None, lambda v, r: f"{v:,}"),
        "pipeline_value": (None, whole_units), "weighted_pipeline": (None, whole_units),
        "sales_velocity_per_day": (None, whole_units), "avg_deal_size": (None, whole_units),
        "win_rate": (None, rate), "win_rate_by_value": (None, rate),
        "lead_to_win_rate": (None, rate), "cycle_days_median": (None, days),
        "cycle_days_mean": (None, days), "first_touch_hours_median": (None, days),
        "followup_timeliness": (None, rate), "repeat_purchase_rate": (None, rate),
        "followups_on_time": (None, text), "followups_due": (None, text),
        "repeat_customers": (None, text), "customers_won": (None, text),
        "first_touch_hit_rate": (None, rate), "first_touch_hits": (None, text),
        "first_touch_due": (None, text),
    },
    ("report", "sources"): REPORT,
    ("report", "grades"): {"grade": ("Grade", text), **REPORT},
    ("report", "lost"): {
        "count": ("Deals", text), "share": ("Share", rate),
        "cumulative_share": ("Cumulative", rate), "value": ("Value", whole_units),
    },
    ("stages",): {
        "position": ("#", text), "name": ("Stage", text), "probability": ("Win %", percent),
        "stale_days": ("Stale after", text), "open_deals": ("Open deals", text),
    },
}  # fmt: skip


def cells(line: str) -> int:
    """Display width by the Unicode tables (not the code under test's measure)."""
    n = 0
    for ch in line:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def occurrences(figure: str, shown: str) -> int:
    # Whole: not preceded or followed by more of a figure (a digit, a separator, an ellipsis).
    edge = r"0-9A-Za-z.,%…"
    return len(re.findall(rf"(?<![{edge}#]){re.escape(figure)}(?![{edge}])", shown))


def hidden_headers(shown: str) -> set[str]:
    flat = " ".join(shown.split())
    found = re.search(r"columns? hidden at this width: (.+?) — widen", flat)
    return set(found.group(1).split(", ")) if found else set()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("width") / "demo.db"
    for args in (
        ("demo", "--leads", "300", "--seed", "7", "--currency", "CNY"),
        ("target", "set", "2026-11", "500k"),
        ("target", "set", "2026-Q4", "2m"),
        ("target", "set", "2026", "9m"),
    ):
        invoke(path, *args)
    return path


def invoke(db: Path, *args: str) -> str:
    env = {"SALESFLOW_NOW": NOW, "TZ": "UTC", "SALESFLOW_DB": str(db)}
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


@pytest.mark.parametrize("command", list(COMMANDS), ids=" ".join)
def test_every_figure_is_whole_at_every_width(demo_db: Path, command: tuple[str, ...]) -> None:
    data = json.loads(invoke(demo_db, *command, "--format", "json"))
    rows = data if isinstance(data, list) else [data]
    assert rows, command  # the demo gives every listing something to show
    rules = COMMANDS[command]
    for width in WIDTHS:
        shown = invoke(demo_db, *command, "--width", str(width))
        too_wide = [line for line in shown.splitlines() if cells(line) > width]
        assert not too_wide, (command, width, too_wide)
        assert all(line == line.rstrip() for line in shown.splitlines())
        hidden = hidden_headers(shown)
        # lead list (with each lead's next step) has eleven columns: its optional ones may
        # give way even at 140.
        wide_ok = command[0] == "customer" or command[:2] == ("lead", "list")
        assert width < 140 or wide_ok or not hidden, (command, hidden)
        expected: Counter[str] = Counter()
        for row in rows:
            for key, (header, rule) in rules.items():
                if row.get(key) is None or header in hidden:
                    continue
                figure = rule(row[key], row)
                for one in [figure] if isinstance(figure, str) else figure or []:
                    expected[one] += 1
        assert expected, command
        missing = {f: n for f, n in expected.items() if occurrences(f, shown) < n}
        assert not missing, (command, width, missing, shown)


def test_chinese_names_stay_visible_at_every_width(demo_db: Path) -> None:
    leads = json.loads(invoke(demo_db, "lead", "list", "--limit", "60", "--format", "json"))
    chinese = [r["name"] for r in leads if unicodedata.east_asian_width(r["name"][0]) == "W"]
    assert len(chinese) >= 5
    for width in WIDTHS:
        shown = invoke(demo_db, "lead", "list", "--limit", "60", "--width", str(width))
        for name in chinese:
            # The whole name, or its start (one character at least) and the ellipsis.
            assert name in shown or re.search(re.escape(name[0]) + r"\S*…", shown), (width, name)


def test_the_terminal_itself_gets_the_same_layout(demo_db: Path, tmp_path: Path) -> None:
    """A real process on a pseudo-terminal, its width from COLUMNS: colour codes around the
    same cells --width lays out in a pipe."""
    import os
    import sys

    from tests.terminal import run_on_tty

    env = {**os.environ, "SALESFLOW_NOW": NOW, "TZ": "UTC", "SALESFLOW_DB": str(demo_db),
           "COLUMNS": "60", "LINES": "40"}  # fmt: skip
    env.pop("NO_COLOR", None)
    argv = [sys.executable, "-m", "salesflow", "report", "funnel"]
    proc, shown = run_on_tty(argv, env=env, cwd=tmp_path)
    assert proc.returncode == 0
    assert "\x1b[" in shown
    on_tty = [re.sub(r"\x1b\[[0-9;]*m", "", x).rstrip() for x in shown.splitlines()]
    assert on_tty == invoke(demo_db, "report", "funnel", "--width", "60").splitlines()


def test_lead_show_writes_quote_money_like_every_other_view(ok, two_leads) -> None:
    ok("quote", "new", "1", "--item", "Gateway; 500; 1022.61")  # 500 × 1,022.61 = 511,305.00
    shown = ok("lead", "show", "1").stdout
    quotes = shown.split("Quotes\n", 1)[1].splitlines()
    assert quotes[0].split() == ["Number", "Status", "Total", "Valid", "until"]
    assert quotes[1].split() == ["Q-2026-0001", "draft", "511,305.00", "CNY", "2026-12-23"]
    assert "511305" not in shown


def test_quote_and_lead_cards_keep_every_figure_whole(demo_db: Path) -> None:
    """`quote show` items and `lead show` sections follow the table layout: at 40 to 140
    columns every item amount, quote number and date is shown whole (the layout rules)."""
    quotes = json.loads(invoke(demo_db, "quote", "list", "--format", "json"))
    big = max(quotes, key=lambda q: Decimal(q["total"]))
    full = json.loads(invoke(demo_db, "quote", "show", big["number"], "--format", "json"))
    for width in WIDTHS:
        shown = invoke(demo_db, "quote", "show", big["number"], "--width", str(width))
        assert all(cells(line) <= width for line in shown.splitlines()), (width, shown)
        for item in full["items"]:
            for key in ("unit_price", "amount"):
                figure = f"{Decimal(item[key]):,}"
                assert occurrences(figure, shown) >= 1, (width, key, figure, shown)
        card = invoke(demo_db, "lead", "show", str(big["lead_id"]), "--width", str(width))
        assert occurrences(big["number"], card) >= 1, (width, card)
        assert occurrences(listing_money(big["total"], big), card) >= 1, (width, card)
        assert all(cells(line) <= width for line in card.splitlines()), (width, card)


def test_lead_list_at_60_columns_shows_the_company_shortened(demo_db: Path) -> None:
    """At 60 columns # (3), Value (16: "1,234,567.00 CNY"), Stage and two text columns at 8
    cells fit: the company is shortened with … instead of hidden; at 120 names stay whole."""
    leads = json.loads(invoke(demo_db, "lead", "list", "--format", "json"))
    shown = invoke(demo_db, "lead", "list", "--width", "60")
    lines = shown.splitlines()
    assert lines[0].split()[:4] == ["#", "Name", "Company", "Stage"], shown
    assert "Company" not in hidden_headers(shown)
    assert all(cells(line) <= 60 for line in lines)
    lead = next(r for r in leads if r["company"] and cells(r["company"]) > 10)
    first = next(line for line in lines[2:] if line.split()[0] == str(lead["id"]))
    company = lead["company"]
    start = company[: 2 if cells(company[0]) == 2 else 4]
    assert re.search(re.escape(start) + r"\S*…", first), (company, first)
    wide = invoke(demo_db, "lead", "list", "--width", "120")
    assert all(r["name"] in wide for r in leads[:20])


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_piped_cards_end_no_line_with_a_space(demo_db: Path, lang: str) -> None:
    """`lead show`, `quote show` and `customer show` in a pipe: Rich pads every cell of its
    grids, but no line a pipe gets ends with a space."""
    from salesflow import i18n

    quote = json.loads(invoke(demo_db, "quote", "list", "--format", "json"))[0]
    customer = json.loads(invoke(demo_db, "customer", "list", "--format", "json"))[0]
    try:
        for args in (
            ("lead", "show", str(quote["lead_id"])),
            ("quote", "show", quote["number"]),
            ("customer", "show", str(customer["id"])),
        ):
            shown = invoke(demo_db, "--lang", lang, *args)
            assert len(shown.splitlines()) > 5, (args, shown)
            padded = [line for line in shown.splitlines() if line.endswith(" ")]
            assert not padded, (lang, args, padded)
    finally:
        i18n.use("en")
