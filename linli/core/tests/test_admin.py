from urllib.parse import unquote

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from linli.accounts.models import ApiToken, Role, RoleAssignment, User
from linli.accounts.services import api_token_create
from linli.accounts.tests.factories import PASSWORD, assign, enrol_otp
from linli.core.audit import audit_record
from linli.core.models import AuditEntry
from linli.orgs.models import Area, Unit
from linli.orgs.tests.factories import make_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies["linli_language"] = "en"  # messages are asserted in English
    return client


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser(username="root", password=PASSWORD)


@pytest.fixture
def wuchang(db):
    """A second district, outside ada's."""
    district = make_area("district", "武昌区", code="420106")
    make_area("street", "中华路街道", district, code="420106001")
    return district


def area_form(**fields) -> dict:
    return {"kind": "", "name": "", "code": "", "parent": "", "lat": "", "lng": "",
            "_save": "Save", **fields}


# --- who may enter ----------------------------------------------------------------------

def test_admin_role_opens_the_admin(client, world):
    client.force_login(world.ada)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "/admin/orgs/area/" in response.content.decode()


def test_superuser_opens_the_admin(client, root):
    client.force_login(root)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("who", ["alice", "leo", "rita", "nobody"])
def test_others_are_refused(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == "/admin/login/?next=/admin/"
    follow = client.get(response.url)  # refused, or sent to log in as someone else
    assert follow.status_code == 403 or follow.url.startswith("/accounts/login/")
    assert client.get("/admin/orgs/area/").status_code == 302
    assert client.get("/admin/core/auditentry/").status_code == 302


def test_admin_login_goes_to_linli_login(client, world):
    response = client.get("/admin/", follow=True)
    assert unquote(response.redirect_chain[-1][0]) == "/accounts/login/?next=/admin/"
    assert response.status_code == 200


def _site_login(rf, user, url: str):
    request = rf.get(url)
    request.user = user
    return admin.site.login(request)


def test_site_login_sends_a_logged_in_admin_on(rf, world):
    response = _site_login(rf, world.ada, "/admin/login/?next=/admin/orgs/area/")
    assert (response.status_code, response.url) == (302, "/admin/orgs/area/")
    assert _site_login(rf, world.ada, "/admin/login/?next=https://evil.example/").url == "/admin/"


def test_site_login_refuses_a_logged_in_non_admin(rf, world):
    with pytest.raises(PermissionDenied):
        _site_login(rf, world.alice, "/admin/login/?next=/admin/")


def test_site_login_sends_anonymous_to_linli_login(rf, world):
    response = _site_login(rf, AnonymousUser(), "/admin/login/?next=/admin/orgs/")
    assert unquote(response.url) == "/accounts/login/?next=/admin/orgs/"


def test_admin_login_with_password_then_second_factor(client, world):
    totp = enrol_otp(world.ada)
    response = client.post("/accounts/login/?next=/admin/",
                           {"username": "ada", "password": PASSWORD, "next": "/admin/"})
    assert response.url == "/accounts/login/verify/"
    assert client.get("/admin/").status_code == 302  # not logged in before the code
    response = client.post("/accounts/login/verify/", {"code": totp.now()})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_password_change_goes_to_the_account_page(client, world):
    client.force_login(world.ada)
    response = client.get("/admin/password_change/")
    assert (response.status_code, response.url) == (302, "/accounts/me/")


# --- the audit log is read-only -----------------------------------------------------------

def test_audit_entries_cannot_be_added_changed_or_deleted(client, world, root):
    entry = audit_record(actor=world.ada, action="area.updated", obj=world.community_a,
                         changes={"name": ["旧名", "花楼社区"]})
    client.force_login(root)
    url = f"/admin/core/auditentry/{entry.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="_save"' not in body
    assert "旧名" in body  # the changes, readable (not \\u escapes)
    assert client.post(url, {"action": "x"}).status_code == 403
    assert client.get(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    entry.refresh_from_db()
    assert entry.action == "area.updated"
    assert AuditEntry.objects.filter(pk=entry.pk).count() == 1


def test_audit_list_filters_and_is_scoped(client, world, wuchang):
    audit_record(actor=world.ada, action="area.updated", obj=world.community_a)
    audit_record(actor=None, action="area.updated", obj=wuchang)
    client.force_login(world.ada)
    response = client.get("/admin/core/auditentry/?action=area.updated")
    assert response.status_code == 200
    labels = [e.object_label for e in response.context["cl"].result_list]
    assert labels == ["花楼社区"]
    assert client.get("/admin/core/auditentry/?q=花楼").status_code == 200
    assert client.get("/admin/core/auditentry/?channel=system").status_code == 200


# --- areas ----------------------------------------------------------------------------------

def test_creating_an_area_in_admin_is_audited(client, world):
    client.force_login(world.ada)
    response = client.post("/admin/orgs/area/add/", area_form(
        kind="community", name="前进社区", code="420103001003", parent=world.street.pk))
    assert response.status_code == 302
    area = Area.objects.get(name="前进社区")
    assert area.parent == world.street and area.path == f"{world.street.path}{area.pk}/"
    entry = AuditEntry.objects.get(action="area.created")
    assert (entry.actor, entry.object_id) == (world.ada, str(area.pk))


def test_a_bad_area_shows_the_service_error_and_saves_nothing(client, world):
    client.force_login(world.ada)
    before = Area.objects.count()
    response = client.post("/admin/orgs/area/add/", area_form(
        kind="grid", name="花楼第九网格", code="420103001002009", parent=world.community_a.pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "The code 420103001002009 does not start with its parent's code 420103001001."]
    assert Area.objects.count() == before
    assert AuditEntry.objects.filter(action="area.created").count() == 0


def test_an_area_under_another_district_is_refused(client, world, wuchang):
    client.force_login(world.ada)
    before = Area.objects.count()
    response = client.post("/admin/orgs/area/add/", area_form(
        kind="street", name="首义路街道", code="420106002", parent=wuchang.pk))
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert Area.objects.count() == before


def test_changing_an_area_goes_through_the_service(client, world):
    client.force_login(world.ada)
    url = f"/admin/orgs/area/{world.estate_a.pk}/change/"
    response = client.post(url, {"name": "花楼新村", "code": "", "lat": "", "lng": "",
                                 "_save": "Save"})
    assert response.status_code == 302
    world.estate_a.refresh_from_db()
    assert world.estate_a.name == "花楼新村"
    entry = AuditEntry.objects.get(action="area.updated")
    assert entry.changes == {"name": ["花楼小区", "花楼新村"]}


def test_area_list_is_scoped_and_areas_are_not_deleted(client, world, wuchang):
    client.force_login(world.ada)
    response = client.get("/admin/orgs/area/?kind=district")
    assert [a.name for a in response.context["cl"].result_list] == ["江汉区"]
    assert client.get(f"/admin/orgs/area/{wuchang.pk}/change/").status_code == 302
    assert client.post(f"/admin/orgs/area/{world.dwelling_b.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert Area.objects.filter(pk=world.dwelling_b.pk).count() == 1
    found = client.get("/admin/autocomplete/", {"app_label": "orgs", "model_name": "area",
                                                "field_name": "parent", "term": "街道"}).json()
    assert [r["text"] for r in found["results"]] == ["民族街道"]


# --- units ----------------------------------------------------------------------------------

def test_adding_a_unit_goes_through_the_service(client, world):
    client.force_login(world.ada)
    response = client.post("/admin/orgs/unit/add/", {
        "name": "花楼保洁", "kind": "cleaning", "phone": "027-82808888",
        "service_areas": [world.community_a.pk], "supervisor_area": "", "_save": "Save"})
    assert response.status_code == 302
    unit = Unit.objects.get(name="花楼保洁")
    assert list(unit.service_areas.all()) == [world.community_a]
    assert AuditEntry.objects.filter(action="unit.created", object_id=str(unit.pk)).count() == 1


def test_a_unit_without_areas_shows_the_service_error(client, world):
    client.force_login(world.ada)
    response = client.post("/admin/orgs/unit/add/", {
        "name": "无处单位", "kind": "cleaning", "phone": "", "supervisor_area": "",
        "_save": "Save"})
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Name at least one area the unit serves."]
    assert Unit.objects.filter(name="无处单位").count() == 0


# --- users, roles, tokens -----------------------------------------------------------------

def test_user_creation_checks_password_strength(client, world):
    client.force_login(world.ada)
    form = {"username": "newbie", "display_name": "新人", "email": "", "phone": "",
            "password1": "short", "password2": "short", "_save": "Save"}
    response = client.post("/admin/accounts/user/add/", form)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert User.objects.filter(username="newbie").count() == 0
    strong = "Linli-Strong-2026"
    response = client.post("/admin/accounts/user/add/",
                           {**form, "password1": strong, "password2": strong})
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.check_password(strong)
    assert AuditEntry.objects.filter(action="user.created", object_id=str(user.pk)).count() == 1


def test_user_change_form_has_no_password_and_is_audited(client, world):
    client.force_login(world.ada)
    url = f"/admin/accounts/user/{world.gina.pk}/change/"
    body = client.get(url).content.decode()
    assert 'name="password' not in body and 'name="username"' not in body
    response = client.post(url, {"display_name": "吉娜", "email": "gina@example.cn",
                                 "is_active": "on", "_save": "Save"})
    assert response.status_code == 302
    world.gina.refresh_from_db()
    assert world.gina.display_name == "吉娜"
    entry = AuditEntry.objects.get(action="user.updated")
    assert entry.actor == world.ada
    assert entry.changes["display_name"][1] == "吉娜"
    assert entry.changes["via"] == "admin"


def test_an_admin_cannot_change_users_outside_their_areas(client, world, wuchang):
    outsider = User.objects.create_user(username="outsider", password=PASSWORD)
    assign(outsider, Role.DISPATCHER, wuchang)
    client.force_login(world.ada)
    response = client.post(f"/admin/accounts/user/{outsider.pk}/change/",
                           {"display_name": "x", "email": "", "_save": "Save"})
    assert response.status_code == 302  # not in the admin's list: "does not exist"
    outsider.refresh_from_db()
    assert outsider.display_name != "x"


def test_reset_second_factor_action(client, world):
    enrol_otp(world.alice)
    client.force_login(world.ada)
    response = client.post("/admin/accounts/user/", {
        "action": "reset_second_factor", "_selected_action": [world.alice.pk]})
    assert response.status_code == 302
    world.alice.refresh_from_db()
    assert world.alice.otp_confirmed_at is None and world.alice.otp_secret_cipher == ""
    assert AuditEntry.objects.filter(action="otp.reset", object_id=str(world.alice.pk)).count() == 1


def test_role_assignment_added_and_revoked_through_services(client, world):
    client.force_login(world.ada)
    response = client.post("/admin/accounts/roleassignment/add/", {
        "user": world.nobody.pk, "role": "grid_worker", "area": world.grid_b1.pk, "unit": "",
        "_save": "Save"})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=world.nobody)
    assert AuditEntry.objects.filter(action="role.assigned").count() == 1
    response = client.post(f"/admin/accounts/roleassignment/{assignment.pk}/delete/",
                           {"post": "yes"})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=world.nobody).count() == 0
    assert AuditEntry.objects.filter(action="role.revoked").count() == 1


def test_a_bad_role_assignment_shows_the_service_error(client, world):
    client.force_login(world.ada)
    response = client.post("/admin/accounts/roleassignment/add/", {
        "user": world.nobody.pk, "role": "grid_worker", "area": world.community_a.pk,
        "unit": "", "_save": "Save"})
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "A grid worker is assigned to a grid."]
    assert RoleAssignment.objects.filter(user=world.nobody).count() == 0


def test_api_tokens_are_listed_and_revoked_but_not_added(client, world):
    token, _secret = api_token_create(actor=world.alice, name="phone")
    client.force_login(world.ada)
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    body = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.secret_hash not in body and 'name="_save"' not in body
    response = client.post("/admin/accounts/apitoken/", {
        "action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert AuditEntry.objects.filter(action="token.revoked").count() == 1
