"""What this machine last knew about the replica, kept beside the database in
`<db>.replica.json` (0600): the lease as last seen, when this copy was restored, and the
running `replicate` (pid, control socket). Everyday commands read it instead of the network."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from salesflow.replica.lease import Lease


@dataclass(frozen=True)
class State:
    lease: dict[str, Any] | None = None
    restored_at: str | None = None
    pid: int | None = None
    socket: str | None = None
    synced_at: str | None = None
    txid: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def known_lease(self) -> Lease | None:
        return Lease(**self.lease) if self.lease else None

    def with_lease(self, lease: Lease | None) -> State:
        return replace(self, lease=asdict(lease) if lease else None)


def path(db: str) -> str:
    return f"{db}.replica.json"


def load(db: str) -> State:
    try:
        with open(path(db), encoding="utf-8") as f:
            data = json.load(f)
        return State(**{k: v for k, v in data.items() if k in State.__dataclass_fields__})
    except (OSError, ValueError, TypeError):
        return State()  # never written, or unreadable: the replica itself is asked instead


def save(db: str, state: State) -> None:
    target = path(db)
    tmp = f"{target}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(asdict(state), f, indent=1, sort_keys=True)
    os.replace(tmp, target)


def forget(db: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path(db))


def running(state: State) -> bool:
    """A `replicate` for this database is alive (its pid exists and its socket is there)."""
    if not state.pid or not state.socket or not os.path.exists(state.socket):
        return False
    try:
        os.kill(state.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
