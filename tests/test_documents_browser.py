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


LONG_ITEMS = (
    "控制柜 Control cabinet with integrated PLC, HMI touch panel, safety relays and redundant "
    "power supply for the assembly line; 9; 62000; 台; 5%",
    "伺服电机 1.5kW 高精度伺服电机（含编码器、制动器及连接电缆）; 40; 3800; 台; 1200",
    "Firmware: https://downloads.example.com/firmware/servo/v2.3.1/release-notes.zip; 1; 1200",
    "PLC programming and operator training (two sessions on site); 1; 80000; 项; 10%",
    "SparepartsKitForMaintenanceIncludingFiltersSealsAndBearingsXYZ-2000; 3; 12345678.90; 套; 2.5%",
)


def _scroll_widths(pages: dict[str, Path], widths: tuple[int, ...], tmp_path: Path) -> dict:
    """{(page, width): (scrollWidth, clientWidth, the same of the quote's items box or 0, 0)}
    of each page laid out in a frame `width` px wide (no scroll bar), all measured by one
    headless Chromium."""
    import html
    import json
    import re

    frames = []
    for name, page in pages.items():
        doc = html.escape(page.read_text(encoding="utf-8"), quote=True)
        for width in widths:
            frames.append(
                f"<iframe data-key='{name}@{width}' scrolling='no' "
                f"style='border:0;width:{width}px;height:4000px' srcdoc=\"{doc}\"></iframe>"
            )
    script = (
        "addEventListener('load',()=>{const out={};"
        "for(const f of document.querySelectorAll('iframe')){"
        "const d=f.contentDocument.documentElement;"
        "const b=f.contentDocument.querySelector('.items-box')||{scrollWidth:0,clientWidth:0};"
        "out[f.dataset.key]=[d.scrollWidth,d.clientWidth,b.scrollWidth,b.clientWidth]}"
        "document.body.setAttribute('data-widths',JSON.stringify(out))})"
    )
    wrapper = tmp_path / "frames.html"
    wrapper.write_text(
        f"<!DOCTYPE html><html><body>{''.join(frames)}<script>{script}</script></body></html>",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         "--window-size=1200,1000", "--virtual-time-budget=5000", "--dump-dom",
         wrapper.as_uri()],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    found = re.search(r"data-widths=\"([^\"]+)\"", proc.stdout)
    assert found, proc.stderr[-2000:]
    measured = json.loads(html.unescape(found.group(1)))
    return {(k.split("@")[0], int(k.split("@")[1])): tuple(v) for k, v in measured.items()}


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)",
)
def test_a_long_quote_and_the_digest_never_scroll_sideways_on_a_phone(tmp_path: Path) -> None:
    """A quote of long lines with line discounts and 8-digit figures, and the digest, in
    English and Chinese: at 390 px (and 1000 px) the page is no wider than the window."""
    db = tmp_path / "sf.db"
    sf("demo", "--leads", "60", "--seed", "3", "--currency", "CNY", db=db)
    sf("config", "set", "seller.name", "深圳李明智能科技有限公司", db=db)
    company = "苏州某自动化设备有限公司 Suzhou Automation Equipment Manufacturing Co., Ltd."
    sf("lead", "add", "Wang Fang", "--company", company, db=db)
    lead_id = sf("lead", "list", "--search", "Wang Fang", "--format", "csv", db=db)
    lead_id = lead_id.splitlines()[1].split(",")[0]
    created = subprocess.run(
        [sys.executable, "-m", "salesflow", "quote", "new", lead_id,
         *(a for item in LONG_ITEMS for a in ("--item", item)), "--discount", "3%", "--tax", "13%"],
        capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "SALESFLOW_DB": str(db), "SALESFLOW_NOW": "2026-12-02T01:00:00Z"},
    ).stderr  # fmt: skip
    number = created.split("draft quote ")[1].split()[0]
    pages = {}
    for lang in ("en", "zh_CN"):
        pages[f"quote-{lang}"] = tmp_path / f"quote-{lang}.html"
        sf("quote", "render", number, "--lang", lang, "-o", str(pages[f"quote-{lang}"]), db=db)
        pages[f"digest-{lang}"] = tmp_path / f"digest-{lang}.html"
        sf("--lang", lang, "digest", "-o", str(pages[f"digest-{lang}"]), db=db)
    measured = _scroll_widths(pages, (390, 1000), tmp_path)
    assert len(measured) == 8
    for (name, width), (scroll, client, box, box_client) in measured.items():
        assert client == width, (name, width, client)
        assert scroll <= width, (name, width, scroll)
        # The items table fits its box too: it could scroll there, but this one need not.
        assert box <= box_client and (box > 0) == name.startswith("quote"), (name, width, box)
