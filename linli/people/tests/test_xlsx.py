"""The streaming xlsx reader on packages written by hand: prefixes, rich text, styles, gaps."""

import io
import zipfile
from datetime import date

import pytest

from linli.people.imports.xlsx import SheetReader, XlsxError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
KINDS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def package(sheet: str, *, strings: str = "", date1904: bool = False, prolog: str = "") -> bytes:
    flag = ' date1904="1"' if date1904 else ""
    parts = {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr{flag}/>'
                           f'<sheets><sheet name="人" sheetId="1" r:id="rId1"/></sheets>'
                           "</workbook>",
        "xl/_rels/workbook.xml.rels":
            f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{KINDS}worksheet" Target="worksheets/s.xml"/>'
            f'<Relationship Id="rId2" Type="{KINDS}sharedStrings" Target="/xl/strings.xml"/>'
            f'<Relationship Id="rId3" Type="{KINDS}styles" Target="styles.xml"/>'
            "</Relationships>",
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><numFmts count="1">'
                         '<numFmt numFmtId="170" '
                         'formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
                         '</numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/>'
                         '<xf numFmtId="170"/><xf numFmtId="49"/></cellXfs></styleSheet>',
        "xl/strings.xml": f'<sst xmlns="{MAIN}">{strings}</sst>',
        "xl/worksheets/s.xml": prolog + sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text.encode())
    return out.getvalue()


def rows(content: bytes) -> list:
    return list(SheetReader(zipfile.ZipFile(io.BytesIO(content))).rows())


def test_prefixed_sheet_with_rich_text_dates_and_gaps():
    strings = ("<si><t>花楼社区</t></si>"
               "<si><r><rPr/><t>王</t></r><r><t xml:space=\"preserve\">秀英</t></r>"
               "<rPh><t>WANG</t></rPh></si>")
    sheet = (f'<x:worksheet xmlns:x="{MAIN}" xmlns:x14ac="urn:x14ac">'
             '<x:dimension ref="A1:E3"/><x:sheetData>'
             '<x:row r="1" x14ac:dyDescent="0.25"><x:c r="A1" t="s"><x:v>0</x:v></x:c>'
             '<x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>'
             '<x:row r="2"/>'
             '<x:row r="3"><x:c r="A3" s="1"><x:v>18000</x:v></x:c>'
             '<x:c r="B3" s="2"><x:v>45000</x:v></x:c><x:c r="C3"><x:v>13612348888</x:v></x:c>'
             '<x:c r="D3" t="inlineStr"><x:is><x:t>A&amp;B &lt;1&gt;</x:t></x:is></x:c>'
             '<x:c r="E3" t="b"><x:v>1</x:v></x:c><x:c r="F3"><x:v>4.2E+17</x:v></x:c></x:row>'
             "</x:sheetData></x:worksheet>")
    content = package(sheet, strings=strings)
    assert rows(content) == [
        (1, ["花楼社区", None, "王秀英"]),
        (2, []),
        (3, [date(1949, 4, 12), date(2023, 3, 15), 13612348888, "A&B <1>", True, 4.2e17]),
    ]
    assert SheetReader(zipfile.ZipFile(io.BytesIO(content))).dimension_rows() == 3


def test_1904_dates_and_rows_without_numbers():
    sheet = (f'<worksheet xmlns="{MAIN}"><sheetData>'
             '<row><c s="1"><v>1</v></c><c s="2"><v>0.5</v></c></row>'
             '<row><c t="str"><v>x</v></c></row>'
             "</sheetData></worksheet>")
    assert rows(package(sheet, date1904=True)) == [(1, [date(1904, 1, 2), "0.5"]),
                                                             (2, ["x"])]


def test_empty_sheet_data():
    assert rows(package(f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>')) == []


def test_a_large_sheet_is_read_in_batches():
    cells = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{"居" * 250}{i}</t></is>'
                    "</c></row>" for i in range(1, 3001))
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{cells}</sheetData></worksheet>'
    assert len(sheet.encode()) > 2 * 1024 * 1024
    got = rows(package(sheet))
    assert len(got) == 3000 and got[-1] == (3000, ["居" * 250 + "3000"])


def test_a_dtd_is_refused():
    doctype = '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]>'
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row><c t="str"><v>&a;</v></c></row>' \
            "</sheetData></worksheet>"
    with pytest.raises(XlsxError):
        rows(package(sheet, prolog=doctype))
