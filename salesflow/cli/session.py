"""Per-command state handed to every command: the database, the terminal and the clock."""

from __future__ import annotations

import os
import shlex
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from salesflow import dates, store
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.output.terminal import Terminal

if TYPE_CHECKING:
    from pathlib import Path


class Session:
    def __init__(
        self, db: str | None, argv: list[str], term: Terminal | None = None,
        width: int | None = None,
    ) -> None:  # fmt: skip
        self.db_option = db
        self.argv = argv
        self.term = term or Terminal.detect(width=width)
        self.previous_line: str | None = None  # the command line run before this one
        self._gated = ""

    @cached_property
    def file(self) -> str:
        return store.resolve_path(self.db_option)

    @property
    def path(self) -> Path:
        from pathlib import Path  # slow to import: only for commands that work with files

        return Path(self.file)

    @property
    def origin(self) -> str:
        """Where the database path came from, for messages about it."""
        if self.db_option is not None:
            return "--db"
        if os.environ.get("SALESFLOW_DB") is not None:
            return "SALESFLOW_DB"
        return _("the default data folder")

    def require_file(self) -> None:
        """A command that only reads never creates the database: a missing file is an error."""
        # A dangling or looping symlink is left to store.connect, which says what is wrong.
        if not os.path.exists(self.file) and not os.path.islink(self.file):
            raise SalesflowError(
                _(
                    "no salesflow database at {file} (the path from {origin}) — "
                    "check the path; a command that writes (salesflow lead add "
                    "…, import, demo) creates it"
                ).format(file=self.file, origin=self.origin)
            )

    @cached_property
    def conn(self) -> sqlite3.Connection:
        from salesflow.cli.commands import reads_only

        if reads_only(self.argv):
            self.require_file()
        conn = store.connect(
            self.file,
            on_created=lambda p: self.term.say(
                _("Created a new salesflow database at {p}").format(p=p)
            ),
        )
        from salesflow.cli import lastline

        self.previous_line = lastline.swap(self.file, shlex.join(self.argv))
        # How money reads on the terminal is the user's setting; output only formats. (Unset,
        # the module is not even loaded unless an earlier command in this process set it.)
        shown = store.get_setting(conn, "money.display")
        if shown is not None or "salesflow.output.figures" in sys.modules:
            from salesflow.output import figures

            figures.use(shown)
        return conn

    @cached_property
    def now(self) -> datetime:
        # SALESFLOW_NOW pins the clock (ISO 8601, UTC): for tests and for reproducing a report.
        pinned = os.environ.get("SALESFLOW_NOW")
        if pinned:
            try:
                return dates.from_utc_iso(pinned)
            except (SalesflowError, ValueError):
                raise SalesflowError(
                    _('SALESFLOW_NOW="{pinned}" is not an ISO 8601 time').format(pinned=pinned)
                ) from None
        return dates.utc_now()

    @property
    def now_iso(self) -> str:
        return dates.to_utc_iso(self.now)

    @cached_property
    def tz(self) -> tzinfo:
        def unknown(env: str, used: tzinfo) -> None:
            name = getattr(used, "key", None) or str(used)
            self.term.say(
                _(
                    'Warning: TZ="{env}" is not a time zone salesflow knows — '
                    "using {name}; set TZ to a name such as Asia/Shanghai (or: "
                    "salesflow config set timezone …)"
                ).format(env=env, name=name)
            )

        return dates.local_zone(store.get_setting(self.conn, "timezone"), unknown)

    @property
    def today(self) -> date:
        return dates.local_today(self.now, self.tz)

    @property
    def date_order(self) -> str | None:
        return store.get_setting(self.conn, "date_order")

    @property
    def currency(self) -> str:
        from salesflow.config import DEFAULT_CURRENCY  # not on every command's path

        return store.get_setting(self.conn, "currency") or DEFAULT_CURRENCY

    def parse_date(self, text: str) -> date:
        return dates.parse_date(text, self.today, self.date_order)

    def replica_gate(self, write: bool) -> None:
        """With a replica set, only the copy holding the lease writes; other copies read with a
        note of their age. Without one this is a single settings lookup."""
        if self._gated == "write" or (self._gated == "read" and not write):
            return
        self._gated = "write" if write else "read"
        if store.get_setting(self.conn, "replica.url") is None:
            return
        from salesflow.replica import guard

        guard.check(
            self.file,
            lambda: store.all_settings(self.conn),
            write=write,
            now=self.now,
            tz=self.tz,
            say=self.term.say,
        )

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for a command that only reads."""
        self.replica_gate(write=False)
        with store.transaction(self.conn) as conn:
            yield conn

    @contextmanager
    def write(self, replica_gate: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction, journalled for `salesflow undo` under the command line."""
        if replica_gate:
            self.replica_gate(write=True)
        with store.transaction(
            self.conn, write=True, command=shlex.join(self.argv), now_iso=self.now_iso
        ) as conn:
            yield conn


def confirmed(s: Session, yes: bool, question: str, declined: str) -> bool:
    """--yes, or a 'y' typed at the terminal; refuses (exit 1) when no one can be asked."""
    if yes:
        return True
    answer = s.term.confirm(question)
    if answer is None:
        raise SalesflowError(
            _("{question}: pass --yes to confirm (stdin is not a terminal)").format(
                question=question.rstrip("?？")
            )
        )
    if not answer:
        s.term.say(declined)
    return answer
