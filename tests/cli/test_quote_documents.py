"""Quote documents a client receives: Chinese and English, every block a real quote carries,
PDF with embedded fonts (checked with poppler's pdftotext/pdffonts/pdftoppm)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

Q1 = "Q-2026-0001"
POPPLER = all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdftoppm"))


def _engine_missing() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as e:
        return f"WeasyPrint cannot load here ({type(e).__name__}); .ci/run installs it"
    return None


needs_pdf = pytest.mark.skipif(
    not POPPLER or _engine_missing() is not None,
    reason="needs WeasyPrint with Pango and poppler-utils (apt-get install poppler-utils "
    "libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk; .ci/run does)",
)

SELLER = {
    "seller.name": "深圳李明智能科技有限公司",
    "seller.address": "广东省深圳市南山区科苑路88号\\n邮编 518057",
    "seller.phone": "+86 755 8888 0000",
    "seller.email": "sales@liming.example.cn",
    "seller.tax_id": "91440300MA5XXXXX7K",
    "seller.bank": "招商银行深圳科苑支行",
    "seller.account": "7559 0123 4567 8901",
    "seller.payment_terms": "合同签订后预付30%，发货前付清余款",
    "seller.delivery": "收到预付款后4周内交货",
}
ITEMS = ("控制柜; 9; 62000; 台", "伺服电机 1.5kW; 40; 3800; 台", "现场安装调试; 6; 4500; 人天",
         "PLC 编程与培训; 1; 80000; 项")  # fmt: skip


@pytest.fixture
def chinese_quote(ok) -> None:
    for key, value in SELLER.items():
        ok("config", "set", key, value)
    ok("lead", "add", "王芳", "--company", "苏州某自动化设备有限公司", "--phone",
       "+86 512 6666 0000", "--currency", "CNY")  # fmt: skip
    ok("lead", "edit", "1", "--address", "江苏省苏州市工业园区星湖街328号", "--tax-id",
       "91320594MA1XXXXX3B", "--doc-lang", "zh_CN")  # fmt: skip
    args = [a for item in ITEMS for a in ("--item", item)]
    ok("quote", "new", "1", *args, "--discount", "3%", "--tax", "13%")
    # lines 558,000 + 152,000 + 27,000 + 80,000 = 817,000.00; −3% = 24,510.00 → 792,490.00;
    # VAT 13% = 103,023.70; total 895,513.70


def test_the_chinese_quote_carries_every_block(ok, chinese_quote) -> None:
    html = ok("quote", "render", Q1).stdout  # the lead's --doc-lang picks Chinese
    assert '<html lang="zh-CN">' in html
    for shown in (
        "报价单", "报价单号", Q1, "报价日期", "有效期至", "币种", "CNY",
        "需方", "苏州某自动化设备有限公司", "王芳", "+86 512 6666 0000",
        "江苏省苏州市工业园区星湖街328号",
        "纳税人识别号", "91320594MA1XXXXX3B",
        "供方", "深圳李明智能科技有限公司", "邮编 518057", "91440300MA5XXXXX7K",
        "开户行", "招商银行深圳科苑支行", "账号", "7559 0123 4567 8901",
        "序号", "品名/描述", "数量", "单位", "单价", "金额", ">台<", ">人天<",
        "小计", "817,000.00", "折扣 3%", "-24,510.00", "不含税金额", "792,490.00",
        "增值税 13%", "103,023.70", "价税合计（CNY）", "895,513.70",
        "金额大写", "人民币捌拾玖万伍仟伍佰壹拾叁元柒角",
        "付款方式", "合同签订后预付30%，发货前付清余款", "交货期", "收到预付款后4周内交货",
        "供方（签字盖章）", "需方（签字盖章）", "日期",
    ):  # fmt: skip
        assert shown in html, shown
    md = ok("quote", "render", Q1, "--format", "md").stdout
    assert md.startswith("# 报价单 Q-2026-0001")
    assert "| 1 | 控制柜 | 9 | 台 | 62,000.00 | 558,000.00 |" in md
    assert "金额大写：**人民币捌拾玖万伍仟伍佰壹拾叁元柒角**" in md


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_markdown_buyer_and_seller_are_blocks_of_their_own(ok, chinese_quote, lang) -> None:
    """In a Markdown viewer the buyer and the seller are two paragraphs, each line of them
    kept on its own (a hard break), and the items heading a block after them."""
    from markdown_it import MarkdownIt

    md = ok("quote", "render", Q1, "--format", "md", "--lang", lang).stdout
    tokens = MarkdownIt().parse(md)
    paragraphs = [
        tokens[n + 1] for n, t in enumerate(tokens) if t.type == "paragraph_open"
    ]  # each paragraph's inline content follows its opening token
    buyer_word, seller_word = ("需方", "供方") if lang == "zh_CN" else ("Buyer", "Seller")
    buyer = next(p for p in paragraphs if buyer_word in p.content)
    seller = next(p for p in paragraphs if seller_word in p.content)
    assert buyer is not seller
    assert "深圳李明智能科技有限公司" not in buyer.content
    assert "苏州某自动化设备有限公司" not in seller.content
    for block, lines in ((buyer, 4), (seller, 6)):
        breaks = [c for c in block.children if c.type == "hardbreak"]
        assert len(breaks) >= lines - 1, block.content
    headings = [tokens[n + 1].content for n, t in enumerate(tokens) if t.type == "heading_open"]
    assert ("报价明细" if lang == "zh_CN" else "Items") in headings
    # The raw rule a plain Markdown reader follows: a blank line before every heading.
    lines = md.splitlines()
    for n, line in enumerate(lines[1:], 1):
        if line.startswith("#"):
            assert lines[n - 1] == "", (lines[n - 1], line)


def test_english_from_the_same_quote(ok, chinese_quote) -> None:
    html = ok("quote", "render", Q1, "--lang", "en").stdout
    assert '<html lang="en">' in html and "QUOTATION" in html and "报价单" not in html
    for shown in ("BUYER", "SELLER", "Tax ID / VAT no.", "Bank", "Account no.", "Unit",
                  "Net amount", "VAT 13%", "Total (CNY)", "895,513.70", "PAYMENT TERMS",
                  "DELIVERY", "Accepted by the buyer"):  # fmt: skip
        assert shown in html, shown
    assert "AMOUNT IN WORDS" not in html  # optional in English: off by default
    ok("config", "set", "quote.amount_in_words", "yes")
    html = ok("quote", "render", Q1, "--lang", "en").stdout
    assert "CNY eight hundred ninety-five thousand five hundred thirteen and 70/100 only" in html


def test_the_language_defaults_to_english_without_a_document_language(ok) -> None:
    ok("lead", "add", "Ann", "--currency", "CNY")
    ok("quote", "new", "1", "--item", "x; 1; 100")
    assert '<html lang="en">' in ok("quote", "render", Q1).stdout
    ok("lead", "edit", "1", "--doc-lang", "zh")
    assert '<html lang="zh-CN">' in ok("quote", "render", Q1).stdout
    assert '<html lang="en">' in ok("quote", "render", Q1, "--lang", "en").stdout
    ok("lead", "edit", "1", "--doc-lang", "")
    assert '<html lang="en">' in ok("quote", "render", Q1).stdout
    assert json.loads(ok("lead", "list", "--format", "json").stdout)[0]["doc_lang"] is None


def test_a_zero_tax_export_quote_still_has_its_tax_line(ok) -> None:
    ok("config", "set", "quote.tax_note", "export")
    ok("lead", "add", "Ann", "--currency", "USD")
    ok("quote", "new", "1", "--item", "Gateway; 2; 500; pcs", "--tax", "0%")
    html = ok("quote", "render", Q1, "--lang", "en").stdout
    assert '<tr class="tax"><th>VAT 0% (export)</th><td class="num">0.00</td></tr>' in html
    zh = ok("quote", "render", Q1, "--lang", "zh_CN").stdout
    assert "增值税 0%（export）" in zh
    assert "金额大写" not in zh  # capitals are the renminbi's form; a USD quote keeps figures
    ok("quote", "edit", Q1, "--tax-note", "出口免税")
    assert "增值税 0%（出口免税）" in ok("quote", "render", Q1, "--lang", "zh_CN").stdout


def test_terms_and_delivery_are_kept_with_the_quote(ok, chinese_quote) -> None:
    ok("quote", "new", "1", "--item", "x; 1; 100", "--terms", "款到发货", "--delivery", "现货")
    ok("config", "set", "seller.payment_terms", "月结30天")  # later defaults change nothing
    md = ok("quote", "render", "Q-2026-0002", "--format", "md").stdout
    assert "款到发货" in md and "现货" in md and "月结30天" not in md
    ok("quote", "copy", "Q-2026-0002")
    copied = ok("quote", "render", "Q-2026-0002-v2", "--format", "md").stdout
    assert "款到发货" in copied and "现货" in copied
    ok("quote", "edit", "Q-2026-0002-v2", "--delivery", "")
    assert "交货期" not in ok("quote", "render", "Q-2026-0002-v2", "--format", "md").stdout


def test_units_in_items_and_machine_formats(ok, chinese_quote) -> None:
    ok("quote", "add-item", Q1, "Training; 2; 3500; days; 10%", "Bolts; 100; 0.5; 5")
    items = json.loads(ok("quote", "show", Q1, "--format", "json").stdout)["items"]
    assert [(i["description"], i["unit"], i["discount"]) for i in items[-2:]] == [
        ("Training", "days", "700.00"),
        ("Bolts", None, "5.00"),
    ]
    csv = ok("export", "quote-items").stdout
    assert csv.splitlines()[0].endswith(",unit") and ",台" in csv


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("控制柜; 9; 62000; 台; 套", "two units"),
        ("控制柜; 9; 62000; 5%; 10%", "two discounts"),
        ("控制柜; 9; 62000; 台; 5%; x", "cannot read item"),
    ],
)
def test_bad_item_units_are_refused(ok, fails, item, message) -> None:
    ok("lead", "add", "Ann")
    fails("quote", "new", "1", "--item", item, match=message)


def test_bad_document_options_are_refused(ok, fails, chinese_quote, tmp_path) -> None:
    fails("lead", "edit", "1", "--doc-lang", "fr", match='document language "fr"')
    fails("config", "set", "quote.amount_in_words", "maybe", match="yes or no")
    fails("quote", "render", Q1, "-o", str(tmp_path / "q.docx"), match="name the file .pdf")
    fails("quote", "render", Q1, "-o", str(tmp_path / "no" / "q.pdf"), match="cannot write")
    ok("quote", "send", Q1)
    fails("quote", "edit", Q1, "--terms", "x", match="only drafts can be changed")


def test_pdf_without_the_engine_is_one_line(ok, fails, chinese_quote, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` fails
    out = tmp_path / "q.pdf"
    fails("quote", "render", Q1, "-o", str(out), match="PDF needs WeasyPrint — pip install")
    assert not out.exists()


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def _fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()[2:]]


@needs_pdf
def test_pdf_quotes_read_the_same_everywhere(ok, chinese_quote, tmp_path) -> None:
    ok("config", "set", "quote.amount_in_words", "yes")
    for lang, words in (
        ("zh_CN", "人民币捌拾玖万伍仟伍佰壹拾叁元柒角"),
        ("en", "CNY eight hundred ninety-five thousand five hundred thirteen and 70/100 only"),
    ):
        pdf = tmp_path / f"q-{lang}.pdf"
        result = ok("quote", "render", Q1, "-o", str(pdf), "--lang", lang)  # .pdf picks PDF
        assert f"as pdf to {pdf}" in result.stderr
        assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_mode & 0o777 == 0o600
        text = _pdf_text(pdf)
        flat = re.sub(r"\s+", "", text)
        for shown in (Q1, "控制柜", "伺服电机1.5kW", "现场安装调试", "PLC编程与培训", "895,513.70"):
            assert shown in flat, (lang, shown)
        assert re.sub(r"\s+", "", words) in flat, lang
        assert text.count("\f") == 1, "a typical quote is one A4 page"
        fonts = _fonts(pdf)
        assert fonts and all(f[-5] == "yes" for f in fonts), fonts  # the emb column
        assert any("CJK" in f[0] for f in fonts), fonts
        # A page image, looked at by hand when the templates change: it exists and is a page.
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-singlefile", str(pdf),
                        str(tmp_path / lang)], check=True)  # fmt: skip
        image = (tmp_path / f"{lang}.png").read_bytes()
        assert image.startswith(b"\x89PNG") and len(image) > 15_000


@needs_pdf
def test_a_long_quote_repeats_its_table_header_on_every_page(ok, tmp_path) -> None:
    ok("lead", "add", "王芳", "--currency", "CNY")
    args = [a for n in range(1, 61) for a in ("--item", f"备件 {n:02d}; {n}; 10; 件")]
    ok("quote", "new", "1", *args)
    pdf = tmp_path / "long.pdf"
    ok("quote", "render", Q1, "--format", "pdf", "-o", str(pdf), "--lang", "zh_CN")
    pages = _pdf_text(pdf).split("\f")[:-1]
    assert len(pages) >= 2
    for page in pages[:-1]:  # the last page may hold only totals and signatures
        assert "品名/描述" in page and "单价" in page
    assert "备件 60" in "".join(pages) and "第 2 页" in pages[1]


@needs_pdf
def test_characters_no_font_has_refuse_the_pdf(ok, fails, tmp_path) -> None:
    ok("lead", "add", "Ann")
    ok("quote", "new", "1", "--item", "Part \ue000\ue001; 1; 10")  # private-use: in no font
    out = tmp_path / "q.pdf"
    fails("quote", "render", Q1, "-o", str(out), match="no installed font has the characters")
    assert not out.exists()


def test_buyer_facts_go_out_and_come_back_with_export_and_import(ok, run, chinese_quote, tmp_path,
                                                                 monkeypatch) -> None:  # fmt: skip
    sheet = tmp_path / "leads.csv"
    ok("export", "leads", "-o", str(sheet))
    monkeypatch.setenv("SALESFLOW_DB", str(tmp_path / "other.db"))
    ok("import", "leads", str(sheet))
    lead = json.loads(ok("lead", "list", "--format", "json").stdout)[0]
    assert (lead["address"], lead["tax_id"], lead["doc_lang"]) == (
        "江苏省苏州市工业园区星湖街328号", "91320594MA1XXXXX3B", "zh_CN",
    )  # fmt: skip
    assert not lead["notes"]  # nothing left over as an unknown column
    bad = tmp_path / "bad.csv"
    bad.write_text("name,纳税人识别号,doc_lang\nBo,123,fr\n", encoding="utf-8")
    result = run("import", "leads", str(bad))
    assert result.exit_code == 1 and 'document language "fr"' in result.stdout + result.stderr
