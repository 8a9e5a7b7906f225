"""Every command of the README's tour works, in order, on a new database."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tour_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)[2:4]  # the tour and the quotes
    commands, pending = [], ""
    for line in "\n".join(blocks).splitlines():
        if line.lstrip().startswith("#"):
            continue
        pending += line.rstrip("\\").rstrip() + " " if line.endswith("\\") else line
        if not line.endswith("\\"):
            if pending.startswith("salesflow "):
                commands.append(re.sub(r"\s+#.*$", "", pending))
            pending = ""
    return commands


def test_the_tour_is_long_enough_to_mean_something() -> None:
    assert len(tour_commands()) > 40


def test_readme_tour_runs(ok, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "展会名单.csv").write_text(
        "联系人,单位名称,手机号码,金额\n李娜,苏州某电子有限公司,13900000001,20万\n",
        encoding="utf-8",
    )
    (tmp_path / "calls.csv").write_text(
        "lead_id,kind,note,happened_at\n1,call,first call,2026-11-20T10:00:00Z\n"
    )
    for command in tour_commands():
        # Redirections and pipes are the shell's part; the command itself must succeed.
        words = shlex.split(re.split(r"\s[>|]\s", command)[0])
        ok(*words[1:])
