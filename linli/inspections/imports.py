"""Importing inspection targets from an Excel workbook (.xlsx, Chinese column titles).

The place is named by area names from the community down (社区 > 网格 > 小区 > 楼栋), as the
area tree spells them; 网格, 小区 and 楼栋 may be left empty where the target sits higher up.
The whole file is checked first and nothing is written unless every row is right (one
transaction); every problem is given by row and column (`orgs.imports.reader`'s
`RowProblem` / `ImportRejected`, shared with the area and residents imports). Rows outside
the importer's areas and names already present at that place are problems like any other.
Small files only (MAX_BYTES, MAX_ROWS), so the import runs while the page waits.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.inspections.models import Target, TargetKind
from linli.inspections.permissions import INSPECTORS
from linli.inspections.services import targets as rules
from linli.orgs.imports.reader import (
    ImportRejected,
    RowProblem,
    titled_records,
    xlsx_upload,
)
from linli.orgs.models import Area, AreaKind
from linli.orgs.paths import common_path

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COMMUNITY, GRID, ESTATE, BUILDING = "社区", "网格", "小区", "楼栋"
NAME, KIND, ADDRESS, OPERATOR = "名称", "类型", "地址", "业主或经营者"
CONTACT, PHONE, LAT, LNG = "联系人", "联系电话", "纬度", "经度"
PLACES = [(COMMUNITY, AreaKind.COMMUNITY), (GRID, AreaKind.GRID), (ESTATE, AreaKind.ESTATE),
          (BUILDING, AreaKind.BUILDING)]
HEADERS = [COMMUNITY, GRID, ESTATE, BUILDING, NAME, KIND, ADDRESS, OPERATOR, CONTACT, PHONE,
           LAT, LNG]
REQUIRED_HEADERS = [COMMUNITY, GRID, NAME, KIND]  # the others may be left out of the file

# The words the 类型 column takes (the template's drop-down list shows the first).
KIND_WORDS: dict[str, str] = {
    "商铺": TargetKind.SHOP, "店铺": TargetKind.SHOP, "餐饮": TargetKind.RESTAURANT,
    "小作坊": TargetKind.WORKSHOP, "作坊": TargetKind.WORKSHOP, "小区": TargetKind.ESTATE,
    "楼栋": TargetKind.BUILDING, "电梯": TargetKind.LIFT, "公共设施": TargetKind.PUBLIC,
    "其他": TargetKind.OTHER,
}
KIND_LIST = "、".join(["商铺", "餐饮", "小作坊", "小区", "楼栋", "电梯", "公共设施", "其他"])

EXAMPLE = ["花楼社区", "花楼第一网格", "花楼小区", "", "老王餐馆", "餐饮", "花楼街 12 号",
           "王建国", "王建国", "13800138000", "30.575000", "114.290000"]


@dataclass
class ImportReport:
    filename: str
    rows: int
    created: int
    check_only: bool = False  # a dry run: every row is right, and nothing was written

    def as_dict(self) -> dict[str, Any]:
        return {"filename": self.filename, "rows": self.rows, "created": self.created,
                "check_only": self.check_only}


@dataclass
class Plan:
    rows: int = 0
    targets: list[Target] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, message))


# --- reading ------------------------------------------------------------------------------

def _content(upload) -> tuple[str, bytes]:
    return xlsx_upload(upload, MAX_BYTES)


def _records(filename: str, content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    return titled_records(filename, content, headers=HEADERS, required=REQUIRED_HEADERS,
                          max_rows=MAX_ROWS)


# --- checking -----------------------------------------------------------------------------

class Places:
    """Areas found by name under their parent, each looked up once per file."""

    def __init__(self, actor):
        self.actor = actor
        self.paths = scope.area_paths(actor, INSPECTORS)
        self._children: dict[tuple[int | None, str, str], Area | None] = {}
        self._communities: dict[str, list[Area]] = {}

    def community(self, name: str) -> list[Area]:
        if name not in self._communities:
            found = list(Area.objects.filter(kind=AreaKind.COMMUNITY, name=name))
            # Two communities of the same name (in two streets): the importer's own count.
            mine = [a for a in found if any(p.startswith(a.path) or a.path.startswith(p)
                                            for p in self.paths)]
            self._communities[name] = mine or found
        return self._communities[name]

    def child(self, parent: Area, kind: str, name: str) -> Area | None:
        key = (parent.pk, kind, name)
        if key not in self._children:
            self._children[key] = Area.objects.filter(parent=parent, kind=kind,
                                                      name=name).first()
        return self._children[key]


def _place(plan: Plan, places: Places, n: int, record: dict[str, str]) -> Area | None:
    """The deepest area the row names, walking down from its community."""
    name = record.get(COMMUNITY, "")
    if not name:
        plan.problem(n, COMMUNITY, _("Give the community's name."))
        return None
    found = places.community(name)
    if len(found) != 1:
        plan.problem(n, COMMUNITY, _("No community is named “%(name)s”.") % {"name": name}
                     if not found else _("Several communities are named “%(name)s”; import "
                                         "this one from an account of that community only.")
                     % {"name": name})
        return None
    area = found[0]
    for title, kind in PLACES[1:]:
        name = record.get(title, "")
        if not name:
            continue
        child = places.child(area, kind, name)
        if child is None:
            plan.problem(n, title, _("There is no “%(name)s” under %(parent)s.") % {
                "name": name, "parent": area.name})
            return None
        area = child
    if not rules.may_manage(places.actor, area):
        plan.problem(n, COMMUNITY, _("This place is outside your areas."))
        return None
    return area


def _field(plan: Plan, n: int, column: str, check) -> Any:
    """The value `check` returns, or a problem at `column` with its message."""
    try:
        return check()
    except ValidationFailed as exc:
        plan.problem(n, column, exc.message)
        return None


def _kind(plan: Plan, n: int, word: str) -> str | None:
    if word in KIND_WORDS:
        return KIND_WORDS[word]
    plan.problem(n, KIND, _("Write one of: %(words)s.") % {"words": KIND_LIST})
    return None


def _point(plan: Plan, n: int, record: dict[str, str]) -> tuple[Decimal | None, ...]:
    try:
        return rules.clean_point(record.get(LAT, ""), record.get(LNG, ""))
    except ValidationFailed as exc:
        where = (exc.details or [{}])[0].get("field")
        plan.problem(n, LAT if where == "lat" else LNG, exc.message)
        return None, None


def _row(plan: Plan, places: Places, n: int, record: dict[str, str]) -> Target | None:
    before = len(plan.problems)
    area = _place(plan, places, n, record)
    name = _field(plan, n, NAME, lambda: rules.clean_text(record.get(NAME), rules.NAME_MAX,
                                                           "name", required=True))
    kind = _kind(plan, n, record.get(KIND, ""))
    address = _field(plan, n, ADDRESS, lambda: rules.clean_text(
        record.get(ADDRESS), rules.ADDRESS_MAX, "address"))
    operator = _field(plan, n, OPERATOR, lambda: rules.clean_text(
        record.get(OPERATOR), rules.OPERATOR_MAX, "operator"))
    lat, lng = _point(plan, n, record)
    contact = None
    try:
        contact = rules.seal_contact(record.get(CONTACT, ""), record.get(PHONE, ""))
    except ValidationFailed as exc:
        where = (exc.details or [{}])[0].get("field")
        plan.problem(n, PHONE if where == "contact_phone" else CONTACT, exc.message)
    if len(plan.problems) > before or area is None or contact is None or kind is None:
        return None
    community, grid = rules.placed_in(area)
    target = Target(community=community, grid=grid, area=area, area_path=area.path,
                    name=name, kind=kind, address=address, operator=operator, lat=lat,
                    lng=lng, created_by=places.actor)
    target.contact_name_cipher, target.contact_name_hash = contact.name_cipher, contact.name_hash
    target.contact_phone_cipher = contact.phone_cipher
    target.contact_phone_hash = contact.phone_hash
    return target


def _duplicates(plan: Plan, rows: list[tuple[int, Target]]) -> None:
    """A name already at that place, or twice in the file: a problem by row."""
    first: dict[tuple[int, str], int] = {}
    for n, target in rows:
        key = (target.area.pk, target.name)
        if key in first:
            plan.problem(n, NAME, _("Row %(row)d already has a target of this name at this "
                                    "place.") % {"row": first[key]})
        else:
            first[key] = n
    area_ids = {area_id for area_id, _name in first}
    taken = set(Target.objects.filter(area_id__in=area_ids, name__in={k[1] for k in first})
                .values_list("area_id", "name"))
    for (area_id, name), n in first.items():
        if (area_id, name) in taken:
            target = next(t for m, t in rows if m == n)
            plan.problem(n, NAME, rules.name_taken_message(name, target.area))


def plan_file(actor, filename: str, content: bytes) -> Plan:
    plan, places = Plan(), Places(actor)
    checked: list[tuple[int, Target]] = []
    for n, record in _records(filename, content):
        plan.rows += 1
        target = _row(plan, places, n, record)
        if target is not None:
            checked.append((n, target))
    if plan.rows == 0:
        plan.problem(2, "", _("The file has no rows under the column titles."))
    _duplicates(plan, checked)
    plan.targets = [t for _n, t in checked]
    return plan


# --- the import -----------------------------------------------------------------------------

def _audit_refusal(actor, filename: str, exc: ImportRejected, check_only: bool) -> None:
    """Filed at the importer's own areas, so their administrators see the attempt."""
    audit_record(actor=actor, action="inspection.target_import_refused",
                 object_type="inspections.target", object_label=filename,
                 changes={"code": exc.code, "problems": len(exc.problems),
                          "check_only": check_only},
                 area_path=common_path(scope.area_paths(actor, INSPECTORS)))


def targets_import(*, actor, upload, check_only: bool = False) -> ImportReport:
    """Check the whole workbook, then add every target in one transaction. Raises
    ImportRejected (400 `invalid_rows`, `bad_header`, `too_large`, `not_xlsx`, ...) listing
    the problems by row and column; nothing is written unless every row is right. With
    `check_only` (a dry run) nothing is written either way."""
    if not scope.area_paths(actor, INSPECTORS):
        raise PermissionDenied(_("Only grid workers, dispatchers and leaders may import "
                                 "inspection targets."))
    filename = (getattr(upload, "name", "") or "")[:200]
    try:
        filename, content = _content(upload)
        plan = plan_file(actor, filename, content)
        if plan.problems:
            raise ImportRejected(plan.problems)
    except ImportRejected as exc:
        _audit_refusal(actor, filename, exc, check_only)
        raise
    report = ImportReport(filename=filename, rows=plan.rows, created=len(plan.targets),
                          check_only=check_only)
    if check_only:
        return report
    try:
        with transaction.atomic():
            Target.objects.bulk_create(plan.targets)
            audit_record(actor=actor, action="inspection.target_import",
                         object_type="inspections.target", object_label=filename,
                         area_path=common_path([t.area_path for t in plan.targets]),
                         changes={"rows": report.rows, "created": report.created})
    except IntegrityError:
        # Someone added one of these names between the check and the write.
        raise ImportRejected([RowProblem(1, NAME, _("A target of one of these names was "
                                                    "added meanwhile; check the file again."))],
                             code="conflict") from None
    return report


# --- the blank template ---------------------------------------------------------------------

def template_bytes() -> bytes:
    """A workbook with the column titles, one example row and a list of kinds to choose."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "检查对象"
    sheet.append(HEADERS)
    sheet.append(EXAMPLE)
    kinds = DataValidation(type="list", formula1=f'"{KIND_LIST.replace("、", ",")}"',
                           allow_blank=False)
    sheet.add_data_validation(kinds)
    kinds.add(f"F2:F{MAX_ROWS + 1}")
    for column, width in zip("ABCDEFGHIJKL", (12, 16, 14, 8, 20, 10, 24, 14, 10, 14, 11, 11),
                             strict=True):
        sheet.column_dimensions[column].width = width
    sheet["J2"].number_format = "@"  # the phone as text: Excel would drop a leading 0
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
