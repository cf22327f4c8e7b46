"""Organisation rules (level, area, joint committee, unique names, secretary, close) and
the xlsx import (checked by row, nothing written on any error)."""

import io

import pytest
from openpyxl import Workbook

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.orgs.imports.reader import ImportRejected
from linli.party import imports
from linli.party.models import Member, Organisation, OrgKind
from linli.party.services.organisations import (
    organisation_create,
    organisation_deactivate,
    organisation_set_secretary,
    seat_add,
)
from linli.party.tests import factories as f
from linli.people.tests.factories import resident


@pytest.fixture
def w(world):
    return f.party_world(world)


def _refused(code, **kwargs):
    with pytest.raises(ValidationFailed) as exc:
        organisation_create(**kwargs)
    assert exc.value.code == code


def test_a_child_is_deeper_and_within_its_parent(w):
    made = organisation_create(actor=w.pia, name="第二网格党支部", kind=OrgKind.BRANCH,
                               area=w.grid_a2, parent=w.committee_a)
    assert made.level == 3 and made.area_path == w.grid_a2.path
    _refused("bad_level", actor=w.pia, name="x", kind=OrgKind.COMMITTEE, area=w.grid_a1,
             parent=w.branch_a1)
    _refused("bad_area", actor=w.pia, name="x", kind=OrgKind.GROUP, area=w.grid_a2,
             parent=w.branch_a1)
    _refused("name_taken", actor=w.pia, name="第一网格党支部", kind=OrgKind.BRANCH,
             area=w.grid_a1, parent=w.committee_a)


def test_unit_organisations_sit_at_a_community_and_joint_committees_have_no_parent(w):
    _refused("bad_area", actor=w.pia, name="物业党支部", kind=OrgKind.BRANCH,
             area=w.grid_a1, unit=w.unit_a)
    unit_org = organisation_create(actor=w.pia, name="物业党支部", kind=OrgKind.BRANCH,
                                   area=w.community_a, unit=w.unit_a)
    _refused("joint_no_parent", actor=w.pia, name="联合党委", kind=OrgKind.JOINT,
             area=w.community_a, parent=w.committee_a)
    joint = organisation_create(actor=w.pia, name="联合党委", kind=OrgKind.JOINT,
                                area=w.community_a)
    seat_add(actor=w.pia, joint=joint, organisation=unit_org, representative="王经理")
    with pytest.raises(ValidationFailed) as exc:
        seat_add(actor=w.pia, joint=joint, organisation=unit_org)
    assert exc.value.code == "seated"
    with pytest.raises(ValidationFailed) as exc:
        seat_add(actor=w.pia, joint=joint, organisation=w.branch_a1)  # not a unit's
    assert exc.value.code == "bad_seat"


def test_only_party_staff_of_the_place_set_up_organisations(w):
    with pytest.raises(PermissionDenied):
        organisation_create(actor=w.pete, name="x", kind=OrgKind.BRANCH, area=w.grid_a2)
    with pytest.raises(PermissionDenied):
        organisation_create(actor=w.alice, name="x", kind=OrgKind.BRANCH, area=w.grid_a2)


def test_the_secretary_is_a_member_and_closing_needs_an_empty_organisation(w):
    with pytest.raises(ValidationFailed):
        organisation_set_secretary(actor=w.pia, organisation=w.group_a1, member=w.member_mark)
    f.join(w.member_mark, w.group_a1)
    organisation_set_secretary(actor=w.pia, organisation=w.group_a1, member=w.member_mark)
    assert Organisation.objects.get(pk=w.group_a1.pk).secretary == w.member_mark
    with pytest.raises(ValidationFailed) as exc:
        organisation_deactivate(actor=w.pia, organisation=w.group_a1)
    assert exc.value.code == "has_members"
    with pytest.raises(ValidationFailed) as exc:
        organisation_deactivate(actor=w.pia, organisation=w.branch_a1)
    assert exc.value.code == "has_children"


def _book(orgs, members) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = imports.ORG_SHEET
    sheet.append(imports.ORG_HEADERS)
    for row in orgs:
        sheet.append(row)
    people = book.create_sheet(imports.MEMBER_SHEET)
    people.append(imports.MEMBER_HEADERS)
    for row in members:
        people.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_lists_every_bad_row_and_writes_nothing(w):
    content = _book([["第二网格党支部", "党支部", "花楼社区党委", w.grid_a2.code, ""],
                     ["坏组织", "党派", "", "nowhere", ""]],
                    [["某人", "在职党员", "", "13900000000", "不存在"]])
    with pytest.raises(ImportRejected) as exc:
        imports.party_import(actor=w.pia, content=content, check_only=False)
    rows = {(p.column, p.row) for p in exc.value.problems}
    assert rows == {(imports.ORG_SHEET, 3), (imports.MEMBER_SHEET, 2)}
    assert not Organisation.objects.filter(name="第二网格党支部").exists()


def test_the_import_writes_organisations_and_members_in_one_go(w):
    person = resident(w.alice, w.dwelling_a, name="周红", phone="13911112222")
    content = _book([["第二网格党支部", "党支部", "花楼社区党委", w.grid_a2.code, ""],
                     ["二组", "党小组", "第二网格党支部",
                      "江汉区/民族街道/花楼社区/花楼第二网格", ""]],
                    [["周红", "在职党员", "江汉区税务局", "13911112222", "二组"]])
    checked = imports.party_import(actor=w.pia, content=content, check_only=True)
    assert (checked.organisations, checked.members, checked.written) == (2, 1, False)
    assert not Member.objects.filter(resident=person).exists()
    imports.party_import(actor=w.pia, content=content, check_only=False)
    member = Member.objects.get(resident=person)
    assert [m.organisation.name for m in member.memberships.all()] == ["二组"]


def test_the_import_template_downloads(client, w):
    client.force_login(w.pia)
    response = client.get("/party/orgs/import/template/")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    client.force_login(w.alice)
    assert client.get("/party/orgs/import/template/").status_code == 404
