"""Importing residents from xlsx: every bad row refused by row and column, nothing written,
every attempt audited; scope; households; limits."""

import io
import zipfile
from datetime import date

import pytest
from django.utils import translation

from linli.core.crypto import blind_index, decrypt
from linli.core.errors import PermissionDenied
from linli.core.models import AuditEntry
from linli.orgs.imports.reader import ImportRejected
from linli.people.imports import reader as import_reader
from linli.people.imports import resident_import
from linli.people.models import AccessLog, Household, Resident
from linli.people.sheet import HEADERS
from linli.people.tests.factories import id_number, resident
from linli.people.tests.sheets import PLACE_B, row, xlsx

HEAD_ID = id_number("420103", date(1960, 5, 4), 111)      # male
SPOUSE_ID = id_number("420103", date(1962, 7, 9), 222)    # female
CHILD_ID = id_number("420103", date(1990, 1, 2), 331)     # male


def family() -> list[list]:
    return [
        row(id_number=HEAD_ID, phone="136 1234 8888"),
        row(relation="配偶", name="李秀兰", id_number=SPOUSE_ID, birth="1962-07-09",
            gender="女"),
        row(relation="子女", name="张伟", id_number=CHILD_ID, phone="13987654321",
            tenure="产权", moved_in="", moved_out="2020-09-01"),
    ]


def run(actor, rows=None, *, content=None, filename="residents.xlsx"):
    return resident_import(actor=actor, filename=filename,
                           content=content if content is not None else xlsx(rows))


def refused(actor, rows=None, **kwargs) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        run(actor, rows, **kwargs)
    return caught.value


def problems(exc: ImportRejected) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in exc.problems]


def assert_nothing_imported(action_count: int = 1) -> None:
    assert Resident.objects.count() == 0
    assert Household.objects.count() == 0
    assert AuditEntry.objects.filter(action="resident.imported").count() == 0
    assert AuditEntry.objects.filter(action="resident.import_refused").count() == action_count



@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); the default UI is Chinese."""
    with translation.override("en"):
        yield

# --- a good file ---------------------------------------------------------------------------

def test_import_registers_one_household_with_ciphertext_only(world):
    report = run(world.alice, family())
    assert report.as_dict() == {"rows": 3, "households_created": 1, "residents_created": 3}
    household = Household.objects.get()
    assert household.dwelling == world.dwelling_a
    assert household.area_path == world.dwelling_a.path
    head, spouse, child = Resident.objects.order_by("id")
    assert [r.household_id for r in (head, spouse, child)] == [household.pk] * 3
    assert (head.name, head.relation, head.tenure, head.gender) == ("张建国", "head", "owner",
                                                                    "male")
    assert head.birth_date == date(1960, 5, 4)
    assert head.id_number_cipher != HEAD_ID and HEAD_ID not in head.id_number_cipher
    assert decrypt(head.id_number_cipher) == HEAD_ID
    assert head.id_number_hash == blind_index(HEAD_ID)
    assert decrypt(head.phone_cipher) == "13612348888"
    assert head.phone_hash == blind_index("13612348888")
    assert head.moved_in == date(2000, 1, 1)
    assert (spouse.relation, spouse.gender, spouse.phone_cipher) == ("spouse", "female", "")
    assert (child.relation, child.moved_in, child.moved_out) == ("child", None,
                                                                  date(2020, 9, 1))
    entry = AuditEntry.objects.get(action="resident.imported")
    assert entry.actor == world.alice
    assert entry.changes == {"rows": 3, "households_created": 1, "residents_created": 3}
    assert HEAD_ID not in str(entry.changes) and entry.area_path == world.dwelling_a.path


def test_import_adds_rows_to_a_household_already_living_there(world):
    run(world.alice, family()[:1])
    run(world.alice, [row(relation="孙子女", name="张小宝", moved_in="2015-06-01")])
    assert Household.objects.count() == 1
    assert Resident.objects.filter(household=Household.objects.get()).count() == 2


def test_import_accepts_date_cells_and_a_building_without_entrances(world):
    run(world.ada, [row(PLACE_B, head="赵博", id_number=CHILD_ID, birth=date(1990, 1, 2),
                        moved_in=date(2019, 3, 1), tenure="租住")])
    person = Resident.objects.get()
    assert person.area_path == world.dwelling_b.path
    assert (person.moved_in, person.tenure) == (date(2019, 3, 1), "tenant")


# --- bad rows: refused by row and column, nothing written, audited --------------------------

def test_wrong_checksum_is_refused_with_its_row(world):
    bad = HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1")
    rows = family()
    rows[2][9] = bad
    exc = refused(world.alice, rows)
    assert problems(exc) == [(4, "公民身份号码")]
    assert "check digit" in exc.problems[0].message
    assert bad not in str(exc.details) and bad not in exc.message
    assert exc.status == 400
    assert_nothing_imported()
    entry = AuditEntry.objects.get(action="resident.import_refused")
    assert entry.actor == world.alice and entry.changes == {"code": "invalid_rows",
                                                            "problems": 1}


def test_duplicate_id_number_in_the_file_names_both_rows(world):
    rows = family()
    rows[2][9] = HEAD_ID
    exc = refused(world.alice, rows)
    assert problems(exc) == [(4, "公民身份号码")]
    assert "row 2" in exc.problems[0].message
    assert_nothing_imported()


def test_id_number_already_registered_is_refused(world):
    resident(world.bob, world.dwelling_b, "赵博", id_number=SPOUSE_ID)
    exc = refused(world.alice, family())
    assert problems(exc) == [(3, "公民身份号码")]
    assert Resident.objects.count() == 1 and Household.objects.count() == 1


def test_unknown_dwelling_is_refused(world):
    rows = family()
    rows[1][5] = "999"
    exc = refused(world.alice, rows)
    # The spouse's dwelling is unknown; the other two are a household at 101 all the same.
    assert problems(exc) == [(3, "房屋")]
    assert_nothing_imported()


def test_a_row_with_a_bad_cell_is_also_told_its_dwelling_is_unknown(world):
    """One upload lists every problem of a row: a wrong phone does not hide a wrong 楼栋."""
    rows = family()
    rows[2][3], rows[2][10] = "9栋", "12345"
    exc = refused(world.alice, rows)
    assert problems(exc) == [(4, "联系电话"), (4, "房屋")]
    assert_nothing_imported()


def test_dwelling_outside_the_importers_areas_is_refused_and_logged(world):
    exc = refused(world.alice, [row(PLACE_B, head="赵博", id_number=CHILD_ID)])
    assert problems(exc) == [(2, "房屋")]
    assert (exc.status, exc.code) == (403, "forbidden_rows")
    assert_nothing_imported()
    log = AccessLog.objects.get()
    assert (log.actor, log.field, log.outcome, log.resident) == (world.alice, "import",
                                                                 "refused", None)
    assert log.area_path == world.community_b.path


def test_grid_worker_imports_only_into_their_grid(world):
    refused(world.gina, [row(PLACE_B, head="赵博")])
    assert run(world.gina, family()).residents_created == 3


def test_missing_column_is_named(world):
    headers = [h for h in HEADERS if h != "联系电话"]
    rows = [[c for i, c in enumerate(r) if HEADERS[i] != "联系电话"] for r in family()]
    exc = refused(world.alice, content=xlsx(rows, headers))
    assert exc.code == "bad_header"
    assert "联系电话" in exc.message and problems(exc) == [(1, "联系电话")]
    assert_nothing_imported()


def test_extra_column_is_named(world):
    exc = refused(world.alice, content=xlsx([[*r, "x"] for r in family()], [*HEADERS, "备注"]))
    assert exc.code == "bad_header"
    assert "备注" in exc.message and problems(exc) == [(1, "备注")]
    assert_nothing_imported()


def test_value_in_a_column_without_title_is_refused(world):
    rows = family()
    rows[0] = [*rows[0], "", "stray"]
    assert problems(refused(world.alice, rows)) == [(2, "")]


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("filename,content", [
    ("residents.xlsx", "姓名,公民身份号码\n张三,1\n".encode()),
    ("residents.xlsx", b"%PDF-1.4 not a workbook"),
    ("residents.xlsx", _zip({"hello.txt": b"hi"})),
    ("residents.csv", xlsx([])),
    ("residents.xls", xlsx([])),
])
def test_a_file_that_is_not_xlsx_is_refused(world, filename, content):
    exc = refused(world.alice, content=content, filename=filename)
    assert exc.code == "not_xlsx" and problems(exc) == [(1, "")]
    assert_nothing_imported()


def test_birth_date_and_gender_must_agree_with_the_id_number(world):
    rows = family()
    rows[0][11], rows[1][12] = "1960-05-05", "男"
    assert problems(refused(world.alice, rows)) == [(2, "出生日期"), (3, "性别")]
    assert_nothing_imported()


def test_masked_values_and_numbers_that_lost_digits_are_refused(world):
    rows = family()
    rows[0][9], rows[1][10] = "4201**********1118", "136****8888"
    rows[2][9] = 4.20103199001023e17
    exc = refused(world.alice, rows)
    assert problems(exc) == [(2, "公民身份号码"), (3, "联系电话"), (4, "公民身份号码")]
    assert "masked" in exc.problems[0].message and "number" in exc.problems[2].message


def test_bad_cells_are_each_named(world):
    rows = [row(relation="朋友", tenure="借住", gender="?", phone="12345", moved_in="昨天",
                name=" ")]
    exc = refused(world.alice, rows)
    assert sorted(problems(exc)) == sorted([(2, "姓名"), (2, "与户主关系"), (2, "产权/租住"),
                                            (2, "性别"), (2, "联系电话"), (2, "迁入日期")])


def test_a_household_needs_its_head(world):
    exc = refused(world.alice, [row(relation="子女", name="张伟")])
    assert problems(exc) == [(2, "户主姓名")]
    rows = [*family(), row(name="张建国", id_number="")]
    assert problems(refused(world.alice, rows)) == [(5, "与户主关系")]


def test_head_row_must_carry_the_heads_name(world):
    assert problems(refused(world.alice, [row(name="张三")])) == [(2, "户主姓名")]


def test_empty_sheet_and_too_many_rows_are_refused(world, monkeypatch):
    assert refused(world.alice, []).code == "empty"
    monkeypatch.setattr(import_reader, "MAX_ROWS", 2)
    assert refused(world.alice, family()).code == "too_many_rows"
    assert_nothing_imported(action_count=2)


@pytest.mark.parametrize("who", ["uma", "rita", "leo", "nobody"])
def test_people_who_keep_no_registers_cannot_import(world, who):
    with pytest.raises(PermissionDenied):
        run(getattr(world, who), family())
    assert_nothing_imported()
    assert AuditEntry.objects.get(action="resident.import_refused").changes["code"] == \
        "forbidden"


def test_many_problems_are_all_counted(world):
    rows = [row(head=f"户主{i}", relation="子女", name=f"人{i}") for i in range(600)]
    exc = refused(world.alice, rows)
    assert len(exc.problems) == 600 and len(exc.details) == 500
    assert "600" in exc.message
