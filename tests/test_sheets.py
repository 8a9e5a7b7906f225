import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesflow import sheets
from salesflow.cli import hints
from salesflow.errors import SalesflowError

CSV = "联系人,公司\n张伟,深圳某科技有限公司\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CSV.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + CSV.encode("utf-8"), "UTF-8 with BOM"),
        (CSV.encode("gbk"), "GB18030"),  # what Excel on Chinese Windows saves
        (CSV.encode("gb18030"), "GB18030"),
        (CSV.encode("utf-16"), "UTF-16"),  # Excel's "Unicode text", with its BOM
    ],
)
def test_encodings_are_detected(data: bytes, encoding: str) -> None:
    sheet = sheets.read(data, "leads.csv")
    assert sheet.encoding == encoding
    assert sheet.header == ["联系人", "公司"]  # the BOM is not part of the first header
    assert sheet.rows == [(2, ["张伟", "深圳某科技有限公司"])]


def test_forced_encoding_and_undecodable_bytes() -> None:
    gbk = CSV.encode("gbk")
    assert sheets.read(gbk, "x.csv", "gb18030").rows[0][1][0] == "张伟"
    with pytest.raises(SalesflowError, match=r"as UTF-8 \(byte 0xc1 on line 1\)") as e:
        sheets.read(gbk, "x.csv", "utf-8")
    assert hints.say(e.value).endswith("pass --encoding utf-8 or --encoding gb18030")
    # 0xFF starts no UTF-8 sequence and no GB18030 one either.
    with pytest.raises(SalesflowError, match="as UTF-8 or GB18030 .byte 0xff on line 2"):
        sheets.read(b"name\n\xff\xfe\xfd\n", "x.csv")
    with pytest.raises(SalesflowError, match='encoding "latin-1"'):
        sheets.read(b"name\nx\n", "x.csv", "latin-1")


def test_formats_by_name_and_by_content() -> None:
    tsv = b"name\tcompany\nAnn\tAcme, Ltd\n"
    assert sheets.read(tsv, "x.tsv").rows == [(2, ["Ann", "Acme, Ltd"])]
    assert sheets.read(tsv, "-").fmt == "tsv"
    assert sheets.read(tsv, "saved-by-excel.csv").fmt == "tsv"  # tabs, no commas
    js = json.dumps([{"name": "Ann", "value": 500, "tags": ["a", "b"], "vip": True}]).encode()
    sheet = sheets.read(js, "-")
    assert (sheet.fmt, sheet.header) == ("json", ["name", "value", "tags", "vip"])
    assert sheet.rows == [(1, ["Ann", "500", "a,b", "yes"])]
    nd = b'{"name": "Ann"}\n\n{"name": "Bob", "company": "Acme"}\n'
    sheet = sheets.read(nd, "x.ndjson")
    assert sheet.header == ["name", "company"]
    assert sheet.rows == [(1, ["Ann", None]), (3, ["Bob", "Acme"])]  # line numbers


def test_tsv_is_one_record_a_line_with_backslash_escapes() -> None:
    # As `--format tsv` writes it: no quotes; \t \n \r \\ inside cells.
    data = b'name\tnotes\r\nAnn\tsaid "hi"\\nthen\\tleft\\\\x\r\n\t\nBob\t\n'
    assert sheets.read(data, "x.tsv").rows == [
        (2, ["Ann", 'said "hi"\nthen\tleft\\x']),
        (4, ["Bob", ""]),
    ]
    # Excel's "Unicode text" is UTF-16 and quotes a cell holding a tab or a line break.
    excel = 'name\tnotes\r\nAnn\t"two\nlines"\r\n'.encode("utf-16")
    assert sheets.read(excel, "x.txt").rows == [(2, ["Ann", "two\nlines"])]


def test_rows_are_numbered_like_the_spreadsheet() -> None:
    # Row 1 is the header; a cell with a line break is still one row; blank rows are skipped
    # but still counted, so "row 5" is row 5 in Excel.
    data = b'name,notes\nAnn,"two\nlines"\n,\nBob,x\n'
    assert sheets.read(data, "x.csv").rows == [(2, ["Ann", "two\nlines"]), (4, ["Bob", "x"])]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.csv", b"", "x.csv is empty"),
        ("x.csv", b" \r\n\n", "x.csv is empty"),
        ("x.csv", b"name,company\r\n", "has a header but no rows"),
        ("x.csv", b"name,company\n,\n", "has a header but no rows"),
        ("x.csv", b"name;company;email\nAnn;Acme;a@x\n", "separated by semicolons, not commas"),
        ("x.tsv", b"name|company\nAnn|Acme\n", "separated by bars, not tabs"),
        ("-", b"[1, 2]", "row 1 is not an object"),
        ("x.json", b'{"name": "x"}', "must be an array of objects"),
        ("-", b'[{"name": "x"},]', "not valid JSON"),
        ("x.ndjson", b'{"name": "x"}\n{oops}\n', "not valid NDJSON (line 2"),
    ],
)
def test_unreadable_files(name: str, data: bytes, message: str) -> None:
    with pytest.raises(SalesflowError, match=message.replace("(", r"\(")):
        sheets.read(data, name)


def test_a_huge_cell_is_refused_with_the_line() -> None:
    big = "x" * (sheets.MAX_CELL + 1)
    with pytest.raises(SalesflowError, match=r"line 3: a cell is longer than 131,072"):
        sheets.read(f"name,notes\nAnn,ok\nBob,{big}\n".encode(), "x.csv")
    with pytest.raises(SalesflowError, match=r"row 1: notes is longer than 131,072"):
        sheets.read(json.dumps([{"name": "A", "notes": big}]).encode(), "x.json")


# Any text a spreadsheet cell can hold, written by a CSV writer, comes back unchanged — but
# NUL (refused), the invisible marks read() trims (sheets.INVISIBLE) and cells of more than
# three lines (which may look like swallowed records) are tested apart.
cell = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00" + sheets.INVISIBLE),
    max_size=30,
).filter(lambda c: c.count("\n") + c.count("\r") < 3)


@given(st.lists(st.lists(cell, min_size=2, max_size=2), min_size=1, max_size=5))
def test_csv_round_trip(rows: list[list[str]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["name", "notes"])
    writer.writerows(rows)
    kept = [r for r in rows if any(r)]
    if not kept:
        return
    sheet = sheets.read(buf.getvalue().encode(), "x.csv")
    assert [cells for _, cells in sheet.rows] == kept
