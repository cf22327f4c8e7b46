"""Exporting the registers: scope by role, masking unless revealed with a purpose, every
export and refusal audited, the page, and the round trip through the import."""

import io
import zipfile
from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from linli.core.crypto import decrypt
from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.orgs.tests.factories import make_area
from linli.people import services
from linli.people.exporting import resident_export
from linli.people.imports import resident_import
from linli.people.models import AccessLog, Household, Resident
from linli.people.sheet import HEADERS
from linli.people.tests.conftest import BO_ID, KANG_ID, KANG_PHONE, ROSA_ID, ROSA_PHONE
from linli.people.tests.factories import cared_for, id_number, resident
from linli.people.tests.sheets import read


def names(content: bytes) -> list[str]:
    return sorted(r["姓名"] for r in read(content)[1])


def clear_text(content: bytes) -> str:
    """Every XML part of the workbook, to look for a value anywhere in the file."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return "".join(package.read(n).decode() for n in package.namelist())



@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); the default UI is Chinese."""
    with translation.override("en"):
        yield

# --- who exports what ----------------------------------------------------------------------

@pytest.mark.parametrize("who,expected", [
    ("gina", ["王秀英"]), ("gary", ["李强"]), ("alice", ["李强", "王秀英"]), ("bob", ["赵博"]),
    ("leo", ["李强", "王秀英", "赵博"]), ("ada", ["李强", "王秀英", "赵博"]),
])
def test_export_holds_the_residents_of_the_actors_areas(people, who, expected):
    assert names(resident_export(actor=getattr(people, who)).content) == expected


def test_export_is_masked_by_default_and_logged_once(people):
    result = resident_export(actor=people.alice)
    titles, rows = read(result.content)
    assert titles == HEADERS and (result.count, result.masked) == (2, True)
    rosa = next(r for r in rows if r["姓名"] == "王秀英")
    assert rosa["公民身份号码"] == ROSA_ID[:4] + "*" * 10 + ROSA_ID[-4:]
    assert rosa["联系电话"] == "136****8888"
    assert rosa["社区"] == "花楼社区" and rosa["房屋"] == "101" and rosa["户主姓名"] == "王秀英"
    assert (rosa["与户主关系"], rosa["产权/租住"], rosa["性别"]) == ("户主", "产权", "女")
    assert rosa["出生日期"] == "1950"  # the year only: the date would unmask the ID number
    text = clear_text(result.content)
    for secret in (ROSA_ID, ROSA_PHONE, KANG_ID, KANG_PHONE):
        assert secret not in text
    log = AccessLog.objects.get()
    assert (log.actor, log.outcome, log.field, log.resident) == (people.alice, "exported",
                                                                 "export:masked:2", None)
    assert log.area_path == people.community_a.path
    entry = AuditEntry.objects.get(action="resident.exported")
    assert entry.changes == {"count": 2, "masked": True, "area": None, "tag": None}


def test_unmasked_export_needs_a_purpose(people):
    with pytest.raises(ValidationFailed) as caught:
        resident_export(actor=people.alice, unmasked=True, purpose=" ")
    assert caught.value.code == "purpose_required"
    log = AccessLog.objects.get()
    assert (log.outcome, log.field, log.actor) == ("refused", "export", people.alice)
    assert AuditEntry.objects.filter(action="resident.exported").count() == 0
    assert AuditEntry.objects.get(action="resident.export_refused").changes == {
        "code": "purpose_required", "unmasked": True}


def test_unmasked_export_with_a_purpose_is_logged_under_each_resident(people):
    result = resident_export(actor=people.gina, unmasked=True, purpose="核对低保名单")
    rows = read(result.content)[1]
    assert [(r["公民身份号码"], r["联系电话"]) for r in rows] == [(ROSA_ID, ROSA_PHONE)]
    assert rows[0]["出生日期"] == date(1950, 3, 8)
    assert result.masked is False
    summary = AccessLog.objects.get(resident=None)
    assert (summary.field, summary.purpose) == ("export:clear:1", "核对低保名单")
    personal = AccessLog.objects.get(resident=people.rosa)
    assert (personal.actor, personal.field, personal.outcome, personal.purpose) == (
        people.gina, "export", "exported", "核对低保名单")
    assert personal.area_path == people.rosa.area_path
    assert ROSA_ID not in str(AuditEntry.objects.get(action="resident.exported").changes)


@pytest.mark.parametrize("who", ["uma", "rita", "vic", "mia", "nobody"])
def test_export_by_someone_without_registry_rights_is_refused_and_logged(people, who):
    actor = getattr(people, who)
    with pytest.raises(PermissionDenied):
        resident_export(actor=actor, unmasked=True, purpose="想看看")
    log = AccessLog.objects.get()
    assert (log.actor, log.outcome, log.field) == (actor, "refused", "export")
    assert AuditEntry.objects.filter(action="resident.export_refused").count() == 1
    assert AccessLog.objects.filter(outcome="exported").count() == 0


def test_export_of_another_area_is_not_found_and_logged(people):
    with pytest.raises(NotFound):
        resident_export(actor=people.alice, area=people.community_b)
    assert AccessLog.objects.get().area_path == people.community_b.path
    with pytest.raises(NotFound):
        resident_export(actor=people.gina, area=people.grid_a2)


def test_an_export_across_several_areas_is_logged_where_their_readers_see_it(people):
    from linli.accounts.models import Role
    from linli.accounts.tests.factories import assign

    assign(people.gina, Role.GRID_WORKER, people.grid_a2)  # now two grids of community A
    assert names(resident_export(actor=people.gina).content) == ["李强", "王秀英"]
    summary = AccessLog.objects.get(field="export:masked:2")
    assert summary.area_path == people.community_a.path


def test_export_filters_by_area_and_tag(people):
    assert names(resident_export(actor=people.alice, area=people.grid_a2).content) == ["李强"]
    cared_for(people.alice, people.kang, people.gary, "severe_mental", "lonely_elderly")
    tagged = resident_export(actor=people.leo, tag=_tag("severe_mental"), purpose="核对")
    assert names(tagged.content) == ["李强"]
    latest = AuditEntry.objects.filter(action="resident.exported").latest("id")
    assert latest.changes["tag"] == "sensitive"
    # A tag that is not sensitive (独居老人 shows by name on the pages) needs no purpose.
    assert names(resident_export(actor=people.gina, tag=_tag("lonely_elderly")).content) == []


def test_a_sensitive_tag_list_needs_a_purpose_and_is_logged_per_resident(people):
    """The file names everyone with the tag: as good as revealing each one's tag."""
    cared_for(people.alice, people.kang, people.gary, "severe_mental")
    before = AccessLog.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        resident_export(actor=people.alice, tag=_tag("severe_mental"), purpose="  ")
    assert refused.value.code == "purpose_required"
    assert list(AccessLog.objects.filter(pk__gt=before).values_list("field", "outcome")) == [
        ("export", "refused")]
    before = AccessLog.objects.latest("id").pk
    resident_export(actor=people.alice, tag=_tag("severe_mental"), purpose="核对帮扶名单")
    rows = AccessLog.objects.filter(pk__gt=before).order_by("id")
    assert [(r.field, r.resident_id, r.purpose) for r in rows] == [
        ("export:masked:1", None, "核对帮扶名单"), ("export:tag", people.kang.pk, "核对帮扶名单")]


def test_export_keeps_moved_out_residents_and_drops_anonymised_ones(people):
    services.resident_move_out(actor=people.alice, resident=people.kang,
                               moved_out=date(2024, 5, 1))
    Resident.objects.filter(pk=people.rosa.pk).update(anonymised_at="2024-01-01T00:00Z")
    rows = read(resident_export(actor=people.alice).content)[1]
    assert [(r["姓名"], r["迁出日期"]) for r in rows] == [("李强", date(2024, 5, 1))]


def _tag(code):
    from linli.people.models import CareTag

    return CareTag.objects.get(code=code)


# --- the page ------------------------------------------------------------------------------

URL = reverse("people:export")


def test_export_page_downloads_the_workbook(client, people):
    client.force_login(people.alice)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"area": people.grid_a1.pk, "purpose": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert names(response.content) == ["王秀英"]
    refused = client.post(URL, {"unmasked": "on", "purpose": ""})
    assert refused.status_code == 400 and 'id="export-error"' in refused.content.decode()
    assert client.post(URL, {"area": people.community_b.pk}).status_code == 404


def test_export_page_is_refused_and_logged_for_outsiders(client, people):
    assert client.get(URL).status_code == 302
    for who in (people.uma, people.rita):
        client.force_login(who)
        assert client.get(URL).status_code == 404
        assert client.post(URL, {"purpose": "x"}).status_code == 404
    assert AccessLog.objects.filter(outcome="refused", field="export").count() == 2


# --- round trip ----------------------------------------------------------------------------

class _Rollback(Exception):
    pass


def _household(world, dwelling, *people_):
    head = resident(world.alice, dwelling, people_[0][0], **people_[0][1])
    for name, fields in people_[1:]:
        resident(world.alice, None, name, household=head.household, **fields)


def _snapshot(community) -> list[tuple]:
    """Every resident of a community as values, with places relative to the community."""
    out = []
    for r in Resident.objects.filter(area_path__startswith=community.path).select_related(
            "household__dwelling"):
        members = sorted(m.name for m in r.household.members.all())
        out.append((r.name, decrypt(r.id_number_cipher), decrypt(r.phone_cipher),
                    r.birth_date, r.gender, r.relation, r.tenure, r.moved_in, r.moved_out,
                    r.household.dwelling.full_name().split(" / ", 3)[-1], tuple(members)))
    return sorted(out)


def test_unmasked_export_imports_back_into_a_fresh_community(world):
    dwelling_102 = make_area("dwelling", "102", world.entrance_a)
    with pytest.raises(_Rollback), transaction.atomic():
        _household(world, world.dwelling_a,
                   ("王建国", {"id_number": id_number(born=date(1948, 2, 3), serial=111),
                            "phone": "13612348888", "moved_in": date(1990, 1, 1)}),
                   ("李桂英", {"relation": "spouse", "id_number": id_number(
                       born=date(1950, 6, 7), serial=222)}),
                   ("王伟", {"relation": "child", "tenure": "owner", "phone": "18627001234",
                           "id_number": id_number(born=date(1980, 9, 9), serial=333)}))
        _household(world, dwelling_102,
                   ("陈静", {"tenure": "tenant", "phone": "02782800001"}),
                   ("陈小宝", {"relation": "grandchild", "tenure": "tenant",
                            "birth_date": date(2015, 1, 2), "gender": "male"}))
        services.resident_move_out(actor=world.alice, resident=Resident.objects.get(
            name="王伟"), moved_out=date(2023, 4, 5))
        before = _snapshot(world.community_a)
        exported = resident_export(actor=world.ada, area=world.community_a, unmasked=True,
                                   purpose="迁移到新社区")
        raise _Rollback
    assert Resident.objects.count() == 0  # as if in a fresh database
    fresh = make_area("community", "新华社区", world.street, code="420103001003")
    make_area("dwelling", "102", _mirror(fresh))
    _titles, rows = read(exported.content)
    content = _rewrite_community(exported.content, "新华社区")
    report = resident_import(actor=world.ada, filename="roundtrip.xlsx", content=content)
    assert (report.residents_created, report.households_created) == (5, 2) == (
        len(rows), Household.objects.count())
    assert _snapshot(fresh) == before
    assert len(before) == 5


def _mirror(community):
    grid = make_area("grid", "花楼第一网格", community, code=community.code + "001")
    entrance = make_area("entrance", "1单元", make_area("building", "1栋", make_area(
        "estate", "花楼小区", grid)))
    make_area("dwelling", "101", entrance)
    return entrance


def _rewrite_community(content: bytes, name: str) -> bytes:
    from linli.people.exporting import workbook_bytes

    titles, rows = read(content)
    return workbook_bytes([[name if t == "社区" else r[t] for t in titles] for r in rows])


def test_bob_id_is_not_in_alices_export(people):
    assert BO_ID not in clear_text(resident_export(actor=people.alice, unmasked=True,
                                                   purpose="核对名单").content)
