"""The handling-unit pages through the test client: who may open and post what
(anonymous, resident, dispatcher, unit member, leader read-only, administrators of one
community or of the district), refusals shown in place with their status and nothing
written, and each change landing with its audit entry."""

import html

import pytest

from linli.accounts.models import Role, RoleAssignment
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.models import Case, Route, State
from linli.cases.tests.factories import category
from linli.cases.tests.viewtools import body, flashed, login_as, refused
from linli.core.models import AuditEntry
from linli.orgs.models import Unit
from linli.orgs.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    world.admin_a = UserFactory(username="admin_a")
    assign(world.admin_a, Role.ADMIN, world.community_a)
    world.admin_b = UserFactory(username="admin_b")
    assign(world.admin_b, Role.ADMIN, world.community_b)
    world.leak = category()
    world.repair = UnitFactory(name="维修队", kind="repair", service_areas=[world.street])
    return world


def _text(response) -> str:
    return html.unescape(body(response))


def _urls(w) -> list[str]:
    unit = w.unit_a.pk
    return ["/cases/units/", "/cases/units/new/", f"/cases/units/{unit}/",
            f"/cases/units/{unit}/edit/"]


def _posts(w) -> list[str]:
    unit = w.unit_a.pk
    return [f"/cases/units/{unit}/areas/", f"/cases/units/{unit}/routes/",
            f"/cases/units/{unit}/members/", f"/cases/units/{unit}/edit/",
            f"/cases/units/{unit}/areas/{w.community_a.pk}/remove/"]


def test_anonymous_is_sent_to_login(client, w):
    for url in _urls(w) + _posts(w):
        response = client.post(url) if url in _posts(w) else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", ["rita", "alice", "uma", "gina", "nobody"])
def test_the_pages_do_not_exist_for_other_roles(client, w, username):
    login_as(client, getattr(w, username))
    for url in _urls(w):
        assert client.get(url).status_code == 404, url
    for url in _posts(w):
        assert client.post(url, {"area": w.community_a.pk}).status_code == 404, url
    assert not AuditEntry.objects.exists()


def test_a_leader_sees_units_read_only(client, w):
    login_as(client, w.leo)
    listing = _text(client.get("/cases/units/"))
    assert "花楼物业" in listing and "水塔物业" in listing and "New handling unit" not in listing
    page = _text(client.get(f"/cases/units/{w.unit_a.pk}/"))
    assert "Members" in page and 'id="route-form"' not in page and "Remove" not in page
    assert client.get("/cases/units/new/").status_code == 404
    response = client.post(f"/cases/units/{w.unit_a.pk}/routes/",
                           {"category": w.leak.code, "area": w.community_a.pk})
    assert response.status_code == 400  # no area of theirs to choose from
    assert not Route.objects.exists()


def test_an_admin_sees_own_and_street_wide_units_only(client, w):
    login_as(client, w.admin_a)
    listing = _text(client.get("/cases/units/"))
    assert "花楼物业" in listing and "维修队" in listing and "水塔物业" not in listing
    assert client.get(f"/cases/units/{w.unit_b.pk}/").status_code == 404
    assert client.post(f"/cases/units/{w.unit_b.pk}/routes/").status_code == 404


def test_the_list_filters_and_counts_open_cases(client, w, reported):
    Case.objects.filter(pk=reported.pk).update(unit=w.unit_a, state=State.DISPATCHED)
    login_as(client, w.ada)
    page = _text(client.get("/cases/units/?q=花楼"))
    assert "花楼物业" in page and "维修队" not in page and "1 open case" in page
    w.repair.is_active = False
    w.repair.save()
    assert "维修队" not in _text(client.get("/cases/units/"))
    assert "维修队" in _text(client.get("/cases/units/?status=inactive"))


def _new(w, **overrides) -> dict:
    data = {"name": "花楼保洁队", "kind": "cleaning", "phone": "027-82800009",
            "supervisor_area": w.community_a.pk, "service_areas": [w.grid_a1.pk]}
    data.update(overrides)
    return data


def test_an_admin_creates_a_unit(client, w):
    login_as(client, w.admin_a)
    response = client.post("/cases/units/new/", _new(w))
    unit = Unit.objects.get(name="花楼保洁队")
    assert response.status_code == 302 and response["Location"] == f"/cases/units/{unit.pk}/"
    assert list(unit.service_areas.all()) == [w.grid_a1]
    assert unit.supervisor_area == w.community_a
    assert AuditEntry.objects.get(action="unit.created").actor == w.admin_a


@pytest.mark.parametrize("overrides, status, message", [
    ({"name": "花楼物业"}, 409, "A handling unit called 花楼物业 already exists."),
    ({"phone": "call me"}, 400, "call me is not a phone number"),
    ({"service_areas": []}, 400, "Choose at least one area the unit serves."),
])
def test_bad_units_are_refused_in_place(client, w, overrides, status, message):
    login_as(client, w.admin_a)
    before = Unit.objects.count()
    response = client.post("/cases/units/new/", _new(w, **overrides))
    assert response.status_code == status
    assert message in _text(response)
    assert Unit.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_a_foreign_area_id_is_an_invalid_choice(client, w):
    login_as(client, w.admin_a)
    response = client.post("/cases/units/new/", _new(w, service_areas=[w.community_b.pk]))
    assert response.status_code == 400
    assert "Choose one of your own areas from the list." in _text(response)
    response = client.post("/cases/units/new/", _new(w, supervisor_area=w.street.pk))
    assert response.status_code == 400
    response = client.post(f"/cases/units/{w.unit_a.pk}/routes/",
                           {"category": w.leak.code, "area": w.grid_b1.pk})
    assert response.status_code == 400
    assert "Choose one of your own areas from the list." in _text(response)
    response = client.post(f"/cases/units/{w.unit_a.pk}/areas/", {"area": 99999})
    assert response.status_code == 400
    assert not Route.objects.exists() and not AuditEntry.objects.exists()


def test_an_admin_edits_and_cannot_deactivate_with_open_cases(client, w, reported):
    Case.objects.filter(pk=reported.pk).update(unit=w.unit_a, state=State.DISPATCHED)
    login_as(client, w.admin_a)
    url = f"/cases/units/{w.unit_a.pk}/edit/"
    data = {"name": "花楼物业", "kind": "property", "phone": "", "supervisor_area": ""}
    response = client.post(url, data)  # is_active unticked
    assert response.status_code == 409
    assert "still has 1 open case" in _text(response)
    w.unit_a.refresh_from_db()
    assert w.unit_a.is_active
    response = client.post(url, {**data, "phone": "13800000009", "is_active": "on"})
    assert response.status_code == 302
    w.unit_a.refresh_from_db()
    assert w.unit_a.phone == "13800000009"
    assert AuditEntry.objects.filter(action="unit.updated").count() == 1


def test_a_shared_unit_is_not_edited_by_one_community(client, w):
    login_as(client, w.admin_a)
    response = client.get(f"/cases/units/{w.repair.pk}/edit/")
    assert refused(response)[0] == 403
    page = _text(client.get(f"/cases/units/{w.repair.pk}/"))
    assert 'id="unit-shared"' in page and 'id="unit-edit"' not in page
    response = client.post(f"/cases/units/{w.repair.pk}/areas/{w.street.pk}/remove/")
    assert refused(response)[0] == 403
    assert w.repair.service_areas.count() == 1


def test_routes_are_set_explained_when_taken_and_taken_over(client, w):
    Route.objects.create(category=w.leak, area=w.community_a, unit=w.unit_a)
    login_as(client, w.admin_a)
    url = f"/cases/units/{w.repair.pk}/routes/"
    response = client.post(url, {"category": w.leak.code, "area": w.community_a.pk})
    assert response.status_code == 409
    assert "In 花楼社区, Pipe leak already goes to 花楼物业." in _text(response)
    response = client.post(url, {"category": w.leak.code, "area": w.community_a.pk,
                                 "replace": "on"})
    assert response.status_code == 302
    assert flashed(response) == ["In 花楼社区, Pipe leak now goes to 维修队."]
    route = Route.objects.get()
    assert route.unit == w.repair
    response = client.post(f"/cases/units/{w.repair.pk}/routes/{route.pk}/remove/")
    assert response.status_code == 302 and not Route.objects.exists()
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "route.updated", "route.deleted"]


def test_a_route_of_another_unit_is_not_found_through_this_one(client, w):
    route = Route.objects.create(category=w.leak, area=w.community_a, unit=w.unit_a)
    login_as(client, w.admin_a)
    response = client.post(f"/cases/units/{w.repair.pk}/routes/{route.pk}/remove/")
    assert response.status_code == 404 and Route.objects.exists()


def test_members_are_added_by_username_or_phone_and_removed(client, w):
    login_as(client, w.admin_a)
    url = f"/cases/units/{w.unit_a.pk}/members/"
    response = client.post(url, {"login": "nobody", "area": w.community_a.pk})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=w.nobody)
    assert (assignment.role, assignment.unit) == (Role.UNIT_MEMBER, w.unit_a)
    assert AuditEntry.objects.get(action="role.assigned").changes["unit"] == "花楼物业"
    response = client.post(url, {"login": "someone-else", "area": w.community_a.pk})
    assert response.status_code == 400
    assert "No active account has that username or phone number." in _text(response)
    response = client.post(url, {"login": "nobody", "area": w.community_a.pk})
    assert response.status_code == 409  # already a member there
    response = client.post(f"/cases/units/{w.unit_a.pk}/members/{assignment.pk}/remove/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=w.nobody).exists()
    assert AuditEntry.objects.filter(action="role.revoked").count() == 1


def test_another_communitys_admin_cannot_remove_a_member(client, w):
    uma = RoleAssignment.objects.get(user=w.uma)
    w.unit_a.service_areas.add(w.community_b)
    login_as(client, w.admin_b)
    response = client.post(f"/cases/units/{w.unit_a.pk}/members/{uma.pk}/remove/")
    assert refused(response)[0] == 403
    assert RoleAssignment.objects.filter(pk=uma.pk).exists()


def test_service_areas_are_added_and_removed(client, w):
    login_as(client, w.ada)
    response = client.post(f"/cases/units/{w.unit_a.pk}/areas/", {"area": w.grid_b1.pk})
    assert response.status_code == 302
    response = client.post(f"/cases/units/{w.unit_a.pk}/areas/", {"area": w.grid_a1.pk})
    assert response.status_code == 409
    assert "花楼物业 already serves 花楼社区, which holds 花楼第一网格." in _text(response)
    response = client.post(f"/cases/units/{w.unit_a.pk}/areas/{w.grid_b1.pk}/remove/")
    assert response.status_code == 302
    assert list(w.unit_a.service_areas.all()) == [w.community_a]


def test_links_from_the_home_page_and_the_area_tree(client, w):
    for user, shown in [(w.admin_a, True), (w.leo, True), (w.alice, False), (w.rita, False)]:
        login_as(client, user)
        assert ('id="home-units"' in body(client.get("/"))) is shown
        assert ('id="units-link"' in body(client.get("/orgs/"))) is shown


def test_a_unit_supervised_by_the_street_keeps_its_supervisor_on_edit(client, w):
    w.unit_a.supervisor_area = w.street
    w.unit_a.save()
    login_as(client, w.admin_a)
    url = f"/cases/units/{w.unit_a.pk}/edit/"
    assert f'<option value="{w.street.pk}" selected>' in body(client.get(url))
    data = {"name": "花楼物业", "kind": "property", "phone": "", "is_active": "on"}
    response = client.post(url, {**data, "supervisor_area": w.community_a.pk})
    assert response.status_code == 403
    assert "民族街道 supervises this unit" in _text(response)
    assert client.post(url, {**data, "supervisor_area": w.street.pk}).status_code == 302
