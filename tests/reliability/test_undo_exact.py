"""For every write command: `command; undo` leaves the database exactly as before."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from salesflow.cli import app
from tests.conftest import dump

DATA = Path(__file__).resolve().parent.parent / "data"
# Each write command with arguments that succeed on the `two_leads` pipeline (+ `prepare`).
WRITES: dict[str, list[list[str]]] = {
    "lead add": [
        ["lead", "add", "王芳", "--company", "杭州某贸易公司", "--value", "3万", "--tag", "x"]
    ],
    "lead edit": [
        ["lead", "edit", "1", "--value", "1", "--bant", "b=yes", "--tag", "y"],
        ["lead", "edit", "2", "--set", "industry=零售", "--set", "region=华北"],
        ["lead", "edit", "1", "--set", "region="],  # clears it
    ],
    "lead rm": [["lead", "rm", "1", "--yes"]],
    "lead merge": [
        ["lead", "merge", "1", "2", "--yes"],
        # a won deal takes an open one
        ["lead", "merge", "4", "1", "--stage-from", "other", "--yes"],
    ],
    "advance": [
        ["advance", "1"],
        ["advance", "2", "lost", "--reason", "price"],
        ["advance", "3", "--reopen"],
        ["advance", "1", "won"],
    ],
    "stages preset": [
        ["stages", "preset", "seed6", "--map", "lead=identify", "--map", "quote=quote/contract"]
    ],
    "stages set": [
        ["stages", "set", "线索:10", "报价:60", "--map", "lead=线索", "--map", "quote=报价"],
        ["stages", "set", "lead:10", "quote:60", "--map", "contacted=lead", "--won", "成交"],
    ],
    "stages rename": [  # an open stage (its history rewritten) and a closed one (its label)
        ["stages", "rename", "lead", "线索"],
        ["stages", "rename", "won", "成交"],
    ],
    "config set": [["config", "set", "currency", "CNY"]],
    "config unset": [["config", "unset", "seller.name"]],
    "import leads": [
        ["import", "leads", str(DATA / "leads_zh.csv")],
        ["import", "leads", str(DATA / "leads_zh.csv"), "--on-duplicate", "update"],
        ["import", "leads", str(DATA / "leads_closed.csv")],  # won ones join customers
    ],
    "import activities": [["import", "activities", str(DATA / "activities.csv")]],
    "import email": [  # a message from 张伟: an activity, and a new lead for the Cc
        ["import", "email", str(DATA / "mail.mbox"), "--new-leads"]
    ],
    "import contacts": [  # 王芳 is new; Jane Roe (Acme Ltd) gets her email
        ["import", "contacts", str(DATA / "contacts.vcf"), "--on-duplicate", "update"]
    ],
    "quote new": [
        ["quote", "new", "1", "--item", "Gateway; 50; 980", "--discount", "5%", "--tax", "13%"]
    ],
    "quote add-item": [["quote", "add-item", "Q-2026-0001", "Training; 2; 3500", "-d", "10%"]],
    "quote rm-item": [["quote", "rm-item", "Q-2026-0001", "1"]],
    "quote edit": [["quote", "edit", "Q-2026-0001", "--tax", "6%", "--valid", "eom"]],
    "quote send": [["quote", "send", "Q-2026-0001"]],
    "quote accept": [["quote", "accept", "Q-2026-0002"]],
    "quote reject": [
        ["quote", "reject", "Q-2026-0002", "--reason", "budget cut"],
        ["quote", "reject", "Q-2026-0002", "--lost", "--reason", "budget cut"],
    ],
    "quote copy": [["quote", "copy", "Q-2026-0002"]],
    # --force: the pipeline here is not empty. The fill is journalled as one DELETE per table
    # (journal.compact_inserts); with --currency it also sets the default currency.
    "demo": [
        ["demo", "--leads", "25", "--force"],
        ["demo", "--leads", "10", "--seed", "2", "--currency", "EUR", "--force"],
    ],
    "db restore": [],  # replaces the whole file; not an undoable command (it keeps a backup)
    "replica set": [["replica", "set", "file:///srv/salesflow-replica"]],
    "replica unset": [],  # needs a replica set first: tests/replica/test_replica_cli.py
    "replica restore": [],  # replaces the whole file, like db restore (it keeps a backup)
    "takeover": [],  # a replica restore that also takes the lease
    "log": [
        ["log", "1", "called", "--kind", "call", "--next", "quote", "--due", "fri"],
        ["log", "2", "sent it", "--kind", "email", "--at", "yesterday 15:00", "--done"],
    ],
    "followup add": [["followup", "add", "1", "call", "--due", "2026-12-01 14:30"]],
    "followup done": [["followup", "done", "1"], ["followup", "done", "2"]],  # 2 recurs
    "followup snooze": [["followup", "snooze", "acme", "+2d"]],
    "customer edit": [
        ["customer", "edit", "1", "--segment", "key", "--checkin", "every-2w", "--name", "W"]
    ],
    "target set": [["target", "set", "2026-12", "200000"], ["target", "set", "2026-11", "20k"]],
    "target rm": [["target", "rm", "2026-11"]],
    "product add": [
        ["product", "add", "Router R1", "--sku", "R1", "--price", "1200", "--tax", "6%"]
    ],
    "product edit": [["product", "edit", "G2", "--price", "1000", "--unit", "pcs", "--tax", ""]],
    "product rm": [["product", "rm", "INST"], ["product", "rm", "G2", "--force"]],
    "import products": [
        ["import", "products", str(DATA / "products.csv"), "--on-duplicate", "update"]
    ],
}
WRITES["lead add"] += [["lead", "add", "李娜", "--set", "region=华东"]]
WRITES["quote add-item"] += [["quote", "add-item", "Q-2026-0001", "G2; 3"]]
WRITES["advance"] += [["advance", "4", "--reopen"]]  # unlinks the customer, drops its check-in
READS = {
    "lead list", "lead show", "stages", "db path", "db check", "db info", "db backup",
    "config get", "config list", "undo", "followup list", "today", "customer list", "digest",
    "customer show",
    "quote list", "quote show", "quote render",
    "report summary", "report funnel", "report conversion", "report forecast", "report lost",
    "report sources", "report grades", "report activity", "report targets", "report trend",
    "report review", "target list",
    "report products", "report breakdown", "product list", "product show",
    "export", "search", "redo", "lead dupes", "completion",
    "remind",  # writes only what it has reminded, without an undo entry: undo stays the user's
    # The replica itself and this machine's lease state change, not the database.
    "replica show", "replica status", "replicate", "handover",
}  # fmt: skip


def leaf_commands(group, prefix: str = "") -> set[str]:
    names = set()
    for name in group.list_commands(None):
        cmd = group.get_command(None, name)
        full = f"{prefix}{name}"
        if hasattr(cmd, "commands") and cmd.commands:
            names |= leaf_commands(cmd, full + " ")
            if getattr(cmd, "invoke_without_command", False):
                names.add(full)
        else:
            names.add(full)
    return names


def test_every_command_is_classified() -> None:
    commands = leaf_commands(typer.main.get_command(app))
    assert commands == set(WRITES) | READS, commands ^ (set(WRITES) | READS)


def prepare(ok) -> None:
    ok("lead", "add", "Closed Co", "--company", "Lost Ltd")
    ok("advance", "3", "lost", "--reason", "timing")
    ok("config", "set", "seller.name", "Li Ming")
    ok("followup", "add", "2", "chase", "--due", "fri")  # follow-up 1
    ok("lead", "add", "Won Co", "--company", "Won Ltd")  # lead 4 ...
    ok("advance", "4", "won")  # ... is customer 1
    ok("customer", "edit", "1", "--checkin", "every-1m")  # recurring follow-up 2
    ok("quote", "new", "1", "--item", "Design; 1; 1000")  # Q-2026-0001, a draft
    ok("quote", "new", "2", "--item", "Audit; 2; 500")  # Q-2026-0002, sent: lead 2 → quote
    ok("quote", "send", "Q-2026-0002")
    ok("target", "set", "2026-11", "10000")  # a target to replace or remove
    ok("config", "set", "me.emails", "me@mine.com")  # for import email
    ok("config", "set", "fields", "industry,region")
    ok("lead", "edit", "1", "--set", "region=华南")
    ok("product", "add", "Gateway", "--sku", "G2", "--price", "¥980", "--unit", "台",
       "--tax", "13%")  # fmt: skip
    ok("product", "add", "Installation", "--sku", "INST", "--price", "6000")
    ok("quote", "new", "1", "--item", "G2; 5")  # Q-2026-0003: a line from the catalogue


CASES = [(name, args) for name, variants in WRITES.items() for args in variants]


@pytest.mark.parametrize(("name", "args"), CASES, ids=[" ".join(a) for _, a in CASES])
def test_command_then_undo_is_exact(ok, two_leads, db_path, name: str, args: list[str]) -> None:
    prepare(ok)
    before = dump(db_path)
    ok(*args)
    assert dump(db_path) != before, "the command changed nothing"
    assert "Undid:" in ok("undo").stderr
    assert dump(db_path) == before
