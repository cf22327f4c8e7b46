"""Importing targets from xlsx: a good file, each kind of bad row by row and column, rows
outside the importer's areas, names already present, oversized or non-xlsx files; nothing
is written unless every row is right, and every refusal is audited."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from linli.core.errors import PermissionDenied
from linli.core.models import AuditEntry
from linli.inspections import imports
from linli.inspections.imports import HEADERS, targets_import
from linli.inspections.models import Target
from linli.inspections.tests.factories import target
from linli.orgs.imports.reader import ImportRejected

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def row(name="老王餐馆", *, community="花楼社区", grid="花楼第一网格", estate="花楼小区",
        building="", kind="餐饮", address="花楼街 12 号", operator="王建国", contact="王建国",
        phone="13800138000", lat="30.575", lng="114.29") -> list:
    return [community, grid, estate, building, name, kind, address, operator, contact, phone,
            lat, lng]


def xlsx(rows: list[list], headers: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers if headers is not None else HEADERS)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(rows=None, *, content=None, name="targets.xlsx"):
    return SimpleUploadedFile(name, content if content is not None else xlsx(rows or []))


def refused(actor, rows=None, **kwargs) -> ImportRejected:
    check_only = kwargs.pop("check_only", False)
    before = Target.objects.count()
    with pytest.raises(ImportRejected) as caught:
        targets_import(actor=actor, upload=upload(rows, **kwargs), check_only=check_only)
    assert Target.objects.count() == before, "nothing is written"
    assert not AuditEntry.objects.filter(action="inspection.target_import").exists()
    assert AuditEntry.objects.filter(action="inspection.target_import_refused").exists()
    return caught.value


def where(exc: ImportRejected) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in exc.problems]


def test_a_good_file_adds_every_target_placed_down_the_tree(world):
    report = targets_import(actor=world.alice, upload=upload([
        row(), row("1栋电梯", building="1栋", kind="电梯", contact="", phone=""),
        row("社区活动中心", grid="", estate="", kind="公共设施", lat="", lng=""),
        row("花楼二网格商铺", grid="花楼第二网格", estate="", kind="商铺"),
    ]))
    assert (report.rows, report.created, report.check_only) == (4, 4, False)
    by_name = {t.name: t for t in Target.objects.all()}
    assert by_name["老王餐馆"].area == world.estate_a and by_name["老王餐馆"].kind == "restaurant"
    assert by_name["1栋电梯"].area == world.building_a and by_name["1栋电梯"].kind == "lift"
    assert by_name["社区活动中心"].grid is None and by_name["社区活动中心"].lat is None
    assert by_name["花楼二网格商铺"].grid == world.grid_a2
    sealed = by_name["老王餐馆"]
    assert sealed.contact_phone.reveal_unaudited() == "13800138000"
    assert "13800138000" not in sealed.contact_phone_cipher
    entry = AuditEntry.objects.get(action="inspection.target_import")
    assert entry.changes == {"rows": 4, "created": 4}
    assert entry.area_path == world.community_a.path


def test_a_dry_run_checks_and_writes_nothing(world):
    report = targets_import(actor=world.gina, upload=upload([row()]), check_only=True)
    assert (report.created, report.check_only) == (1, True)
    assert Target.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_columns_may_come_in_any_order_and_optional_ones_may_be_left_out(world):
    headers = ["名称", "类型", "网格", "社区"]
    targets_import(actor=world.gina, upload=upload(
        [["小李商铺", "商铺", "花楼第一网格", "花楼社区"]], content=xlsx(
            [["小李商铺", "商铺", "花楼第一网格", "花楼社区"]], headers)))
    assert Target.objects.get().grid == world.grid_a1


def test_each_kind_of_bad_row_is_named_by_row_and_column(world):
    exc = refused(world.alice, [
        row(),                                         # 2: right
        row("无名社区店", community="无名社区"),       # 3
        row("无名网格店", grid="第九网格"),            # 4
        row("", kind="城堡"),                          # 5: two problems
        row("坏电话", phone="12345"),                  # 6
        row("无名联系人", contact=""),                 # 7
        row("坏坐标", lat="95"),                       # 8
        row("半个坐标", lng=""),                       # 9
        row("长地址", address="路" * 201),             # 10
    ])
    assert where(exc) == [(3, "社区"), (4, "网格"), (5, "名称"), (5, "类型"), (6, "联系电话"),
                          (7, "联系人"), (8, "纬度"), (9, "经度"), (10, "地址")]
    assert exc.code == "invalid_rows" and "9 problems" in exc.message
    assert "商铺、餐饮" in exc.problems[3].message


def test_rows_outside_the_importers_areas_are_errors(world):
    exc = refused(world.gina, [row(), row("二网格店", grid="花楼第二网格", estate=""),
                               row("水塔店", community="水塔社区", grid="水塔第一网格",
                                   estate="水塔小区")])
    assert where(exc) == [(3, "社区"), (4, "社区")]
    assert "outside your areas" in exc.problems[0].message


def test_a_name_already_present_at_the_place_or_twice_in_the_file(world):
    target(world, area=world.estate_a, name="老王餐馆")
    exc = refused(world.alice, [row(), row("小李商铺", kind="商铺"),
                                row("小李商铺", kind="商铺")])
    assert where(exc) == [(2, "名称"), (4, "名称")]
    assert "already registered" in exc.problems[0].message
    assert "Row 3" in exc.problems[1].message
    assert Target.objects.count() == 1  # the one that was there


def test_a_header_that_is_not_the_templates_is_refused(world):
    exc = refused(world.alice, content=xlsx([row()], ["社区", "名字", "类型", "颜色"]))
    assert exc.code == "bad_header"
    assert set(where(exc)) == {(1, "网格"), (1, "名称"), (1, "名字"), (1, "颜色")}


def test_a_file_without_rows_is_refused(world):
    assert where(refused(world.alice, [])) == [(2, "")]


@pytest.mark.parametrize("name, content, code", [
    ("targets.csv", "社区,网格\n".encode(), "not_xlsx"),
    ("targets.xls", b"\xd0\xcf\x11\xe0", "not_xlsx"),
    ("targets.xlsx", b"not a workbook at all", "bad_file"),
])
def test_a_file_that_is_not_xlsx_is_refused(world, name, content, code):
    exc = refused(world.alice, content=content, name=name)
    assert exc.code == code and where(exc) == [(1, "")]


def test_an_oversized_file_is_refused_before_it_is_read(world):
    exc = refused(world.alice, content=b"PK\x03\x04" + b"0" * imports.MAX_BYTES)
    assert exc.code == "too_large"


def test_too_many_rows_are_refused(world, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    exc = refused(world.alice, [row("一"), row("二"), row("三")])
    assert exc.code == "too_many_rows"


@pytest.mark.parametrize("who", ["rita", "uma", "nobody"])
def test_only_inspectors_import(world, who):
    with pytest.raises(PermissionDenied):
        targets_import(actor=getattr(world, who), upload=upload([row()]))
    assert Target.objects.count() == 0


def test_the_blank_template_has_the_titles_and_an_example_that_imports(world):
    content = imports.template_bytes()
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS and rows[1][4] == "老王餐馆"
    report = targets_import(actor=world.alice, upload=upload(content=content))
    assert report.created == 1
