"""Shell completion values read from the database: stage names, lead numbers and names, quote
numbers, config keys, lost reasons (`--format` values come from their choices).

Called only while a shell completes (`_SALESFLOW_COMPLETE` set, the Typer path); an ordinary
command never runs these. The file is opened read-only and never created or migrated; a
missing or unreadable database completes nothing rather than failing the shell."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

LIMIT = 50  # more candidates than a shell lists helpfully


@contextmanager
def _database(ctx: Any) -> Iterator[sqlite3.Connection | None]:
    from salesflow import store

    root = ctx.find_root() if ctx is not None else None
    try:
        path = store.resolve_path(root.params.get("db") if root is not None else None)
    except Exception:
        path = None
    if not path or not os.path.isfile(path):
        yield None
        return
    from urllib.parse import quote

    conn = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def _rows(ctx: Any, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with _database(ctx) as conn:
        if conn is None:
            return []
        try:
            return conn.execute(sql, args).fetchall()
        except sqlite3.Error:
            return []


def _like(incomplete: str) -> str:
    return incomplete.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def stages(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    # won and lost by what the seller calls them (a database before migration 15: names)
    rows = _rows(ctx, "SELECT coalesce(label, name), probability FROM stages ORDER BY position")
    rows = rows or _rows(ctx, "SELECT name, probability FROM stages ORDER BY position")
    return [(name, f"{p}%") for name, p in rows if name.lower().startswith(incomplete.lower())]


def leads(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """A number (newest first) when what is typed is a number, else names and companies."""
    text = incomplete.lstrip("#")
    if not text or text.isdigit():
        rows = _rows(
            ctx,
            "SELECT id, name, company FROM leads WHERE CAST(id AS TEXT) LIKE ? ESCAPE '\\' "
            "ORDER BY id DESC LIMIT ?",
            _like(text),
            LIMIT,
        )
        return [(str(i), " · ".join(filter(None, (n, c)))) for i, n, c in rows]
    rows = _rows(
        ctx,
        "SELECT name, min(id) FROM leads WHERE name LIKE ? ESCAPE '\\' GROUP BY name "
        "UNION SELECT company, min(id) FROM leads WHERE company LIKE ? ESCAPE '\\' "
        "GROUP BY company ORDER BY 1 LIMIT ?",
        _like(text),
        _like(text),
        LIMIT,
    )
    return [(name, f"#{i}") for name, i in rows]


def quotes(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    rows = _rows(
        ctx,
        "SELECT number, status FROM quotes WHERE number LIKE ? ESCAPE '\\' "
        "ORDER BY id DESC LIMIT ?",
        _like(incomplete.upper()),
        LIMIT,
    )
    return [(number, status) for number, status in rows]


def config_keys(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    from salesflow.config import DESCRIPTIONS, describe
    from salesflow.i18n import _

    found = {k: describe(k) for k in DESCRIPTIONS if not k.endswith(".")}
    for (key,) in _rows(ctx, "SELECT key FROM settings WHERE key LIKE 'fx.%'"):
        found[key] = _("exchange rate for reports")
    return [(k, v) for k, v in sorted(found.items()) if k.startswith(incomplete)]


def lost_reasons(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """`advance … lost --reason`: the categories of `config lost_reasons` (with their synonyms
    as help), then reasons given before that are none of those, most used first. Any other
    text is accepted as well; this only offers the usual ones."""
    from salesflow.config import lost_categories

    rows = _rows(ctx, "SELECT value FROM settings WHERE key = 'lost_reasons'")
    try:
        words = lost_categories(rows[0][0] if rows else None)
    except Exception:  # a setting salesflow would not have stored: offer no categories
        words = {}
    synonyms: dict[str, list[str]] = {}
    for (text,) in rows:
        for part in text.split(";"):
            name, _, more = part.partition("=")
            if words.get(" ".join(name.split()).casefold()):
                synonyms[" ".join(name.split())] = [w.strip() for w in more.split(",") if w.strip()]
    found = [(name, ", ".join(more)) for name, more in synonyms.items()]
    for reason, count in _rows(
        ctx,
        "SELECT lost_reason, count(*) FROM leads WHERE lost_reason LIKE ? ESCAPE '\\' "
        "GROUP BY lost_reason ORDER BY count(*) DESC, lost_reason LIMIT ?",
        _like(incomplete),
        LIMIT,
    ):
        if " ".join(reason.split()).casefold() not in words:
            found.append((reason, f"given {count}×"))
    key = incomplete.casefold()
    return [(name, help_) for name, help_ in found if name.casefold().startswith(key)][:LIMIT]


def trend_metrics(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """`--metric won,wi` → `won,win_rate`: the item after the last comma is completed."""
    from salesflow.metrics.trend import METRICS

    done, _, last = incomplete.rpartition(",")
    head = f"{done}," if done else ""
    taken = set(done.split(","))
    return [(head + m, "") for m in METRICS if m.startswith(last) and m not in taken]


def trend_groups(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    from salesflow.metrics.groups import BUILT_IN

    return [(g, "") for g in BUILT_IN if g.startswith(incomplete)]
