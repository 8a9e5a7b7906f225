"""Run salesflow with one of its streams on a pseudo-terminal, as a person at a terminal would."""

from __future__ import annotations

import os
import pty
import subprocess


def run_on_tty(
    argv: list[str], *, tty: str = "stdout", env: dict[str, str], cwd: object
) -> tuple[subprocess.CompletedProcess, str]:
    """Run `argv` with `tty` ("stdout" or "stderr") on a pty; the other stream is piped.
    Returns the finished process and what the terminal showed."""
    leader, follower = pty.openpty()
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, tty: follower}
    proc = subprocess.run(argv, env=env, cwd=cwd, **streams)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # Linux: EIO once the child side is closed and drained
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return proc, shown.decode()
