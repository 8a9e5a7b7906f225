"""What an import plan holds: the counts and rows a report shows, and the clock it runs on."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from salesflow import dates
from salesflow.i18n import _

# progress(what, done, total): the command draws it; the domain only reports.
Progress = Callable[[str, int, int], None]
_EVERY = 2000  # rows between progress reports
_SHAPES = 50  # kinds of error counted apart; the rest are counted together
# A quoted value in a message ("abc", “abc”, 「abc」), and the hint after a dash.
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|「[^」]*」')
_HINT = re.compile(r" ?— .*| ?——.*", re.S)


def shape(message: str) -> str:
    """A row error's message without its value or its hint: what the errors of many rows
    have in common (`"abc" is not a grade — use A, B or C` -> `… is not a grade`)."""
    return _QUOTED.sub("…", _HINT.sub("", message)).strip()


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None  # the file's header, as the user sees it
    message: str

    def __str__(self) -> str:
        if self.column:
            where = _("row {row}, {column}").format(row=self.row, column=self.column)
        else:
            where = _("row {row}").format(row=self.row)
        return _("{where}: {message}").format(where=where, message=self.message)


@dataclass(frozen=True)
class RowNote:
    """A row that was skipped, or left unchanged, or changed less than it asked."""

    row: int
    message: str

    def __str__(self) -> str:
        return _("row {row}: {message}").format(row=self.row, message=self.message)


@dataclass
class Plan:
    kind: str  # leads | activities
    sheet: str  # the file, as described to the user
    rows: int = 0
    new: list[Any] = field(default_factory=list)  # NewLead / activity tuples, in file order
    updates: dict[int, dict[str, Any]] = field(default_factory=dict)  # lead id -> changes
    changed: list[RowNote] = field(default_factory=list)  # existing leads updated, and how
    unchanged: list[RowNote] = field(default_factory=list)
    skipped: list[RowNote] = field(default_factory=list)
    merged: list[RowNote] = field(default_factory=list)  # later rows about a new lead
    errors: list[RowError] = field(default_factory=list)
    notices: list[RowNote] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # columns kept in notes
    ignored: list[str] = field(default_factory=list)  # columns read but not imported
    # `import leads --source X` is for rows without a source: how many named their own.
    default_source: str | None = None
    own_source: int = 0
    # Which lead each row became (leads): ("new", index in `new`) or an existing lead's id,
    # so the custom fields of the row (importer/fields.py) reach that lead.
    row_leads: dict[int, Any] = field(default_factory=dict)
    field_values: dict[int, dict[str, str]] = field(default_factory=dict)  # row -> its fields
    # An import that writes as it reads (importer/batches.py) lets go of what it has written:
    # the new leads before `new`, and the notes of a kind beyond the first `keep_notes`.
    written: int = 0
    keep_notes: int | None = None
    batches: Any = None  # the importer/leadwrite.py Batches writing this plan
    dropped: dict[str, int] = field(default_factory=dict)  # kind of note -> notes let go
    # Existing leads an import that writes as it reads has updated (or, dry, would update)
    # without holding their changes in `updates`.
    updated: int = 0
    dropped_error_rows: int = 0  # rows with errors beyond the errors kept
    # The errors let go, counted by (column, shape of the message): what the report groups.
    error_shapes: dict[tuple[str | None, str], int] = field(default_factory=dict)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors}) + self.dropped_error_rows

    @property
    def update_count(self) -> int:
        return self.updated + len(self.updates)

    def keep_errors(self, since: int) -> None:
        """Put the errors found since the `since`-th in row order (a chunk's rows are checked,
        then placed) and, for an import that lets go, keep the first `keep_notes` × 10."""
        self.errors[since:] = sorted(self.errors[since:], key=lambda e: e.row)
        if self.keep_notes is None or len(self.errors) <= self.keep_notes * 10:
            return
        keep = self.keep_notes * 10
        kept_rows = {e.row for e in self.errors[:keep]}
        gone = self.errors[keep:]
        self.dropped_error_rows += len({e.row for e in gone} - kept_rows)
        self.count_more("errors", len(gone))
        self.count_shapes(gone, self.error_shapes)
        del self.errors[keep:]

    @staticmethod
    def count_shapes(
        errors: list[RowError], counts: dict[tuple[str | None, str], int]
    ) -> dict[tuple[str | None, str], int]:
        """Add `errors` to `counts` by column and shape (at most _SHAPES kinds, then the
        rest as one, with neither column nor message)."""
        for e in errors:
            kind = (e.column, shape(e.message))
            if kind not in counts and len(counts) >= _SHAPES:
                kind = (None, "")
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def count_more(self, kind: str, more: int) -> None:
        """`more` notes of `kind` that are only counted."""
        if more > 0:
            self.dropped[kind] = self.dropped.get(kind, 0) + more

    @property
    def new_count(self) -> int:
        return self.written + len(self.new)

    def note(self, kind: str, note: RowNote | Callable[[], RowNote]) -> None:
        """Add a note to `kind` (skipped, unchanged, merged), kept or only counted; a note
        given as a function is only written when it is kept."""
        notes = getattr(self, kind)
        if self.keep_notes is None or len(notes) < self.keep_notes:
            notes.append(note if isinstance(note, RowNote) else note())
        else:
            self.dropped[kind] = self.dropped.get(kind, 0) + 1

    def count(self, kind: str) -> int:
        """How many notes of `kind` there are, kept or not."""
        return len(getattr(self, kind)) + self.dropped.get(kind, 0)


@dataclass(frozen=True)
class Applied:
    added: range
    updated: int


@dataclass(frozen=True)
class Clock:
    """What "now" and "today" mean for this import (passed in; the domain never reads it)."""

    now: datetime
    tz: tzinfo
    date_order: str | None = None

    @property
    def now_iso(self) -> str:
        return dates.to_utc_iso(self.now)

    @property
    def today(self) -> date:
        return dates.local_today(self.now, self.tz)


def ticker(progress: Progress | None, what: str, total: int) -> Callable[[int], None]:
    def tick(done: int) -> None:
        if progress is not None and (done % _EVERY == 0 or done == total):
            progress(what, done, total)

    return tick


def finished(progress: Progress | None, what: str, done: int, total: int) -> None:
    """The last report when `total` was only an estimate (a file's lines) and fell short."""
    if progress is not None and done != total:
        progress(what, done, done)
