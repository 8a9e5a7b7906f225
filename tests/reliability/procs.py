"""Running salesflow as a real process: for kills, races, umasks and file permissions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# As root, file permissions do not apply; the same commands then run without the two
# capabilities that bypass them, so a 0444 file or a read-only folder means what it says.
UNPRIVILEGED = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
)


def env_for(db: Path | str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "SALESFLOW_DB": str(db), "TZ": "UTC", **extra}
    env.pop("SALESFLOW_DEBUG", None)
    return env


def sf(
    db: Path | str, *args: str, unprivileged: bool = False, umask: int | None = None, **kw
) -> subprocess.CompletedProcess[str]:
    """`salesflow ARGS` on `db` in a fresh process; text output captured."""
    argv = [sys.executable, "-m", "salesflow", *args]
    if unprivileged:
        argv = UNPRIVILEGED + argv
    env = env_for(db, **kw.pop("env", {}))
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True,
                          preexec_fn=preexec, **kw)  # fmt: skip


def one_error(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The single `Error: …` line a failed command printed (asserted so)."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    return lines[0]
