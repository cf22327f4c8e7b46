"""Writing an export as .xlsx, streamed (openpyxl write-only): memory stays flat however
many rows there are.

Text cells are always text: a value starting with "=" would otherwise become a formula
(a resident can type one into an address), and a long number typed as text keeps its digits.
Date-times are real Excel dates in local time (Excel has no time zones), so a street office
can sort and filter by them; LibreOffice and WPS read them the same way.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from linli.core.exports.registry import Column, Kind

PROGRESS_EVERY = 200  # rows between two progress saves (each one is a small UPDATE)
_FORMATS = {Kind.DATETIME: "yyyy-mm-dd hh:mm", Kind.DATE: "yyyy-mm-dd", Kind.TEXT: "@"}


def _local(value: Any) -> Any:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _cell(sheet, column: Column, value: Any):
    from openpyxl.cell import WriteOnlyCell

    if value is None or value == "":
        return None
    if column.kind in (Kind.DATETIME, Kind.DATE) and isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = _FORMATS[column.kind]
        return cell
    if column.kind == Kind.NUMBER and isinstance(value, int | float):
        return value
    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    cell.number_format = "@"
    return cell


def write_xlsx(path: Path, *, title: str, columns: Sequence[Column],
               rows: Iterable[Sequence[Any]],
               progress: Callable[[int], None] | None = None) -> int:
    """Write the sheet to `path`; returns the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # Excel's limit for a sheet name
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"  # the titles stay in sight while scrolling
    sheet.append([str(column.title) for column in columns])
    done = 0
    for row in rows:
        sheet.append([_cell(sheet, column, value) for column, value in zip(columns, row,
                                                                           strict=True)])
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    book.save(path)
    return done
