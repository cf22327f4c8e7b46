"""Scope of every accounts endpoint: anonymous, resident, staff of another community, staff of
this community, administrators. A denied write changes nothing."""

import pytest

from linli.accounts.models import ApiToken, RoleAssignment, User
from linli.accounts.tests.conftest import api_login, database_contains
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db

STRONG = "Strong-Pass-2026"


def _as(client, user):
    client.force_login(user)
    return client


def _items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def _snapshot() -> tuple:
    """Everything an accounts write could change."""
    return (sorted(User.objects.values_list("id", "username", "is_staff", "password")),
            sorted(RoleAssignment.objects.values_list("id", "user_id", "role", "area_id")),
            sorted(ApiToken.objects.values_list("id", "revoked_at")),
            AuditEntry.objects.exclude(action__startswith="login.").count())


class TestMe:
    def test_anonymous_is_401(self, client, world):
        response = client.get("/api/accounts/me")
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"

    def test_a_resident_sees_their_roles(self, client, world):
        body = _as(client, world.rita).get("/api/accounts/me").json()
        assignment = RoleAssignment.objects.get(user=world.rita)
        assert body == {"id": world.rita.pk, "username": "rita",
                        "display_name": world.rita.display_name, "phone": "",
                        "roles": [{"id": assignment.pk, "user_id": world.rita.pk,
                                   "role": "resident", "area_id": world.dwelling_a.pk,
                                   "area_name": "101", "unit_id": None}]}

    def test_the_phone_is_masked(self, client, world):
        _as(client, world.ada).post("/api/accounts/users", {
            "username": "zhang", "password": STRONG, "phone": "13600008888",
        }, content_type="application/json")
        client.force_login(User.objects.get(username="zhang"))
        assert client.get("/api/accounts/me").json()["phone"] == "136****8888"
        assert database_contains("13600008888", ["accounts_user"]) == []


class TestTokens:
    def test_anonymous_may_exchange_a_login_but_not_list_or_revoke(self, client, world):
        assert api_login(client, "rita").status_code == 201
        token_id = ApiToken.objects.get().pk
        assert client.get("/api/accounts/tokens").status_code == 401
        assert client.delete(f"/api/accounts/tokens/{token_id}").status_code == 401
        assert ApiToken.objects.get().revoked_at is None

    @pytest.mark.parametrize("name", ["rita", "bob", "alice", "ada"])
    def test_nobody_lists_or_revokes_another_users_token(self, client, world, name):
        assert api_login(client, "gina").status_code == 201
        token = ApiToken.objects.get()
        _as(client, getattr(world, name))
        assert client.get("/api/accounts/tokens").json() == []
        before = _snapshot()
        assert client.delete(f"/api/accounts/tokens/{token.pk}").status_code == 404
        assert _snapshot() == before

    def test_the_owner_lists_and_revokes_with_the_session(self, client, world):
        api_login(client, "rita")
        token = ApiToken.objects.get()
        _as(client, world.rita)
        assert [t["id"] for t in client.get("/api/accounts/tokens").json()] == [token.pk]
        assert client.delete(f"/api/accounts/tokens/{token.pk}").status_code == 204
        token.refresh_from_db()
        assert token.revoked_at is not None


class TestUserList:
    def test_anonymous_is_401(self, client, world):
        assert client.get("/api/accounts/users").status_code == 401

    @pytest.mark.parametrize("name", ["rita", "bob", "alice", "leo"])
    def test_people_without_the_admin_role_see_only_themselves(self, client, world, name):
        names = [u["username"] for u in _items(_as(client, getattr(world, name))
                                                .get("/api/accounts/users"))]
        assert names == [name]

    def test_an_area_admin_sees_their_community_and_unplaced_accounts(self, client, admins):
        names = [u["username"] for u in _items(_as(client, admins.admin_a)
                                                .get("/api/accounts/users"))]
        assert names == ["admin_a", "alice", "gina", "nobody", "rita", "uma"]

    def test_the_admin_of_another_community_sees_none_of_this_one(self, client, admins):
        names = [u["username"] for u in _items(_as(client, admins.admin_b)
                                                .get("/api/accounts/users"))]
        assert names == ["admin_b", "bob", "nobody"]

    def test_the_district_admin_sees_everyone(self, client, admins):
        names = [u["username"] for u in _items(_as(client, admins.ada)
                                                .get("/api/accounts/users"))]
        assert names == ["ada", "admin_a", "admin_b", "alice", "bob", "gina", "leo", "nobody",
                         "rita", "uma"]


class TestUserCreate:
    def _post(self, client, **fields):
        return client.post("/api/accounts/users", {"username": "zhang", "password": STRONG,
                                                    **fields},
                           content_type="application/json")

    def test_anonymous_is_401_and_nothing_is_created(self, client, world):
        before = _snapshot()
        assert self._post(client).status_code == 401
        assert _snapshot() == before

    @pytest.mark.parametrize("name", ["rita", "bob", "alice", "leo"])
    def test_people_without_the_admin_role_are_403(self, client, world, name):
        before = _snapshot()
        response = self._post(_as(client, getattr(world, name)))
        assert response.status_code == 403
        assert response.json() == {"code": "forbidden",
                                   "message": "Only administrators may create accounts."}
        assert _snapshot() == before

    def test_an_area_admin_creates_and_places_within_their_community(self, client, admins):
        response = self._post(_as(client, admins.admin_a), display_name="张伟",
                              phone="13600008888", role="grid_worker",
                              area_id=admins.grid_a2.pk)
        assert response.status_code == 201
        user = User.objects.get(username="zhang")
        assert response.json() == {"id": user.pk, "username": "zhang", "display_name": "张伟",
                                   "phone": "136****8888", "is_active": True}
        assert list(user.assignments.values_list("role", "area_id")) == [
            ("grid_worker", admins.grid_a2.pk)]

    def test_an_area_admin_cannot_place_in_another_community(self, client, admins):
        before = _snapshot()
        response = self._post(_as(client, admins.admin_b), role="dispatcher",
                              area_id=admins.community_a.pk)
        assert response.status_code == 404
        assert _snapshot() == before

    def test_an_area_admin_cannot_place_above_their_community(self, client, admins):
        before = _snapshot()
        response = self._post(_as(client, admins.admin_a), role="leader",
                              area_id=admins.street.pk)
        assert response.status_code == 403
        assert _snapshot() == before

    def test_a_unit_outside_the_admins_areas_is_404(self, client, admins):
        before = _snapshot()
        response = self._post(_as(client, admins.admin_a), role="unit_member",
                              area_id=admins.community_a.pk, unit_id=admins.unit_b.pk)
        assert response.status_code == 404
        assert _snapshot() == before

    def test_a_duplicate_username_is_409(self, client, world):
        response = self._post(_as(client, world.ada), username="RITA")
        assert response.status_code == 409
        assert response.json() == {"code": "duplicate_user",
                                   "message": "The username RITA is already taken."}
        assert User.objects.filter(username__iexact="rita").count() == 1

    def test_a_duplicate_phone_is_409(self, client, world):
        _as(client, world.ada)
        assert self._post(client, phone="13600008888").status_code == 201
        response = self._post(client, username="liwei", phone="+8613600008888")
        assert response.status_code == 409
        assert response.json() == {"code": "duplicate_phone",
                                   "message": "Another account already uses this phone number."}
        assert not User.objects.filter(username="liwei").exists()

    def test_a_weak_password_is_400_and_nothing_is_created(self, client, world):
        before = _snapshot()
        response = self._post(_as(client, world.ada), password="password")
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "weak_password"
        assert "This password is too short. It must contain at least 10 characters." in (
            body["message"])
        assert _snapshot() == before

    def test_an_oversized_field_is_400(self, client, world):
        before = _snapshot()
        response = self._post(_as(client, world.ada), password="A1-" * 100)
        assert response.status_code == 400
        assert response.json()["code"] == "invalid"
        assert _snapshot() == before


class TestAssignmentList:
    def test_anonymous_is_401(self, client, world):
        assert client.get("/api/accounts/assignments").status_code == 401

    @pytest.mark.parametrize("name", ["rita", "bob", "alice"])
    def test_people_without_the_admin_role_see_only_their_own(self, client, world, name):
        user = getattr(world, name)
        ids = [a["id"] for a in _items(_as(client, user).get("/api/accounts/assignments"))]
        assert ids == list(RoleAssignment.objects.filter(user=user).values_list("id", flat=True))

    def test_an_area_admin_sees_the_assignments_in_their_community(self, client, admins):
        items = _items(_as(client, admins.admin_a).get("/api/accounts/assignments"))
        assert [(a["user_id"], a["role"]) for a in items] == [
            (admins.admin_a.pk, "admin"), (admins.alice.pk, "dispatcher"),
            (admins.gina.pk, "grid_worker"), (admins.rita.pk, "resident"),
            (admins.uma.pk, "unit_member")]

    def test_filtering_by_user_stays_in_scope(self, client, admins):
        _as(client, admins.admin_b)
        assert _items(client.get(f"/api/accounts/assignments?user_id={admins.alice.pk}")) == []
        assert len(_items(client.get(f"/api/accounts/assignments?user_id={admins.bob.pk}"))) == 1


class TestAssignmentCreate:
    def _post(self, client, user, role="dispatcher", area=None, unit=None):
        return client.post("/api/accounts/assignments", {
            "user_id": user.pk, "role": role, "area_id": area.pk,
            "unit_id": unit.pk if unit else None,
        }, content_type="application/json")

    def test_anonymous_is_401(self, client, world):
        before = _snapshot()
        assert self._post(client, world.nobody, area=world.community_a).status_code == 401
        assert _snapshot() == before

    def test_a_resident_cannot_give_themselves_a_role(self, client, world):
        before = _snapshot()
        response = self._post(_as(client, world.rita), world.rita, area=world.community_a)
        assert response.status_code == 403
        assert _snapshot() == before

    def test_a_dispatcher_cannot_assign_roles(self, client, world):
        before = _snapshot()
        assert self._post(_as(client, world.bob), world.nobody,
                          area=world.community_b).status_code == 404  # nobody is not bob's
        assert self._post(client, world.bob, role="admin",
                          area=world.community_b).status_code == 403
        _as(client, world.alice)
        assert self._post(client, world.alice, role="admin",
                          area=world.community_a).status_code == 403
        assert _snapshot() == before

    def test_the_admin_of_another_community_is_404(self, client, admins):
        before = _snapshot()
        _as(client, admins.admin_b)
        assert self._post(client, admins.gina, area=admins.community_b).status_code == 404
        assert self._post(client, admins.nobody, area=admins.community_a).status_code == 404
        assert _snapshot() == before

    def test_an_area_admin_assigns_within_their_community(self, client, admins):
        response = self._post(_as(client, admins.admin_a), admins.nobody, role="unit_member",
                              area=admins.community_a, unit=admins.unit_a)
        assert response.status_code == 201
        assignment = RoleAssignment.objects.get(user=admins.nobody)
        assert response.json() == {"id": assignment.pk, "user_id": admins.nobody.pk,
                                   "role": "unit_member", "area_id": admins.community_a.pk,
                                   "area_name": "花楼社区", "unit_id": admins.unit_a.pk}

    def test_an_area_admin_cannot_assign_above_their_community(self, client, admins):
        before = _snapshot()
        response = self._post(_as(client, admins.admin_a), admins.alice, role="leader",
                              area=admins.street)
        assert response.status_code == 403
        assert _snapshot() == before

    def test_a_nonsense_assignment_is_400(self, client, world):
        before = _snapshot()
        response = self._post(_as(client, world.ada), world.nobody, role="resident",
                              area=world.grid_a1)
        assert response.status_code == 400
        assert response.json()["message"] == "A resident is registered at a dwelling."
        assert _snapshot() == before


class TestAssignmentDelete:
    def _delete(self, client, assignment):
        return client.delete(f"/api/accounts/assignments/{assignment.pk}")

    def test_anonymous_is_401(self, client, world):
        before = _snapshot()
        assert self._delete(client, world.gina.assignments.get()).status_code == 401
        assert _snapshot() == before

    def test_a_resident_cannot_drop_their_own_role(self, client, world):
        before = _snapshot()
        assert self._delete(_as(client, world.rita), world.rita.assignments.get()).status_code \
            == 403
        assert _snapshot() == before

    @pytest.mark.parametrize("name", ["bob", "alice", "admin_b"])
    def test_others_cannot_see_the_assignment(self, client, admins, name):
        before = _snapshot()
        _as(client, getattr(admins, name))
        assert self._delete(client, admins.gina.assignments.get()).status_code == 404
        assert _snapshot() == before

    def test_an_area_admin_revokes_within_their_community(self, client, admins):
        assignment = admins.gina.assignments.get()
        assert self._delete(_as(client, admins.admin_a), assignment).status_code == 204
        assert admins.gina.assignments.count() == 0
        entry = AuditEntry.objects.get(action="role.revoked")
        assert (entry.actor, entry.object_id) == (admins.admin_a, str(admins.gina.pk))

    def test_an_area_admin_cannot_revoke_the_leader_above(self, client, admins):
        before = _snapshot()
        _as(client, admins.admin_a)
        assert self._delete(client, admins.leo.assignments.get()).status_code == 404
        assert _snapshot() == before
