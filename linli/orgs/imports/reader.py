"""Reading an area-tree spreadsheet (.xlsx or .csv) into plain rows of text.

This module knows about files and headers only; what the rows mean is checked in
`linli.orgs.imports`. Every problem is raised as an `ImportRejected` naming the spreadsheet
row (the header is row 1) and the column, so a person can find it in the file.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linli.core.errors import ApplicationError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# Listing every problem of a broken 50,000-row file helps nobody; the count is still given.
MAX_LISTED = 500

# (kind, name header, code header or None, English aliases for name and code).
LEVELS: list[tuple[str, str, str | None, str, str | None]] = [
    ("district", "区县", "区县编码", "district", "district_code"),
    ("street", "街道", "街道编码", "street", "street_code"),
    ("community", "社区", "社区编码", "community", "community_code"),
    ("grid", "网格", "网格编码", "grid", "grid_code"),
    ("estate", "小区", None, "estate", None),
    ("building", "楼栋", None, "building", None),
    ("entrance", "单元", None, "entrance", None),
    ("dwelling", "房屋", None, "dwelling", None),
]
# Files that stop at grids may leave out the columns below them.
OPTIONAL_HEADERS = frozenset({"小区", "楼栋", "单元", "房屋"})


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRejected(ApplicationError):
    """The file cannot be imported; nothing was written. `details` lists the problems."""

    status = 400
    code = "invalid_rows"

    def __init__(self, problems: list[RowProblem], *, message: str = "", code: str = "",
                 status: int = 400):
        problems = sorted(problems, key=lambda p: p.row)
        if not message:
            message = ngettext(
                "The file has %(n)d problem; nothing was imported.",
                "The file has %(n)d problems; nothing was imported.", len(problems),
            ) % {"n": len(problems)}
        super().__init__(message, code=code or None,
                         details=[p.as_dict() for p in problems[:MAX_LISTED]])
        self.status = status
        self.problems = problems


def _file_problem(message: str, code: str = "bad_file") -> ImportRejected:
    return ImportRejected([RowProblem(1, "", message)], message=message, code=code)


@dataclass(frozen=True)
class Header:
    """Where each level's name and code sit in a row, and how the file spells them."""

    name_index: list[int | None]
    code_index: list[int | None]
    labels: list[str]  # the column title to name in errors, per level
    code_labels: list[str]
    width: int


def _aliases() -> dict[str, tuple[int, str]]:
    """Every accepted column title -> (level, "name" or "code")."""
    table: dict[str, tuple[int, str]] = {}
    for level, (_kind, name, code, en_name, en_code) in enumerate(LEVELS):
        table[name] = table[en_name] = (level, "name")
        if code and en_code:
            table[code] = table[en_code] = (level, "code")
    return table


def _canonical(title: str) -> str:
    return title.strip().lstrip("\ufeff").strip().lower()


def parse_header(cells: list[str]) -> Header:
    aliases = _aliases()
    found: dict[tuple[int, str], tuple[int, str]] = {}
    unknown, repeated = [], []
    for index, raw in enumerate(cells):
        title = _canonical(raw)
        if not title:
            continue
        slot = aliases.get(title)
        if slot is None:
            unknown.append(raw.strip()[:40])
        elif slot in found:
            repeated.append(raw.strip())
        else:
            found[slot] = (index, raw.strip())
    missing = [header for header in _required_headers()
               if aliases[header.lower()] not in found]
    raise_header_problems(missing, unknown, repeated)
    return Header(
        name_index=[found[(lvl, "name")][0] if (lvl, "name") in found else None
                    for lvl in range(len(LEVELS))],
        code_index=[found[(lvl, "code")][0] if (lvl, "code") in found else None
                    for lvl in range(len(LEVELS))],
        labels=[found.get((lvl, "name"), (0, LEVELS[lvl][1]))[1] for lvl in range(len(LEVELS))],
        code_labels=[found.get((lvl, "code"), (0, LEVELS[lvl][2] or ""))[1]
                     for lvl in range(len(LEVELS))],
        width=len(cells),
    )


def _required_headers() -> list[str]:
    titles = []
    for _kind, name, code, _en, _en_code in LEVELS:
        titles += [name] + ([code] if code else [])
    return [t for t in titles if t not in OPTIONAL_HEADERS]


def raise_header_problems(missing: list[str], unknown: list[str], repeated: list[str]) -> None:
    """Refuse a first row that is not the sample file's: every problem by column, and one
    sentence for the person who uploaded it. Shared by every spreadsheet import."""
    problems = [RowProblem(1, t, _("This column is missing.")) for t in missing]
    problems += [RowProblem(1, t, _("Unknown column.")) for t in unknown]
    problems += [RowProblem(1, t, _("This column appears twice.")) for t in repeated]
    if not problems:
        return
    parts = []
    if missing:
        parts.append(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
    if unknown:
        parts.append(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
    if repeated:
        parts.append(_("Repeated columns: %(names)s.") % {"names": ", ".join(repeated)})
    parts.append(_("The first row must hold the column titles of the sample file."))
    raise ImportRejected(problems, message=" ".join(parts), code="bad_header")


def cell_text(value: Any) -> str:
    """A cell as text: spreadsheets hand over codes and room numbers as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise _file_problem(_("The file is larger than %(mb)d MB; split it into smaller files.")
                            % {"mb": MAX_BYTES // (1024 * 1024)}, code="too_large")


def read_rows(filename: str, content: bytes) -> Iterator[list[str]]:
    """The file's rows as lists of text, header first. Raises ImportRejected for a file
    that is too big, of another type, or unreadable."""
    check_size(len(content))
    lowered = (filename or "").lower()
    if lowered.endswith(".xlsx"):
        return _limited(_xlsx_rows(content))
    if lowered.endswith(".csv"):
        return _limited(_csv_rows(content))
    raise _file_problem(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv). An old .xls "
                          "workbook must first be saved as .xlsx."))


def _limited(rows: Iterable[list[str]]) -> Iterator[list[str]]:
    for count, row in enumerate(rows):
        if count > MAX_ROWS:  # count 0 is the header
            raise _file_problem(
                _("The file has more than %(n)d rows; split it into smaller files.")
                % {"n": MAX_ROWS}, code="too_many_rows")
        yield row


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    if not content.startswith(b"PK\x03\x04"):
        raise _file_problem(_("This file is not an Excel workbook (.xlsx)."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files; a 500 helps no one
        raise _file_problem(_("This file is not a readable Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [cell_text(v) for v in values]
    except Exception as exc:  # damage can also surface while reading the rows
        raise _file_problem(_("This file is not a readable Excel workbook (.xlsx).")) from exc
    finally:
        workbook.close()


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise _file_problem(_("This file is not a CSV text file in UTF-8 or GB18030."))


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    if content.startswith(b"PK\x03\x04"):
        raise _file_problem(_("This is an Excel workbook; name it .xlsx, or save it as CSV."))
    text = _decode(content)
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            yield [cell.strip() for cell in row]
    except csv.Error as exc:
        raise _file_problem(_("This file is not a readable CSV file.")) from exc


# --- a small sheet with titled columns (the inspections targets', the devices' imports) --

def _too_large(max_bytes: int) -> ImportRejected:
    return _file_problem(_("The file is larger than %(mb)d MB; split it into smaller files.")
                         % {"mb": max_bytes // (1024 * 1024)}, "too_large")


def xlsx_upload(upload, max_bytes: int) -> tuple[str, bytes]:
    """The upload's name and bytes, refusing a big or non-xlsx file before reading it."""
    filename = (getattr(upload, "name", "") or "")[:200]
    if (getattr(upload, "size", 0) or 0) > max_bytes:
        raise _too_large(max_bytes)
    if not filename.lower().endswith(".xlsx"):
        raise _file_problem(_("Upload an Excel workbook (.xlsx). An old .xls workbook or a CSV "
                              "file must first be saved as .xlsx."), "not_xlsx")
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:  # the size the client declared may lie
        raise _too_large(max_bytes)
    return filename, content


def _titled_columns(titles: list[str], headers: list[str], required: list[str]
                    ) -> dict[str, int]:
    titles = [t.strip().lstrip("\ufeff").strip() for t in titles]
    while titles and not titles[-1]:
        titles.pop()
    missing = [t for t in required if t not in titles]
    unknown = [t[:40] for t in titles if t and t not in headers]
    repeated = sorted({t for t in titles if t and titles.count(t) > 1})
    raise_header_problems(missing, unknown, repeated)
    return {t: i for i, t in enumerate(titles) if t}


def titled_records(filename: str, content: bytes, *, headers: list[str],
                   required: list[str], max_rows: int
                   ) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as the spreadsheet shows it, cells by column title), empty rows
    skipped; the first row must hold `required` titles and no title outside `headers`."""
    rows = read_rows(filename, content)
    header = next(rows, None)
    if header is None:
        raise _file_problem(_("The file is empty."), "empty_file")
    columns = _titled_columns(header, headers, required)
    for number, cells in enumerate(rows, start=2):
        if number - 1 > max_rows:
            raise _file_problem(_("The file has more than %(n)d rows; split it into smaller "
                                  "files.") % {"n": max_rows}, "too_many_rows")
        record = {t: cells[i].strip() if i < len(cells) else "" for t, i in columns.items()}
        if any(record.values()):
            yield number, record
