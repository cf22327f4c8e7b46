"""Importing devices from an Excel workbook (.xlsx, Chinese column titles), as the
inspection targets are imported (inspections/imports.py).

The place (位置) is an area code, or the area names from the community down separated by
"/", or a code followed by names below it (`selectors_devices.Places`). A help button's
resident is named by their ID number (居民身份证号) and must live, by the registry, in the
dwelling the row names; the number is looked up by its keyed hash and never written back
or into the audit log. The whole file is checked first and nothing is written unless every
row is right (one transaction); every problem is given by row and column
(`orgs.imports.reader`'s `RowProblem` / `ImportRejected`). Small files only (MAX_BYTES,
MAX_ROWS), so the import runs while the page waits.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.iot.models import Device, Kind, Status
from linli.iot.permissions import MANAGERS
from linli.iot.selectors_devices import Places, resident_in
from linli.iot.services import devices as rules
from linli.orgs.imports.reader import (
    ImportRejected,
    RowProblem,
    titled_records,
    xlsx_upload,
)
from linli.orgs.models import Area, AreaKind, Unit
from linli.orgs.paths import common_path
from linli.people.models import Resident

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

IDENTIFIER, KIND, NAME, PLACE, ADDRESS = "设备编号", "类型", "名称", "位置", "地址"
LAT, LNG, UNIT, RESIDENT, HEARTBEAT = "纬度", "经度", "责任单位", "居民身份证号", "心跳超时（秒）"
HEADERS = [IDENTIFIER, KIND, NAME, PLACE, ADDRESS, LAT, LNG, UNIT, RESIDENT, HEARTBEAT]
REQUIRED_HEADERS = [IDENTIFIER, KIND, NAME, PLACE]
DEFAULT_HEARTBEAT = 300

# The words the 类型 column takes: the kind's value, its name, and the usual short names.
# The template's drop-down list offers the first word of each kind.
KIND_WORDS: dict[str, str] = {
    "井盖倾斜传感器": Kind.MANHOLE, "井盖": Kind.MANHOLE, "智能井盖": Kind.MANHOLE,
    "烟雾报警器": Kind.SMOKE, "烟感": Kind.SMOKE, "烟雾探测器": Kind.SMOKE,
    "可燃气体探测器": Kind.GAS, "燃气报警器": Kind.GAS, "燃气": Kind.GAS,
    "水浸传感器": Kind.WATER_LEAK, "漏水传感器": Kind.WATER_LEAK, "水浸": Kind.WATER_LEAK,
    "电梯故障监测": Kind.LIFT, "电梯": Kind.LIFT,
    "门禁": Kind.DOOR, "门禁设备": Kind.DOOR,
    "一键呼叫": Kind.HELP_BUTTON, "一键呼叫按钮": Kind.HELP_BUTTON, "紧急呼叫": Kind.HELP_BUTTON,
    "环境监测传感器": Kind.ENVIRONMENT, "环境监测": Kind.ENVIRONMENT,
    **{value: value for value in Kind.values},
}
KIND_LIST = ["井盖倾斜传感器", "烟雾报警器", "可燃气体探测器", "水浸传感器", "电梯故障监测",
             "门禁", "一键呼叫", "环境监测传感器"]

EXAMPLE = ["HL-MH-0001", "井盖倾斜传感器", "花楼小区1号井盖", "花楼社区/花楼第一网格/花楼小区",
           "花楼街 12 号北侧", "30.575000", "114.290000", "花楼物业", "", "300"]


@dataclass
class ImportReport:
    filename: str
    rows: int
    created: int
    check_only: bool = False  # a dry run: every row is right, and nothing was written
    warnings: list[dict[str, Any]] = field(default_factory=list)  # by row, as problems

    def as_dict(self) -> dict[str, Any]:
        return {"filename": self.filename, "rows": self.rows, "created": self.created,
                "check_only": self.check_only, "warnings": self.warnings}


@dataclass
class Plan:
    rows: int = 0
    devices: list[tuple[int, Device]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, message))


# --- reading ------------------------------------------------------------------------------

def _content(upload) -> tuple[str, bytes]:
    return xlsx_upload(upload, MAX_BYTES)


def _records(filename: str, content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    return titled_records(filename, content, headers=HEADERS, required=REQUIRED_HEADERS,
                          max_rows=MAX_ROWS)


# --- checking -----------------------------------------------------------------------------

class Lookups(Places):
    """Places, and units by name, each looked up once per file."""

    def __init__(self, actor):
        super().__init__(actor)
        self.actor = actor
        self._units: dict[str, Unit | None] = {}

    def unit(self, name: str) -> Unit | None:
        if name not in self._units:
            self._units[name] = Unit.objects.filter(name=name).first()
        return self._units[name]


# Which column each service field's refusal belongs to.
COLUMNS = {"identifier": IDENTIFIER, "kind": KIND, "name": NAME, "area": PLACE,
           "address": ADDRESS, "lat": LAT, "lng": LNG, "owner_unit": UNIT,
           "resident": RESIDENT, "heartbeat_seconds": HEARTBEAT}


def _field(plan: Plan, n: int, check) -> Any:
    """The value `check` returns, or a problem at the column its refusal names."""
    try:
        return check()
    except ValidationFailed as exc:
        where = (exc.details or [{}])[0].get("field", "")
        plan.problem(n, COLUMNS.get(where, ""), exc.message)
        return None
    except PermissionDenied:
        plan.problem(n, PLACE, _("This place is outside your areas."))
        return None


def _kind(plan: Plan, n: int, word: str) -> str | None:
    if word in KIND_WORDS:
        return KIND_WORDS[word]
    plan.problem(n, KIND, _("Write one of: %(words)s.") % {"words": "、".join(KIND_LIST)})
    return None


def _unit(plan: Plan, lookups: Lookups, n: int, name: str) -> Unit | None:
    if not name:
        return None
    unit = lookups.unit(name)
    if unit is None:
        plan.problem(n, UNIT, _("No handling unit is named “%(name)s”.") % {"name": name})
        return None
    return _field(plan, n, lambda: rules.clean_owner_unit(unit))


def _place(plan: Plan, lookups: Lookups, n: int, text: str) -> Area | None:
    area = _field(plan, n, lambda: lookups.find(text))
    if area is None:
        return None
    try:
        rules.check_place(lookups.actor, area)
    except ValidationFailed as exc:
        plan.problem(n, PLACE, exc.message)
        return None
    except PermissionDenied:
        plan.problem(n, PLACE, _("This place is outside your areas."))
        return None
    return area


def _resident(plan: Plan, n: int, kind: str | None, area: Area | None,
              number: str) -> Resident | None:
    """The help button's resident, found in the row's dwelling by ID number."""
    if kind is None or area is None:
        return None
    if kind != Kind.HELP_BUTTON:
        if number:
            plan.problem(n, RESIDENT, _("Only a help button belongs to a resident."))
        return None
    in_dwelling = area.kind == AreaKind.DWELLING
    resident = resident_in(area, number) if number and in_dwelling else None
    if number and in_dwelling and resident is None:
        plan.problem(n, RESIDENT, _("No resident with this ID number lives in this dwelling "
                                    "by the registry."))
        return None
    problem = rules.help_button_problem(kind, area, resident)
    if problem is not None:
        plan.problem(n, COLUMNS[problem[0]], problem[1])
    return resident


def _row(plan: Plan, lookups: Lookups, n: int, record: dict[str, str]) -> Device | None:
    before = len(plan.problems)
    identifier = _field(plan, n, lambda: rules.clean_identifier(record.get(IDENTIFIER)))
    kind = _kind(plan, n, record.get(KIND, ""))
    name = _field(plan, n, lambda: rules.clean_text(record.get(NAME), rules.NAME_MAX, "name",
                                                     required=True))
    area = _place(plan, lookups, n, record.get(PLACE, ""))
    address = _field(plan, n, lambda: rules.clean_text(record.get(ADDRESS),
                                                        rules.ADDRESS_MAX, "address"))
    point = _field(plan, n, lambda: rules.clean_point(record.get(LAT), record.get(LNG)))
    unit = _unit(plan, lookups, n, record.get(UNIT, ""))
    heartbeat = _field(plan, n, lambda: rules.clean_heartbeat(
        record.get(HEARTBEAT) or DEFAULT_HEARTBEAT))
    resident = _resident(plan, n, kind, area, record.get(RESIDENT, ""))
    if len(plan.problems) > before or area is None or kind is None or point is None:
        return None
    device = Device(identifier=identifier, kind=kind, name=name, address=address,
                    lat=point[0], lng=point[1], owner_unit=unit,
                    heartbeat_seconds=heartbeat, status=Status.ACTIVE, resident=resident,
                    care_plan=rules.care_plan_of(resident))
    rules.put_at(device, area)
    plan.warnings += [RowProblem(n, "", w) for w in rules.device_warnings(device)]
    return device


def _duplicates(plan: Plan) -> None:
    """An identifier twice in the file, or already registered: a problem by row."""
    first: dict[str, int] = {}
    for n, device in plan.devices:
        if device.identifier in first:
            plan.problem(n, IDENTIFIER, _("Row %(row)d has the same identifier.") % {
                "row": first[device.identifier]})
        else:
            first[device.identifier] = n
    taken = set(Device.objects.filter(identifier__in=list(first))
                .values_list("identifier", flat=True))
    for identifier in sorted(taken):
        plan.problem(first[identifier], IDENTIFIER,
                     rules.identifier_taken_message(identifier))


def plan_file(actor, filename: str, content: bytes) -> Plan:
    plan, lookups = Plan(), Lookups(actor)
    for n, record in _records(filename, content):
        plan.rows += 1
        device = _row(plan, lookups, n, record)
        if device is not None:
            plan.devices.append((n, device))
    if plan.rows == 0:
        plan.problem(2, "", _("The file has no rows under the column titles."))
    _duplicates(plan)
    return plan


# --- the import -----------------------------------------------------------------------------

def _audit_refusal(actor, filename: str, exc: ImportRejected, check_only: bool) -> None:
    """Filed at the importer's own areas, so their administrators see the attempt."""
    audit_record(actor=actor, action="device.import_refused", object_type="iot.device",
                 object_label=filename,
                 changes={"code": exc.code, "problems": len(exc.problems),
                          "check_only": check_only},
                 area_path=common_path(scope.area_paths(actor, MANAGERS)))


def devices_import(*, actor, upload, check_only: bool = False) -> ImportReport:
    """Check the whole workbook, then register every device in one transaction. Raises
    ImportRejected (400 `invalid_rows`, `bad_header`, `too_large`, `not_xlsx`, ...) listing
    the problems by row and column; nothing is written unless every row is right. With
    `check_only` (a dry run) nothing is written either way."""
    if not scope.area_paths(actor, MANAGERS):
        raise PermissionDenied(_("Only dispatchers and administrators import devices."))
    filename = (getattr(upload, "name", "") or "")[:200]
    try:
        filename, content = _content(upload)
        plan = plan_file(actor, filename, content)
        if plan.problems:
            raise ImportRejected(plan.problems)
    except ImportRejected as exc:
        _audit_refusal(actor, filename, exc, check_only)
        raise
    report = ImportReport(filename=filename, rows=plan.rows, created=len(plan.devices),
                          check_only=check_only,
                          warnings=[w.as_dict() for w in plan.warnings])
    if check_only:
        return report
    devices = [device for _n, device in plan.devices]
    try:
        with transaction.atomic():
            Device.objects.bulk_create(devices)
            audit_record(actor=actor, action="device.import", object_type="iot.device",
                         object_label=filename,
                         area_path=common_path([d.area_path for d in devices]),
                         changes={"rows": report.rows, "created": report.created,
                                  "identifiers": [d.identifier for d in devices][:200]})
    except IntegrityError:
        # Someone registered one of these identifiers between the check and the write.
        raise ImportRejected([RowProblem(1, IDENTIFIER, _(
            "A device with one of these identifiers was registered meanwhile; check the "
            "file again."))], code="conflict") from None
    return report


# --- the blank template ---------------------------------------------------------------------

def template_bytes() -> bytes:
    """A workbook with the column titles, one example row and a list of kinds to choose."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "设备"
    sheet.append(HEADERS)
    sheet.append(EXAMPLE)
    kinds = DataValidation(type="list", formula1=f'"{",".join(KIND_LIST)}"',
                           allow_blank=False)
    sheet.add_data_validation(kinds)
    kinds.add(f"B2:B{MAX_ROWS + 1}")
    for column, width in zip("ABCDEFGHIJ", (16, 16, 20, 36, 24, 11, 11, 16, 20, 14),
                             strict=True):
        sheet.column_dimensions[column].width = width
    sheet["I2"].number_format = "@"  # an ID number as text: Excel would round it
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
