"""The documents in a real browser: the HTML digest, the monthly review and both quote
templates, screenshot by headless Chromium at a desktop width (1000 px) and a phone's (390 px).

The test proves each page lays out into a non-trivial image at both widths; the images
themselves were looked at by hand (see the README: Documents). SALESFLOW_SHOTS=DIR keeps a copy
of every screenshot there, to look at them again after a template change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_quote_process import CHROMIUM, CHROMIUM_FLAGS, ROOT

WIDTHS = (1000, 390)


def sf(*args: str, db: Path, now: str = "2026-12-02T01:00:00Z") -> str:
    env = {**os.environ, "SALESFLOW_DB": str(db), "SALESFLOW_NOW": now, "TZ": "Asia/Shanghai"}
    proc = subprocess.run([sys.executable, "-m", "salesflow", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT)  # fmt: skip
    assert proc.returncode == 0, (args, proc.stderr)
    return proc.stdout


def _pages(tmp_path: Path) -> dict[str, Path]:
    db = tmp_path / "sf.db"
    sf("demo", "--leads", "60", "--seed", "3", "--currency", "CNY", db=db)
    sf("target", "set", "2026-12", "2000000", db=db)
    for key, value in (
        ("seller.name", "深圳李明智能科技有限公司"), ("seller.tax_id", "91440300MA5XXXXX7K"),
        ("seller.bank", "招商银行深圳科苑支行"), ("seller.account", "7559 0123 4567 8901"),
        ("quote.amount_in_words", "yes"),
    ):  # fmt: skip
        sf("config", "set", key, value, db=db)
    sf("lead", "add", "王芳", "--company", "苏州某自动化设备有限公司", "--currency", "CNY", db=db)
    lead = sf("lead", "list", "--search", "王芳", "--format", "csv", db=db).splitlines()[1]
    lead_id = lead.split(",")[0]
    sf("lead", "edit", lead_id, "--address", "江苏省苏州市工业园区星湖街328号", "--tax-id",
       "91320594MA1XXXXX3B", db=db)  # fmt: skip
    created = subprocess.run(
        [sys.executable, "-m", "salesflow", "quote", "new", lead_id, "--item",
         "控制柜 Control cabinet; 9; 62000; 台", "--item", "伺服电机 1.5kW; 40; 3800; 台",
         "--discount", "3%", "--tax", "13%", "--terms", "30% 预付，发货前付清",
         "--delivery", "4 周"],
        capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "SALESFLOW_DB": str(db), "SALESFLOW_NOW": "2026-12-02T01:00:00Z"},
    ).stderr  # fmt: skip
    number = created.split("draft quote ")[1].split()[0]
    pages = {"digest": tmp_path / "digest.html", "review": tmp_path / "review.html"}
    sf("digest", "-o", str(pages["digest"]), db=db)
    # The monthly review of November, its charts inline SVG.
    sf("target", "set", "2026-11", "1500000", db=db)
    sf("report", "review", "--month", "2026-11", "-o", str(pages["review"]), db=db)
    for lang in ("zh_CN", "en"):
        pages[f"quote-{lang}"] = tmp_path / f"quote-{lang}.html"
        sf("quote", "render", number, "--lang", lang, "-o", str(pages[f"quote-{lang}"]), db=db)
    return pages


def _ink(png: Path) -> float:
    """Share of pixels that are not background: text, rules, figures."""
    from PIL import Image

    with Image.open(png) as image:
        counts = image.convert("L").histogram()
    return sum(counts[:200]) / sum(counts)


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)",
)
def test_digest_and_quotes_screenshot_at_desktop_and_phone_widths(tmp_path: Path) -> None:
    keep = os.environ.get("SALESFLOW_SHOTS")
    for name, page in _pages(tmp_path).items():
        for width in WIDTHS:
            shot = tmp_path / f"{name}-{width}.png"
            proc = subprocess.run(
                [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                 "--hide-scrollbars", f"--window-size={width},1600", f"--screenshot={shot}",
                 page.as_uri()],
                capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert proc.returncode == 0, proc.stderr[-2000:]
            ink = _ink(shot)
            # A blank or unstyled page has next to no ink; a laid-out one has some, and never
            # so much that the page is a block of colour.
            assert 0.01 < ink < 0.5, (name, width, ink)
            if keep:
                shutil.copy(shot, Path(keep) / shot.name)
