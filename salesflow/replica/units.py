"""The service file that keeps `salesflow replicate` running (systemd user unit)."""

from __future__ import annotations

import shlex
import sys

from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.replica.flows import NOT_HOLDER
from salesflow.replica.target import Target, redacted

KINDS = ("systemd",)


def shown(target: Target) -> str:
    return redacted(target)


def render(kind: str, db: str, target: Target) -> str:
    if kind not in KINDS:
        raise SalesflowError(
            _('--print-unit "{kind}" — salesflow writes: {kinds}').format(
                kind=kind, kinds=", ".join(KINDS)
            )
        )
    command = shlex.join([sys.executable, "-m", "salesflow", "--db", db, "replicate"])
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
