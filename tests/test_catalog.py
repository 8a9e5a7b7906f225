"""The Chinese catalog is complete and sound: every text the code marks is translated in some
po/zh_CN/*.po (no empty msgstr, no fuzzy entry), placeholders survive translation, every
--help text is marked, and the committed .mo is what the sources compile to."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import i18n as catalog_tool  # noqa: E402  (tools/i18n.py)

# {name}, {name!r}, {}, {0}; %s, %d, %(name)s — what .format() and % fill in.
_PLACEHOLDER = re.compile(
    r"\{[A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}|%(?:\([A-Za-z0-9_]+\))?[sdirf]"
)


def placeholders(text: str) -> list[str]:
    # The value's name must survive; its format spec may change ({day:%a %m-%d} → {day:%m-%d}:
    # Chinese leaves out the English weekday).
    return sorted(re.sub(r":[^{}]*\}$", "}", p) for p in _PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def entries() -> list[tuple[str, object]]:
    """(file name, Babel message) of every entry of every po/zh_CN/*.po."""
    from babel.messages.pofile import read_po

    found = []
    for path in sorted(catalog_tool.SOURCES.glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh, locale="zh_CN"):
                if message.id:
                    found.append((path.name, message))
    return found


def test_every_marked_text_is_translated():
    have = catalog_tool.translated()
    missing = [
        f"{where}: {key!r}" for key, where in catalog_tool.marked().items() if not have.get(key)
    ]
    assert not missing, "not in po/zh_CN/*.po (python tools/i18n.py missing):\n" + "\n".join(
        missing
    )


def test_no_entry_the_code_no_longer_marks():
    # A text changed or removed in the code leaves its old entry behind: it would pass every
    # check above while nobody can see it (python tools/i18n.py stale lists them).
    old = catalog_tool.stale()
    assert not old, "remove from po/zh_CN/*.po:\n" + "\n".join(old)


def test_texts_marked_inside_f_strings_are_found():
    # Babel does not look into f-strings on Python 3.11; without the syntax-tree pass their
    # entries would count as stale and their absence as nothing missing.
    found = dict(catalog_tool.formatted_calls())
    assert found["salesflow digest"].startswith("salesflow/output/digest_mail.py:")


def test_no_empty_or_fuzzy_entries(entries):
    bad = [
        f"{name}: {m.id!r}"
        for name, m in entries
        if m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert not bad, bad


def test_placeholders_match(entries):
    bad = []
    for name, m in entries:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for text in strings:
            if placeholders(text) != placeholders(ids[0]):
                bad.append(f"{name}: {ids[0]!r} -> {text!r}")
    assert not bad, "\n".join(bad)


def test_placeholder_pattern():
    # The check above can fail: it tells a dropped or renamed placeholder apart.
    assert placeholders("lead {name} at %s, %(n)d of {}") == ["%(n)d", "%s", "{name}", "{}"]
    assert placeholders("5% or 10% off {x!r}") == ["{x!r}"]
    assert placeholders("线索 {nmae}") != placeholders("lead {name}")
    assert placeholders("{day:%m-%d} 的日程") == placeholders("Agenda for {day:%a %m-%d}")


def test_a_text_is_translated_the_same_in_every_file():
    catalog_tool.merged()  # raises naming both files when two disagree


def test_committed_mo_matches_its_sources():
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n.py"), "check"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def _declared_help() -> list[tuple[str, str]]:
    """(where, text) for every help text the command tree declares: group and command help,
    command docstrings, option and argument help."""
    from salesflow.cli import params
    from salesflow.cli.commands import COMMANDS, load

    found = []
    for name in COMMANDS:
        group = load(name)
        if isinstance(group.settings.get("help"), str):
            found.append((name, group.settings["help"]))
        registered = [*group.commands, *([group.callback_] if group.callback_ else [])]
        for command in registered:
            where = f"{name} {command.name or command.func.__name__}"
            text = command.settings.get("help") or inspect.getdoc(command.func)
            if isinstance(text, str):
                found.append((where, text))
            hints = typing.get_type_hints(command.func, include_extras=True)
            for param, hint in hints.items():
                for extra in getattr(hint, "__metadata__", ()):
                    if isinstance(extra, params.Option | params.Argument):
                        help_ = extra.settings.get("help")
                        if help_:
                            found.append((f"{where} {param}", help_))
    return found


def test_every_help_text_is_in_the_catalog():
    # A help= written without N_() would be shown in English: Babel would not extract it.
    from salesflow import i18n
    from salesflow.cli.typer_build import help_text

    i18n.use("zh_CN")
    try:
        english = [
            f"{where}: {text[:60]!r}" for where, text in _declared_help() if help_text(text) == text
        ]
    finally:
        i18n.use("en")
    assert not english, "\n".join(english)


def test_help_is_chinese_and_english_unchanged(run):
    zh = run("--lang", "zh_CN", "lead", "add", "--help")
    assert zh.exit_code == 0
    for words in ("用法：salesflow lead add", "选项：", "参数：", "录入一条新线索", "公司名称。",
                  "显示本帮助并退出。", "示例：", "[必填]"):  # fmt: skip
        assert words in zh.stdout, words
    en = run("lead", "add", "--help")
    for words in ("Usage: salesflow lead add", "Options:", "Capture a new lead", "Company name.",
                  "Show this message and exit.", "Examples:", "[required]"):  # fmt: skip
        assert words in en.stdout, words
    assert not re.search(
        r"[\u4e00-\u9fff]", en.stdout.replace("张伟", "").replace("深圳某科技有限公司", "")
    )
