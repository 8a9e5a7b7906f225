"""The everyday commands, piped into a script, a cron mail or `less`, take the plain path:
no Rich (plain.py writes what Rich would), no Typer (cli/fast.py parses), no dateutil or
icalendar. Start-up is most of what these commands cost, so this list is the speed contract;
a command joins it once it qualifies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("rich", "typer", "click", "dateutil", "icalendar", "jinja2", "sqlite_utils")

EVERYDAY = [
    ["lead", "add", "Ann Lee", "--company", "北京测试", "--value", "12k", "--grade", "A"],
    ["lead", "list", "--limit", "50"],
    ["lead", "list", "--format", "csv"],
    ["lead", "show", "150"],
    ["log", "1", "called", "--kind", "call", "--next", "send quote", "--due", "fri"],
    ["advance", "301"],
    ["today"],
    ["today", "--format", "json"],
    ["followup", "list"],
    ["followup", "list", "--overdue"],
    ["followup", "list", "--format", "csv"],
    ["quote", "list"],
    ["report", "funnel"],
    ["report", "funnel", "--bars", "value"],
    ["report", "funnel", "--format", "csv", "--since", "2026-01-01"],
    ["report", "summary"],
    ["report", "summary", "--format", "json"],
    ["report", "forecast", "--format", "ndjson", "--simulate", "--seed", "1"],
    ["report", "targets", "--format", "json"],
    ["digest"],
]

# Runs each command line through the installed entry point in one interpreter and reports,
# per command, the heavy modules it was the first to import.
PROBE = """
import json, sys
from salesflow.cli import main
heavy, lines, found = json.loads(sys.argv[1]), json.loads(sys.argv[2]), []
for args in lines:
    before = {m for m in heavy if m in sys.modules}
    sys.argv = ["salesflow", *args]
    try:
        main()
    except SystemExit as e:
        if e.code:
            found.append([args, "exit %s" % e.code])
    sys.stdout.flush()
    new = sorted(m for m in heavy if m in sys.modules and m not in before)
    if new:
        found.append([args, new])
print(json.dumps(found), file=sys.stderr)
"""


def test_everyday_commands_take_the_plain_piped_path(tmp_path: Path) -> None:
    import json

    env = {**os.environ, "SALESFLOW_DB": str(tmp_path / "sf.db"), "TZ": "UTC"}
    env["SALESFLOW_NOW"] = "2026-11-23T09:00:00Z"
    env.pop("NO_COLOR", None)
    demo = subprocess.run(
        [sys.executable, "-m", "salesflow", "demo", "--leads", "300", "--seed", "3"],
        capture_output=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY), json.dumps(EVERYDAY)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    assert "\x1b[" not in probe.stdout  # piped: no colour
    assert json.loads(probe.stderr.strip().splitlines()[-1]) == [], probe.stderr
