"""`salesflow remind`: once per due moment, across a day of cron runs (SALESFLOW_NOW steps)."""

import os
import re
import shlex
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SH = timedelta(hours=8)  # Asia/Shanghai, no DST


def utc(local: str) -> str:
    """A Shanghai wall-clock time as the UTC text SALESFLOW_NOW takes."""
    return (datetime.fromisoformat(local) - SH).isoformat() + "Z"


@pytest.fixture
def plan(ok) -> None:
    start = {"SALESFLOW_NOW": utc("2026-11-23T00:00")}
    ok("config", "set", "timezone", "Asia/Shanghai", env=start)
    ok("lead", "add", "Jane Roe", "--company", "Acme", env=start)
    for action, due in (("call CFO", "2026-11-23 09:30"), ("send deck", "2026-11-23 14:30"),
                        ("prepare visit", "2026-11-23"), ("chase PO", "2026-11-24"),
                        ("early call", "2026-11-24 08:10"), ("done early", "2026-11-23 11:00"),
                        ("next week", "2026-11-30 09:00")):  # fmt: skip
        ok("followup", "add", "1", action, "--due", due, env=start)


def test_a_day_of_cron_runs_reminds_each_once(ok, plan, db_path) -> None:
    seen: dict[str, list[str]] = {}
    t = datetime.fromisoformat("2026-11-23T00:00")
    while t <= datetime.fromisoformat("2026-11-24T10:00"):
        local = t.strftime("%H:%M")
        env = {"SALESFLOW_NOW": utc(t.isoformat())}
        if t.strftime("%d %H:%M") == "23 10:00":
            ok("followup", "done", "6", env=env)  # done before its 11:00: never reminded
        if t.strftime("%d %H:%M") == "23 15:00":
            ok("followup", "snooze", "2", "2026-11-23 17:00", env=env)
        if not "09:00" <= local < "12:00" or t.day == 24:  # the machine was off 09:00-12:00
            out = ok("remind", env=env).stdout
            if out:  # a second run at once reminds nothing again
                assert ok("remind", env=env).stdout == ""
            for line in out.splitlines():
                action = re.search(r"  (.+?) — #1 Jane Roe \(Acme\)$", line).group(1)
                seen.setdefault(action, []).append(t.strftime("%d %H:%M"))
        t += timedelta(minutes=30)
    assert seen == {
        "prepare visit": ["23 08:00"],  # a date-only follow-up: on its morning (08:00)
        "call CFO": ["23 12:00"],  # 09:30, missed while off: caught up at the next run
        "send deck": ["23 14:30", "23 17:00"],  # reminded, snoozed to 17:00, reminded again
        "chase PO": ["24 08:00"],
        "early call": ["24 08:00"],  # 08:10 is within the default 15 minutes of 08:00
    }
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM reminders").fetchone()[0] == 6
    conn.close()


def test_remind_is_not_what_undo_takes_back(ok, plan) -> None:
    env = {"SALESFLOW_NOW": utc("2026-11-23T08:00")}
    assert "prepare visit" in ok("remind", env=env).stdout
    assert "followup add 1 'next week'" in ok("undo", env=env).stderr
    assert ok("remind", env=env).stdout == ""


def test_within_and_morning(ok, fails, plan) -> None:
    env = {"SALESFLOW_NOW": utc("2026-11-23T07:00")}
    assert ok("remind", "--within", "0", env=env).stdout == ""
    ok("config", "set", "remind.morning", "7:00", env=env)
    out = ok("remind", "--within", "3h", env=env).stdout
    assert out == (
        "2026-11-23 (all day)  prepare visit — #1 Jane Roe (Acme)\n"
        "2026-11-23 09:30  call CFO — #1 Jane Roe (Acme)\n"
    )
    fails("remind", "--within", "3 months", match='--within "3 months"', env=env)
    fails("remind", "--within", "soon", match="use minutes or hours", env=env)
    fails("config", "set", "remind.morning", "25:00", match="not a time of day", env=env)


def test_exec_gets_the_reminder_and_a_failure_is_retried(ok, run, plan, tmp_path) -> None:
    out = tmp_path / "got.txt"
    cmd = f'printf "%s|%s|%s\\n" "$SALESFLOW_TITLE" "$SALESFLOW_BODY" "$SALESFLOW_LEAD" >> {out}'
    env = {"SALESFLOW_NOW": utc("2026-11-23T08:00")}
    failed = run("remind", "--exec", "exit 7", env=env)
    assert failed.exit_code == 3 and "tried again on the next run" in failed.stderr
    ok("remind", "--exec", cmd, env=env)
    assert out.read_text() == "prepare visit|due 2026-11-23 (all day) — #1 Jane Roe (Acme)|1\n"


def crontab_line() -> str:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```crontab\n(.*?)\n```", text, flags=re.S)[1]


def test_readme_remind_recipe(tmp_path: Path) -> None:
    fields = crontab_line().split(None, 5)
    assert fields[:5] == ["*/5", "*", "*", "*", "*"]
    words = shlex.split(fields[5])
    env_words = [w for w in words if re.fullmatch(r"[A-Z_]+=.*", w)]
    argv = words[len(env_words) :]
    assert argv[:2] == ["salesflow", "remind"]
    db = tmp_path / "cron.db"
    seed = {**os.environ, "SALESFLOW_DB": str(db), "SALESFLOW_NOW": "2026-11-23T01:00:00Z"}
    for args in (["lead", "add", "张伟", "--company", "深圳某科技"],
                 ["followup", "add", "1", "call CFO", "--due", "2026-11-23 14:30"]):  # fmt: skip
        subprocess.run([sys.executable, "-m", "salesflow", *args], env=seed, check=True,
                       capture_output=True, cwd=ROOT)  # fmt: skip
    # notify-send as cron would find it on PATH: a stand-in that writes down its arguments.
    fake = tmp_path / "bin" / "notify-send"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> {tmp_path / "notified.txt"}\n')
    fake.chmod(0o755)
    env = {"PATH": f"{fake.parent}:{BIN}:/usr/bin:/bin", "SALESFLOW_NOW": "2026-11-23T06:28:00Z"}
    env.update(w.split("=", 1) for w in env_words)
    env["SALESFLOW_DB"] = str(db)
    for _ in range(2):  # two cron runs: one notification
        proc = subprocess.run(argv, env=env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, cwd=tmp_path)  # fmt: skip
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    # 06:28 UTC is 14:28 in Shanghai: the 14:30 call is within the recipe's 5 minutes.
    assert (tmp_path / "notified.txt").read_text() == (
        "call CFO\ndue 2026-11-23 14:30 — #1 张伟 (深圳某科技)\n"
    )
