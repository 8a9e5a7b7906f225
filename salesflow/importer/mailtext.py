"""An e-mail's words: header text decoded (RFC 2047 in any charset, raw 8-bit too), an HTML
body turned into text, and the note's first lines without quoted replies and signatures."""

from __future__ import annotations

import contextlib
import re
from email.header import decode_header
from html.parser import HTMLParser

# Mail labels GBK text "gb2312" (Outlook, Foxmail); GB18030 reads both and more.
_CHARSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
             "cp936": "gb18030", "ks_c_5601-1987": "cp949", "unknown-8bit": "utf-8",
             "x-unknown": "utf-8", "us-ascii": "utf-8", "ascii": "utf-8"}  # fmt: skip


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in the charset a message names; a wrong or unknown label falls back to UTF-8,
    then GB18030 (what Chinese mail clients send unlabelled)."""
    name = (charset or "utf-8").strip().strip('"').lower()
    name = _CHARSETS.get(name, name)
    for candidate in dict.fromkeys((name, "utf-8", "gb18030")):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def raw_text(value: str) -> str:
    """A header the parser read as ASCII with the 8-bit bytes escaped (UTF-8 or GBK subjects
    sent without encoded words): its real text."""
    try:
        value.encode("utf-8")  # only escaped bytes (lone surrogates) fail this
        return value
    except UnicodeEncodeError:
        return decode_bytes(value.encode("utf-8", "surrogateescape"), None)


def header_text(value: object) -> str:
    """A header's text: encoded words (=?GB2312?B?…?=, =?UTF-8?Q?…?=) decoded, folding
    undone."""
    text = raw_text(str(value))
    if "=?" in text:
        # Strictly in the charset each encoded word names: a broken one (bad base64, bytes
        # that are not that charset) leaves the header as it came, not as mojibake.
        with contextlib.suppress(Exception):
            text = "".join(
                p if isinstance(p, str) else p.decode(_CHARSETS.get(c or "", c or "utf-8"))
                for p, c in decode_header(text)
            )
    return " ".join(text.split())


_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre",
          "hr", "ul", "ol", "section", "article", "header", "footer"}  # fmt: skip
_HIDDEN = {"script", "style", "head", "title"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden = 0
        self.quoted = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "blockquote" or any(
            k == "class" and v and ("gmail_quote" in v or "moz-cite" in v) for k, v in attrs
        ):
            self.quoted += 1  # a quoted reply: not this message's words
            self.out.append("\n> ")
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "blockquote" and self.quoted:
            self.quoted -= 1
            self.out.append("\n")
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            # Runs of white space are one space, as a browser shows them; no space is added
            # between inline chunks (附件是<b>报价单</b>。 reads 附件是报价单。).
            text = re.sub(r"\s+", " ", data)
            if text.strip():
                self.out.append(("\n> " + text) if self.quoted else text)


def html_to_text(html: str) -> str:
    parser = _Text()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # HTMLParser rarely gives up; the tags stripped crudely will do
        return re.sub(r"<[^>]*>", " ", html)
    return "\n".join(" ".join(line.split()) for line in "".join(parser.out).splitlines())


# Where a reply's own words end: the quoted message's header, or the signature.
_QUOTE_START = re.compile(
    r"^(on .{3,200} wrote:?|.{0,80}写道[：:]?|-{2,}\s*original message\s*-{2,}|"
    r"-{2,}\s*原始邮件\s*-{2,}|-{2,}\s*回复的原邮件\s*-{2,}|_{10,}|"
    r"(from|发件人)\s*[:：].*|le .{3,200} a écrit\s*:|am .{3,200} schrieb .*:)$",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^(--|—|sent from my .*|发自我的.*|((best|kind|warm|many)\s+)?regards,?|cheers,?|"
    r"best,|thanks( and regards)?,|此致|祝好[!！,，]?|顺祝商祺[!！,，]?)$",
    re.IGNORECASE,
)
NOTE_LINES = 5
NOTE_CHARS = 400


def first_lines(body: str) -> list[str]:
    """The message's own first lines: quoted text (`>`), the quoted message under an "On …
    wrote:" / "-----Original Message-----" / 发件人: header and the signature are left out."""
    lines: list[str] = []
    size = 0
    for raw in body.splitlines():
        line = " ".join(raw.split())
        if not line or line.startswith(">"):
            continue
        if _QUOTE_START.match(line) or _SIGNATURE.match(line):
            break
        if size + len(line) > NOTE_CHARS:
            lines.append(line[: max(0, NOTE_CHARS - size)].rstrip() + "…")
            break
        lines.append(line)
        size += len(line)
        if len(lines) == NOTE_LINES:
            break
    return lines
