"""Checking the cells of one residents row, by themselves (no database).

`person_parse` turns a `SheetRow` into a `Person`, or notes what is wrong with it by column.
Messages never repeat an ID number or a phone: they end up in import reports and logs.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from linli.people import sheet as s
from linli.people.imports.reader import Cell, SheetRow, cell_text
from linli.people.models import Relation
from linli.people.validators import (
    id_number_birth_date,
    id_number_gender,
    id_number_problem,
    normalize_id_number,
    normalize_phone,
    phone_problem,
)

MAX_NAME = 64
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

Problem = Callable[[int, str, str], None]
_PLACES = [(title, str(kind)) for title, kind in s.PLACE_COLUMNS]


@dataclass
class Person:
    row: int
    place: tuple[tuple[str, str], ...]  # (area kind, name) from the community down
    head_name: str
    relation: str
    name: str
    id_number: str
    phone: str
    birth_date: date | None
    gender: str
    tenure: str
    moved_in: date | None
    moved_out: date | None
    id_hash: str = ""
    dwelling_id: int = 0
    dwelling_path: str = ""
    household_id: int | None = None  # an existing household this row joins


def _as_text(value: Cell) -> str:
    return value.isoformat() if isinstance(value, date) else (value or "")


def parse_date(value: Cell) -> date | None:
    """A date cell, or text such as 1950-03-08, 1950/3/8, 1950年3月8日 or 19500308."""
    if value is None or isinstance(value, date):
        return value
    match = _DATE_RE.match(value) or _COMPACT_DATE_RE.match(value)
    if match is None:
        raise ValueError(value)
    year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)


class RowReader:
    """Parses rows; `problem(row, column, message)` collects what is wrong."""

    def __init__(self, problem: Problem, today: date):
        self.problem = problem
        self.today = today
        self.problem_count = 0
        # (place, head's name) of refused rows that were meant as a household's head: their
        # members are not told again that the head is missing.
        self.failed_heads: set[tuple] = set()
        self.columns: dict[str, int] = {}  # title -> position, from the file's title row
        # (row, place) of refused rows: their dwelling is still looked up, so that one upload
        # lists a wrong 楼栋 along with a wrong phone on the same row.
        self.rejected_places: list[tuple[int, tuple]] = []

    def person(self, row: SheetRow) -> Person | None:
        self.problem_count = 0
        n = row.number
        cells, texts = self._convert(row.cells)
        if row.stray:
            self._bad(n, "", _("This row has values in a column without a title."))
        for title in s.REQUIRED_CELLS:
            if not texts[title]:
                self._bad(n, title, _("This cell must not be empty."))
        place = self._place(texts)
        names = [self._name(texts, n, title) for title in (s.HEAD_NAME, s.NAME)]
        relation = self._word(texts, n, s.RELATION, s.RELATION_OF)
        tenure = self._word(texts, n, s.TENURE, s.TENURE_OF)
        gender = self._word(texts, n, s.GENDER, s.GENDER_OF)
        id_number = self._id_number(texts, n)
        phone = self._phone(texts, n)
        dates = [self._date(cells, n, title) for title in (s.BIRTH_DATE, s.MOVED_IN,
                                                              s.MOVED_OUT)]
        if self.problem_count:
            self._reject(n, texts, place, names)
            return None
        person = Person(n, place, names[0], relation, names[1], id_number, phone, dates[0],
                        gender, tenure, dates[1], dates[2])
        self._consistent(person)
        if self.problem_count:
            self._reject(n, texts, place, names)
            return None
        return person

    def _reject(self, n: int, texts: dict[str, str], place: tuple, names: list[str]) -> None:
        self._note_failed_head(texts, place, names)
        if texts[s.COMMUNITY] and texts[s.DWELLING]:
            self.rejected_places.append((n, place))

    def _convert(self, raw: list) -> tuple[dict[str, Cell], dict[str, str]]:
        """Each cell once: as a value (dates stay dates) and as text. Most cells are text,
        hence the shortcut (this runs for every cell of files of 100,000 rows)."""
        cells: dict[str, Cell] = {}
        texts: dict[str, str] = {}
        for title, i in self.columns.items():
            value = raw[i]
            if value.__class__ is str:
                value = value.strip()
                cells[title], texts[title] = value or None, value
            else:
                value = cell_text(value)
                cells[title], texts[title] = value, _as_text(value)
        return cells, texts

    def _note_failed_head(self, texts: dict[str, str], place: tuple, names: list[str]) -> None:
        if s.RELATION_OF.get(texts[s.RELATION]) == Relation.HEAD or (
                names[0] and names[0] == names[1]):
            self.failed_heads.add((place, names[0]))

    def _bad(self, row: int, column: str, message: str) -> None:
        self.problem_count += 1
        self.problem(row, column, message)

    @staticmethod
    def _place(texts: dict[str, str]) -> tuple[tuple[str, str], ...]:
        return tuple((kind, name) for title, kind in _PLACES if (name := texts[title]))

    def _name(self, texts: dict[str, str], n: int, title: str) -> str:
        name = texts[title]
        if len(name) > MAX_NAME:
            self._bad(n, title, _("A name has at most 64 characters."))
        return name

    def _word(self, texts: dict[str, str], n: int, title: str, words: dict[str, str]) -> str:
        value = texts[title]
        if value and value not in words:
            self._bad(n, title, _("Write one of: %(words)s.") % {"words": "、".join(words)})
            return ""
        return words.get(value, "")

    def _id_number(self, texts: dict[str, str], n: int) -> str:
        raw = texts[s.ID_NUMBER]
        if not raw:
            return ""
        if "*" in raw:
            self._bad(n, s.ID_NUMBER, _("This ID number is masked (it contains *): import "
                                        "from an unmasked export or the original register."))
            return ""
        if "e+" in raw.lower() or ("." in raw and raw.replace(".", "", 1).isdigit()):
            self._bad(n, s.ID_NUMBER, _("The ID number was stored as a number and has lost "
                                        "digits: format the column as text and type it again."))
            return ""
        number = normalize_id_number(raw)
        problem = id_number_problem(number, today=self.today)
        if problem:
            self._bad(n, s.ID_NUMBER, problem)
        return number

    def _phone(self, texts: dict[str, str], n: int) -> str:
        phone = normalize_phone(texts[s.PHONE]) if texts[s.PHONE] else ""
        if not phone:
            return ""
        if "*" in phone:
            self._bad(n, s.PHONE, _("This phone number is masked (it contains *)."))
            return ""
        problem = phone_problem(phone)
        if problem:
            self._bad(n, s.PHONE, problem)
        return phone

    def _date(self, cells: dict[str, Cell], n: int, title: str) -> date | None:
        try:
            day = parse_date(cells.get(title))
        except ValueError:
            self._bad(n, title, _("Write the date as 2024-03-08 (year-month-day)."))
            return None
        if day is not None and day > self.today:
            self._bad(n, title, _("The date is in the future."))
        return day

    def _consistent(self, p: Person) -> None:
        """The ID number decides birth date and gender; the other cells must agree."""
        if p.relation == Relation.HEAD and p.name != p.head_name:
            self._bad(p.row, s.HEAD_NAME, _("On the head of household's own row (与户主关系 "
                                            "户主), 户主姓名 must equal 姓名."))
        if p.id_number:
            born, sex = id_number_birth_date(p.id_number), id_number_gender(p.id_number)
            if p.birth_date is not None and p.birth_date != born:
                self._bad(p.row, s.BIRTH_DATE, _("The birth date does not match the one in "
                                                 "the ID number."))
            if p.gender and p.gender != sex:
                self._bad(p.row, s.GENDER, _("The gender does not match the ID number (its "
                                             "17th digit)."))
            p.birth_date, p.gender = born, sex
        if p.moved_in and p.moved_out and p.moved_out < p.moved_in:
            self._bad(p.row, s.MOVED_OUT, _("The move-out date is before the move-in date."))
        if p.birth_date and p.moved_in and p.moved_in < p.birth_date:
            self._bad(p.row, s.MOVED_IN, _("The move-in date is before the birth date."))
