"""The error boundary every command runs inside, on the fast path and under Typer alike.

Every failure the user can cause ends here as one `Error: …` line on stderr and exit 1;
a traceback only with SALESFLOW_DEBUG=1."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from typing import Any

from salesflow.cli.params import Exit
from salesflow.errors import SalesflowError
from salesflow.i18n import _


def guarded(command: Callable[[], Any]) -> Any:
    from salesflow import store

    writes = store.writes_committed()
    try:
        result = command()
        sys.stdout.flush()  # a reader that left shows up here, inside the boundary
        return result
    except SalesflowError as e:
        from salesflow.cli.hints import say

        fail(say(e), e.exit_code)
    except sqlite3.OperationalError as e:
        fail(database_message(e), 1)
    except OverflowError:
        # Only typed numbers get this large (`followup done 99999999999999999999`).
        fail(_("a number given is larger than any record can have — check the number"), 1)
    except BrokenPipeError:
        # `salesflow lead list | head`: the reader left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0) from None
    except Exit as e:
        raise SystemExit(e.exit_code) from None
    except OSError as e:
        # An ordinary I/O error: a full disk or /dev/full as stdout, an unreadable file.
        if e.filename is None:
            _discard_stdout()  # the flush at exit would fail the same way, a second message
        fail(io_message(e, store.writes_committed() > writes), 1)
    except UnicodeEncodeError as e:
        # Bytes that are not UTF-8 (from a file name or the environment) reached text.
        saved = store.writes_committed() > writes
        fail(
            _("text that is not valid UTF-8 ({text!a}) — {saved}").format(
                text=e.object[e.start : e.end], saved=_unchanged(saved)
            ),
            1,
        )
    except KeyboardInterrupt:
        # Ctrl-C: an open transaction rolls back as the exception leaves it.
        print("\n" + _("Interrupted."), file=sys.stderr)
        raise SystemExit(130) from None
    except Exception as e:
        if _from_click(e):  # Typer's usage errors and exits: its layer reports them
            raise
        if os.environ.get("SALESFLOW_DEBUG"):
            raise
        fail(
            _("unexpected {name}: {e} — rerun with SALESFLOW_DEBUG=1 and report it").format(
                name=type(e).__name__, e=e
            ),
            1,
        )


def io_message(e: OSError, saved: bool) -> str:
    what = (
        _("cannot use {filename}").format(filename=e.filename)
        if e.filename
        else _("cannot write the output")
    )
    return _("{what}: {reason} — {saved}").format(
        what=what, reason=e.strerror or e, saved=_unchanged(saved)
    )


def _unchanged(saved: bool) -> str:
    return _("the command's change itself was saved") if saved else _("nothing was changed")


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _from_click(e: Exception) -> bool:
    # Typer 0.28 vendors Click (typer._click) while earlier versions import it.
    return type(e).__module__.split(".")[0] in ("typer", "click")


def database_message(e: sqlite3.OperationalError) -> str:
    text = str(e)
    if "locked" in text or "busy" in text:
        return _("the database is busy (another salesflow command is writing) — try again")
    if "full" in text:
        return _("the disk is full — nothing was changed; free some space and try again")
    if "readonly" in text or "read-only" in text:
        return _("the database file is read-only — check its permissions or pass another --db")
    return _("database error: {text}").format(text=text)


def fail(message: str, code: int) -> None:
    if os.environ.get("SALESFLOW_DEBUG"):
        import traceback

        traceback.print_exc()
    from salesflow.output.safe import visible

    one_line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    # The message may quote what the user gave (a lead name, a path): shown, never run.
    print(_("Error: {message}").format(message=visible(one_line)), file=sys.stderr)
    raise SystemExit(code)
