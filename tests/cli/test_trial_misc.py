"""Defects a new-user trial found: follow-ups closed before they existed, undo counts, the merge
question, config defaults and base-currency rates, demo data, option hints, redo of imports."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def test_a_touch_before_a_follow_up_existed_closes_it_at_its_creation(ok, db_path: Path) -> None:
    ok("lead", "add", "Ann", "--company", "Acme")
    # Created now (Mon 2026-11-23 09:00 UTC), due last Friday: it is late from the start.
    ok("followup", "add", "1", "demo", "--due", "2026-11-20", "--force")
    done = ok("log", "1", "demo done", "--at", "2026-11-19 15:00", "--done")
    assert "Done: follow-up #1" in done.stderr
    assert (
        'Follow-up #1 "demo" was created at 2026-11-23 09:00, after this touch: '
        "it counts as done then, not before it existed"
    ) in done.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT done_at FROM followups").fetchone() == ("2026-11-23T09:00:00Z",)
        # The touch itself keeps the time it happened.
        assert conn.execute("SELECT happened_at FROM activities").fetchone() == (
            "2026-11-19T15:00:00Z",
        )
    summary = json.loads(
        ok("report", "summary", "--since", "2026-11-01", "--format", "json").stdout
    )
    # Due Friday, done (at the earliest) Monday: one due, none on time.
    assert (summary["followups_due"], summary["followups_on_time"]) == (1, 0)


def test_a_touch_after_the_follow_up_was_created_closes_it_then(ok, db_path: Path) -> None:
    ok("lead", "add", "Ann")
    ok("followup", "add", "1", "demo", "--due", "2026-11-25")
    done = ok(
        "--lang", "zh_CN", "log", "1", "demo done", "--at", "2026-11-23 15:00", "--done",
        env={"SALESFLOW_NOW": "2026-11-24T09:00:00Z"},
    )  # fmt: skip
    assert "创建于" not in done.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT done_at FROM followups").fetchone() == ("2026-11-23T15:00:00Z",)


def test_the_note_about_closing_at_creation_in_chinese(ok) -> None:
    ok("lead", "add", "Ann")
    ok("followup", "add", "1", "demo", "--due", "2026-11-25")
    done = ok("--lang", "zh_CN", "log", "1", "做完了", "--at", "yesterday 15:00", "--done")
    assert '跟进 #1 "demo" 创建于 2026-11-23 09:00，晚于这次接触' in done.stderr
