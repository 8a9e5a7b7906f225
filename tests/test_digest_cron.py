"""The digest run exactly as the README's crontab line runs it, and beside a busy writer."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def crontab_line() -> str:
    text = (ROOT / "README.md").read_text()
    return re.search(r"```crontab\n(.*?)\n```", text, flags=re.S).group(1)


def test_readme_crontab_recipe(tmp_path: Path) -> None:
    fields = crontab_line().split(None, 5)
    assert fields[:5] == ["0", "8", "*", "*", "1-5"]
    command = fields[5].split(" | ")[0]  # the mail part is the MTA's business
    words = shlex.split(command)
    env_words = [w for w in words if re.fullmatch(r"[A-Z_]+=.*", w)]
    argv = words[len(env_words) :]
    assert argv[0] == "salesflow"
    db = tmp_path / "cron.db"
    seed_env = {**os.environ, "SALESFLOW_DB": str(db), "SALESFLOW_NOW": "2026-11-20T01:00:00Z"}
    for args in (["lead", "add", "张伟", "--company", "<b>深圳</b>"],
                 ["followup", "add", "1", "call back", "--due", "2026-11-20"]):  # fmt: skip
        subprocess.run([sys.executable, "-m", "salesflow", *args], env=seed_env, check=True,
                       capture_output=True, cwd=ROOT)  # fmt: skip
    # Cron's environment: no HOME, no terminal, a short PATH; the recipe's variables on top.
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "SALESFLOW_NOW": "2026-11-23T00:30:00Z"}
    env.update(w.split("=", 1) for w in env_words)
    env["SALESFLOW_DB"] = str(db)
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    page = proc.stdout
    assert page.startswith("<!DOCTYPE html>") and "\x1b[" not in page
    # 00:30 UTC is 08:30 in Shanghai on Monday the 23rd: the follow-up due the 20th is 3 days late.
    assert "salesflow digest Mon 2026-11-23 (Asia/Shanghai)" in page
    assert (
        "call back — #1 张伟 (&lt;b&gt;深圳&lt;/b&gt;) [lead] (due 2026-11-20, 3 days late)" in page
    )


def test_digest_does_not_block_or_fail_while_someone_writes(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    env = {**os.environ, "SALESFLOW_DB": str(db)}
    subprocess.run([sys.executable, "-m", "salesflow", "lead", "add", "Seed"], env=env, check=True,
                   capture_output=True, cwd=ROOT)  # fmt: skip
    writer_code = (
        "import sys\n"
        "from salesflow.cli import main\n"
        "for i in range(60):\n"
        "    sys.argv = ['salesflow', 'lead', 'add', f'w{i}']\n"
        "    main()\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", writer_code], env=env, cwd=ROOT,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    failures: list[str] = []

    def read() -> None:
        while writer.poll() is None:
            argv = [sys.executable, "-m", "salesflow", "digest", "--format", "json"]
            r = subprocess.run(argv, env=env, capture_output=True, text=True, cwd=ROOT, timeout=20)
            if r.returncode != 0:
                failures.append(r.stderr)

    reader = threading.Thread(target=read)
    reader.start()
    writer.wait(timeout=120)
    reader.join(timeout=60)
    assert writer.returncode == 0, writer.stderr.read()
    assert failures == []
