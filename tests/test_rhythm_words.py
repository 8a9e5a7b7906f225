"""A follow-up's or a customer's rhythm (`every-3m`) is shown in words in tables and kept as
stored in machine formats."""

from __future__ import annotations

import csv
import io

from salesflow import i18n
from salesflow.words import rhythm


def test_rhythm_in_words():
    assert rhythm("every-3m") == "every 3 months"
    assert rhythm("every-1m@2026-01-15") == "every 1 month"
    assert rhythm("every-2w") == "every 2 weeks"
    assert rhythm("every-30d") == "every 30 days"
    assert rhythm("every-1y") == "every 1 year"
    assert rhythm(None) == ""
    assert rhythm("fortnightly") == "fortnightly"  # unreadable: as stored
    try:
        i18n.use("zh_CN")
        assert rhythm("every-3m@2026-01-15") == "每 3 个月"
        assert rhythm("every-2w") == "每 2 周"
        assert rhythm("every-30d") == "每 30 天"
        assert rhythm("every-1y") == "每 1 年"
    finally:
        i18n.use("en")


def test_tables_say_the_rhythm_machine_formats_keep_it(ok):
    ok("--lang", "zh_CN", "demo", "--leads", "120")
    for lang, words in (("zh_CN", "每 3 个月"), ("en", "every 3 months")):
        for args in (["customer", "list"], ["followup", "list", "--days", "400"]):
            out = ok("--lang", lang, "--width", "160", *args).stdout
            assert words in out, (lang, args)
            assert "every-3m" not in out, (lang, args)
    rows = list(csv.DictReader(io.StringIO(ok("customer", "list", "-f", "csv").stdout)))
    assert "every-3m" in {r["checkin_every"] for r in rows}
    out = ok("followup", "list", "--days", "400", "-f", "json").stdout
    assert '"every-3m' in out
