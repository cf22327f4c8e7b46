"""Importing devices from a workbook: a good file registers every row; a file with bad rows
lists every problem by row and column and registers nothing; what is not an xlsx workbook
is refused before it is read; the blank template imports as it is."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from linli.core.errors import PermissionDenied
from linli.core.models import AuditEntry
from linli.iot import imports
from linli.iot.models import Device, Kind
from linli.iot.tests.devices_kit import NUMBER, prepare, row, upload, written
from linli.orgs.imports.reader import ImportRejected
from linli.orgs.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg(world):
    return prepare(world)


def rejected(actor, file) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        imports.devices_import(actor=actor, upload=file)
    return caught.value


def test_a_good_file_registers_every_row(reg):
    rows = [row(),
            row("HL-SM-1", "烟感", "1栋烟感", "420103001001001/花楼小区/1栋", lat="", lng="",
                heartbeat="120"),
            row("HL-HB-1", "一键呼叫", "王秀兰家一键呼叫",
                "花楼社区 / 花楼第一网格 / 花楼小区 / 1栋 / 1单元 / 101", unit="",
                number=NUMBER),
            row("HL-GAS-1", "gas", "燃气", "花楼社区", unit="")]
    checked = imports.devices_import(actor=reg.alice, upload=upload(rows), check_only=True)
    assert (checked.rows, checked.created, Device.objects.count()) == (4, 4, 0)
    report = imports.devices_import(actor=reg.alice, upload=upload(rows))
    assert (report.rows, report.created) == (4, 4)
    devices = {d.identifier: d for d in Device.objects.all()}
    assert devices["HL-MH-1"].area == reg.estate_a and devices["HL-MH-1"].owner_unit == \
        reg.unit_a
    assert devices["HL-SM-1"].area == reg.building_a and devices["HL-SM-1"].heartbeat_seconds \
        == 120 and devices["HL-SM-1"].lat is None
    button = devices["HL-HB-1"]
    assert (button.kind, button.area, button.resident, button.care_plan) == (
        Kind.HELP_BUTTON, reg.dwelling_a, reg.lonely, reg.plan)
    assert devices["HL-GAS-1"].area == reg.community_a
    assert devices["HL-GAS-1"].heartbeat_seconds == imports.DEFAULT_HEARTBEAT
    # Two rows without an owner unit: their cases wait for a dispatcher.
    assert [w["row"] for w in report.warnings] == [4, 5]
    entry = AuditEntry.objects.get(action="device.import")
    assert entry.changes["created"] == 4 and NUMBER not in str(entry.changes)


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_written(reg):
    UnitFactory(name="旧物业", is_active=False)
    rows = [row(),                                                   # 2: right
            row("HL-MH-1", name="重复"),                              # 3: twice in the file
            row("bad id!", kind="烤箱"),                              # 4: identifier, kind
            row("A-4", place="花楼社区/没有这个网格"),                  # 5: place
            row("A-5", place="水塔社区"),                              # 6: not hers
            row("A-6", lat="95", unit="不存在的单位"),                  # 7: lat, unit
            row("A-7", unit="旧物业", heartbeat="5"),                   # 8: unit, heartbeat
            row("A-8", "一键呼叫", place="花楼社区/花楼第一网格/花楼小区/1栋/1单元/101",
                number="420103198001011234"),                        # 9: nobody by that number
            row("A-9", "一键呼叫", place="花楼社区"),                   # 10: not a dwelling
            row("A-10", "烟感", number=NUMBER),                        # 11: not a button
            row("A-11", name="")]                                    # 12: name
    before = written()
    with translation.override("zh-hans"):
        exc = rejected(reg.alice, upload(rows))
    found = {(p.row, p.column) for p in exc.problems}
    assert found == {(3, "设备编号"), (4, "设备编号"), (4, "类型"), (5, "位置"), (6, "位置"),
                     (7, "纬度"), (7, "责任单位"), (8, "责任单位"), (8, "心跳超时（秒）"),
                     (9, "居民身份证号"), (10, "位置"), (11, "居民身份证号"), (12, "名称")}
    assert exc.code == "invalid_rows" and "没有这个网格" in " ".join(
        p.message for p in exc.problems)
    assert written() == before
    assert AuditEntry.objects.get(action="device.import_refused").changes["problems"] == 13


def test_an_identifier_already_registered_is_a_problem_of_its_row(reg):
    imports.devices_import(actor=reg.alice, upload=upload([row()]))
    exc = rejected(reg.alice, upload([row("NEW-1"), row()]))
    assert [(p.row, p.column) for p in exc.problems] == [(3, "设备编号")]


@pytest.mark.parametrize(("name", "content", "code"), [
    ("devices.csv", b"identifier,kind\n", "not_xlsx"),
    ("devices.xls", b"\xd0\xcf\x11\xe0", "not_xlsx"),
    ("devices.xlsx", b"this is not a workbook", "bad_file"),
    ("devices.xlsx", b"x" * (imports.MAX_BYTES + 1), "too_large"),
])
def test_what_is_not_an_xlsx_workbook_is_refused(reg, name, content, code):
    before = written()
    assert rejected(reg.alice, upload(content=content, name=name)).code == code
    assert written() == before


def test_a_wrong_header_and_an_empty_file_are_refused(reg):
    from linli.iot.tests.devices_kit import xlsx

    exc = rejected(reg.alice, upload(content=xlsx([row()], headers=["编号", "类型"])))
    assert exc.code == "bad_header"
    assert {p.column for p in exc.problems} >= {"设备编号", "名称", "位置", "编号"}
    assert rejected(reg.alice, upload([])).problems[0].row == 2


def test_only_dispatchers_and_administrators_import(reg):
    for actor in (reg.gina, reg.rita, reg.uma, reg.leo, reg.nobody):
        with pytest.raises(PermissionDenied):
            imports.devices_import(actor=actor, upload=upload([row()]))
    assert not Device.objects.exists()


def test_the_blank_template_holds_the_columns_and_an_example_that_imports(reg):
    book = load_workbook(io.BytesIO(imports.template_bytes()))
    sheet = book.active
    assert sheet is not None
    rows = [[c.value or "" for c in line] for line in sheet.iter_rows()]
    assert rows[0] == imports.HEADERS
    report = imports.devices_import(actor=reg.alice, upload=upload(rows[1:]))
    assert report.created == 1 and Device.objects.get().identifier == "HL-MH-0001"
