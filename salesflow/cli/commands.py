"""The command tree, loaded lazily: a command imports and builds only its own module, so adding
commands does not slow every other one down. name -> "module:group"."""

from __future__ import annotations

import importlib

from salesflow.cli.params import Group

COMMANDS: dict[str, str] = {
    "lead": "salesflow.cli.leads:app",
    "advance": "salesflow.cli.pipeline:advance_app",
    "stages": "salesflow.cli.pipeline:stages_app",
    "undo": "salesflow.cli.admin:undo_app",
    "redo": "salesflow.cli.admin:redo_app",
    "db": "salesflow.cli.admin:db_app",
    "config": "salesflow.cli.admin:config_app",
    "log": "salesflow.cli.followups:log_app",
    "followup": "salesflow.cli.followups:app",
    "today": "salesflow.cli.followups:today_app",
    "customer": "salesflow.cli.customers:app",
    "quote": "salesflow.cli.quotes:app",
    "product": "salesflow.cli.products:app",
    "report": "salesflow.cli.reports:app",
    "target": "salesflow.cli.targets:app",
    "digest": "salesflow.cli.digest:app",
    "remind": "salesflow.cli.remind:app",
    "demo": "salesflow.cli.demo:app",
    "export": "salesflow.cli.data:export_app",
    "import": "salesflow.cli.data:import_app",
    "search": "salesflow.cli.search:app",
    "completion": "salesflow.cli.completion:app",
    "replica": "salesflow.cli.replica:app",
    "replicate": "salesflow.cli.replica:replicate_app",
    "handover": "salesflow.cli.replica:handover_app",
    "takeover": "salesflow.cli.replica:takeover_app",
}


# Commands that only read. On a missing database file they stop with an error that names the
# path, instead of creating an empty database: a cron digest pointed at the wrong path must
# say so, not mail an empty digest. A whole group reads when listed alone ("report"); an
# `import <kind> … --dry-run` only reads too.
READ_ONLY = frozenset({
    "report", "export", "digest", "today", "search", "undo", "redo",
    "lead list", "lead show", "lead dupes", "stages", "stages list", "db path", "db check",
    "db info", "db backup", "config get", "config list", "followup list", "customer list",
    "customer show", "quote list", "quote show", "quote render", "target list",
    "product list", "product show",
    "replica show", "replica status", "replicate", "handover",
})  # fmt: skip
_WHOLE = frozenset({
    "report", "export", "digest", "today", "search", "undo", "redo", "replicate", "handover",
    "completion", "remind",
})  # fmt: skip


def reads_only(argv: list[str]) -> bool:
    """Whether `salesflow <argv>` names a command that only reads (see READ_ONLY)."""
    words = command_words(argv)
    if not words:
        return False
    if words[0] in _WHOLE:
        return True
    if words[0] == "stages" and len(words) == 1:
        return True
    if words[0] == "import" and "--dry-run" in argv:  # a preview changes nothing
        return True
    return " ".join(words) in READ_ONLY


def command_words(argv: list[str]) -> list[str]:
    """The command's name words (at most two) in `salesflow <argv>`, root options skipped."""
    words, i = [], 0
    while i < len(argv) and len(words) < 2:
        token = argv[i]
        if token in ("--db", "--lang", "--width") and not words:
            i += 2
            continue
        if not token.startswith("-"):
            words.append(token)
        elif words:  # options after the command: its sub-command, if any, came first
            break
        i += 1
    return words


def load(name: str) -> Group:
    module, _, attr = COMMANDS[name].partition(":")
    return getattr(importlib.import_module(module), attr)
