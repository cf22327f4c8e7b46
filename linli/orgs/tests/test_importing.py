import io
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import PASSWORD, assign
from linli.core.errors import PermissionDenied
from linli.core.models import AuditEntry
from linli.orgs.imports import ImportRejected, area_tree_import
from linli.orgs.imports import reader as import_reader
from linli.orgs.models import Area
from linli.orgs.tests.factories import make_area

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted in their English source form.
    with translation.override("en"):
        yield

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "area_import_sample.csv"
HEADER = "区县,区县编码,街道,街道编码,社区,社区编码,网格,网格编码,小区,楼栋,单元,房屋"
# The world's community A, as a file names it.
HUALOU = "江汉区,420103,民族街道,420103001,花楼社区,420103001001"
NOTHING = dict.fromkeys(["district", "street", "community", "grid", "estate", "building",
                         "entrance", "dwelling"], 0)


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rejected(actor, content: bytes, filename: str = "areas.csv") -> ImportRejected:
    areas, entries = Area.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ImportRejected) as info:
        area_tree_import(actor=actor, filename=filename, content=content)
    assert Area.objects.count() == areas
    assert AuditEntry.objects.count() == entries
    return info.value


def only_problem(exc: ImportRejected) -> dict:
    assert len(exc.details) == 1, exc.details
    return exc.details[0]


def test_sample_csv_creates_the_missing_areas_under_the_existing_district(world):
    before = Area.objects.count()
    report = area_tree_import(actor=world.ada, filename="area_import_sample.csv",
                              content=SAMPLE.read_bytes())
    assert report.rows == 7
    assert report.created == {**NOTHING, "street": 1, "community": 2, "grid": 3, "estate": 2,
                              "building": 4, "entrance": 4, "dwelling": 5}
    assert report.reused == {**NOTHING, "district": 1}
    assert Area.objects.count() == before + 21
    room = Area.objects.get(name="301")
    assert room.full_name() == ("江汉区 / 示例街道 / 示例二社区 / 示例二社区第一网格 / 示例小区 / "
                                "6栋 / 1单元 / 301")
    assert room.kind == "dwelling" and room.depth == 7
    assert room.path == "".join(f"/{pk}" for pk in room.ancestor_ids) + "/"
    assert Area.objects.get(name="示例二社区第一网格").code == "420103901002001"
    assert Area.objects.get(name="5栋").children.count() == 0


def test_every_imported_area_has_a_path_ending_in_its_own_id(world):
    area_tree_import(actor=world.ada, filename="a.csv", content=SAMPLE.read_bytes())
    for area in Area.objects.all():
        parent_path = area.parent.path if area.parent else "/"
        assert area.path == f"{parent_path}{area.pk}/"
        assert area.depth == (area.parent.depth + 1 if area.parent else 0)


def test_import_is_audited_once_with_the_counts(world):
    area_tree_import(actor=world.ada, filename="area_import_sample.csv",
                     content=SAMPLE.read_bytes())
    entry = AuditEntry.objects.get(action="area.imported")
    assert entry.actor == world.ada
    assert entry.object_label == "area_import_sample.csv"
    assert entry.area_path == world.district.path
    assert entry.changes["rows"] == 7
    assert entry.changes["created"]["dwelling"] == 5
    assert entry.changes["reused"]["district"] == 1
    assert AuditEntry.objects.filter(action="area.created").count() == 0


def test_importing_the_same_file_again_creates_nothing(world):
    area_tree_import(actor=world.ada, filename="a.csv", content=SAMPLE.read_bytes())
    before = Area.objects.count()
    report = area_tree_import(actor=world.ada, filename="a.csv", content=SAMPLE.read_bytes())
    assert report.created_total == 0
    assert report.reused_total == 22
    assert Area.objects.count() == before


def test_existing_areas_are_matched_by_parent_and_name(world):
    report = area_tree_import(actor=world.ada, filename="a.csv", content=csv_bytes(
        f"{HUALOU},花楼第一网格,420103001001001,花楼小区,1栋,1单元,102",
        f"{HUALOU},花楼第三网格,420103001001003,,,,",
    ))
    assert report.reused == {**NOTHING, "district": 1, "street": 1, "community": 1, "grid": 1,
                             "estate": 1, "building": 1, "entrance": 1}
    assert report.created == {**NOTHING, "grid": 1, "dwelling": 1}
    assert Area.objects.get(name="102").parent == world.entrance_a
    assert Area.objects.get(name="花楼第三网格").parent == world.community_a


def test_a_row_may_leave_codes_of_existing_areas_empty(world):
    report = area_tree_import(actor=world.ada, filename="a.csv", content=csv_bytes(
        "江汉区,,民族街道,,花楼社区,,花楼第二网格,,新小区,,,",
    ))
    assert report.created == {**NOTHING, "estate": 1}
    assert Area.objects.get(name="新小区").parent == world.grid_a2


def test_xlsx_with_numeric_codes_and_rooms(world):
    content = xlsx_bytes([
        HEADER.split(","),
        ["江汉区", 420103, "民族街道", 420103001, "水塔社区", 420103001002, "水塔第二网格",
         420103001002002, "水塔新村", "8栋", "1单元", 101],
        ["江汉区", 420103, "民族街道", 420103001, "水塔社区", 420103001002, "水塔第二网格",
         420103001002002, "水塔新村", "8栋", "1单元", 102.0],
        [None] * 12,
    ])
    report = area_tree_import(actor=world.ada, filename="Areas.XLSX", content=content)
    assert report.rows == 2
    assert report.created == {**NOTHING, "grid": 1, "estate": 1, "building": 1, "entrance": 1,
                              "dwelling": 2}
    assert Area.objects.get(name="水塔第二网格").code == "420103001002002"
    assert set(Area.objects.filter(parent__name="1单元", kind="dwelling",
                                   parent__parent__name="8栋").values_list("name", flat=True)
               ) == {"101", "102"}


def test_english_headers_and_gb18030_csv(world):
    header = ("District,district_code,street,street_code,community,community_code,grid,"
              "grid_code,estate,building,entrance,dwelling")
    content = csv_bytes(f"{HUALOU},花楼第四网格,420103001001004,,,,", header=header,
                        encoding="gb18030")
    report = area_tree_import(actor=world.ada, filename="a.csv", content=content)
    assert report.created == {**NOTHING, "grid": 1}
    assert Area.objects.filter(name="花楼第四网格", parent=world.community_a).count() == 1


def test_a_file_without_the_lower_columns_is_accepted(world):
    header = "区县,区县编码,街道,街道编码,社区,社区编码,网格,网格编码"
    report = area_tree_import(actor=world.ada, filename="a.csv", content=csv_bytes(
        f"{HUALOU},花楼第四网格,420103001001004", header=header))
    assert report.created == {**NOTHING, "grid": 1}


def test_bad_grid_code_is_refused_with_its_row(world):
    exc = rejected(world.ada, csv_bytes(
        f"{HUALOU},花楼第三网格,420103001001003,,,,",
        f"{HUALOU},花楼第四网格,42010300100104,,,,",
    ))
    assert exc.code == "invalid_rows" and exc.status == 400
    problem = only_problem(exc)
    assert (problem["row"], problem["column"]) == (3, "网格编码")
    assert "15 digits" in problem["message"]


def test_a_grid_without_a_code_is_refused(world):
    problem = only_problem(rejected(world.ada, csv_bytes(f"{HUALOU},花楼第四网格,,,,,")))
    assert (problem["row"], problem["column"]) == (2, "网格编码")
    assert problem["message"] == "A grid needs its 15-digit grid code."


def test_code_not_starting_with_the_parents_code_is_refused(world):
    problem = only_problem(rejected(world.ada, csv_bytes(
        f"{HUALOU},花楼第四网格,420103001002004,,,,")))
    assert (problem["row"], problem["column"]) == (2, "网格编码")
    assert "does not start with its parent's code 420103001001" in problem["message"]


def test_the_same_code_for_two_areas_in_the_file_is_refused(world):
    problem = only_problem(rejected(world.ada, csv_bytes(
        f"{HUALOU},花楼第四网格,420103001001004,,,,",
        f"{HUALOU},花楼第五网格,420103001001004,,,,",
    )))
    assert (problem["row"], problem["column"]) == (3, "网格编码")
    assert "also given to 花楼第四网格 in row 2" in problem["message"]


def test_a_code_already_used_by_an_existing_area_is_refused(world):
    problem = only_problem(rejected(world.ada, csv_bytes(
        f"{HUALOU},花楼第四网格,420103001001001,,,,")))
    assert (problem["row"], problem["column"]) == (2, "网格编码")
    assert problem["message"] == "The code 420103001001001 is already used by another area."


def test_one_name_with_two_codes_is_refused(world):
    problem = only_problem(rejected(world.ada, csv_bytes(
        f"{HUALOU},花楼第四网格,420103001001004,甲小区,,,",
        f"{HUALOU},花楼第四网格,420103001001005,乙小区,,,",
    )))
    assert (problem["row"], problem["column"]) == (3, "网格编码")
    assert "has the code 420103001001004 in row 2" in problem["message"]


def test_a_different_code_for_an_existing_area_is_refused(world):
    problem = only_problem(rejected(world.ada, csv_bytes(
        "江汉区,420103,民族街道,420103001,花楼社区,420103001009,花楼第四网格,420103001009004,,,,")))
    assert (problem["row"], problem["column"]) == (2, "社区编码")
    assert problem["message"] == "花楼社区 already exists with a different code."


def test_an_existing_area_of_another_kind_is_refused(world):
    # The world's building 2栋 holds dwelling 201 directly, without an entrance.
    problem = only_problem(rejected(world.ada, csv_bytes(
        "江汉区,420103,民族街道,420103001,水塔社区,420103001002,水塔第一网格,420103001002001,"
        "水塔小区,2栋,201,2011")))
    assert (problem["row"], problem["column"]) == (2, "单元")
    assert problem["message"] == "201 already exists here as a dwelling."


def test_a_gap_in_the_path_is_refused(world):
    exc = rejected(world.ada, csv_bytes(
        f"{HUALOU},花楼第四网格,420103001001004,,,,",
        "江汉区,420103,,,花楼社区,420103001001,花楼第五网格,420103001001005,,,,",
    ))
    problem = only_problem(exc)
    assert (problem["row"], problem["column"]) == (3, "街道")


def test_a_code_without_its_name_is_refused(world):
    problem = only_problem(rejected(world.ada, csv_bytes(
        f"{HUALOU},,420103001001004,,,,")))
    assert (problem["row"], problem["column"]) == (2, "网格编码")


def test_a_repeated_row_is_reported(world):
    line = f"{HUALOU},花楼第四网格,420103001001004,甲小区,1栋,,"
    problem = only_problem(rejected(world.ada, csv_bytes(line, line)))
    assert (problem["row"], problem["column"]) == (3, "楼栋")
    assert problem["message"] == "This row repeats row 2."


def test_every_bad_row_is_listed(world):
    exc = rejected(world.ada, csv_bytes(
        f"{HUALOU},花楼第四网格,1,,,,",
        f"{HUALOU},花楼第五网格,420103001001005,,,,",
        f"{HUALOU},花楼第六网格,,,,,",
    ))
    assert [(p["row"], p["column"]) for p in exc.details] == [(2, "网格编码"), (4, "网格编码")]
    assert exc.message == "The file has 2 problems; nothing was imported."


def test_a_value_outside_the_titled_columns_is_refused(world):
    problem = only_problem(rejected(world.ada, csv_bytes(
        f"{HUALOU},花楼第四网格,420103001001004,,,,,stray")))
    assert (problem["row"], problem["column"]) == (2, "M")


def test_missing_headers_are_named(world):
    header = "区县,区县编码,街道,社区,社区编码,网格"
    exc = rejected(world.ada, csv_bytes("江汉区,420103,民族街道,花楼社区,420103001001,x",
                                        header=header))
    assert exc.code == "bad_header"
    assert "Missing columns: 街道编码, 网格编码." in exc.message
    assert [(p["row"], p["column"]) for p in exc.details] == [(1, "街道编码"), (1, "网格编码")]


def test_unknown_headers_are_named(world):
    exc = rejected(world.ada, csv_bytes(f"{HUALOU},花楼第四网格,420103001001004,,,,,x",
                                        header=HEADER + ",备注"))
    assert exc.code == "bad_header"
    assert "Unknown columns: 备注." in exc.message


@pytest.mark.parametrize("filename, content", [
    ("areas.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
    ("areas.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
    ("areas.xlsx", b"PK\x03\x04 not really a zip file"),
    ("areas.txt", SAMPLE.read_bytes()),
    ("areas.csv", b""),
])
def test_files_that_are_not_spreadsheets_are_refused(world, filename, content):
    exc = rejected(world.ada, content, filename=filename)
    assert exc.status == 400
    assert exc.details[0]["row"] == 1


def test_a_file_over_the_size_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr(import_reader, "MAX_BYTES", 100)
    exc = rejected(world.ada, SAMPLE.read_bytes())
    assert exc.code == "too_large"


def test_a_file_over_the_row_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr(import_reader, "MAX_ROWS", 5)
    exc = rejected(world.ada, SAMPLE.read_bytes())
    assert exc.code == "too_many_rows"
    assert exc.message == "The file has more than 5 rows; split it into smaller files."


def test_adding_under_an_area_outside_ones_own_is_refused(world):
    other = make_area("district", "武昌区", code="420106")
    exc = rejected(world.ada, csv_bytes(
        f"{HUALOU},花楼第四网格,420103001001004,,,,",
        "武昌区,420106,中华路街道,420106001,,,,,,,,",
    ))
    assert exc.status == 403 and exc.code == "forbidden_rows"
    problem = only_problem(exc)
    assert (problem["row"], problem["column"]) == (3, "街道")
    assert "You do not manage 武昌区" in problem["message"]
    assert other.children.count() == 0


def test_a_community_admin_may_not_add_to_a_neighbouring_community(world):
    cora = User.objects.create_user(username="cora", password=PASSWORD)
    assign(cora, Role.ADMIN, world.community_a)
    exc = rejected(cora, csv_bytes(
        f"{HUALOU},花楼第四网格,420103001001004,,,,",
        "江汉区,420103,民族街道,420103001,水塔社区,420103001002,水塔第二网格,420103001002002,,,,",
    ))
    problem = only_problem(exc)
    assert (problem["row"], problem["column"]) == (3, "网格")


def test_a_community_admin_adds_inside_their_community(world):
    cora = User.objects.create_user(username="cora", password=PASSWORD)
    assign(cora, Role.ADMIN, world.community_a)
    report = area_tree_import(actor=cora, filename="a.csv", content=csv_bytes(
        f"{HUALOU},花楼第四网格,420103001001004,,,,"))
    assert report.created == {**NOTHING, "grid": 1}
    assert AuditEntry.objects.get(action="area.imported").area_path == world.community_a.path


def test_only_a_system_administrator_adds_a_district(world, django_user_model):
    content = csv_bytes("武昌区,420106,中华路街道,420106001,,,,,,,,")
    problem = only_problem(rejected(world.ada, content))
    assert (problem["row"], problem["column"]) == (2, "区县")
    assert problem["message"] == "Only a system administrator may add a district."
    root = django_user_model.objects.create_superuser(username="root", password="x")
    report = area_tree_import(actor=root, filename="a.csv", content=content)
    assert report.created == {**NOTHING, "district": 1, "street": 1}
    assert AuditEntry.objects.get(action="area.imported").area_path == ""


@pytest.mark.parametrize("who", ["alice", "rita", "leo", "nobody"])
def test_people_who_administer_no_area_cannot_import(world, who):
    before = Area.objects.count()
    with pytest.raises(PermissionDenied):
        area_tree_import(actor=getattr(world, who), filename="a.csv", content=SAMPLE.read_bytes())
    assert Area.objects.count() == before


def test_a_large_file_takes_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    lines = [f"{HUALOU},花楼第{g}网格,420103001001{g:03d},小区{g},{b}栋,1单元,{r}"
             for g in range(3, 7) for b in range(1, 26) for r in (101, 102, 201, 202, 301)]
    with django_assert_max_num_queries(60):
        report = area_tree_import(actor=world.ada, filename="a.csv", content=csv_bytes(*lines))
    assert report.rows == 500
    assert report.created == {**NOTHING, "grid": 4, "estate": 4, "building": 100,
                              "entrance": 100, "dwelling": 500}
