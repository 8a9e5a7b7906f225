"""Laid out for a width, a column empty in every row of a section is left out of that
section, and its room goes to the text beside it."""

from __future__ import annotations


def _section(out: str, title: str) -> list[str]:
    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(title))
    end = next((n for n in range(start + 1, len(lines)) if not lines[n].strip()), len(lines))
    return lines[start:end]


def _shown(line: str, text: str) -> int:
    """How much of `text` the line shows (before its `…`)."""
    return max(n for n in range(len(text) + 1) if text[:n] in line)


def test_today_drops_the_late_column_from_due_today(ok):
    action = "Call to confirm the budget for phase two"
    ok("lead", "add", "Marco Rossi Bianchi")
    ok("followup", "add", "1", action, "--due", "today")
    ok("followup", "add", "1", action, "--due", "2026-11-20", "--force")
    out = ok("--width", "60", "today").stdout
    overdue, today = _section(out, "Overdue follow-ups"), _section(out, "Due today")
    assert overdue[1].split()[:4] == ["F#", "Due", "Late", "Action"]
    assert "3 d" in overdue[3]
    assert today[1].split()[:4] == ["F#", "Due", "Action", "Lead"]
    # The room the empty column leaves goes to the text beside it.
    assert _shown(today[3], action) > _shown(overdue[3], action)
    lead = "#1 Marco Rossi Bianchi"
    assert _shown(today[3], lead) >= _shown(overdue[3], lead)
    zh = ok("--lang", "zh_CN", "--width", "60", "today").stdout
    assert "逾期" in _section(zh, "逾期跟进")[1]
    assert "逾期" not in _section(zh, "今日到期")[1]


def test_a_pipe_keeps_every_column(ok):
    ok("lead", "add", "Marco Rossi")
    ok("followup", "add", "1", "Call", "--due", "today")
    out = ok("today").stdout
    assert "Late" in _section(out, "Due today")[1]
