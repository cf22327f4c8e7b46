"""A fast reader for the first sheet of an .xlsx package: rows of plain cell values.

openpyxl's read-only mode builds a Python object per cell and reads a 100,000-row register in
well over a minute; this streams the sheet's XML through the C parser (`iterparse`) and keeps
only what an import needs: text, numbers, booleans and dates (numbers in a date style).
Formulas give their cached value, as `data_only=True` would. Parts declaring a DTD are
refused before parsing (`_open`): a workbook never needs one, and entity tricks (billion
laughs, external entities) start there; defusedxml is not a dependency.
"""

import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from posixpath import dirname, join, normpath
from typing import IO, Any
from xml.etree.ElementTree import XML, Element, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
ROW, CELL, VALUE, TEXT, RUN, SI = (MAIN + tag for tag in ("row", "c", "v", "t", "r", "si"))
INLINE = MAIN + "is"
# Built-in number formats that are dates: the standard ones, and the ids Excel and WPS
# reserve for East Asian date formats (27-36, 50-58), which are dates in a zh-CN workbook.
DATE_FORMAT_IDS = frozenset({k for k, v in BUILTIN_FORMATS.items() if is_date_format(v)}
                            | set(range(27, 37)) | set(range(50, 59)))
_ROOT_RE = re.compile(rb"<[A-Za-z_]")
_PROLOG_MAX = 64 * 1024
_BATCH = 1024 * 1024
_WORKSHEET_RE = re.compile(rb"<((?:[\w.-]+:)?worksheet)\b[^>]*>")
_SHEET_DATA_RE = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b[^>]*?(/?)>")
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="(?:[A-Z]+\d+:)?[A-Z]+(\d+)"')


class XlsxError(Exception):
    """The package is not a workbook this reader understands."""


@lru_cache(maxsize=64)
def column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


class SheetReader:
    def __init__(self, package: zipfile.ZipFile):
        self.zip = package
        rels = self._relations("xl/workbook.xml")
        workbook = self._tree("xl/workbook.xml")
        first = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
        if first is None or first.get(f"{DOC_REL}id") not in rels:
            raise XlsxError("no sheet")
        self.sheet_path = rels[first.get(f"{DOC_REL}id", "")][1]
        self.sheet_bytes = package.getinfo(self.sheet_path).file_size
        self.parsed_bytes = 0  # of the sheet's XML, as the rows are read: for progress
        pr = workbook.find(f"{MAIN}workbookPr")
        flag = pr.get("date1904", "") if pr is not None else ""
        self.epoch = CALENDAR_MAC_1904 if flag in ("1", "true") else CALENDAR_WINDOWS_1900
        by_type = {kind.rsplit("/", 1)[-1]: path for kind, path in rels.values()}
        self.strings = self._shared_strings(by_type.get("sharedStrings"))
        self.date_styles = self._date_styles(by_type.get("styles"))

    # --- package parts -------------------------------------------------------------------

    def _open(self, path: str) -> IO[bytes]:
        """The part, once its prolog is known to declare no DTD (so no entities either)."""
        with self.zip.open(path) as probe:
            head = probe.read(_PROLOG_MAX)
        root = _ROOT_RE.search(head)
        if root is None or b"<!DOCTYPE" in head[:root.start()].upper():
            raise XlsxError("DTD or no root element")
        return self.zip.open(path)

    def _tree(self, path: str) -> Element:
        with self._open(path) as stream:
            for _event, element in iterparse(stream, events=("end",)):  # noqa: S314 (_open)
                root = element
        return root

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """id -> (type, package path) of a part's relationships."""
        rels_path = join(dirname(part), "_rels", part.rsplit("/", 1)[-1] + ".rels")
        out = {}
        for rel in self._tree(rels_path).iter(f"{PKG_REL}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else normpath(
                join(dirname(part), target))
            out[rel.get("Id", "")] = (rel.get("Type", ""), path)
        return out

    def _shared_strings(self, path: str | None) -> list[str]:
        if not path:
            return []
        strings = []
        with self._open(path) as stream:
            for _event, element in iterparse(stream, events=("end",)):  # noqa: S314 (_open)
                if element.tag == SI:
                    strings.append(_rich_text(element))
                    element.clear()
        return strings

    def _date_styles(self, path: str | None) -> frozenset[int]:
        if not path:
            return frozenset()
        styles = self._tree(path)
        custom = {int(fmt.get("numFmtId", "0")): fmt.get("formatCode", "")
                  for fmt in styles.iter(f"{MAIN}numFmt")}
        xfs = styles.find(f"{MAIN}cellXfs")
        dates = set()
        for index, xf in enumerate(xfs if xfs is not None else []):
            fmt_id = int(xf.get("numFmtId", "0"))
            if fmt_id in DATE_FORMAT_IDS or (fmt_id in custom and is_date_format(custom[fmt_id])):
                dates.add(index)
        return frozenset(dates)

    # --- the sheet -----------------------------------------------------------------------

    def dimension_rows(self) -> int:
        """The last row number the sheet declares (0 if it declares none)."""
        with self._open(self.sheet_path) as stream:
            match = _DIMENSION_RE.search(stream.read(8192))
        return int(match.group(1)) if match else 0

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values by column) for every row the sheet stores."""
        number = 0
        for batch in self._row_batches():
            for row in batch:
                if row.tag == ROW:
                    number = int(row.get("r") or number + 1)
                    yield number, self._values(row)

    def _row_batches(self) -> Iterator[Element]:
        """The rows, about a megabyte at a time, each batch parsed whole by the C parser
        inside a copy of the sheet's root tag (which declares the namespaces). Rows are cut
        at a closing row tag, which cannot occur inside text (a "<" there is escaped)."""
        with self._open(self.sheet_path) as stream:
            buffer = stream.read(_PROLOG_MAX)
            root = _WORKSHEET_RE.search(buffer)
            data = _SHEET_DATA_RE.search(buffer)
            while data is None and (more := stream.read(_BATCH)):
                buffer += more
                data = _SHEET_DATA_RE.search(buffer)
            if root is None or data is None or data.group(2):  # none, or <sheetData/>
                return
            opening, closing = root.group(0), b"</" + root.group(1) + b">"
            row_end, data_end = b"</" + data.group(1) + b"row>", b"</" + data.group(1) + \
                b"sheetData>"
            buffer = buffer[data.end():]
            while True:
                end = buffer.find(data_end)
                cut = end if end >= 0 else buffer.rfind(row_end) + len(row_end)
                if cut >= len(row_end) or end >= 0:
                    self.parsed_bytes = stream.tell() - len(buffer) + cut
                    yield XML(opening + buffer[:cut] + closing)
                    buffer = buffer[cut:]
                if end >= 0:
                    return
                more = stream.read(_BATCH)
                if not more:
                    raise XlsxError("the sheet ends inside its data")
                buffer += more

    def _values(self, row: Element) -> list[Any]:
        cells = list(row)
        last = cells[-1].get("r") if cells else None
        if last is None or column_index(last.rstrip("0123456789")) == len(cells) - 1:
            # No gaps (the usual case): place by order, without reading every reference.
            value = self._value
            return [value(cell) for cell in cells]
        values: list[Any] = []
        for cell in cells:
            ref = cell.get("r")
            if ref:
                position = column_index(ref.rstrip("0123456789"))
                if position > len(values):
                    values.extend([None] * (position - len(values)))
            values.append(self._value(cell))
        return values

    def _value(self, cell: Element) -> Any:
        kind = cell.get("t")
        if kind == "inlineStr":
            inline = cell[0] if len(cell) else None
            # The common shape, <is><t>text</t></is>, without the general walk.
            if inline is not None and inline.tag == INLINE and len(inline) == 1 \
                    and inline[0].tag == TEXT:
                return inline[0].text or ""
            return _inline_text(cell)
        text = cell.findtext(VALUE)
        if text is None:
            return None
        if kind == "s":
            return self.strings[int(text)]
        if kind in ("str", "e"):
            return text
        if kind == "b":
            return text == "1"
        if int(cell.get("s") or 0) in self.date_styles:
            return _excel_date(text, self.epoch)
        if text.isdigit():
            return int(text)  # exact, however long
        return float(text)


def _inline_text(cell: Element) -> str | None:
    for inline in cell:
        if inline.tag == INLINE:
            return _rich_text(inline)
    return None


@lru_cache(maxsize=4096)
def _excel_date(text: str, epoch) -> Any:
    """A serial day number in a date style; registers repeat dates, hence the cache."""
    try:
        value = from_excel(float(text), epoch)
    except (ValueError, OverflowError):
        value = None
    # A fraction of a day is a time, not a date; either way the row check names the cell.
    return value.date() if isinstance(value, datetime) else text


def _rich_text(element: Element) -> str:
    """The text of a shared or inline string: plain <t>, or the runs' <t>; no phonetics."""
    parts = []
    for child in element:
        if child.tag == TEXT:
            parts.append(child.text or "")
        elif child.tag == RUN:
            parts.append(child.findtext(TEXT) or "")
    return "".join(parts)
