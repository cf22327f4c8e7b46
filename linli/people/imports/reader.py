"""Reading a residents workbook (.xlsx only) into rows of cells keyed by column title.

This module knows about files and headers; what the cells mean is checked in
`check`. Problems are raised as `ImportRejected` (shared with the area import) naming
the spreadsheet row (the title row is row 1) and the column.
"""

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from linli.orgs.imports.reader import ImportRejected, RowProblem, raise_header_problems
from linli.people.imports.xlsx import SheetReader
from linli.people.sheet import HEADERS

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# A 20 MB workbook unpacks to a few hundred MB at most; more is a zip bomb, not a register.
MAX_UNPACKED = 600 * 1024 * 1024
_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")

Cell = str | date | None


def file_problem(message: str, code: str = "bad_file") -> ImportRejected:
    return ImportRejected([RowProblem(1, "", message)], message=message, code=code)


def check_upload(filename: str, size: int) -> None:
    """What can be refused before the file is even stored: its size and its name."""
    if size > MAX_BYTES:
        raise file_problem(_("The file is larger than %(mb)d MB; split it into smaller files.")
                           % {"mb": MAX_BYTES // (1024 * 1024)}, code="too_large")
    if not (filename or "").lower().endswith(".xlsx"):
        raise file_problem(_("Upload an Excel workbook (.xlsx). An old .xls workbook or a CSV "
                             "file must first be saved as .xlsx."), code="not_xlsx")


def check_xlsx(content: bytes) -> None:
    """The bytes really are an xlsx package (a zip with a workbook), of a sane unpacked size."""
    not_xlsx = file_problem(_("This file is not an Excel workbook (.xlsx)."), code="not_xlsx")
    if not content.startswith(b"PK\x03\x04"):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            infos = package.infolist()
    except zipfile.BadZipFile:
        raise not_xlsx from None
    names = {info.filename for info in infos}
    if not all(part in names for part in _XLSX_PARTS):
        raise not_xlsx
    if sum(info.file_size for info in infos) > MAX_UNPACKED:
        raise file_problem(_("This workbook unpacks to more data than a register can hold."),
                           code="too_large")


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the spreadsheet shows it: the title row is 1
    cells: list[Any]  # raw values in the order of `Workbook.titles`; see `cell_text`
    stray: bool = False  # values in columns without a title


def cell_text(value: Any) -> Cell:
    """A raw cell as stripped text (None if empty), or a date for date cells. Whole numbers
    lose their ".0"; other floats keep their text, so an ID number typed as a number (and
    so already short of digits) is reported rather than guessed."""
    if value.__class__ is str:
        return value.strip() or None
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value).strip() or None


def _header(values: tuple) -> list[str]:
    titles = [str(v).strip().lstrip("\ufeff").strip() if v is not None else "" for v in values]
    while titles and not titles[-1]:
        titles.pop()
    missing = [title for title in HEADERS if title not in titles]
    unknown = [title[:40] for title in titles if title and title not in HEADERS]
    repeated = sorted({title for title in titles if title and titles.count(title) > 1})
    blank = [str(i + 1) for i, title in enumerate(titles) if not title]
    raise_header_problems(missing, unknown + [_("(column %(n)s without a title)") % {"n": n}
                                              for n in blank], repeated)
    return titles


class Workbook:
    """The first sheet of an xlsx file, read row by row without loading it whole."""

    def __init__(self, content: bytes):
        self.titles: list[str] = []  # known once the first row is read
        check_xlsx(content)
        try:
            self._package = zipfile.ZipFile(io.BytesIO(content))
            self._sheet = SheetReader(self._package)
        except Exception as exc:  # a damaged package fails in many ways; a 500 helps no one
            raise _unreadable() from exc

    def estimated_rows(self) -> int:
        """Data rows according to the sheet's own dimension record (0 if it has none)."""
        try:
            return max(self._sheet.dimension_rows() - 1, 0)
        except Exception:  # only an estimate for the progress bar
            return 0

    def extrapolated_rows(self, rows_read: int) -> int:
        """Rows in the sheet, judged from the share of its XML read so far (for a sheet
        without a dimension record, as openpyxl's write-only mode makes)."""
        done = self._sheet.parsed_bytes
        return int(rows_read * self._sheet.sheet_bytes / done) if done else 0

    def rows(self) -> Iterator[SheetRow]:
        try:
            yield from self._rows()
        except ImportRejected:
            raise
        except Exception as exc:  # damage can also surface while reading the rows
            raise _unreadable() from exc
        finally:
            self._package.close()

    def _rows(self) -> Iterator[SheetRow]:
        values = self._sheet.rows()
        first = next(values, None)
        if first is None or first[0] != 1:
            raise file_problem(_("The first row of the first sheet must hold the column "
                                 "titles."), code="bad_header")
        self.titles = _header(tuple(first[1]))
        width = len(self.titles)
        padding = [None] * width
        for number, row in values:
            if number - 1 > MAX_ROWS:
                raise file_problem(_("The file has more than %(n)d rows; split it into smaller "
                                     "files.") % {"n": MAX_ROWS}, code="too_many_rows")
            stray = len(row) > width and any(cell_text(v) is not None for v in row[width:])
            cells = row[:width] if len(row) >= width else row + padding[len(row):]
            if stray or any(v is not None and v != "" for v in cells):
                yield SheetRow(number, cells, stray)


def _unreadable() -> ImportRejected:
    return file_problem(_("This file is not a readable Excel workbook (.xlsx)."),
                        code="not_xlsx")
