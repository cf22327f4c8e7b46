"""What the device registry's tests share: a world with alarm rules, a help-button
resident with a care plan, and workbooks to import."""

import io
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from linli.core.models import AuditEntry
from linli.iot.imports import HEADERS
from linli.iot.models import Device
from linli.iot.tests.factories import ready
from linli.people.tests.factories import cared_for, id_number, resident

NUMBER = id_number(serial=451)  # the help-button resident's ID number


def prepare(world) -> SimpleNamespace:
    """Rules and categories, and 王秀兰 living alone in dwelling A1-1-1-101 with a care plan
    kept by gina."""
    ready()
    world.lonely = resident(world.alice, world.dwelling_a, name="王秀兰", id_number=NUMBER)
    world.plan = cared_for(world.alice, world.lonely, world.gina)
    return world


def written() -> tuple:
    """What a refused write must leave as it was."""
    return (list(Device.objects.order_by("pk").values_list(
        "identifier", "name", "area_id", "status", "secret_hash", "retired_at", "updated_at")),
        AuditEntry.objects.filter(action__startswith="device.").exclude(
            action="device.import_refused").count())


def row(identifier="HL-MH-1", kind="井盖倾斜传感器", name="花楼小区1号井盖",
        place="花楼社区/花楼第一网格/花楼小区", address="花楼街 12 号", lat="30.575",
        lng="114.29", unit="花楼物业", number="", heartbeat="") -> list:
    return [identifier, kind, name, place, address, lat, lng, unit, number, heartbeat]


def xlsx(rows: list[list], headers: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers if headers is not None else HEADERS)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(rows=None, *, content=None, name="devices.xlsx"):
    return SimpleUploadedFile(name, content if content is not None else xlsx(rows or []))
