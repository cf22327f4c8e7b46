"""Account services: password rules, duplicates, phone privacy, role assignments."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from linli.accounts import permissions, services
from linli.accounts.models import Role, RoleAssignment, User
from linli.accounts.tests.conftest import database_contains
from linli.accounts.tests.factories import UserFactory
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db

STRONG = "Strong-Pass-2026"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _create(**kwargs) -> User:
    return services.user_create(**{"actor": None, "username": "zhangwei",
                                    "password": STRONG, **kwargs})


class TestPasswordRules:
    @pytest.mark.parametrize(("password", "expected"), [
        ("Ab1!xyz", "This password is too short. It must contain at least 10 characters."),
        ("20260101123456", "This password is entirely numeric."),
        ("abcdefghijk1", "The password must mix at least three of: lower-case letters, "
                         "upper-case letters, digits and symbols."),
        ("Password123", "This password is too common."),
        ("Zhangwei2026!", "The password is too similar to the username."),
    ])
    def test_a_weak_password_is_refused_and_nothing_is_created(self, password, expected):
        with pytest.raises(ValidationFailed) as refused:
            _create(password=password)
        assert refused.value.code == "weak_password"
        assert expected in refused.value.message
        assert User.objects.count() == 0
        assert AuditEntry.objects.count() == 0

    def test_a_strong_password_is_accepted(self):
        user = _create()
        assert user.check_password(STRONG)
        assert AuditEntry.objects.filter(action="user.created").count() == 1

    def test_changing_to_a_weak_password_changes_nothing(self, world):
        before = User.objects.get(pk=world.rita.pk).password
        with pytest.raises(ValidationFailed):
            services.user_set_password(actor=world.rita, user=world.rita, password="short1A")
        assert User.objects.get(pk=world.rita.pk).password == before

    def test_changing_the_password_is_audited(self, world):
        services.user_set_password(actor=world.rita, user=world.rita, password=STRONG)
        assert User.objects.get(pk=world.rita.pk).check_password(STRONG)
        assert AuditEntry.objects.filter(action="user.password_changed",
                                         actor=world.rita).count() == 1


class TestDuplicatesAndPhone:
    def test_a_username_differing_only_in_case_is_refused(self):
        _create()
        with pytest.raises(Conflict) as refused:
            _create(username="ZhangWei")
        assert (refused.value.code, refused.value.message) == (
            "duplicate_user", "The username ZhangWei is already taken.")
        assert User.objects.count() == 1

    def test_the_database_refuses_a_case_twin_too(self):
        _create()
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(username="ZHANGWEI")

    def test_a_phone_already_used_is_refused(self):
        _create(phone="13600008888")
        with pytest.raises(Conflict) as refused:
            _create(username="liwei", phone="136 0000 8888")
        assert (refused.value.code, refused.value.message) == (
            "duplicate_phone", "Another account already uses this phone number.")
        assert User.objects.count() == 1

    def test_a_phone_is_stored_only_encrypted_and_hashed(self):
        user = _create(phone="+86 136-0000-8888")
        user.refresh_from_db()
        assert user.phone_cipher and len(user.phone_hash) == 64
        assert database_contains("13600008888") == []
        assert database_contains("0000888") == []
        assert user.phone_masked == "136****8888"

    @pytest.mark.parametrize("phone", ["12345", "23600008888", "1360000888a"])
    def test_a_malformed_phone_is_refused(self, phone):
        with pytest.raises(ValidationFailed) as refused:
            _create(phone=phone)
        assert refused.value.code == "bad_phone"
        assert User.objects.count() == 0

    @pytest.mark.parametrize("username", ["ab", "1abc", "张伟", "a b c", "x" * 65])
    def test_a_malformed_username_is_refused(self, username):
        with pytest.raises(ValidationFailed) as refused:
            _create(username=username)
        assert refused.value.code == "bad_username"
        assert User.objects.count() == 0


class TestCreateAndPlace:
    def test_only_administrators_create_accounts(self, world):
        for actor in (world.rita, world.alice, world.leo):
            with pytest.raises(PermissionDenied):
                _create(actor=actor)
        assert not User.objects.filter(username="zhangwei").exists()

    def test_an_admin_creates_and_places_in_one_step(self, world):
        user = _create(actor=world.ada, role=Role.GRID_WORKER, area=world.grid_a2)
        assignment = RoleAssignment.objects.get(user=user)
        assert (assignment.role, assignment.area) == (Role.GRID_WORKER, world.grid_a2)
        assert list(AuditEntry.objects.filter(object_id=str(user.pk))
                    .order_by("id").values_list("action", flat=True)) == [
            "user.created", "role.assigned"]

    def test_placing_outside_the_admins_areas_creates_nothing(self, world):
        admin_b = UserFactory.create(username="admin_b")
        RoleAssignment.objects.create(user=admin_b, role=Role.ADMIN, area=world.community_b)
        with pytest.raises(PermissionDenied):
            _create(actor=admin_b, role=Role.DISPATCHER, area=world.community_a)
        assert not User.objects.filter(username="zhangwei").exists()

    def test_a_role_without_an_area_is_refused(self, world):
        with pytest.raises(ValidationFailed):
            _create(actor=world.ada, role=Role.DISPATCHER)
        assert not User.objects.filter(username="zhangwei").exists()


class TestRoles:
    @pytest.mark.parametrize(("role", "area_name", "message"), [
        (Role.RESIDENT, "grid_a1", "A resident is registered at a dwelling."),
        (Role.GRID_WORKER, "community_a", "A grid worker is assigned to a grid."),
        (Role.UNIT_MEMBER, "community_a", "A unit member must belong to a handling unit."),
        ("mayor", "community_a", "Unknown role."),
    ])
    def test_an_assignment_that_makes_no_sense_is_refused(self, world, role, area_name, message):
        with pytest.raises(ValidationFailed) as refused:
            services.role_assign(actor=world.ada, user=world.nobody, role=role,
                                 area=getattr(world, area_name))
        assert refused.value.message == message
        assert RoleAssignment.objects.filter(user=world.nobody).count() == 0

    def test_a_duplicate_assignment_is_a_conflict(self, world):
        with pytest.raises(Conflict):
            services.role_assign(actor=world.ada, user=world.alice, role=Role.DISPATCHER,
                                 area=world.community_a)
        assert RoleAssignment.objects.filter(user=world.alice).count() == 1

    def test_an_admin_role_opens_the_admin_site_and_revoking_it_closes_it(self, world):
        assignment = services.role_assign(actor=world.ada, user=world.nobody, role=Role.ADMIN,
                                          area=world.community_a)
        assert User.objects.get(pk=world.nobody.pk).is_staff is True
        services.role_revoke(actor=world.ada, assignment=assignment)
        assert User.objects.get(pk=world.nobody.pk).is_staff is False

    def test_role_changes_are_audited_with_the_area(self, world):
        services.role_assign(actor=world.ada, user=world.nobody, role=Role.DISPATCHER,
                             area=world.community_a)
        entry = AuditEntry.objects.get(action="role.assigned")
        assert (entry.actor, entry.area_path) == (world.ada, world.community_a.path)

    def test_an_area_admin_may_not_manage_a_system_administrator(self, world):
        root = UserFactory.create(username="root", is_superuser=True)
        before = root.password
        assert permissions.can_manage_user(world.ada, root) is False
        with pytest.raises(PermissionDenied):
            services.user_set_password(actor=world.ada, user=root, password=STRONG)
        root.refresh_from_db()
        assert root.password == before

    def test_an_admin_manages_users_only_wholly_within_their_areas(self, world):
        admin_a = UserFactory.create(username="admin_a")
        RoleAssignment.objects.create(user=admin_a, role=Role.ADMIN, area=world.community_a)
        assert permissions.can_manage_user(admin_a, world.alice) is True
        assert permissions.can_manage_user(admin_a, world.bob) is False
        assert permissions.can_manage_user(admin_a, world.leo) is False  # the street is above
        assert permissions.can_manage_user(world.alice, world.rita) is False
