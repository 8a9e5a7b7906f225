"""Messages in from files: one .eml (Outlook, Apple Mail), an mbox (Thunderbird, Gmail
Takeout), a Maildir folder, or standard input; each read into a `Mail`.

The standard library parses (mailbox for the containers, email for the messages). Messages are
parsed with the compat32 policy and their headers decoded with email.header/email.utils: the
`default` policy's header objects parse every header through its registry, about six times
slower, which an mbox of 10,000 messages would feel; the decoding rules (RFC 2047 encoded words,
RFC 2231 file names, MIME transfer encodings) are the same.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from salesflow import dates
from salesflow.errors import SalesflowError
from salesflow.i18n import _
from salesflow.importer.mailtext import (
    decode_bytes,
    first_lines,
    header_text,
    html_to_text,
    raw_text,
)

ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_SIMPLE = re.compile(
    r'\s*(?:([^",;:<>()\\@]*?)\s*<([^<>\s]+@[^<>\s]+)>'  # Name <address>
    r'|()([^\s<>",;:()]+@[^\s<>",;:()]+))\s*'  # a bare address
)


@dataclass
class Mail:
    where: str  # "message 3", "mail.eml": how the report names it
    message_id: str = ""  # <…>, or a digest of the message when it has none
    date: str | None = None  # UTC ISO
    sender: tuple[str, str] | None = None  # (display name, address)
    recipients: list[tuple[str, str]] = field(default_factory=list)  # To, Cc
    subject: str = ""
    lines: list[str] = field(default_factory=list)  # the body's first lines, trimmed
    attachments: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)  # In-Reply-To and References ids
    problem: str | None = None  # why it cannot be imported


def messages(path: str, data: bytes | None = None) -> tuple[str, Iterator[Mail]]:
    """What `path` holds (a description) and its messages; `-` reads `data` (stdin)."""
    if path == "-":
        raw = data or b""
        if not raw.strip():
            raise SalesflowError(_("standard input is empty — pipe a message or an mbox into it"))
        if raw.startswith(b"From "):
            return _("mbox from standard input"), _mbox_bytes(raw)
        return _("message from standard input"), iter([read(raw, _("standard input"))])
    if os.path.isdir(path):
        if not all(os.path.isdir(os.path.join(path, d)) for d in ("cur", "new")):
            raise SalesflowError(
                _(
                    "{path} is a folder but not a Maildir (no cur/ and new/ in "
                    "it) — give an .eml file, an mbox file or a Maildir folder"
                ).format(path=path)
            )
        return f"Maildir {os.path.basename(path.rstrip(os.sep))}", _maildir(path)
    try:
        with open(path, "rb") as f:
            start = f.read(5)
    except FileNotFoundError:
        raise SalesflowError(_("no file {path} — check the path").format(path=path)) from None
    except OSError as e:
        raise SalesflowError(
            _("cannot read {path}: {strerror}").format(path=path, strerror=e.strerror)
        ) from None
    name = os.path.basename(path)
    if start == b"From ":
        return f"mbox {name}", _mbox(path)
    with open(path, "rb") as f:
        raw = f.read()
    if not raw.strip():
        raise SalesflowError(_("{name} is empty — there is nothing to import").format(name=name))
    return _("message {name}").format(name=name), iter([read(raw, name)])


def _mbox(path: str) -> Iterator[Mail]:
    import mailbox

    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for n, key in enumerate(box.iterkeys(), 1):
            with box.get_file(key, from_=True) as f:
                envelope = f.readline()
                raw = f.read()
            yield read(raw, _("message {n}").format(n=n), envelope)
    finally:
        box.close()


def _mbox_bytes(data: bytes) -> Iterator[Mail]:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".mbox") as tmp:
        tmp.write(data)
        tmp.flush()
        yield from _mbox(tmp.name)


def _maildir(path: str) -> Iterator[Mail]:
    import mailbox

    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.iterkeys()):  # file names start with the delivery time
        yield read(box.get_bytes(key), key)


_PARSER = BytesParser(policy=policy.compat32)


def read(raw: bytes, where: str, envelope: bytes = b"") -> Mail:
    """One message; a header that cannot be read becomes the Mail's problem, not an error."""
    mail = Mail(where)
    try:
        msg = _PARSER.parsebytes(raw)
        _headers(msg, mail, envelope)
        _body(msg, mail)
    except Exception as e:  # a message too broken for the parser: a row error, not a crash
        mail.problem = _("cannot be read ({kind}: {error})").format(kind=type(e).__name__, error=e)
    if not mail.message_id:
        # No Message-ID (drafts, some exports): the message's own bytes identify it.
        mail.message_id = "<sha1-" + hashlib.sha1(raw).hexdigest() + "@salesflow>"
    return mail


def _headers(msg: Message, mail: Mail, envelope: bytes) -> None:
    mid = _MESSAGE_ID.search(raw_text(str(msg.get("message-id", ""))))
    mail.message_id = mid.group() if mid else ""
    mail.subject = header_text(msg.get("subject", ""))
    senders = _addresses(msg.get_all("from", []))
    if not senders:
        senders = _addresses(msg.get_all("sender", []))
    mail.sender = senders[0] if senders else None
    mail.recipients = _addresses(msg.get_all("to", []) + msg.get_all("cc", []))
    refs = " ".join(str(v) for v in msg.get_all("in-reply-to", []) + msg.get_all("references", []))
    mail.refs = list(dict.fromkeys(_MESSAGE_ID.findall(refs)))
    mail.date = _when(msg, envelope)
    if mail.sender is None:
        mail.problem = _("has no sender address (From) that can be read")
    elif mail.date is None:
        mail.problem = _("has no Date, and no Received or mbox line to take one from")


def _addresses(values: list) -> list[tuple[str, str]]:
    """(display name, address) pairs; a header too broken for getaddresses still gives up
    the addresses written in it."""
    raw = [raw_text(str(v)) for v in values]
    found: list[tuple[str, str]] = []
    simple = [_SIMPLE.fullmatch(v) for v in raw]
    try:
        # Most headers are one `Name <addr>` or a bare address: read without the full
        # RFC 5322 parser, which is a good part of a message's time.
        pairs = [m.groups() for m in simple] if all(simple) else getaddresses(raw)
    except Exception:
        pairs = []
    for pair in pairs:
        name, address = (pair[0] or "", pair[1] or "") if len(pair) == 2 else _pick(pair)
        if ADDRESS.fullmatch(address):
            found.append((header_text(name).strip("\"' "), address.casefold()))
    if not found:
        found = [("", a.casefold()) for a in ADDRESS.findall(" ".join(raw))]
    return list({a: (n, a) for n, a in reversed(found)}.values())[::-1]


def _pick(groups: tuple) -> tuple[str, str]:
    """_SIMPLE's groups: (name, address) of `Name <address>`, else ("", bare address)."""
    name, address, __, bare = groups
    return (name or "", address) if address else ("", bare)


def _when(msg: Message, envelope: bytes) -> str | None:
    """The Date header; without one, when it arrived: the newest Received line's date, else
    the mbox "From " line's."""
    candidates = [str(msg.get("date", ""))]
    received = msg.get_all("received", [])
    if received:
        candidates.append(str(received[0]).rpartition(";")[2])
    if envelope:
        parts = envelope.decode("ascii", "replace").split(None, 2)
        if len(parts) == 3:
            candidates.append(parts[2])
    for text in candidates:
        text = " ".join(text.split())
        if not text:
            continue
        try:
            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)  # "-0000" and asctime mbox lines: UTC
        try:
            return dates.to_utc_iso(dt.astimezone(UTC))
        except (OverflowError, ValueError):
            continue
    return None


def _body(msg: Message, mail: Mail) -> None:
    plain = html = None
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = (part.get("content-disposition") or "").split(";")[0].strip().lower()
        text = ctype in ("text/plain", "text/html")
        filename = part.get_filename() if disposition or not text else None
        if disposition == "attachment" or (filename and not text):
            if filename:
                mail.attachments.append(_filename(filename))
            continue
        if ctype == "text/plain" and plain is None:
            plain = _payload(part)
        elif ctype == "text/html" and html is None:
            html = _payload(part)
    text = plain if plain and plain.strip() else html_to_text(html) if html else ""
    mail.lines = first_lines(text)


def _payload(part: Message) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    return decode_bytes(data, part.get_content_charset())


def _filename(value: str) -> str:
    return header_text(value) or "(unnamed)"
