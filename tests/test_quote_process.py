"""Quotes in real processes: concurrent numbering, and the HTML document in a real browser."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The flags keep a headless run quiet and offline: no first-run, sync or component updates.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def salesflow(*args: str, db: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "SALESFLOW_DB": str(db)}
    proc = subprocess.run(
        [sys.executable, "-m", "salesflow", *args], capture_output=True, text=True, env=env,
        cwd=ROOT,
    )  # fmt: skip
    if check:
        assert proc.returncode == 0, (args, proc.stderr)
    return proc


# Each writer waits for the start flag, then creates its quotes one command at a time through
# the real command tree (a fresh Session and connection per command, as a shell loop would).
WRITER = """
import os, sys, time
from pathlib import Path
from salesflow.cli import main
go, n = Path(sys.argv[1]), int(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
for i in range(n):
    sys.argv = ["salesflow", "quote", "new", "1", "--item", f"Part {i}; 1; 10"]
    try:
        main()  # what the installed `salesflow` runs
    except SystemExit as e:
        if e.code:
            raise
"""


def test_two_processes_creating_quotes_get_numbers_without_gaps_or_duplicates(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sf.db"
    salesflow("lead", "add", "Ann", db=db)
    go = tmp_path / "go"
    per_writer = 20
    env = {**os.environ, "SALESFLOW_DB": str(db)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(go), str(per_writer)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    time.sleep(0.5)  # both interpreters are up and polling
    go.touch()
    for w in writers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
        assert "Error" not in err, err
    rows = json.loads(salesflow("quote", "list", "--format", "json", db=db).stdout)
    numbers = sorted(r["number"] for r in rows)  # SALESFLOW_NOW (conftest) pins the year
    assert numbers == [f"Q-2026-{n:04d}" for n in range(1, 2 * per_writer + 1)]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk); "
    "the HTML quote is checked in a real browser only where it is",
)
def test_the_html_quote_renders_in_headless_chromium(tmp_path: Path) -> None:
    db = tmp_path / "sf.db"
    salesflow("lead", "add", "张伟", "--company", "深圳某科技有限公司<script>document.body"
              ".setAttribute('data-pwned','1')</script>", "--currency", "CNY", db=db)  # fmt: skip
    salesflow("config", "set", "seller.name", "Li Ming Consulting 李明咨询", db=db)
    salesflow("config", "set", "seller.payment_terms", "50% on order, 50% on delivery", db=db)
    salesflow("quote", "new", "1", "--item", "Edge gateway G2 边缘网关; 50; 980", "--item",
              "Installation 安装; 1; 6000", "--discount", "5%", "--tax", "13%",
              "--note", "Delivery in 4 weeks 四周内交货", db=db)  # fmt: skip
    salesflow("quote", "add-item", "Q-2026-0001", "Training day; 2; 3500", "--discount", "10%",
              db=db)  # fmt: skip
    page = tmp_path / "quote.html"
    salesflow("quote", "render", "Q-2026-0001", "--format", "html", "-o", str(page), db=db)
    shot = tmp_path / "quote.png"
    profile = tmp_path / "chromium-profile"
    proc = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1000,1300",
         f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert _png_size(data) == (1000, 1300)
    # A blank white page compresses to a few KB; a laid-out quote with text is far bigger.
    assert len(data) > 30_000, len(data)
    # The company name's <script> stayed text: the DOM after load has no attribute it set.
    dom = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    assert "65,805.55" in dom and "深圳某科技有限公司" in dom
    assert 'data-pwned="1"' not in dom


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed; no CJK check needed")
def test_a_cjk_font_is_installed_beside_chromium() -> None:
    """Without one, Chinese names on the quote render as empty boxes."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        pytest.skip("fc-list (fontconfig) is missing; cannot check the installed fonts")
    fonts = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no Chinese font installed: apt-get install fonts-noto-cjk"
