"""Building and reading residents workbooks in tests."""

import io
from datetime import date, datetime

from openpyxl import Workbook, load_workbook

from linli.people.sheet import HEADERS

# The world's dwelling A (grid A1) and dwelling B (community B, a building without entrances).
PLACE_A = ["花楼社区", "花楼第一网格", "花楼小区", "1栋", "1单元", "101"]
PLACE_B = ["水塔社区", "水塔第一网格", "水塔小区", "2栋", "", "201"]


def xlsx(rows: list[list], headers: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers if headers is not None else HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(place=None, *, head="张建国", relation="户主", name=None, id_number="", phone="",
        birth="", gender="", tenure="产权", moved_in="2000-01-01", moved_out="") -> list:
    """One resident row; the name defaults to the head's (the head's own row)."""
    return [*(place or PLACE_A), head, relation, name or head, id_number, phone, birth, gender,
            tenure, moved_in, moved_out]


def read(content: bytes) -> tuple[list[str], list[dict]]:
    """(titles, rows as dicts) of a workbook's first sheet; dates as date."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    titles = [str(t) for t in rows[0]]
    out = []
    for values in rows[1:]:
        cells = dict.fromkeys(titles)
        for title, value in zip(titles, values, strict=False):
            cells[title] = value.date() if isinstance(value, datetime) else value
        out.append(cells)
    return titles, out


def as_date(text: str) -> date:
    return date.fromisoformat(text)
