"""Real processes for the replication tests: salesflow commands, `salesflow replicate`, and an
sshd of the test's own on a loopback port (its host key and authorized key in a temp folder)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALESFLOW_")}
    env.update(HOME=str(home), TZ="UTC", NO_COLOR="1")
    return env


def sf(
    db: Path, *args: str, env: dict[str, str], ok: bool = True, timeout: float = 120
) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "salesflow", "--db", str(db), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if ok:
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


def names(db: Path, env: dict[str, str]) -> list[str]:
    out = sf(db, "lead", "list", "--format", "json", env=env).stdout
    return sorted(row["name"] for row in json.loads(out))


class Replicate:
    """`salesflow replicate` in the background, ready once its control socket answers."""

    def __init__(self, db: Path, env: dict[str, str]) -> None:
        self.db = db
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "salesflow", "--db", str(db), "replicate"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            state = self.state()
            sock = state.get("socket")
            if state.get("pid") == self.proc.pid and sock and os.path.exists(sock):
                return
            if self.proc.poll() is not None:
                raise AssertionError(self.proc.stdout.read())
            time.sleep(0.05)
        raise AssertionError("replicate did not start")

    def state(self) -> dict:
        try:
            return json.loads(Path(f"{self.db}.replica.json").read_text())
        except (OSError, ValueError):
            return {}

    def sync(self) -> dict:
        """Litestream's own confirmation that the replica has every committed frame."""
        from salesflow.replica import litestream

        return litestream.sync_now(self.state()["socket"], str(self.db), timeout=30)

    def stop(self, sig: int = signal.SIGTERM) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        out, _ = self.proc.communicate(timeout=40)
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sshd:
    """An sshd for one user (the one running the tests), key login only, SFTP inside."""

    def __init__(self, folder: Path, home: Path) -> None:
        folder.mkdir(parents=True)
        for name in ("host", "user"):
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)],
                check=True,
            )
        (folder / "authorized_keys").write_text((folder / "user.pub").read_text())
        self.port = free_port()
        config = folder / "sshd_config"
        config.write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "ListenAddress 127.0.0.1",
                    f"HostKey {folder / 'host'}",
                    f"PidFile {folder / 'sshd.pid'}",
                    f"AuthorizedKeysFile {folder / 'authorized_keys'}",
                    "StrictModes no",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "PermitRootLogin prohibit-password",
                    "Subsystem sftp internal-sftp",
                    "",
                ]
            )
        )
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", exist_ok=True)  # its privilege-separation folder
        self.proc = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The client side, as a seller's machine has it: a key in ~/.ssh and the server's
        # host key in known_hosts (salesflow finds both there).
        ssh = home / ".ssh"
        ssh.mkdir(parents=True, mode=0o700)
        shutil.copy(folder / "user", ssh / "id_ed25519")
        os.chmod(ssh / "id_ed25519", 0o600)
        host_key = " ".join((folder / "host.pub").read_text().split()[:2])
        (ssh / "known_hosts").write_text(f"[127.0.0.1]:{self.port} {host_key}\n")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        self.stop()
        raise AssertionError("sshd did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
