"""`salesflow log`, `followup …` and `today` through the CLI, clock pinned by SALESFLOW_NOW.

The default NOW is Mon 2026-11-23 09:00 UTC (TZ=UTC): `fri` = 2026-11-27, `+3d` = 11-26.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from icalendar import Calendar


def data(result) -> list[dict] | dict:
    return json.loads(result.stdout)


def card(ok, ref: str) -> dict:
    return data(ok("lead", "show", ref, "--format", "json"))


def listed(ok, *args: str, **kw) -> list[dict]:
    return data(ok("followup", "list", "--format", "json", *args, **kw))


def test_the_issue_walkthrough(ok, two_leads) -> None:
    ok("log", "1", "call: wants 50 units, budget approved", "--kind", "call",
       "--next", "send proposal", "--due", "fri")  # fmt: skip
    ok("log", "acme", "sent brochure", "--kind", "email")
    ok("followup", "add", "2", "chase quote", "--due", "+3d")
    ok("followup", "add", "2", "call CFO", "--due", "2026-12-01 14:30")
    result = ok("log", "1", "demo done", "--kind", "meeting", "--at", "yesterday 15:00", "--done")
    assert 'Done: follow-up #1 "send proposal"' in result.stderr
    zw = card(ok, "1")
    # Newest first; "yesterday 15:00" in UTC is 2026-11-22T15:00Z.
    assert [(a["kind"], a["note"], a["happened_at"]) for a in zw["activities"]] == [
        ("call", "call: wants 50 units, budget approved", "2026-11-23T09:00:00Z"),
        ("meeting", "demo done", "2026-11-22T15:00:00Z"),
    ]
    # Done when the meeting happened — but the follow-up was only planned today (09:00), after
    # the meeting: it cannot be done before it existed (tests/cli/test_trial_misc.py).
    assert zw["followups"] == [
        {"id": 1, "status": "done", "due": "2026-11-27", "action": "send proposal",
         "recur": None, "done_at": "2026-11-23T09:00:00Z"},
    ]  # fmt: skip
    jane = card(ok, "2")
    assert [a["note"] for a in jane["activities"]] == ["sent brochure"]
    assert [(f["action"], f["due"], f["status"]) for f in jane["followups"]] == [
        ("chase quote", "2026-11-26", "open"),  # "+3d": Mon 11-23 + 3
        ("call CFO", "2026-12-01 14:30", "open"),
    ]
    # The default window is 7 days: 11-26 is in it, 12-01 (8 days ahead) only with --all.
    assert [(r["id"], r["when"], r["lead"]) for r in listed(ok)] == [(2, "upcoming", "Jane Roe")]
    assert [(r["id"], r["when"]) for r in listed(ok, "--all")] == [(2, "upcoming"), (3, "later")]


def test_list_window_groups_and_filters(ok, two_leads) -> None:
    ok("followup", "add", "1", "late", "--due", "2026-11-20", "--force")
    ok("followup", "add", "1", "this morning", "--due", "08:00", "--force")
    ok("followup", "add", "2", "tonight", "--due", "18:00")
    ok("followup", "add", "2", "next week", "--due", "+7d")  # 11-30: the window's last day
    ok("followup", "add", "2", "far", "--due", "+8d")  # 12-01: outside the default window
    rows = listed(ok)
    assert [(r["action"], r["when"], r["overdue"]) for r in rows] == [
        ("late", "overdue", True),
        ("this morning", "overdue", True),
        ("tonight", "today", False),
        ("next week", "upcoming", False),
    ]
    assert [r["action"] for r in listed(ok, "--all")][-1] == "far"
    assert [r["action"] for r in listed(ok, "--days", "8")][-1] == "far"
    assert [r["action"] for r in listed(ok, "--today")] == ["tonight"]
    # One lead's plan shows all its open follow-ups, however far ahead.
    assert [r["action"] for r in listed(ok, "--lead", "acme")] == ["tonight", "next week", "far"]
    assert [r["action"] for r in listed(ok, "--lead", "acme", "--days", "0")] == ["tonight"]
    out = ok("followup", "list", "--overdue", "--format", "csv").stdout
    records = list(csv.DictReader(io.StringIO(out)))
    assert [
        (r["id"], r["action"], r["due_date"], r["due_time"], r["overdue"]) for r in records
    ] == [
        ("1", "late", "2026-11-20", "", "true"),
        ("2", "this morning", "2026-11-23", "08:00", "true"),
    ]
    table = ok("followup", "list").stdout
    assert "Overdue (2)" in table and "Due today (1)" in table and "Next 7 days (1)" in table
    assert "2026-11-20 Fri" in table and "\x1b[" not in table  # piped: no colour
    nd = ok("followup", "list", "--format", "ndjson").stdout.splitlines()
    assert len(nd) == 4 and json.loads(nd[0])["action"] == "late"
    tsv = ok("followup", "list", "--format", "tsv").stdout.splitlines()
    assert tsv[0].startswith("id\tlead_id\tlead\tcompany")


def test_empty_list(empty_db, ok) -> None:
    assert "No open follow-ups" in ok("followup", "list").stdout
    assert ok("followup", "list", "--format", "json").stdout.strip() == "[]"


def test_done_by_number_or_lead_and_snooze(ok, two_leads) -> None:
    ok("followup", "add", "2", "chase quote", "--due", "+3d")
    ok("followup", "add", "2", "call CFO", "--due", "2026-12-01 14:30")
    ok("followup", "snooze", "2", "+2d")
    assert [r["due_date"] for r in listed(ok, "--all")] == ["2026-11-26", "2026-12-03"]
    assert listed(ok, "--all")[1]["due_time"] == "14:30"  # time kept
    result = ok("followup", "done", "acme")  # the lead's earliest: chase quote
    assert 'Done: follow-up #1 "chase quote"' in result.stderr
    ok("followup", "done", "#2")
    assert listed(ok, "--all") == []


def test_log_next_and_done_undo_as_one_command(ok, two_leads) -> None:
    ok("followup", "add", "1", "send proposal", "--due", "fri")
    ok("log", "1", "sent it", "--kind", "email", "--done", "--next", "chase", "--due", "+1w")
    rows = listed(ok, "--all")
    assert [(r["action"], r["due_date"]) for r in rows] == [("chase", "2026-11-30")]
    ok("undo")
    assert [r["action"] for r in listed(ok, "--all")] == ["send proposal"]
    assert card(ok, "1")["activities"] == []


def test_today_agenda(ok, run, two_leads) -> None:
    # Lead 3 was created 2 days ago and never touched; lead 4 twenty days ago.
    ok("lead", "add", "Old Lead", env={"SALESFLOW_NOW": "2026-11-21T09:00:00Z"})
    ok("lead", "add", "Ancient", env={"SALESFLOW_NOW": "2026-11-03T09:00:00Z"})
    ok("followup", "add", "1", "late call", "--due", "2026-11-20", "--force")
    ok("followup", "add", "2", "today's call", "--due", "17:00")
    ok("log", "old lead", "left a voicemail", "--kind", "call")  # touched: first touch done
    rows = data(ok("today", "--format", "json"))
    by_section: dict[str, list] = {}
    for r in rows:
        by_section.setdefault(r["section"], []).append((r["lead_id"], r["followup_id"]))
    assert by_section == {
        "overdue": [(1, 1)],
        "today": [(2, 2)],
        "unplanned": [(3, None), (4, None)],
        "stale": [(4, None)],  # 20 days > 14 in stage lead
        "first_touch": [(4, None)],  # > 24 h old, never touched
    }
    table = ok("today").stdout
    assert "Agenda for Mon 2026-11-23 (UTC)" in table
    assert "Overdue follow-ups (1)" in table and "Stale deals" in table
    assert "\x1b[" not in table
    ok("config", "set", "first_touch", "2h")
    two_hours = [r for r in data(ok("today", "--format", "json")) if r["section"] == "first_touch"]
    # 张伟 and Jane were created at NOW: not yet 2 h old; Ancient still waits.
    assert [r["lead_id"] for r in two_hours] == [4]
    limited = ok("today", "--limit", "1").stdout
    assert "… and 1 more" in limited
    csv_out = ok("today", "--format", "csv").stdout
    assert csv_out.startswith("section,lead_id,lead,company,stage,followup_id,action,")


def test_today_when_all_is_well(empty_db, ok) -> None:
    assert "Nothing due, and every open deal has a next step." in ok("today").stdout


def test_today_in_shanghai(ok, two_leads) -> None:
    ok("followup", "add", "1", "call", "--due", "today")
    # 16:30 UTC is already Tuesday 00:30 in Shanghai: Monday's follow-up is overdue there.
    ok("config", "set", "timezone", "Asia/Shanghai")
    late = {"SALESFLOW_NOW": "2026-11-23T16:30:00Z"}
    rows = data(ok("today", "--format", "json", env=late))
    assert [(r["section"], r["followup_id"]) for r in rows if r["followup_id"]] == [("overdue", 1)]
    assert "Agenda for Tue 2026-11-24 (Asia/Shanghai)" in ok("today", env=late).stdout
    ok("config", "set", "timezone", "UTC")
    rows = data(ok("today", "--format", "json", env=late))
    assert [(r["section"], r["followup_id"]) for r in rows if r["followup_id"]] == [("today", 1)]


def test_due_dates_in_new_york_on_dst_days(ok, two_leads) -> None:
    ok("config", "set", "timezone", "America/New_York")
    # Sat 2026-03-07 12:00 EST. "tomorrow 02:30" does not exist (spring forward): 03:30 EDT.
    sat = {"SALESFLOW_NOW": "2026-03-07T17:00:00Z"}
    ok("followup", "add", "1", "early call", "--due", "tomorrow 02:30", env=sat)
    ok("followup", "add", "1", "sunday", "--due", "tomorrow", env=sat)
    rows = listed(ok, "--all", env=sat)
    assert [(r["due_date"], r["due_time"]) for r in rows] == [
        ("2026-03-08", "02:30"),
        ("2026-03-08", None),
    ]
    # 07:31 UTC on Sunday is 03:31 EDT: the 02:30 (= 03:30) call has passed, the day has not.
    sunday = {"SALESFLOW_NOW": "2026-03-08T07:31:00Z"}
    assert [r["when"] for r in listed(ok, env=sunday)] == ["overdue", "today"]
    # The Sunday ends 04:00 UTC Monday (EDT, UTC-4).
    assert [r["when"] for r in listed(ok, env={"SALESFLOW_NOW": "2026-03-09T03:59:00Z"})][1] == (
        "today"
    )
    assert [r["when"] for r in listed(ok, env={"SALESFLOW_NOW": "2026-03-09T04:00:00Z"})][1] == (
        "overdue"
    )
    # Fall back, Sun 2026-11-01: that day ends 05:00 UTC Monday (EST, UTC-5).
    ok("followup", "add", "2", "fall back", "--due", "2026-11-01",
       env={"SALESFLOW_NOW": "2026-10-30T12:00:00Z"})  # fmt: skip
    before = listed(ok, "--lead", "2", env={"SALESFLOW_NOW": "2026-11-02T04:59:00Z"})
    after = listed(ok, "--lead", "2", env={"SALESFLOW_NOW": "2026-11-02T05:00:00Z"})
    assert before[0]["when"] == "today" and after[0]["when"] == "overdue"


def test_log_at_is_read_in_the_configured_zone(ok, two_leads) -> None:
    ok("config", "set", "timezone", "Asia/Shanghai")
    # Now = 17:00 in Shanghai; "today 09:30" there is 01:30 UTC.
    ok("log", "1", "morning call", "--kind", "call", "--at", "today 09:30")
    assert card(ok, "1")["activities"][0]["happened_at"] == "2026-11-23T01:30:00Z"


def test_ics_export(ok, run, two_leads) -> None:
    ok("followup", "add", "1", "send proposal", "--due", "fri")
    ok("followup", "add", "2", "call CFO", "--due", "2026-12-01 14:30")
    ok("followup", "add", "2", "way later", "--due", "2027-03-01")  # outside 7 days: still exported
    ok("followup", "add", "2", "done one", "--due", "fri")
    ok("followup", "done", "4")
    first = run("followup", "list", "--format", "ics")
    assert first.exit_code == 0
    events = Calendar.from_ical(first.stdout_bytes).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [
        "send proposal — 张伟 (深圳某科技有限公司)",
        "call CFO — Jane Roe (Acme Ltd)",
        "way later — Jane Roe (Acme Ltd)",
    ]
    assert b"\r\n" in first.stdout_bytes
    ok("followup", "snooze", "1", "+1d")
    second = Calendar.from_ical(run("followup", "list", "--format", "ics").stdout_bytes)
    again = second.walk("VEVENT")
    assert [e["uid"] for e in again] == [e["uid"] for e in events]
    assert str(again[0].decoded("dtstart")) == "2026-11-28"
    overdue_only = Calendar.from_ical(
        run("followup", "list", "--overdue", "--format", "ics").stdout_bytes
    )
    assert overdue_only.walk("VEVENT") == []


def test_activity_kinds_keep_note_for_a_plain_log(ok, fails, two_leads, db_path) -> None:
    ok("log", "1", "first")
    for kinds in ("call,wechat", "电话,微信"):
        fails(
            "config", "set", "activity_kinds", kinds,
            match="activity_kinds must keep note: a touch logged without a kind is a note — "
            f"e.g. {kinds.lower()},note",
        )  # fmt: skip
    fails(
        "--lang", "zh_CN", "config", "set", "activity_kinds", "call,wechat",
        match="activity_kinds 必须保留 note",
    )  # fmt: skip
    # A list stored before the check (or with sqlite3) still logs a plain note as a note.
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('activity_kinds', 'call,wechat')"
        )
    ok("log", "1", "second")
    kinds = [a["kind"] for a in json.loads(ok("lead", "show", "1", "--format", "json").stdout)[
        "activities"
    ]]  # fmt: skip
    assert kinds == ["note", "note"]


def test_configurable_activity_kinds(ok, fails, two_leads) -> None:
    ok("config", "set", "activity_kinds", "Call, WeChat ,call,note")
    assert ok("config", "get", "activity_kinds").stdout.strip() == "call,wechat,note"
    ok("log", "1", "sent photos", "--kind", "wechat")
    fails("log", "1", "x", "--kind", "email", match="use one of: call, wechat, note")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # unparseable dates say which forms are accepted
        (("log", "1", "x", "--next", "y", "--due", "someday"),
         'cannot read date "someday" — use today, tomorrow, fri'),
        (("followup", "add", "1", "y", "--due", "someday"), "tomorrow, fri, next monday"),
        (("followup", "add", "1", "y", "--due", "01/02"), '"01/02" is ambiguous'),
        (("followup", "add", "1", "y", "--due", "2026-02-30"), "2026-02 has 28 days"),
        (("followup", "add", "1", "y", "--due", "25:00"), "no valid time of day"),
        (("log", "1", "x", "--at", "whenever"), 'cannot read date "whenever"'),
        # a past due needs --force
        (("followup", "add", "1", "y", "--due", "yesterday"),
         "due 2026-11-22 is already past — pick a later date, or add --force"),
        (("followup", "add", "1", "y", "--due", "08:00"), "due 2026-11-23 08:00 is already past"),
        (("log", "1", "x", "--next", "y", "--due", "yesterday"), "already past"),
        # unknown follow-up, unknown lead
        (("followup", "done", "99"), "no follow-up #99 — see salesflow followup list"),
        (("followup", "snooze", "99", "+1d"), "no follow-up #99"),
        (("followup", "done", "nobody"), 'no lead matches "nobody"'),
        (("followup", "done", "acme"), "#2 Jane Roe (Acme Ltd) has no open follow-up"),
        (("log", "nobody", "x"), 'no lead matches "nobody"'),
        (("followup", "add", "nobody", "y", "--due", "fri"), 'no lead matches "nobody"'),
        # empty texts
        (("log", "1", "   "), "an activity needs a note"),
        (("log", "1", ""), "an activity needs a note"),
        (("followup", "add", "1", " ", "--due", "fri"), "a follow-up needs an action"),
        (("log", "1", "x", "--next", "", "--due", "fri"), "a follow-up needs an action"),
        # option combinations
        (("log", "1", "x", "--kind", "fax"), 'unknown activity kind "fax"'),
        (("log", "1", "x", "--next", "y"), "--next needs a due date"),
        (("log", "1", "x", "--due", "fri"), "--due is the next step's date"),
        (("log", "2", "x", "--done"), "has no open follow-up"),
        (("log", "1", "x", "--at", "tomorrow"), "is in the future"),
        (("followup", "list", "--overdue", "--today"), "choose --overdue or --today"),
        (("followup", "list", "--all", "--days", "3"), "--all lists every open follow-up"),
        (("followup", "list", "--lead", "nobody"), 'no lead matches "nobody"'),
        (("config", "set", "first_touch", "3m"), 'first_touch "3m" — use minutes, hours or days'),
        (("config", "set", "first_touch", "soon"), 'cannot read period "soon"'),
        (("config", "set", "activity_kinds", " , "), "comma-separated list"),
    ],
)  # fmt: skip
def test_bad_input(fails, ok, two_leads, args, message) -> None:
    ok("followup", "add", "1", "open one", "--due", "fri")
    fails(*args, match=message)


def test_done_twice_and_snoozing_into_the_past(fails, ok, two_leads) -> None:
    ok("followup", "add", "1", "call", "--due", "fri")
    ok("followup", "done", "1")
    fails("followup", "done", "1", match='follow-up #1 "call" was already done on 2026-11-23 09:00')
    fails("followup", "snooze", "1", "+1d", match="already done")
    ok("followup", "add", "1", "again", "--due", "fri")
    fails("followup", "snooze", "2", "yesterday", match="leaves it overdue")
    fails("followup", "snooze", "2", "soonish", match='cannot read date "soonish"')


def test_force_warns(ok, two_leads) -> None:
    result = ok("followup", "add", "1", "back-filled", "--due", "2026-11-20", "--force")
    assert "Warning: due 2026-11-20 is already past" in result.stderr
    assert listed(ok)[0]["overdue"] is True


def test_usage_errors(fails, two_leads) -> None:
    fails("followup", "add", "1", "x", code=2, match="--due")
    fails("followup", "list", "--format", "xml", code=2)
    fails("today", "--format", "ics", code=2)


def test_list_table_shows_at_most_limit_rows_per_group(ok) -> None:
    ok("lead", "add", "Ann")
    for day in ("2026-11-18", "2026-11-19", "2026-11-20"):
        ok("followup", "add", "1", f"call {day}", "--due", day, "--force")
    out = ok("followup", "list", "--overdue", "--limit", "2").stdout
    assert "call 2026-11-18" in out and "call 2026-11-19" in out
    assert "call 2026-11-20" not in out
    assert "… and 1 more (--limit N, or --format csv for all)" in out
    csv_rows = ok("followup", "list", "--overdue", "--limit", "2", "--format", "csv").stdout
    assert len(csv_rows.strip().splitlines()) == 4  # header + every row: machine formats are whole


@pytest.mark.parametrize(
    "argv",
    [
        ("followup", "list", "--overdue"),
        ("followup", "list", "--all"),
        ("today",),
        ("customer", "list", "--all"),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_an_empty_listing_keeps_the_header_of_a_full_one(empty_db, ok, argv, fmt) -> None:
    # A quiet day in cron still gets the header row a script reads columns from.
    empty = ok(*argv, "--format", fmt).stdout
    ok("lead", "add", "Ann", "--company", "Acme")
    ok("followup", "add", "1", "call", "--due", "2026-11-20", "--force")
    ok("advance", "1", "won")
    ok("lead", "add", "Bo")  # no next step: in today's sections
    ok("followup", "add", "2", "call", "--due", "2026-11-21", "--force")
    full = ok(*argv, "--format", fmt).stdout
    assert len(full.splitlines()) >= 2, full
    assert empty.splitlines() == full.splitlines()[:1]


def test_today_reads_a_posix_tz_and_warns_about_an_unknown_one(empty_db, ok, monkeypatch) -> None:
    # 2026-11-23T09:00Z: in UTC+8 it is 17:00 the same day; in UTC-12 (POSIX "XXX12") the 22nd.
    ok("lead", "list")  # the database exists: stderr below is the command's own
    monkeypatch.setenv("TZ", "CST-8")
    result = ok("today")
    assert result.stdout.startswith("Agenda for Mon 2026-11-23 (CST-8)") and result.stderr == ""
    monkeypatch.setenv("TZ", "XXX12")
    assert ok("today").stdout.startswith("Agenda for Sun 2026-11-22 (XXX12)")
    monkeypatch.setenv("TZ", "Bogus/Zone")
    result = ok("today")
    assert 'Warning: TZ="Bogus/Zone" is not a time zone salesflow knows' in result.stderr


@pytest.mark.parametrize("argv", [("today",), ("followup", "list"), ("digest",)])
def test_a_limit_past_any_screen_is_a_usage_error_not_a_database_error(fails, argv) -> None:
    # 2**63 went into SQL's LIMIT as a real number: "unexpected IntegrityError".
    fails(*argv, "--limit", str(2**63), code=2, match="is not in the range 1<=x<=1000000")
