"""Exporting the residents of the actor's areas as .xlsx, in the import's layout (`sheet.py`).

ID numbers and phones are masked unless the exporter asks for an unmasked file and states a
purpose, and may reveal every exported resident (`permissions.can_reveal`). Every export
writes an `AccessLog` row (outcome "exported", with the count and whether it was masked) and
an `AuditEntry`; an unmasked export also writes one `AccessLog` row per resident, so each
person's access history shows who took their data. Narrowing an export to a sensitive care
tag reveals who carries it: it needs a purpose too, and is logged per resident as well.
Someone without registry rights (a unit member, volunteer, mediator or resident) is refused,
and the refusal is audited too.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.core.audit import audit_record
from linli.core.context import current_request
from linli.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind
from linli.orgs.paths import common_path
from linli.people import permissions, sheet
from linli.people.models import AccessLog, CareTag, Outcome, Relation, Resident, ResidentTag
from linli.people.selectors import staff_q
from linli.people.sensitive import tag_hash
from linli.people.services import access_record, purpose_acceptable

_CHUNK = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ExportFile:
    content: bytes
    filename: str
    count: int
    masked: bool


# Columns stored as text, so that a number typed into a downloaded file stays text: Excel
# keeps only 15 digits of a number, which ruins an ID number. Widths fit the content.
_TEXT_COLUMNS = (sheet.ID_NUMBER, sheet.PHONE)
_WIDTHS = {sheet.ID_NUMBER: 22, sheet.PHONE: 14, sheet.BIRTH_DATE: 12, sheet.MOVED_IN: 12,
           sheet.MOVED_OUT: 12}


def workbook_bytes(rows: Iterator[list[Any]] | list[list[Any]]) -> bytes:
    """An xlsx with the residents titles and these rows, written as a stream."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet_ = book.create_sheet("居民")
    for index, title in enumerate(sheet.HEADERS, start=1):
        column = sheet_.column_dimensions[get_column_letter(index)]
        if title in _WIDTHS:
            column.width = _WIDTHS[title]
        if title in _TEXT_COLUMNS:
            column.number_format = "@"
    sheet_.append(sheet.HEADERS)
    for row in rows:
        sheet_.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- who may export what ---------------------------------------------------------------

def _problem(actor, area: Area | None, tag: CareTag | None, unmasked: bool,
             purpose: str) -> ApplicationError | None:
    if not permissions.is_registry_staff(actor):
        return PermissionDenied(_("You may not export the registers."))
    if area is not None and not permissions.holds_at(actor, permissions.REGISTRY_ROLES,
                                                     area.path):
        return NotFound(_("Not found."))
    if unmasked and not purpose_acceptable(purpose):
        return ValidationFailed(_("State why you need the full ID numbers and phones, in "
                                  "words (2 to 200 characters)."), code="purpose_required")
    if tag is not None and tag.is_sensitive and not purpose_acceptable(purpose):
        # The file names everyone who carries the tag: that is the tag revealed.
        return ValidationFailed(_("A list of the residents with a sensitive care tag shows "
                                  "who has it: state why you need it, in words (2 to 200 "
                                  "characters)."), code="purpose_required")
    return None


def _refuse(actor, exc: ApplicationError, area: Area | None, unmasked: bool,
            purpose: str) -> None:
    with transaction.atomic():
        access_record(actor=actor, resident=None, field="export", outcome=Outcome.REFUSED,
                      purpose=purpose, area_path=area.path if area is not None else "")
        audit_record(actor=actor, action="resident.export_refused",
                     object_type="people.resident", area_path=area.path if area else "",
                     changes={"code": exc.code, "unmasked": unmasked})


def _residents(actor, area: Area | None, tag: CareTag | None) -> QuerySet[Resident]:
    qs = Resident.objects.filter(staff_q(actor), anonymised_at__isnull=True)
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    if tag is not None:
        tagged = ResidentTag.objects.filter(tag_hash=tag_hash(tag.code)).values("resident_id")
        qs = qs.filter(pk__in=tagged)
    return qs.order_by("household_id", "id")


# --- the rows --------------------------------------------------------------------------

def _place_names(paths: set[str]) -> dict[str, list[str]]:
    """Each dwelling path -> the six place cells (社区 .. 房屋), "" where the tree has no
    such level."""
    ids = sorted({int(i) for path in paths for i in path.strip("/").split("/") if i})
    areas: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), _CHUNK):
        for pk, kind, name in Area.objects.filter(pk__in=ids[start:start + _CHUNK]).order_by(
                ).values_list("id", "kind", "name"):
            areas[pk] = (kind, name)
    column = {str(kind): i for i, (_title, kind) in enumerate(sheet.PLACE_COLUMNS)}
    out = {}
    for path in paths:
        cells = [""] * len(sheet.PLACE_COLUMNS)
        for i in path.strip("/").split("/"):
            kind, name = areas.get(int(i), ("", ""))
            if kind in column:
                cells[column[kind]] = name
        out[path] = cells
    return out


def _head_names(residents: list[Resident]) -> dict[int, str]:
    """household -> the name of its head (the current one if there are several)."""
    heads: dict[int, str] = {}
    ids = sorted({r.household_id for r in residents})
    for start in range(0, len(ids), _CHUNK):
        rows = Resident.objects.filter(household_id__in=ids[start:start + _CHUNK],
                                       relation=Relation.HEAD, anonymised_at__isnull=True)
        # Moved-out heads first, so a current head (sorted last) wins.
        for household_id, name, _out in sorted(
                rows.values_list("household_id", "name", "moved_out"),
                key=lambda row: (row[2] is None, row[2] or date.min)):
            heads[household_id] = name
    return heads


def _cells(resident: Resident, unmasked: bool) -> tuple[str, str, date | str | None]:
    """ID number, phone and birth date. Masked, the birth date is only its year (the pages
    show the age): the full date would give away 8 of the ID number's 10 hidden digits."""
    born = resident.birth_date
    if unmasked:
        return resident.id_number.reveal_unaudited(), resident.phone.reveal_unaudited(), born
    return resident.id_number.masked, resident.phone.masked, str(born.year) if born else None


def _rows(residents: list[Resident], unmasked: bool) -> Iterator[list[Any]]:
    places = _place_names({r.area_path for r in residents})
    heads = _head_names(residents)
    for r in residents:
        id_number, phone, born = _cells(r, unmasked)
        yield [*places[r.area_path], heads.get(r.household_id, ""),
               sheet.word(sheet.RELATION_WORDS, r.relation), r.name, id_number, phone,
               born, sheet.word(sheet.GENDER_WORDS, r.gender),
               sheet.word(sheet.TENURE_WORDS, r.tenure), r.moved_in, r.moved_out]


# --- the export ------------------------------------------------------------------------

def _summary_path(actor, area: Area | None) -> str:
    """Where the export's log row sits, so those who read that area's access log see it."""
    if area is not None:
        return area.path
    # Someone with several areas: the area holding them all (a community for two of its
    # grids), so the row is not left where only system administrators see it.
    return common_path(scope.area_paths(actor, permissions.REGISTRY_ROLES))


def _log_export(actor, residents: list[Resident], area: Area | None, tag: CareTag | None,
                masked: bool, purpose: str) -> None:
    label = "masked" if masked else "clear"
    access_record(actor=actor, resident=None, field=f"export:{label}:{len(residents)}",
                  outcome=Outcome.EXPORTED, purpose=purpose,
                  area_path=_summary_path(actor, area))
    # A full file, or one listing a sensitive tag's carriers, reveals something about each
    # person in it: each person's access history shows it.
    field = "export" if not masked else "export:tag" if tag and tag.is_sensitive else ""
    if field:
        ip, name = current_request().ip, actor.get_username()
        AccessLog.objects.bulk_create(
            [AccessLog(actor=actor, actor_label=name, resident_id=r.pk, field=field,
                       purpose=purpose[:200], outcome=Outcome.EXPORTED, area_path=r.area_path,
                       ip=ip) for r in residents], batch_size=2000)
    audit_record(actor=actor, action="resident.exported", object_type="people.resident",
                 area_path=_summary_path(actor, area),
                 changes={"count": len(residents), "masked": masked,
                          "area": area.pk if area else None,
                          "tag": (("sensitive" if tag.is_sensitive else tag.code)
                                  if tag else None)})


def resident_export(*, actor, area: Area | None = None, tag: CareTag | None = None,
                    unmasked: bool = False, purpose: str = "") -> ExportFile:
    """The residents of the actor's areas (optionally of one area, or with one care tag).

    Refusals are audited in a transaction of their own before the error is raised, so do
    not call this inside a transaction that the caller rolls back on error."""
    purpose = (purpose or "").strip()
    problem = _problem(actor, area, tag, unmasked, purpose)
    residents = [] if problem else list(_residents(actor, area, tag))
    if problem is None and unmasked and not all(permissions.can_reveal(actor, r)
                                                for r in residents):
        problem = PermissionDenied(_("You may not reveal some of these residents' data."))
    if problem is not None:
        _refuse(actor, problem, area, unmasked, purpose)
        raise problem
    content = workbook_bytes(_rows(residents, unmasked))
    with transaction.atomic():
        _log_export(actor, residents, area, tag, not unmasked, purpose)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(content=content, filename=f"residents-{stamp}.xlsx",
                      count=len(residents), masked=not unmasked)


# --- for the pages ---------------------------------------------------------------------

def export_areas(*, actor) -> list[Area]:
    """Communities and grids within the actor's registry areas, to narrow an export."""
    if not permissions.is_registry_staff(actor):
        return []
    qs = Area.objects.filter(kind__in=[AreaKind.COMMUNITY, AreaKind.GRID])
    if not actor.is_superuser:
        qs = qs.filter(scope.scope_q(actor, roles=permissions.REGISTRY_ROLES, area_field=""))
    # Each community followed by its grids (paths compared as numbers: 4 before 130).
    return sorted(qs[:500], key=lambda area: area.ancestor_ids)


# Obviously made up, so that nobody mistakes the sample for a register or imports it as
# one: names start with 示例 ("example"), the ID numbers are valid in form only (born
# 1990-01-01, sequence 001 and 002, the check digit right) and the phones are 138 0000 000x.
# The places are the demo's; elsewhere, write your own area names.
SAMPLE_ROWS = [
    ["花楼社区", "花楼第一网格", "花楼小区", "1栋", "1单元", "101", "示例 张三", "户主",
     "示例 张三", "420103199001010010", "13800000000", "1990-01-01", "男", "产权",
     "2020-01-01", ""],
    ["花楼社区", "花楼第一网格", "花楼小区", "1栋", "1单元", "101", "示例 张三", "配偶",
     "示例 李四", "420103199001010029", "13800000001", "", "", "产权", "2020-01-01", ""],
]


def sample_bytes() -> bytes:
    """A workbook showing the layout, with two obviously made-up residents."""
    return workbook_bytes(SAMPLE_ROWS)
