"""Handling units managed by area administrators: creating, editing, service areas, who
may change what (a unit shared with another community is changed only within one's own
areas), what the overview shows to whom, and the audit entries."""

import pytest
from django.utils import translation

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.orgs import services
from linli.orgs.permissions import can_edit_unit, can_view_units
from linli.orgs.selectors import admin_areas, unit_overview_list
from linli.orgs.tests.factories import UnitFactory
from linli.orgs.validators import duty_phone_problem, normalize_duty_phone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # assertions name the messages by their msgids
        yield


@pytest.fixture
def admins(world):
    world.admin_a = UserFactory(username="admin_a")
    assign(world.admin_a, Role.ADMIN, world.community_a)
    world.admin_b = UserFactory(username="admin_b")
    assign(world.admin_b, Role.ADMIN, world.community_b)
    world.street_unit = UnitFactory(name="民族街城管中队", kind="urban_management",
                                    service_areas=[world.street])
    return world


def _create(actor, world, **overrides):
    fields = {"name": "花楼保洁", "kind": "cleaning", "phone": "027-82800004",
              "service_areas": [world.grid_a1], "supervisor_area": world.community_a}
    fields.update(overrides)
    return services.unit_create(actor=actor, **fields)


@pytest.mark.parametrize("phone", ["", "13800000001", "027-82800001", "02782800001",
                                   "027-82800001-802", "12345", "110", "0710-3456789"])
def test_duty_phones_people_use_are_accepted(phone):
    assert duty_phone_problem(phone) is None


@pytest.mark.parametrize("phone", ["12", "phone", "138000000011", "27-8280", "+86 138"])
def test_other_text_is_not_a_duty_phone(phone):
    assert "not a phone number" in (duty_phone_problem(phone) or "")


def test_full_width_digits_and_spaces_are_made_plain():
    assert normalize_duty_phone("０２７－８２８０ ０００１") == "027-82800001"


def test_a_community_admin_creates_a_unit_in_their_community(admins):
    unit = _create(admins.admin_a, admins, phone=" 027 82800004 ")
    assert unit.phone == "02782800004"
    assert list(unit.service_areas.all()) == [admins.grid_a1]
    entry = AuditEntry.objects.get(action="unit.created")
    assert entry.area_path == admins.grid_a1.path
    assert entry.changes["areas"] == ["花楼第一网格"]


@pytest.mark.parametrize("overrides, error, code", [
    ({"name": "  "}, ValidationFailed, "bad_name"),
    ({"kind": "bakery"}, ValidationFailed, "bad_kind"),
    ({"phone": "call us"}, ValidationFailed, "bad_phone"),
    ({"service_areas": []}, ValidationFailed, "no_area"),
    ({"name": "花楼物业"}, Conflict, "duplicate_unit"),
])
def test_bad_units_are_refused_with_a_reason(admins, overrides, error, code):
    with pytest.raises(error) as refused:
        _create(admins.admin_a, admins, **overrides)
    assert refused.value.code == code
    assert not AuditEntry.objects.filter(action="unit.created").exists()


def test_names_are_unique_whatever_the_case(admins):
    _create(admins.admin_a, admins, name="Clean Co")
    with pytest.raises(Conflict, match="called Clean Co already exists"):
        _create(admins.admin_a, admins, name="clean co")


def test_a_unit_serves_buildings_or_larger_areas(admins):
    with pytest.raises(ValidationFailed, match="building or a larger area"):
        _create(admins.admin_a, admins, service_areas=[admins.dwelling_a])


def test_areas_and_supervisor_must_be_the_admins_own(admins):
    with pytest.raises(PermissionDenied):
        _create(admins.admin_a, admins, service_areas=[admins.community_b])
    with pytest.raises(PermissionDenied):
        _create(admins.admin_a, admins, supervisor_area=admins.street)
    with pytest.raises(PermissionDenied):
        _create(admins.alice, admins)  # a dispatcher


def _update(actor, unit, **overrides):
    fields = {"name": unit.name, "kind": unit.kind, "phone": unit.phone,
              "supervisor_area": unit.supervisor_area, "is_active": unit.is_active}
    fields.update(overrides)
    return services.unit_update(actor=actor, unit=unit, **fields)


def test_an_admin_edits_and_deactivates_their_own_unit(admins):
    unit = _update(admins.admin_a, admins.unit_a, name="花楼物业服务中心", phone="13800000009",
                   is_active=False)
    unit.refresh_from_db()
    assert (unit.name, unit.phone, unit.is_active) == ("花楼物业服务中心", "13800000009", False)
    changed = AuditEntry.objects.get(action="unit.updated")
    assert changed.changes["name"] == ["花楼物业", "花楼物业服务中心"]
    assert "is_active" not in changed.changes
    assert AuditEntry.objects.get(action="unit.deactivated").area_path == \
        admins.community_a.path
    _update(admins.admin_a, unit, is_active=True)
    assert AuditEntry.objects.filter(action="unit.reactivated").count() == 1


def test_renaming_onto_another_units_name_is_refused(admins):
    with pytest.raises(Conflict, match="水塔物业 already exists"):
        _update(admins.admin_a, admins.unit_a, name="水塔物业")


def test_a_unit_shared_with_another_community_is_not_the_admins_alone(admins):
    assert not can_edit_unit(admins.admin_a, admins.street_unit)
    assert not can_edit_unit(admins.admin_a, admins.unit_b)
    assert can_edit_unit(admins.ada, admins.street_unit)  # the district's admin
    with pytest.raises(PermissionDenied, match="outside yours"):
        _update(admins.admin_a, admins.street_unit, name="城管")
    with pytest.raises(PermissionDenied):
        _update(admins.leo, admins.unit_a, name="x")  # a leader only looks


def test_service_areas_change_within_the_admins_own_areas(admins):
    unit = admins.street_unit
    with pytest.raises(Conflict, match="which holds"):
        services.unit_area_add(actor=admins.admin_a, unit=unit, area=admins.community_a)
    with pytest.raises(PermissionDenied):
        services.unit_area_add(actor=admins.admin_a, unit=admins.unit_a,
                               area=admins.community_b)
    with pytest.raises(Conflict, match="already serves"):
        services.unit_area_add(actor=admins.admin_a, unit=admins.unit_a,
                               area=admins.community_a)
    services.unit_area_add(actor=admins.admin_b, unit=admins.unit_a, area=admins.grid_b1)
    assert AuditEntry.objects.get(action="unit.area_added").area_path == admins.grid_b1.path
    with pytest.raises(PermissionDenied):
        services.unit_area_remove(actor=admins.admin_a, unit=admins.unit_a,
                                  area=admins.grid_b1)
    services.unit_area_remove(actor=admins.admin_b, unit=admins.unit_a, area=admins.grid_b1)
    assert AuditEntry.objects.filter(action="unit.area_removed").count() == 1


def test_the_last_service_area_stays(admins):
    with pytest.raises(ValidationFailed, match="at least one area"):
        services.unit_area_remove(actor=admins.admin_a, unit=admins.unit_a,
                                  area=admins.community_a)


def test_who_sees_which_units(admins):
    def names(actor):
        return set(unit_overview_list(actor=actor).values_list("name", flat=True))

    assert names(admins.admin_a) == {"花楼物业", "民族街城管中队"}  # own + street-wide
    assert names(admins.admin_b) == {"水塔物业", "民族街城管中队"}
    assert names(admins.leo) == {"花楼物业", "水塔物业", "民族街城管中队"}
    assert names(admins.alice) == set()  # dispatchers have no unit pages
    assert [can_view_units(u) for u in (admins.leo, admins.admin_a, admins.alice,
                                         admins.rita)] == [True, True, False, False]


def test_filters_on_the_overview(admins):
    _update(admins.ada, admins.unit_b, is_active=False)
    assert [u.name for u in unit_overview_list(actor=admins.ada, active=False)] == ["水塔物业"]
    assert [u.name for u in unit_overview_list(actor=admins.ada, search="城管")] == \
        ["民族街城管中队"]
    assert [u.name for u in unit_overview_list(actor=admins.ada, kind="urban_management")] \
        == ["民族街城管中队"]


def test_admin_areas_are_the_admins_subtrees(admins):
    areas = set(admin_areas(actor=admins.admin_a, kinds=["community", "grid"]))
    assert areas == {admins.community_a, admins.grid_a1, admins.grid_a2}
    assert not admin_areas(actor=admins.leo).exists()


def test_supervision_from_above_is_kept_but_the_unit_still_edited(admins):
    unit = admins.unit_a
    unit.supervisor_area = admins.street
    unit.save()
    assert can_edit_unit(admins.admin_a, unit)  # it serves community A only
    _update(admins.admin_a, unit, phone="027-82800001")
    with pytest.raises(PermissionDenied, match="民族街道 supervises this unit"):
        _update(admins.admin_a, unit, supervisor_area=admins.community_a)
    with pytest.raises(PermissionDenied, match="supervises this unit"):
        _update(admins.admin_a, unit, supervisor_area=None)
    _update(admins.ada, unit, supervisor_area=admins.community_a)
    unit.refresh_from_db()
    assert unit.supervisor_area == admins.community_a
