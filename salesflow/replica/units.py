"""The service file that keeps `salesflow replicate` running: a systemd user unit (Linux) or a
launchd LaunchAgent (macOS)."""

from __future__ import annotations

import shlex
import sys

from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.replica.flows import NOT_HOLDER
from salesflow.replica.target import Target, redacted

KINDS = ("systemd", "launchd")
LABEL = "org.salesflow.replicate"


def shown(target: Target) -> str:
    return redacted(target)


def render(kind: str, db: str, target: Target) -> str:
    if kind not in KINDS:
        raise SalesflowError(
            _('--print-unit "{kind}" — salesflow writes: {kinds}').format(
                kind=kind, kinds=", ".join(KINDS)
            )
        )
    argv = [sys.executable, "-m", "salesflow", "--db", db, "replicate"]
    if kind == "launchd":
        return _launchd(argv, db, target)
    command = shlex.join(argv)
    return "\n".join(
        [
            "# ~/.config/systemd/user/salesflow-replicate.service",
            "# systemctl --user daemon-reload && systemctl --user enable --now salesflow-replicate",
            "[Unit]",
            f"Description=salesflow replication of {db} to {redacted(target)}",
            "After=network-online.target",
            "Wants=network-online.target",
            "",
            "[Service]",
            f"ExecStart={command}",
            # Exit 3: another machine holds the pipeline; restarting would not change that.
            "Restart=on-failure",
            "RestartSec=10",
            f"RestartPreventExitStatus={NOT_HOLDER}",
            # Credentials (AWS_ACCESS_KEY_ID, SALESFLOW_REPLICA_SFTP_PASSWORD …), one per line,
            # in a file only you can read; never in this unit.
            "EnvironmentFile=-%h/.config/salesflow/replica.env",
            "",
            "[Install]",
            "WantedBy=default.target",
            "",
        ]
    )


def _launchd(argv: list[str], db: str, target: Target) -> str:
    import plistlib
    from pathlib import Path

    logs = Path.home() / "Library" / "Logs" / "salesflow-replicate.log"
    agent = {
        "Label": LABEL,
        "ProgramArguments": argv,
        "RunAtLoad": True,
        # Restart after a failure, not after a clean stop. launchd cannot spare one exit
        # status as systemd's RestartPreventExitStatus does, so a copy that is not the
        # lease holder (exit 3) is retried no more often than ThrottleInterval.
        "KeepAlive": {"SuccessfulExit": False},
        "ThrottleInterval": 60,
        "ProcessType": "Background",
        "StandardOutPath": str(logs),
        "StandardErrorPath": str(logs),
    }
    body = plistlib.dumps(agent, sort_keys=False).decode()
    head, _, rest = body.partition("<plist")
    note = (
        f"<!-- ~/Library/LaunchAgents/{LABEL}.plist: salesflow replication of {db} to "
        f"{redacted(target)}.\n"
        f"     launchctl bootstrap gui/$(id -u) ~/Library/LaunchAgents/{LABEL}.plist\n"
        "     Credentials: salesflow config set replica.* (never in this file). -->\n"
    )
    # An XML comment may not hold "--" (a path can).
    return head + "<!--" + note[4:-4].replace("--", "- -") + "-->\n" + "<plist" + rest
