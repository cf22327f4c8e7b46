"""Default routes (a category in an area goes to a unit) and the unit changes that depend
on cases: one unit per category and area, explained when taken; routes only where the
unit serves and the administrator administers; no switching off a unit with open cases;
no dropping an area its routes depend on."""

import pytest
from django.utils import translation

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.models import Case, Route, State
from linli.cases.routing import suggested_unit
from linli.cases.services import route_remove, route_set, unit_area_drop, unit_change
from linli.cases.tests.factories import category
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.orgs.services import unit_area_add
from linli.orgs.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def w(world):
    world.admin_a = UserFactory(username="admin_a")
    assign(world.admin_a, Role.ADMIN, world.community_a)
    world.admin_b = UserFactory(username="admin_b")
    assign(world.admin_b, Role.ADMIN, world.community_b)
    world.leak = category()
    world.repair = UnitFactory(name="维修队", kind="repair", service_areas=[world.street])
    return world


def test_an_admin_routes_a_category_in_their_community(w):
    route = route_set(actor=w.admin_a, unit=w.unit_a, category=w.leak, area=w.community_a)
    assert suggested_unit(w.leak, w.dwelling_a) == w.unit_a
    entry = AuditEntry.objects.get(action="route.created")
    assert (entry.area_path, entry.object_id) == (w.community_a.path, str(route.pk))
    assert entry.changes["unit"] == "花楼物业"


def test_a_whole_group_may_be_routed(w):
    route_set(actor=w.admin_a, unit=w.unit_a, category=w.leak.parent, area=w.grid_a1)
    assert suggested_unit(w.leak, w.dwelling_a) == w.unit_a


def test_a_taken_category_and_area_names_the_unit_that_has_it(w):
    route_set(actor=w.admin_a, unit=w.unit_a, category=w.leak, area=w.community_a)
    with pytest.raises(Conflict) as taken:
        route_set(actor=w.admin_a, unit=w.repair, category=w.leak, area=w.community_a)
    assert taken.value.code == "route_taken"
    assert "In 花楼社区, Pipe leak already goes to 花楼物业" in taken.value.message
    with pytest.raises(Conflict, match="already goes to 花楼物业") as again:
        route_set(actor=w.admin_a, unit=w.unit_a, category=w.leak, area=w.community_a)
    assert again.value.code == "route_exists"
    route_set(actor=w.admin_a, unit=w.repair, category=w.leak, area=w.community_a,
              replace=True)
    assert Route.objects.get(category=w.leak, area=w.community_a).unit == w.repair
    assert AuditEntry.objects.get(action="route.updated").changes == {
        "unit": ["花楼物业", "维修队"]}


def test_routes_only_where_the_unit_serves_and_the_admin_administers(w):
    with pytest.raises(ValidationFailed, match="does not serve 水塔社区"):
        route_set(actor=w.ada, unit=w.unit_a, category=w.leak, area=w.community_b)
    with pytest.raises(PermissionDenied):  # the street-wide unit, in the other community
        route_set(actor=w.admin_a, unit=w.repair, category=w.leak, area=w.community_b)
    with pytest.raises(PermissionDenied):
        route_set(actor=w.leo, unit=w.unit_a, category=w.leak, area=w.community_a)
    assert not Route.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="route.").exists()


def test_no_routes_to_a_deactivated_unit_or_a_retired_category(w):
    w.unit_a.is_active = False
    w.unit_a.save()
    with pytest.raises(ValidationFailed, match="deactivated"):
        route_set(actor=w.admin_a, unit=w.unit_a, category=w.leak, area=w.community_a)
    retired = category("L1004", name_zh="停用", is_active=False)
    with pytest.raises(ValidationFailed, match="no longer in use"):
        route_set(actor=w.admin_a, unit=w.repair, category=retired, area=w.community_a)


def test_removing_a_route_is_audited_and_scoped(w):
    route = route_set(actor=w.admin_a, unit=w.repair, category=w.leak, area=w.community_a)
    with pytest.raises(PermissionDenied):
        route_remove(actor=w.admin_b, route=route)
    route_remove(actor=w.admin_a, route=route)
    assert not Route.objects.exists()
    assert AuditEntry.objects.get(action="route.deleted").area_path == w.community_a.path


def _change(actor, unit, **overrides):
    fields = {"name": unit.name, "kind": unit.kind, "phone": unit.phone,
              "supervisor_area": unit.supervisor_area, "is_active": unit.is_active}
    fields.update(overrides)
    return unit_change(actor=actor, unit=unit, **fields)


def test_a_unit_with_open_cases_is_not_switched_off(w, reported):
    Case.objects.filter(pk=reported.pk).update(unit=w.unit_a, state=State.DISPATCHED)
    with pytest.raises(Conflict, match=r"still has 1 open case\. ") as refused:
        _change(w.admin_a, w.unit_a, is_active=False)
    assert refused.value.code == "unit_has_open_cases"
    w.unit_a.refresh_from_db()
    assert w.unit_a.is_active
    _change(w.admin_a, w.unit_a, phone="027-1234567")  # other edits still go through
    Case.objects.filter(pk=reported.pk).update(state=State.CLOSED)
    _change(w.admin_a, w.unit_a, is_active=False)
    w.unit_a.refresh_from_db()
    assert not w.unit_a.is_active


def test_an_area_with_routes_of_the_unit_is_not_dropped(w):
    unit_area_add(actor=w.ada, unit=w.unit_a, area=w.community_b)
    route_set(actor=w.admin_b, unit=w.unit_a, category=w.leak, area=w.grid_b1)
    with pytest.raises(Conflict, match="1 default route of 花楼物业 lies in 水塔社区") as kept:
        unit_area_drop(actor=w.admin_b, unit=w.unit_a, area=w.community_b)
    assert "Pipe leak in 水塔第一网格" in kept.value.message
    assert w.unit_a.service_areas.filter(pk=w.community_b.pk).exists()
    route_remove(actor=w.admin_b, route=Route.objects.get())
    unit_area_drop(actor=w.admin_b, unit=w.unit_a, area=w.community_b)
    assert list(w.unit_a.service_areas.all()) == [w.community_a]


def test_routes_held_by_another_service_area_do_not_block(w):
    w.repair.service_areas.add(w.community_a)  # redundant, as the admin site allowed
    route_set(actor=w.admin_a, unit=w.repair, category=w.leak, area=w.grid_a1)
    unit_area_drop(actor=w.admin_a, unit=w.repair, area=w.community_a)
    assert Route.objects.filter(unit=w.repair).count() == 1
