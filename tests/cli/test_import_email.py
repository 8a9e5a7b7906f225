"""`salesflow import email` on the shapes mail really comes in (fixtures written here)."""

import base64
import json
import quopri
import sqlite3
from pathlib import Path

import pytest

from salesflow.importer import mail, mailread, mailtext

# The clock is 2026-11-23T09:00:00Z (conftest); mail below is from the days before it.
THUNDERBIRD = """From - Sat Nov 21 10:00:00 2026
X-Mozilla-Status: 0001
X-Mozilla-Status2: 00800000
Message-ID: <tb-1@mine.com>
Date: Sat, 21 Nov 2026 18:00:00 +0800
From: Me <me@mine.com>
To: Jane Roe <jane@acme.com>
Subject: =?UTF-8?Q?Quote_for_50_units_=E2=80=94_v2?=
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: 8bit

Hi Jane,

please find the new prices below.
Delivery in 4 weeks.

--\x20
Me, Mine Ltd

--alt
Content-Type: text/html; charset=UTF-8

<p>Hi Jane,</p><p>please find the new prices below.</p>
--alt--

From - Sun Nov 22 08:30:00 2026
X-Mozilla-Status: 0001
Message-ID: <jr-2@acme.com>
In-Reply-To: <tb-1@mine.com>
References: <tb-1@mine.com>
Date: Sun, 22 Nov 2026 08:30:00 +0000
From: "Roe, Jane" <Jane@Acme.com>
To: me@mine.com
Cc: Bob <bob@acme.com>, "Ann Lee" <ann@gmail.com>
Subject: Re: Quote for 50 units
Content-Type: text/plain; charset=UTF-8

Looks good, we will order.
>From the quote: 50 units

On Sat, 21 Nov 2026 at 18:00, Me <me@mine.com> wrote:
> Hi Jane,
> please find the new prices below.

"""


def gmail_takeout() -> bytes:
    html = base64.encodebytes("<html><body><div>您好 Jane,<br>附件是<b>报价单</b>。</div>"
                              "<div class=gmail_quote>On Fri … wrote: old text</div>"
                              "<style>p{color:red}</style></body></html>".encode())  # fmt: skip
    pdf = base64.encodebytes(b"%PDF-1.4 fake")
    return (
        b"From 1783449038293749283@xxx Fri Nov 20 09:12:33 +0000 2026\n"
        b"X-GM-THRID: 1783449038293749283\n"
        b"X-Gmail-Labels: Sent,Opened\n"
        b"Message-ID: <CAF=gm-3@mail.gmail.com>\n"
        b"Date: Fri, 20 Nov 2026 09:12:33 +0000\n"
        b"From: Me <me@gmail.com>\n"
        b"To: =?UTF-8?B?5byg5Lyf?= <zw@example.cn>, me@mine.com\n"
        b"Subject: =?UTF-8?B?5oql5Lu35Y2V?=\n"
        b"MIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="mix"\n\n'
        b"--mix\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n"
        + html
        + b"--mix\nContent-Type: application/pdf\n"
        b"Content-Disposition: attachment; filename*=UTF-8''%E6%8A%A5%E4%BB%B7.pdf\n"
        b"Content-Transfer-Encoding: base64\n\n" + pdf + b"--mix--\n"
    )


def outlook_eml() -> bytes:
    subject = base64.b64encode("回复: 报价单".encode("gb2312")).decode()
    body = quopri.encodestring(
        "张总您好，价格可以接受。\r\n\r\n发件人: Me\r\n旧的内容\r\n".encode("gbk")
    )
    head = (
        "Received: from EXCH01.example.cn by mx.mine.com; Sun, 22 Nov 2026 17:45:10 +0800\r\n"
        "From: =?gb2312?B?1cXOsA==?= <zw@example.cn>\r\n"
        'To: "Me" <me@mine.com>\r\n'
        f"Subject: =?gb2312?B?{subject}?=\r\n"
        "Thread-Topic: =?gb2312?B?sai829Wl?=\r\n"
        "Thread-Index: AdmXyZ1234567890abcdef==\r\n"
        "Date: Sun, 22 Nov 2026 09:45:10 +0000\r\n"
        "Message-ID: <A1B2C3@EXCH01.example.cn>\r\n"
        "In-Reply-To: <CAF=gm-3@mail.gmail.com>\r\n"
        'Content-Type: text/plain; charset="gb2312"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "MIME-Version: 1.0\r\n\r\n"
    )
    return head.encode() + body.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")


NO_DATE = (
    b"Received: from mx.acme.com by mx.mine.com; Sat, 21 Nov 2026 07:00:00 -0500\n"
    b"From: jane@acme.com\nTo: me@mine.com\nSubject: no date here\n\nCall me tomorrow.\n"
)
MALFORMED = (
    b"From: Jane Roe <jane@acme.com\nTo: me@mine.com,,, <<>>\n"
    b"Subject: =?UTF-8?B?broken?=\nDate: Sun, 22 Nov 2026 10:00:00 +0000\n"
    b"Message-ID: <bad-1@acme.com>\n\nStill worth keeping.\n"
)
NO_SENDER = b"To: me@mine.com\nSubject: who?\nDate: Sun, 22 Nov 2026 10:00:00 +0000\n\nhi\n"


@pytest.fixture
def leads(ok) -> None:
    early = {"SALESFLOW_NOW": "2026-11-01T09:00:00Z"}
    ok("lead", "add", "Jane Roe", "--company", "Acme", "--email", "jane@acme.com", env=early)
    ok("lead", "add", "张伟", "--company", "某科技", "--email", "zw@example.cn", env=early)
    ok("config", "set", "me.emails", "me@mine.com, Me@Gmail.com")


def activities(db_path: Path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT a.lead_id, a.happened_at, a.note, e.direction FROM activities a "
            "JOIN emails e ON e.activity_id = a.id ORDER BY a.happened_at, a.lead_id"
        ).fetchall()
    finally:
        conn.close()


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def test_thunderbird_mbox(ok, leads, db_path, tmp_path) -> None:
    box = write(tmp_path, "Inbox", THUNDERBIRD)
    out = ok("import", "email", box).stdout
    assert "mbox Inbox: 2 message(s)" in out and "replies to your mail" in out
    assert "bob@acme.com (1), ann@gmail.com (1)" in out
    assert activities(db_path) == [
        (1, "2026-11-21T10:00:00Z", "Sent: Quote for 50 units — v2\nHi Jane,\n"
         "please find the new prices below.\nDelivery in 4 weeks.", "sent"),
        (1, "2026-11-22T08:30:00Z", "Received: Re: Quote for 50 units\n"
         "Looks good, we will order.", "received"),
    ]  # fmt: skip
    again = ok("import", "email", box)
    assert "already imported" in again.stdout and "Nothing to import" in again.stderr
    assert "replies to your mail" not in again.stdout  # counted once, when logged
    assert len(activities(db_path)) == 2


def test_gmail_takeout_html_only_with_attachment(ok, leads, db_path, tmp_path) -> None:
    ok("import", "email", write(tmp_path, "All mail.mbox", gmail_takeout()))
    (row,) = activities(db_path)
    assert row == (2, "2026-11-20T09:12:33Z", "Sent: 报价单\n您好 Jane,\n附件是报价单。\n"
                   "Attachments: 报价.pdf", "sent")  # fmt: skip


def test_outlook_eml_in_gb2312_is_a_reply_that_completes_a_follow_up(ok, leads, db_path,
                                                                     tmp_path) -> None:  # fmt: skip
    ok("followup", "add", "张伟", "chase the quote", "--due", "2026-11-25",
       env={"SALESFLOW_NOW": "2026-11-19T09:00:00Z"})  # fmt: skip
    ok("import", "email", write(tmp_path, "sent.mbox", gmail_takeout()))
    out = ok("import", "email", write(tmp_path, "re.eml", outlook_eml())).stdout
    assert "follow-up 1 of #2 张伟 done by a reply at 2026-11-22T09:45:10Z: chase the quote" in out
    rows = activities(db_path)
    note = "Received: 回复: 报价单\n张总您好，价格可以接受。"
    assert rows[-1] == (2, "2026-11-22T09:45:10Z", note, "received")
    conn = sqlite3.connect(db_path)
    done = conn.execute("SELECT done_at FROM followups WHERE id = 1").fetchone()[0]
    assert done == "2026-11-22T09:45:10Z"
    touched = conn.execute("SELECT touched_at, first_touch_at FROM leads WHERE id = 2").fetchone()
    assert touched == ("2026-11-22T09:45:10Z", "2026-11-20T09:12:33Z")
    conn.close()
    later = {"SALESFLOW_NOW": "2026-11-26T09:00:00Z"}  # once the follow-up has come due
    report = json.loads(ok("report", "summary", "--format", "json", env=later).stdout)
    assert (report["followups_due"], report["followups_on_time"]) == (1, 1)
    ok("undo")
    assert len(activities(db_path)) == 1  # the Gmail message stays; the reply is gone
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT done_at FROM followups WHERE id = 1").fetchone()[0] is None
    conn.close()


def test_a_message_without_date_takes_its_received_time(ok, leads, db_path, tmp_path) -> None:
    ok("import", "email", "-", input=NO_DATE.decode())
    note = "Received: no date here\nCall me tomorrow."
    assert activities(db_path) == [(1, "2026-11-21T12:00:00Z", note, "received")]


def test_a_malformed_header_still_imports_and_an_unreadable_message_is_a_row_error(
    ok, fails, leads, db_path, tmp_path
) -> None:
    folder = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True)
    (folder / "new" / "1700000000.1.host").write_bytes(MALFORMED)
    (folder / "new" / "1700000001.2.host").write_bytes(NO_SENDER)
    fails("import", "email", str(folder), match="1 message has errors, so nothing was imported")
    out = ok("import", "email", str(folder), "--skip-errors").stdout
    assert "has no sender address (From) that can be read" in out
    note = "Received: =?UTF-8?B?broken?=\nStill worth keeping."  # the subject as it came
    assert activities(db_path) == [(1, "2026-11-22T10:00:00Z", note, "received")]


def test_new_leads_from_unknown_addresses(ok, leads, db_path, tmp_path) -> None:
    box = write(tmp_path, "Inbox", THUNDERBIRD)
    out = ok("import", "email", box, "--new-leads", "--dry-run").stdout
    assert "new lead: Bob (Acme) <bob@acme.com>" in out
    assert "new lead: Ann Lee <ann@gmail.com>" in out  # a public mail domain: no company
    assert len(activities(db_path)) == 0
    ok("import", "email", box, "--new-leads")
    rows = ok("lead", "list", "--format", "json").stdout
    made = {r["name"]: (r["company"], r["source"]) for r in json.loads(rows)}
    assert made["Bob"] == ("Acme", "email") and made["Ann Lee"] == (None, "email")
    assert len(activities(db_path)) == 4  # the reply is logged on Jane, Bob and Ann
    ok("undo")
    assert len(json.loads(ok("lead", "list", "--format", "json").stdout)) == 2


def test_bad_input(fails, ok, leads, tmp_path) -> None:
    fails("import", "email", str(tmp_path / "none.mbox"), match="no file")
    fails("import", "email", str(tmp_path), match="not a Maildir")
    fails("import", "email", write(tmp_path, "empty.eml", b""), match="is empty")
    ok("config", "unset", "me.emails")
    fails("import", "email", write(tmp_path, "x.eml", NO_DATE), match="config set me.emails")
    fails("config", "set", "me.emails", "not an address", match="give your own addresses")


def test_the_words_of_a_message() -> None:
    assert mailtext.first_lines("Thanks!\n\n-----Original Message-----\nFrom: x") == ["Thanks!"]
    assert mailtext.first_lines("好的\n\n在 2026年11月22日 写道：\n> 旧") == ["好的"]
    assert mailtext.first_lines("Sure.\nBest regards,\nJane") == ["Sure."]
    assert mailtext.first_lines("a\nb\nc\nd\ne\nf") == ["a", "b", "c", "d", "e"]
    assert mailtext.header_text("=?GB2312?B?1cXOsA==?=") == "张伟"
    assert mailtext.decode_bytes("镕".encode("gbk"), "gb2312") == "镕"  # GBK labelled gb2312
    envelope = b"From - Sat Nov 21 10:00:00 2026\n"  # an mbox line names no zone: UTC
    assert mailread.read(b"From: a@b.cn\n\nhi\n", "m", envelope).date == "2026-11-21T10:00:00Z"
    assert mail.company_of("li@mail.acme.com.cn") == "Acme"
    assert mail.company_of("x@acme.co.uk") == "Acme"
    assert mail.company_of("x@qq.com") is None
