"""The digest: sections in order, only when non-empty, the same facts in every format."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def pipeline(ok, monkeypatch) -> None:
    """A week of work ending Monday 2026-11-23 09:00 UTC (the conftest clock)."""

    def at(when: str, *args: str) -> None:
        monkeypatch.setenv("SALESFLOW_NOW", when)
        ok(*args)

    at("2026-11-10T09:00:00Z", "lead", "add", "张伟", "--company", "深圳某科技有限公司")  # 1
    at("2026-11-10T09:05:00Z", "log", "1", "intro call", "--kind", "call")
    at("2026-11-12T09:00:00Z", "lead", "add", "Jane Roe", "--company", "Acme <Ltd>")  # 2
    at("2026-11-12T09:10:00Z", "log", "2", "call", "--kind", "call", "--next", "send deck",
       "--due", "2026-11-20")  # fmt: skip
    at("2026-11-14T09:00:00Z", "quote", "new", "1", "--item", "Gateway; 2; 500", "--valid",
       "2026-11-26")  # fmt: skip
    at("2026-11-14T09:01:00Z", "quote", "send", "Q-2026-0001")  # chase follow-up due 11-17
    at("2026-11-21T08:00:00Z", "lead", "add", "Bo", "--company", "Gamma")  # 3: never touched
    at("2026-11-22T10:00:00Z", "lead", "add", "Ann", "--company", "Beta")  # 4, created yesterday
    at("2026-11-22T11:00:00Z", "advance", "2", "proposal")
    at("2026-11-22T12:00:00Z", "followup", "add", "4", "first call", "--due", "2026-11-23")
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T09:00:00Z")


def test_sections_in_order_with_counts(ok, pipeline) -> None:
    d = json.loads(ok("digest", "--format", "json").stdout)
    assert d["date"] == "2026-11-23" and d["leads"] == 4 and d["open_deals"] == 4
    keys = [s["key"] for s in d["sections"]]
    assert keys == [
        "overdue", "today", "unplanned", "first_touch", "quotes_expiring", "quotes_unanswered",
        "changes",
    ]  # fmt: skip
    # Monday: the changes since Friday's start — Bo on Saturday, Ann and the move on Sunday.
    assert d["counts"] == {k: 1 for k in keys} | {"overdue": 2, "changes": 3}
    overdue = d["sections"][0]["rows"]
    # The quote's chase (due 11-17, 6 days late) comes before "send deck" (due 11-20, 3 days).
    assert [(r["action"], r["days"]) for r in overdue] == [
        ("Chase quote Q-2026-0001", 6),
        ("send deck", 3),
    ]
    assert d["sections"][1]["rows"][0]["action"] == "first call"
    assert [r["lead_id"] for r in d["sections"][2]["rows"]] == [3]  # Bo has no next step
    # Bo: created 49 h ago, never touched (> 24 h); Ann: 23 h old, still within the deadline.
    assert [r["lead_id"] for r in d["sections"][3]["rows"]] == [3]
    expiring = d["sections"][4]["rows"][0]
    assert (expiring["number"], expiring["days_left"], expiring["total"]) == (
        "Q-2026-0001",
        3,  # valid until 11-26, today 11-23
        "1000.00",  # 2 × 500
    )
    # Sent 11-14 09:01, nine days ago: past the default 7 days without an answer.
    assert d["sections"][5]["rows"][0]["sent_at"] == "2026-11-14T09:01:00Z"
    changes = d["sections"][6]
    assert changes["title"] == "Changes since Fri 2026-11-20"
    assert [(r["change"], r["lead_id"], r["to"]) for r in changes["rows"]] == [
        ("new", 3, "lead"),
        ("new", 4, "lead"),
        ("moved", 2, "proposal"),
    ]


def test_plain_text_is_what_cron_mails(ok, pipeline) -> None:
    out = ok("digest").stdout  # CliRunner is not a terminal: plain text
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert lines[0] == (
        "salesflow digest Mon 2026-11-23 (UTC): open deals: 4; overdue follow-ups: 2, "
        "due today: 1, leads with no next step: 1, missed first-touch deadlines: 1, "
        "quotes expiring in the next 7 days: 1, quotes sent with no answer for 7+ days: 1, "
        "changes since Fri 2026-11-20: 3."
    )
    assert "Overdue follow-ups (2)" in lines
    chase = "  - Chase quote Q-2026-0001 — #1 张伟 (深圳某科技有限公司) [quote]"
    assert chase + " (due 2026-11-17, 6 days late)" in lines
    assert "  - moved: #2 Jane Roe (Acme <Ltd>) lead → proposal" in lines
    assert (
        "  - Q-2026-0001 1,000.00 USD — #1 张伟 (深圳某科技有限公司) expires in 3 days (2026-11-26)"
        in lines
    )


def test_markdown_title_is_a_heading_and_the_counts_a_paragraph(ok, pipeline) -> None:
    from markdown_it import MarkdownIt

    md = ok("digest", "--format", "md").stdout
    lines = md.splitlines()
    assert lines[:2] == ["# salesflow digest Mon 2026-11-23 (UTC)", ""]
    assert lines[2].startswith("Open deals: 4; overdue follow-ups: 2, ")
    assert lines[2].endswith(", changes since Fri 2026-11-20: 3.")
    tokens = MarkdownIt().parse(md)
    assert [t.type for t in tokens[:6]] == [
        "heading_open", "inline", "heading_close", "paragraph_open", "inline", "paragraph_close"
    ]  # fmt: skip
    assert tokens[4].content == lines[2]
    zh = ok("--lang", "zh_CN", "digest", "--format", "md").stdout.splitlines()
    assert zh[:2] == ["# salesflow 每日摘要 2026-11-23 周一（UTC）", ""]
    assert zh[2].startswith("未结商机 4 个；")
    assert zh[2].endswith("2026-11-20（周五）以来的变化 3。")


def test_markdown_and_html_escape_user_text(ok, pipeline) -> None:
    md = ok("digest", "--format", "md").stdout
    assert md.startswith("# salesflow digest") and "## Overdue follow\\-ups (2)" not in md
    assert "Acme \\<Ltd\\>" in md
    page = ok("digest", "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and "Acme &lt;Ltd&gt;" in page
    assert "<Ltd>" not in page and "<style" not in page and "<script" not in page
    assert 'style="' in page  # inline styles survive mail clients


def test_fail_on_overdue_exits_3(ok, run, pipeline) -> None:
    result = run("digest", "--fail-on-overdue")
    assert result.exit_code == 3 and "Overdue follow-ups (2)" in result.stdout
    ok("followup", "done", "1")
    ok("followup", "done", "2")
    assert run("digest", "--fail-on-overdue").exit_code == 0


def test_limit_says_how_many_more(ok, pipeline) -> None:
    out = ok("digest", "--limit", "1").stdout
    assert "  … and 1 more (salesflow today --all)" in out


def test_more_quotes_point_to_the_quote_list(ok, pipeline, monkeypatch) -> None:
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-14T10:00:00Z")
    ok("quote", "new", "2", "--item", "Audit; 1; 900", "--valid", "2026-11-27")
    ok("quote", "send", "Q-2026-0002")
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T09:00:00Z")
    out = ok("digest", "--limit", "1").stdout
    expiring = out.split("Quotes expiring in the next 7 days (2)")[1]
    assert expiring.splitlines()[2] == "  … and 1 more (salesflow quote list --status sent)"
    assert ok("quote", "list", "--status", "sent", "--format", "csv").stdout.count("Q-2026-") == 2


def test_empty_pipeline_gets_one_friendly_line(empty_db, ok) -> None:
    out = ok("digest").stdout
    assert out.count("\n") == 1 and "your pipeline is empty" in out


def test_all_clear(ok) -> None:
    ok("lead", "add", "Ann")
    ok("log", "1", "call", "--kind", "call", "--next", "demo", "--due", "fri")
    out = ok("digest").stdout
    assert out == (
        "salesflow digest Mon 2026-11-23 (UTC): all clear — open deals: 1, nothing due.\n"
        "Open pipeline: 0 USD (1 open deal)\n"
        "Weighted: 0 USD (open value × stage probability)\n"
        "Won in 2026-11: 0 USD (0 deals; no target for 2026-11 — salesflow target set)\n"
        "Follow-ups on time: — (none due in 2026-11 yet)\n"
    )


def test_target_pace_for_the_current_periods_only(ok) -> None:
    ok("target", "set", "2026-11", "1000")
    ok("target", "set", "2026-10", "5000")  # over: not in the digest
    ok("lead", "add", "Ann", "--value", "400")
    ok("advance", "1", "won")
    d = json.loads(ok("digest", "--format", "json").stdout)
    pace = next(s for s in d["sections"] if s["key"] == "targets")
    assert [r["period"] for r in pace["rows"]] == ["2026-11"]
    # 400 won of 1000 = 40%.
    assert (pace["rows"][0]["won"], pace["rows"][0]["done"]) == ("400.00", 0.4)
    text = ok("digest").stdout
    assert "  - 2026-11: 400.00 USD of 1,000.00 USD won (40%)," in text


def test_monday_covers_friday_and_saturday(ok, fails, monkeypatch) -> None:
    def at(when: str, *args: str) -> None:
        monkeypatch.setenv("SALESFLOW_NOW", when)
        ok(*args)

    at("2026-11-19T12:00:00Z", "lead", "add", "Thursday Co")  # 1: before the window
    at("2026-11-20T10:00:00Z", "lead", "add", "Friday Co", "--value", "5000")  # 2
    at("2026-11-20T15:00:00Z", "advance", "2", "won")
    at("2026-11-20T16:00:00Z", "advance", "1", "lost", "--reason", "budget")
    at("2026-11-21T11:00:00Z", "advance", "1", "--reopen")  # Saturday
    at("2026-11-23T08:00:00Z", "lead", "add", "Monday Co")  # today: not yet a change
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T09:00:00Z")

    def seen(*args: str) -> tuple[str, list[tuple[str, int]]]:
        d = json.loads(ok("digest", "--format", "json", *args).stdout)
        section = next(s for s in d["sections"] if s["key"] == "changes")
        return section["title"], [(r["change"], r["lead_id"]) for r in section["rows"]]

    friday_on = [("new", 2), ("won", 2), ("lost", 1), ("moved", 1)]
    assert seen() == ("Changes since Fri 2026-11-20", friday_on)
    # Sunday to Thursday: Monday's last working day is Sunday (nothing changed then) …
    ok("config", "set", "workdays", "sun-thu")
    assert ok("config", "get", "workdays").stdout.strip() == "mon,tue,wed,thu,sun"
    assert "changes" not in ok("digest", "--format", "json").stdout
    # … and with Monday to Thursday it is Thursday.
    ok("config", "set", "workdays", "mon-thu")
    assert seen() == ("Changes since Thu 2026-11-19", [("new", 1), *friday_on])
    ok("config", "set", "workdays", "mon-fri")
    assert seen("--since", "2026-11-21") == ("Changes since Sat 2026-11-21", [("moved", 1)])
    assert ok("digest", "--since", "last sat").stdout.count("moved: #1 Thursday Co") == 1
    fails("digest", "--since", "today", match="give an earlier day")
    fails("digest", "--since", "someday", match="someday")
    fails("config", "set", "workdays", "mon-frx", match='"mon-frx" is not a day')
    # Tuesday: the window is Monday alone.
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-24T09:00:00Z")
    assert seen() == ("Changes since Mon 2026-11-23", [("new", 3)])


def test_changes_beyond_the_limit_show_wins_and_losses_first(ok, monkeypatch) -> None:
    """--limit cuts the changes like every section (a busy weekend is not a thousand lines):
    wins and losses are kept before moves and new leads, the bigger deal before the smaller,
    and the rows kept still read in the order they happened."""

    def at(when: str, *args: str) -> None:
        monkeypatch.setenv("SALESFLOW_NOW", when)
        ok(*args)

    at("2026-11-20T09:00:00Z", "lead", "add", "Small Co", "--value", "100")  # 1
    at("2026-11-20T09:10:00Z", "lead", "add", "Big Co", "--value", "9000")  # 2
    at("2026-11-20T09:20:00Z", "lead", "add", "Mid Co", "--value", "500")  # 3
    at("2026-11-20T10:00:00Z", "advance", "3", "proposal")
    at("2026-11-20T11:00:00Z", "advance", "2", "lost", "--reason", "price")
    at("2026-11-21T11:00:00Z", "advance", "1", "won")
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T09:00:00Z")

    def changes(*args: str) -> dict:
        d = json.loads(ok("digest", "--format", "json", *args).stdout)
        return next(s for s in d["sections"] if s["key"] == "changes")

    everything = changes()
    assert everything["total"] == 6 and len(everything["rows"]) == 6
    cut = changes("--limit", "3")
    # The loss and the win (both closed), then the one move; the three new leads wait.
    assert cut["total"] == 6
    assert [(r["change"], r["lead_id"]) for r in cut["rows"]] == [
        ("moved", 3),
        ("lost", 2),
        ("won", 1),
    ]
    # One row: of the two closed deals the bigger, Big Co's 9,000 loss before Small Co's 100.
    assert [r["lead_id"] for r in changes("--limit", "1")["rows"]] == [2]
    text = ok("digest", "--limit", "2").stdout.split("Changes since Fri 2026-11-20 (6)\n")[1]
    assert text.splitlines() == [
        "  - lost: #2 Big Co lead → lost (price)",
        "  - won: #1 Small Co lead → won",
        "  … and 4 more (salesflow digest --since 2026-11-20 --limit 6)",
    ]


def test_digest_on_a_fresh_database(empty_db, ok) -> None:
    d = json.loads(ok("digest", "--format", "json").stdout)
    assert d["leads"] == 0 and d["sections"] == []


def test_header_figures_equal_report_summary_and_targets(ok, monkeypatch) -> None:
    """The same moment through `digest` and through the reports gives the same figures."""
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-10T09:00:00Z")
    ok("demo", "--leads", "40", "--seed", "5", "--currency", "CNY")
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T09:00:00Z")
    ok("target", "set", "2026-11", "3000000")
    ok("config", "set", "currency", "CNY")
    h = json.loads(ok("digest", "--format", "json").stdout)["headline"]
    board = json.loads(ok("report", "summary", "--since", "2026-11-01", "--format", "json").stdout)
    board = board[0] if isinstance(board, list) else board
    target = json.loads(ok("report", "targets", "--period", "2026-11", "--format", "json").stdout)
    assert len(target) == 1
    assert (h["month"], h["currency"]) == ("2026-11", "CNY")
    assert (h["open_deals"], h["pipeline"], h["weighted"]) == (
        board["open_deals"], board["pipeline_value"], board["weighted_pipeline"],
    )  # fmt: skip
    assert (h["followups_due"], h["followups_on_time"], h["timeliness"]) == (
        board["followups_due"], board["followups_on_time"], board["followup_timeliness"],
    )  # fmt: skip
    t = target[0]
    assert (h["won"], h["won_deals"], h["target"], h["done"], h["elapsed"], h["projected"]) == (
        t["won"], t["won_deals"], t["target"], t["done"], t["elapsed"], t["projected"],
    )  # fmt: skip
    assert h["target"] == "3000000.00" and board["followups_due"] > 0 and h["open_deals"] > 0
    # 22 of November's 30 days and 9 hours have gone by at 09:00 UTC on the 23rd
    assert h["elapsed"] == round((22 + 9 / 24) / 30, 6)
    text = ok("digest").stdout
    cny = lambda amount: f"{round(float(amount)):,} CNY"  # noqa: E731 - whole units, as shown
    assert f"Open pipeline: {cny(h['pipeline'])} ({h['open_deals']} open deals)" in text
    assert f"Weighted: {cny(h['weighted'])}" in text
    assert f"Won in 2026-11: {cny(h['won'])} (" in text and "of 3,000,000 CNY target" in text
    on_time = f"{h['followups_on_time']} of {h['followups_due']} due in 2026-11 so far"
    assert f"Follow-ups on time: {h['timeliness']:.0%} ({on_time})" in text
    html = ok("digest", "--format", "html").stdout
    assert cny(h["pipeline"]) in html and cny(h["weighted"]) in html


def test_most_valuable_work_comes_first(ok, monkeypatch) -> None:
    """Overdue follow-ups by grade, then deal value; the age only among equals."""
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-16T09:00:00Z")
    for name, grade, value, due in (
        ("old small C", "C", "1000", "2026-11-17"),
        ("new big A", "A", "90000", "2026-11-20"),
        ("old small A", "A", "5000", "2026-11-17"),
        ("big B", "B", "500000", "2026-11-18"),
        ("no grade", None, "900000", "2026-11-17"),
    ):
        ok("lead", "add", name, "--value", value, *(["--grade", grade] if grade else []))
        ok("followup", "add", name, f"call {name}", "--due", due)
    monkeypatch.setenv("SALESFLOW_NOW", "2026-11-23T09:00:00Z")
    rows = json.loads(ok("digest", "--format", "json").stdout)["sections"][0]["rows"]
    assert [r["lead"] for r in rows] == ["new big A", "old small A", "big B", "old small C",
                                         "no grade"]  # fmt: skip
    assert (rows[0]["grade"], rows[0]["value"], rows[0]["currency"]) == ("A", "90000.00", "USD")
    assert [r["lead"] for r in json.loads(ok("digest", "-n", "2", "--format", "json").stdout)[
        "sections"][0]["rows"]] == ["new big A", "old small A"]  # fmt: skip
    text = ok("digest", "-n", "2").stdout
    assert text.index("call new big A") < text.index("call old small A")
    assert "… and 3 more (salesflow today --all)" in text
    assert "A · 90,000.00 USD" in text
    html = ok("digest", "-n", "2", "--format", "html").stdout
    assert "… and 3 more: <code" in html and "salesflow today --all</code>" in html
    assert '<html lang="en">' in html and "<style" not in html


def test_digest_written_to_a_file(ok, fails, pipeline, tmp_path) -> None:
    page = tmp_path / "digest.html"
    result = ok("digest", "-o", str(page))
    assert "Wrote the digest as html to" in result.stderr and result.stdout == ""
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert page.stat().st_mode & 0o777 == 0o600
    ok("digest", "-o", str(tmp_path / "d.json"))
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))["leads"] == 4
    ok("digest", "-o", str(tmp_path / "d"), "--format", "md")
    assert (tmp_path / "d").read_text(encoding="utf-8").startswith("# salesflow digest")
    ok("digest", "-o", str(tmp_path / "d.txt"))
    assert (tmp_path / "d.txt").read_text(encoding="utf-8").startswith("salesflow digest")
    fails("digest", "-o", str(tmp_path / "d.pdf"), match="cannot write a digest as .pdf")
    fails("digest", "-o", str(tmp_path / "none" / "d.html"), match="cannot write")
