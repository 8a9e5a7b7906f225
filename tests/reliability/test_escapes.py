"""Hostile text — terminal escapes, C1 controls, bidi overrides — typed, imported from CSV, TSV,
JSON and NDJSON, in stage and customer names: every terminal renderer shows it, none runs it;
the machine formats keep it exactly."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from salesflow.output.safe import visible
from salesflow.output.terminal import Terminal

NAME = "ST\x1b]0;pwned\x1b\\Name"  # retitles the window
COMPANY = "\x1b]8;;https://evil.example/\x1b\\Acme\x1b]8;;\x1b\\"  # a disguised link
NOTE = "first line\n\x1b]52;c;cHduZWQ=\x07second \u202eline"  # clipboard write, RTL override
C1 = "Red\x9b31m\x85Co"  # CSI and NEL as C1 controls
STAGE = "阶段\x1b[2J"  # clears the screen
LIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_visible_shows_every_control_and_keeps_newline_and_tab() -> None:
    assert visible(NAME) == "ST\\x1b]0;pwned\\x1b\\Name"
    assert visible("a\tb\nc\r\x00\x7f") == "a\tb\nc\\x0d\\x00\\x7f"
    assert visible(C1) == "Red\\x9b31m\\x85Co"
    assert visible("\u202eabc\u2066") == "\\u202eabc\\u2066"
    assert visible(visible(NOTE)) == visible(NOTE)  # idempotent: shown once, not re-escaped
    assert visible("张伟 Acme — ok …") == "张伟 Acme — ok …"


def test_terminal_streams_show_while_raw_keeps_the_bytes() -> None:
    out, err = io.StringIO(), io.StringIO()
    term = Terminal(out=out, err=err, is_tty=True, color=True, width=80)
    term.out.write(NAME)
    term.say(COMPANY)
    term.raw.write(NAME)
    assert out.getvalue() == visible(NAME) + NAME
    assert not LIVE.search(err.getvalue())


@pytest.fixture(params=["colour", "plain"])
def screen(request, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every command's Terminal is a colour terminal (Rich draws) or a plain pipe."""
    from salesflow.output import terminal

    real = terminal.Terminal.detect.__func__

    def detect(cls, out=None, err=None, width=None):
        term = real(cls, out, err, width)
        if request.param == "colour":
            term.is_tty = term.color = term.fit = True
        return term

    monkeypatch.setattr(terminal.Terminal, "detect", classmethod(detect))
    return request.param


def shown(result) -> str:
    text = result.stdout + result.stderr
    # salesflow's own colour codes (and Rich's, for cards) are ESC [ … m with the harmless
    # codes; anything else escaping is user data.
    return re.sub(r"\x1b\[(?:(?:[0-4]|3[1-6]|9[0-7]|22|23|24|39);?)*m", "", text)


def hostile_pipeline(ok) -> None:
    ok("stages", "set", f"{STAGE}:20", "proposal:50", "--map", "lead=" + STAGE,
       "--map", "contacted=proposal", "--map", "qualified=proposal", "--map", "quote=proposal",
       "--map", "negotiation=proposal")  # fmt: skip
    ok("lead", "add", NAME, "--company", COMPANY, "--note", NOTE, "--tag", C1, "--source", C1)
    ok("lead", "add", "Bob", "--company", C1, "--email", "b@example.test")
    ok("log", "1", NOTE, "--next", f"call {NAME}", "--due", "today")
    ok("followup", "add", "2", COMPANY, "--due", "2026-11-20", "--force")
    ok("advance", "2", "won", "--note", NOTE)
    ok("quote", "new", "1", "--item", f"{STAGE}{C1}; 1; 100", "--note", NOTE)


VIEWS = [
    ["lead", "list"], ["lead", "show", "1"], ["lead", "show", "2"], ["today"], ["digest"],
    ["followup", "list"], ["customer", "list"], ["customer", "show", "1"], ["stages"],
    ["quote", "show", "Q-2026-0001"], ["quote", "list"], ["report", "funnel"],
    ["report", "summary"], ["lead", "list", "--search", "Name"],
    ["report", "forecast"], ["report", "sources"], ["report", "lost"], ["report", "trend"],
    ["report", "breakdown", "--by", "source"], ["report", "activity"], ["search", "pwned"],
    ["undo", "--list"], ["lead", "dupes"], ["remind"],
]  # fmt: skip


def test_every_terminal_view_shows_hostile_text_without_running_it(ok, screen) -> None:
    hostile_pipeline(ok)
    for argv in VIEWS:
        text = shown(ok(*argv))
        assert not LIVE.search(text), (argv, [m.group() for m in LIVE.finditer(text)][:5])
    assert "ST\\x1b]0;pwn" in shown(ok("lead", "list"))  # shown, if shortened


def test_messages_and_errors_show_hostile_text(ok, run, screen) -> None:
    added = ok("lead", "add", NAME, "--company", COMPANY)
    assert "ST\\x1b]0;pwned\\x1b\\Name" in added.stderr and not LIVE.search(added.stderr)
    missing = run("lead", "show", f"zz{NAME}")
    assert missing.exit_code == 1
    assert "\\x1b]0;pwned" in missing.stderr and not LIVE.search(missing.stderr)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "ndjson"])
def test_machine_formats_keep_the_exact_text(ok, fmt) -> None:
    ok("lead", "add", NAME, "--company", COMPANY, "--note", NOTE, "--tag", "t" + C1)
    out = (
        ok("lead", "list", "--format", fmt, "--raw").stdout
        if fmt in ("csv", "tsv")
        else ok("lead", "list", "--format", fmt).stdout
    )
    if fmt in ("json", "ndjson"):
        row = json.loads(out)[0] if fmt == "json" else json.loads(out.split("\n")[0])
        assert (row["name"], row["company"], row["notes"]) == (NAME, COMPANY, NOTE)
    else:  # (TSV writes the backslash in NAME as \\)
        assert "ST\x1b]0;pwned\x1b" in out and "\x1b]8;;https://evil.example/\x1b" in out
        assert "\x07second \u202eline" in out


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "ndjson"])
def test_imported_hostile_text_is_kept_and_shown_safely(ok, tmp_path: Path, fmt, screen) -> None:
    rows = [{"name": NAME, "company": COMPANY, "notes": NOTE}, {"name": C1, "company": "x"}]
    path = tmp_path / f"in.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(rows))
    elif fmt == "ndjson":
        path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    elif fmt == "csv":
        import csv

        with path.open("w", newline="") as f:
            w = csv.DictWriter(f, ["name", "company", "notes"])
            w.writeheader()
            w.writerows(rows)
    else:
        esc = lambda v: v.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")  # noqa: E731
        lines = ["name\tcompany\tnotes"]
        lines += [f"{esc(r['name'])}\t{esc(r['company'])}\t{esc(r.get('notes', ''))}" for r in rows]
        path.write_text("\n".join(lines) + "\n")
    report = ok("import", "leads", str(path))
    assert not LIVE.search(shown(report))
    for argv in (["lead", "list"], ["lead", "show", "1"], ["lead", "show", "2"]):
        assert not LIVE.search(shown(ok(*argv))), argv
    row = json.loads(ok("lead", "list", "--format", "json").stdout)[0]
    assert (row["name"], row["company"], row["notes"]) == (NAME, COMPANY, NOTE)
