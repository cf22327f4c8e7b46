"""Area administrators see, on the audit page, what happens to the accounts of their area:
accounts created, passwords changed, tokens, second factors, accounts disabled. Another
community's administrator does not."""

from io import StringIO

import pytest
from django.core.management import call_command

from linli.accounts import otp, scope, services
from linli.accounts.models import Role
from linli.accounts.tests.factories import enrol_otp
from linli.core.models import AuditEntry
from linli.core.selectors import audit_list
from linli.orgs.services import unit_create

pytestmark = pytest.mark.django_db

STRONG = "Strong-Pass-2026"


def _seen(admin, action: str) -> bool:
    return audit_list(actor=admin, action=action).exists()


def _only_area_a_sees(world, action: str) -> None:
    assert AuditEntry.objects.filter(action=action).exists()
    assert _seen(world.admin_a, action), action
    assert _seen(world.ada, action), action  # the district's admin sees it too
    assert not _seen(world.admin_b, action), action


def test_home_path_is_where_all_roles_meet(world, admins):
    assert scope.home_path(world.alice) == world.community_a.path
    assert scope.home_path(world.rita) == world.dwelling_a.path
    services.role_assign(actor=None, user=world.alice, role=Role.MEDIATOR,
                         area=world.community_b)
    assert scope.home_path(world.alice) == world.street.path
    assert scope.home_path(world.nobody) == ""
    world.alice.is_active = False  # a disabled account's entries stay where they were
    world.alice.save(update_fields=["is_active"])
    assert scope.home_path(world.alice) == world.street.path


def test_an_account_made_with_its_role_is_filed_under_that_area(world, admins):
    services.user_create(actor=world.admin_a, username="newgrid", password=STRONG,
                         role=Role.GRID_WORKER, area=world.grid_a1)
    _only_area_a_sees(world, "user.created")


def test_an_account_made_without_a_role_is_filed_under_its_maker(world, admins):
    services.user_create(actor=world.admin_a, username="unplaced", password=STRONG)
    _only_area_a_sees(world, "user.created")


def test_password_changes_tokens_and_second_factor_are_filed_under_the_user(world, admins):
    services.user_set_password(actor=world.alice, user=world.alice, password=STRONG)
    token, _secret = services.api_token_create(actor=world.alice, name="app")
    services.api_token_revoke(actor=world.alice, token=token)
    otp.otp_begin_enrolment(user=world.alice)
    assert otp.otp_verify(user=world.alice, code=otp.otp_current_code(world.alice))
    otp.otp_reset(actor=world.admin_a, user=world.alice)
    for action in ("user.password_changed", "token.created", "token.revoked", "otp.enrolled",
                   "otp.reset"):
        _only_area_a_sees(world, action)


def test_printing_a_code_is_filed_under_the_user(world, admins):
    enrol_otp(world.alice)
    call_command("otp_code", "alice", stdout=StringIO())
    _only_area_a_sees(world, "otp.code_shown")


def test_disabling_an_account_in_the_admin_is_filed_under_the_user(client, world, admins):
    client.force_login(world.admin_a)
    response = client.post(f"/admin/accounts/user/{world.gina.pk}/change/", {
        "display_name": world.gina.display_name, "email": "", "_save": "Save"})
    assert response.status_code == 302
    world.gina.refresh_from_db()
    assert world.gina.is_active is False
    _only_area_a_sees(world, "user.updated")


def test_a_new_unit_is_filed_where_its_areas_meet(world, admins):
    unit_create(actor=world.admin_a, name="花楼保洁", kind="cleaning",
                service_areas=[world.grid_a1, world.grid_a2])
    _only_area_a_sees(world, "unit.created")
    assert AuditEntry.objects.get(action="unit.created").area_path == world.community_a.path
