"""`salesflow import contacts FILE.vcf`: what phones export, end to end."""

import json
from pathlib import Path

# Android (vCard 2.1): quoted-printable UTF-8 with a soft line break, bare TEL types, a
# base64 PHOTO whose lines are not property lines, and a card with only N (CJK).
ANDROID = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=BC=9F;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=E4=BC=9F\r\n"
    "TEL;WORK:010-6123 4567\r\n"
    "TEL;CELL;PREF:+86 138 0000 0000\r\n"
    "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=B7=B1=E5=9C=B3=E6=9F=90=E7=A7=91=E6=8A=80=\r\n"
    "=E6=9C=89=E9=99=90=E5=85=AC=E5=8F=B8\r\n"
    "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsL\r\n"
    " DBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL\r\n"
    "\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E8=8A=B3;;;\r\n"
    "TEL;CELL:139 1111 2222\r\n"
    "END:VCARD\r\n"
)
# iOS (vCard 3.0): grouped properties, several EMAIL and TEL, ADR, BDAY, a folded NOTE.
IOS = """BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//iPhone OS 17.0//EN
N:Roe;Jane;;Ms.;
FN:Jane Roe
ORG:Acme Ltd;Sales;
TITLE:CFO
item1.EMAIL;type=INTERNET;type=pref:jane@acme.com
EMAIL;type=INTERNET;type=HOME:jane.roe@gmail.com
TEL;type=CELL;type=VOICE;type=pref:+1 415 555 0100
TEL;type=WORK;type=VOICE:+1 415 555 0199
item2.ADR;type=WORK;type=pref:;;1 Main St;San Francisco;CA;94105;United States
BDAY;value=date:1980-04-01
NOTE:Met at the fair\\, booth 4. Wants 50 units before the end of the quarter
 \\, call after 10am.
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD
END:VCARD
"""
# vCard 4.0 (WeChat Work, Google): tel: URIs, PREF=1, quoted TYPE lists.
V4 = """BEGIN:VCARD
VERSION:4.0
FN:李娜
N:李;娜;;;
EMAIL;TYPE=work;PREF=1:li@example.cn
TEL;VALUE=uri;TYPE="voice,cell":tel:+86-139-0000-0000
END:VCARD
"""


def leads(ok) -> dict[str, dict]:
    return {r["name"]: r for r in json.loads(ok("lead", "list", "--format", "json").stdout)}


def test_android_ios_and_v4_cards(ok, empty_db, tmp_path: Path) -> None:
    path = tmp_path / "contacts.vcf"
    path.write_text(ANDROID + IOS + V4, encoding="utf-8", newline="")
    out = ok("import", "contacts", str(path), "--dry-run").stdout
    assert "vCard 2.1/3.0/4.0, UTF-8" in out and "new leads  4" in out
    ok("import", "contacts", str(path))
    got = leads(ok)
    assert set(got) == {"张伟", "王芳", "Jane Roe", "李娜"}
    zw = got["张伟"]
    assert (zw["company"], zw["phone"], zw["source"]) == (
        "深圳某科技有限公司", "+86 138 0000 0000", "contacts")  # fmt: skip
    assert got["王芳"]["phone"] == "139 1111 2222"
    jane = got["Jane Roe"]
    assert (jane["company"], jane["email"], jane["phone"]) == (
        "Acme Ltd", "jane@acme.com", "+1 415 555 0100")  # fmt: skip
    shown = ok("lead", "show", "Jane Roe").stdout
    for line in ("Met at the fair, booth 4. Wants 50 units before the end of the quarter, call "
                 "after 10am.", "Title: CFO", "Other phones: work +1 415 555 0199",
                 "Other emails: jane.roe@gmail.com", "Birthday: 1980-04-01"):  # fmt: skip
        assert line in jane["notes"], (line, jane["notes"], shown)
    # The card's address is the lead's buyer address (quotes print it), not a line of notes.
    assert jane["address"] == "1 Main St, San Francisco, CA, 94105, United States"
    assert "Other phones: work 010-6123 4567" in zw["notes"]
    assert (got["李娜"]["email"], got["李娜"]["phone"]) == ("li@example.cn", "+86-139-0000-0000")
    again = ok("import", "contacts", str(path))
    assert "duplicates skipped  4" in again.stdout and "Nothing to import" in again.stderr
    ok("undo")
    assert leads(ok) == {}


def test_a_contact_already_a_lead_is_a_duplicate(ok, tmp_path: Path) -> None:
    ok("lead", "add", "Zhang Wei", "--phone", "+86 138-0000-0000")
    path = tmp_path / "a.vcf"
    path.write_text(ANDROID, encoding="utf-8", newline="")
    out = ok("import", "contacts", str(path)).stdout
    assert "duplicates skipped  1" in out and "same phone as #1 Zhang Wei" in out
    assert set(leads(ok)) == {"Zhang Wei", "王芳"}
    out = ok("import", "contacts", str(path), "--on-duplicate", "update").stdout
    assert "updated    1" in out
    assert leads(ok)["张伟"]["company"] == "深圳某科技有限公司"  # the card's facts win


def test_a_broken_card_is_a_row_error(ok, fails, tmp_path: Path) -> None:
    broken = 'BEGIN:VCARD\nVERSION:3.0\nN:Lee;Ann\nEMAIL;TYPE="unclosed:ann@x.io\nEND:VCARD\n'
    path = tmp_path / "b.vcf"
    path.write_text(V4 + broken, encoding="utf-8")
    ok("lead", "add", "Someone")
    fails("import", "contacts", str(path), match="row 2: card cannot be read")
    assert "1 new" not in ok("import", "contacts", str(path), "--skip-errors").stdout
    assert set(leads(ok)) == {"Someone", "李娜"}


def test_bad_files(fails, ok, tmp_path: Path) -> None:
    ok("lead", "add", "Someone")
    path = tmp_path / "x.vcf"
    path.write_text("name,phone\nAnn,1\n", encoding="utf-8")
    fails("import", "contacts", str(path), match="has no vCard in it")
    fails("import", "contacts", str(tmp_path / "none.vcf"), match="no file")
    fails("import", "contacts", "-", input="", match="no vCard")
