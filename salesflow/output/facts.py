"""Item/value tables (`db info`, `replica show`, `replica status`, `config list`): the keys
stay as they are in machine formats and in English; a table in another language names them."""

from __future__ import annotations

from typing import Any

from salesflow.i18n import N_, _
from salesflow.output import Column

# Each its own catalog entry, with what it is in brackets (English shows the key itself).
LABELS = {
    "item": N_("item (the heading of a fact)"),
    "key": N_("key (the heading of a setting's name)"),
    "value": N_("value (the heading of a fact's value)"),
    "path": N_("path (of the database file)"),
    "size_bytes": N_("size_bytes (of the database file)"),
    "schema_version": N_("schema_version (of the database)"),
    "last_backup": N_("last_backup (of the database)"),
    "undoable_commands": N_("undoable_commands (of the database)"),
    "url": N_("url (of the replica)"),
    "type": N_("type (of the replica)"),
    "lease_seconds": N_("lease_seconds (of the replica)"),
    "replica": N_("replica (its address)"),
    "database": N_("database (its path)"),
    "replicate": N_("replicate (is it running)"),
    "lease": N_("lease (who holds it)"),
    "local_txid": N_("local_txid (of the replica)"),
    "replica_txid": N_("replica_txid (of the replica)"),
    "last_replicated": N_("last_replicated (of the replica)"),
    "last_sync": N_("last_sync (of the replica)"),
    "lag": N_("lag (of the replica)"),
    "replica_size_bytes": N_("replica_size_bytes (of the replica)"),
}


def label(key: str) -> str:
    """An item key as the user reads it: `size_bytes` → 大小（字节）; `rows.leads` →
    行数：leads (table names are the database's own); the key itself in English."""
    if key.startswith("rows."):
        shown = _("rows in {table}").format(table=key[5:])
        return key if shown == "rows in " + key[5:] else shown
    entry = LABELS.get(key)
    if entry is None:
        return key
    shown = _(entry)
    return key if shown == entry else shown


def columns() -> list[Column]:
    def item(row: dict[str, Any]) -> str:
        return label(str(row["item"]))

    return [
        Column("item", label("item"), get=item, no_wrap=True),
        Column("value", label("value")),
    ]


def setting_columns() -> list[Column]:
    """`config list`: the keys are what `config set` takes, shown as they are."""
    return [Column("key", label("key"), no_wrap=True), Column("value", label("value"))]
