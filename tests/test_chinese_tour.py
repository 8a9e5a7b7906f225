"""The README tour in Chinese (`--lang zh_CN`): every command works, and no English word the
catalog translates reaches the screen — outside the user's own data (names, notes, stage names
typed in the tour), command and option names, and the machine formats."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.test_readme_tour import tour_commands

ROOT = Path(__file__).resolve().parent.parent

# After the tour: the reports, the digest and the help pages a seller reads.
MORE = [
    "salesflow report summary",
    "salesflow report funnel",
    "salesflow report conversion",
    "salesflow report forecast",
    "salesflow report lost",
    "salesflow report sources",
    "salesflow report activity",
    "salesflow target set 2026-12 200k",
    "salesflow report targets",
    "salesflow digest",
    "salesflow digest --format text",
    "salesflow today",
    "salesflow lead list --all",
    "salesflow stages",
    "salesflow --help",
    "salesflow lead add --help",
    "salesflow report --help",
    "salesflow quote new --help",
    "salesflow lead list --format xml",  # a usage error, in Chinese too
    "salesflow lead show nobody-by-this-name",  # an error
]
# Machine formats keep English keys and stable values; a file written with -o is a document,
# whose language is its own (--lang of quote render, the lead's doc-lang).
_MACHINE = re.compile(r"--format[ =](csv|tsv|json|ndjson|ics|md|html)\b|-f (csv|tsv|json|ndjson)\b")

# Names, products and standards that are English in Chinese text too.
ALLOWED = {
    "salesflow", "sqlite", "litestream", "excel", "wechat", "thunderbird", "gmail", "takeout",
    "maildir", "mbox", "vcard", "icalendar", "markdown", "html", "pdf", "csv", "tsv", "json",
    "ndjson", "ics", "utf", "bom", "iso", "kpi", "bant", "cron", "crm", "pipedrive",
    "hubspot", "salesforce", "zoho", "monte", "carlo", "systemd", "launchd", "sftp", "url",
    "uuid", "eom", "ltd", "inc", "eml", "ctrl", "shell", "null",
}  # fmt: skip
# What the tour itself wrote into the database: the default pipelines' stage names and the
# rows of the files it imports are the user's data, not salesflow speaking.
DATA_FILES = {
    "展会名单.csv": "联系人,单位名称,手机号码,金额\n李娜,苏州某电子有限公司,13900000001,20万\n",
    "calls.csv": "lead_id,kind,note,happened_at\n1,call,first call,2026-11-20T10:00:00Z\n",
}


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}


def catalog_words() -> set[str]:
    """Every English word of the texts the catalog translates."""
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import i18n as catalog_tool

    found: set[str] = set()
    for key in catalog_tool.marked():
        for text in key if isinstance(key, tuple) else (key,):
            found |= words(re.sub(r"\{[^{}]*\}|%\([^)]*\)\w", " ", text))
    return found


def spoken(output: str, values: frozenset[str] = frozenset()) -> str:
    """The output without what is syntax rather than language: command lines quoted in a
    hint, option names and the literal `values` given after them or listed together
    (`--format table`, `（table csv tsv json …）`), config keys, file names, codes and URLs."""
    # A command line quoted in a hint runs to the Chinese text after it.
    text = re.sub(r"salesflow\b[^\u3000-\u9fff\uff00-\uffef·\n]*", " ", output)
    if values:
        value = "(?:" + "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)) + ")"
        text = re.sub(rf"(--?[A-Za-z][\w-]*[ =]){value}\b", r"\1", text)
        text = re.sub(rf"\b{value}(?:[ ,，、|/]+{value})+\b", " ", text)
    text = re.sub(r"--?[A-Za-z][\w-]*", " ", text)
    text = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"", " ", text)  # quoted values and code
    text = re.sub(r"\b[\w.-]+\.(csv|tsv|json|ndjson|ics|md|html|pdf|db|vcf|eml)\b", " ", text)
    text = re.sub(r"\b[a-z_]+\.[A-Za-z_]+\b", " ", text)  # config keys: seller.name, fx.USD
    text = re.sub(r"\b[a-z]+(?:_[a-z0-9]+)+\b", " ", text)  # column names: first_touch_at
    text = re.sub(r"\b[A-Z]{2,}\b", " ", text)  # codes and acronyms: CNY, USD, KPI
    text = re.sub(r"\S+://\S+|\S+@\S+|\S*/\S*", " ", text)  # URLs, addresses, paths
    text = re.sub(r"\w+(\|\w+)+", " ", text)  # an option's values: table|csv|json
    text = re.sub(r"\b\w+=", " ", text)  # the name in NAME=VALUE: region=华南, budget=yes
    return text


def table_names(path: Path) -> set[str]:
    """The database's tables (undo names them): the interface users query with sqlite3."""
    from salesflow import store

    conn = store.connect(path)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    finally:
        conn.close()
    return {w for name in names for w in words(name.replace("_", " "))}


def command_names() -> set[str]:
    """The names of every command and sub-command (syntax, listed in the help)."""
    from salesflow.cli.commands import COMMANDS, load
    from salesflow.cli.fast import command_name
    from salesflow.exporter import SPECS

    found = set(COMMANDS) | set(SPECS)  # and export's table names
    for name in COMMANDS:
        found |= {command_name(r) for r in load(name).commands}
    return {w for name in found for w in words(name)}


def option_values() -> frozenset[str]:
    """The literal values options and arguments take (`--format table`, `--by source`): the
    user types them as they are, in every language."""
    import typing
    from enum import Enum

    from salesflow.cli.commands import COMMANDS, load

    found: set[str] = set()
    for name in COMMANDS:
        group = load(name)
        for command in [*group.commands, *([group.callback_] if group.callback_ else [])]:
            for hint in typing.get_type_hints(command.func).values():
                for kind in (hint, *typing.get_args(hint)):
                    for member in typing.get_args(kind) or (kind,):
                        if isinstance(member, type) and issubclass(member, Enum):
                            found |= {str(m.value) for m in member}
    return frozenset(found)


def test_chinese_tour(ok, run, tmp_path: Path, monkeypatch) -> None:
    from salesflow.pipeline import PRESETS

    monkeypatch.chdir(tmp_path)
    for name, content in DATA_FILES.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    known = catalog_words()
    users = ALLOWED | command_names() | table_names(tmp_path / "schema.db")
    values = option_values()
    for content in DATA_FILES.values():
        users |= words(content)
    for stages in PRESETS.values():
        users |= {w for name, _ in stages for w in words(name)}
    commands = [c for c in tour_commands() if ".pdf" not in c] + MORE
    for command in commands:
        users |= words(command)  # what the user types is the user's data
    users |= {"won", "lost"}  # the closed stages' names in a new database
    leaks: dict[str, list[str]] = {}
    for command in commands:
        line = re.split(r"\s[>|]\s", command)[0]
        args = shlex.split(line)[1:]
        result = run("--lang", "zh_CN", *args)
        assert "Traceback" not in result.output, (command, result.output)
        if result.exit_code != 0:
            assert command in MORE[-2:], (command, result.output)
            assert result.exit_code in (1, 2), (command, result.output)
        if _MACHINE.search(line) or " -o " in line:
            continue
        said = spoken(result.output, values)
        for word in sorted((words(said) & known) - users):
            where = next(x for x in said.splitlines() if word in words(x))
            leaks.setdefault(word, []).append(f"{command[10:50]} → {where.strip()[:70]}")
    report = "\n".join(f"  {w}: {' | '.join(cs[:2])}" for w, cs in leaks.items())
    assert not leaks, f"{len(leaks)} English words leak into the Chinese tour:\n{report}"


def test_the_leak_check_catches_english():
    # The check above can fail: an English message in a Chinese run is found.
    text = spoken("已添加线索 #12 — stage lead. Nothing to undo; see salesflow lead list --stage x")
    assert "nothing" in words(text) and "undo" in words(text)
    assert "list" not in words(text) and "stage" in words(text)


def test_option_values_are_syntax_only_where_they_are_values():
    # `table` in a list of formats or after --format is syntax; the same word in a sentence
    # is English leaking.
    values = frozenset({"table", "csv", "json", "count", "value"})
    listed = spoken("每个报表都支持 --format（table csv json …）；--by value", values)
    assert not words(listed) & {"table", "csv", "json", "value"}
    said = spoken("按 value 排序 — count the table", values)
    assert {"value", "count", "table"} <= words(said)
