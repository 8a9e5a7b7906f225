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
    "db": "salesflow.cli.admin:db_app",
    "config": "salesflow.cli.admin:config_app",
    "log": "salesflow.cli.followups:log_app",
    "followup": "salesflow.cli.followups:app",
    "today": "salesflow.cli.followups:today_app",
    "customer": "salesflow.cli.customers:app",
    "quote": "salesflow.cli.quotes:app",
    "report": "salesflow.cli.reports:app",
    "target": "salesflow.cli.targets:app",
    "digest": "salesflow.cli.digest:app",
    "remind": "salesflow.cli.remind:app",
    "demo": "salesflow.cli.demo:app",
    "export": "salesflow.cli.data:export_app",
    "import": "salesflow.cli.data:import_app",
    "completion": "salesflow.cli.completion:app",
    "replica": "salesflow.cli.replica:app",
    "replicate": "salesflow.cli.replica:replicate_app",
    "handover": "salesflow.cli.replica:handover_app",
    "takeover": "salesflow.cli.replica:takeover_app",
}


def load(name: str) -> Group:
    module, _, attr = COMMANDS[name].partition(":")
    return getattr(importlib.import_module(module), attr)
