"""The TOTP second factor for dispatchers, leaders and admins, on the pages and the API."""

from datetime import timedelta
from io import StringIO

import pyotp
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from linli.accounts import login, otp
from linli.accounts.models import User
from linli.accounts.tests.conftest import api_login, logged_in_user_id, page_login
from linli.accounts.tests.factories import UserFactory, enrol_otp
from linli.core.errors import PermissionDenied
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/login/verify/"
WRONG_CODE = "The verification code is wrong or has expired."


def _other_code(totp: pyotp.TOTP) -> str:
    """A code valid in none of the steps the server accepts (now, one before, one after)."""
    now = timezone.now()
    valid = {totp.at(now + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in valid)


def _secret_of(user: User) -> str:
    user.refresh_from_db()
    return otp.otp_secret(user)


@pytest.mark.parametrize("name", ["alice", "leo", "ada"])
def test_staff_roles_go_to_the_second_step_not_logged_in(client, world, name):
    enrol_otp(getattr(world, name))
    response = page_login(client, name)
    assert response.status_code == 302 and response.url == VERIFY
    assert logged_in_user_id(client) is None
    assert client.get("/").status_code == 302  # still anonymous
    assert AuditEntry.objects.filter(action=login.PASSWORD_PASSED, object_label=name).count() == 1
    assert AuditEntry.objects.filter(action=login.SUCCEEDED).count() == 0


@pytest.mark.parametrize("name", ["rita", "gina", "uma", "nobody"])
def test_residents_grid_workers_and_unit_members_log_in_with_the_password(client, world, name):
    response = page_login(client, name)
    assert response.status_code == 302 and response.url == "/"
    assert logged_in_user_id(client) == getattr(world, name).pk


def test_a_superuser_needs_the_second_factor_too(client, db):
    root = UserFactory.create(username="root", is_superuser=True)
    enrol_otp(root)
    assert page_login(client, "root").url == VERIFY
    assert logged_in_user_id(client) is None


def test_a_valid_code_completes_the_login_and_keeps_next(client, world):
    totp = enrol_otp(world.alice)
    page_login(client, "alice", next="/orgs/")
    response = client.post(VERIFY, {"code": totp.now()})
    assert response.status_code == 302 and response.url == "/orgs/"
    assert logged_in_user_id(client) == world.alice.pk
    assert AuditEntry.objects.filter(action=login.SUCCEEDED, object_label="alice",
                                     actor=world.alice).count() == 1


def test_a_wrong_code_is_refused_and_counted(client, world):
    totp = enrol_otp(world.alice)
    page_login(client, "alice")
    response = client.post(VERIFY, {"code": _other_code(totp)})
    assert response.status_code == 200
    assert " ".join(response.context["form"].non_field_errors()) == WRONG_CODE
    assert logged_in_user_id(client) is None
    failure = AuditEntry.objects.get(action=login.FAILED)
    assert (failure.object_label, failure.changes, failure.ip) == (
        "alice", {"reason": "otp"}, "127.0.0.1")


def test_wrong_codes_lock_the_account(client, world):
    totp = enrol_otp(world.alice)
    for i in range(4):
        page_login(client, "alice", "Wrong-Password-1", ip=f"10.1.0.{i}")
    page_login(client, "alice", ip="10.1.0.8")
    client.post(VERIFY, {"code": _other_code(totp)}, REMOTE_ADDR="10.1.0.8")  # fifth failure
    response = client.post(VERIFY, {"code": totp.now()}, REMOTE_ADDR="10.1.0.8", follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "Too many failed logins" in response.content.decode()
    assert logged_in_user_id(client) is None
    assert client.get(VERIFY).url == "/accounts/login/"  # the pending login is gone


def test_a_replayed_code_is_refused(client, world, clock):
    totp = enrol_otp(world.alice)
    page_login(client, "alice")
    code = totp.now()
    client.post(VERIFY, {"code": code})
    client.post("/accounts/logout/")
    clock.shift(timedelta(seconds=5))
    page_login(client, "alice")
    response = client.post(VERIFY, {"code": code})
    assert " ".join(response.context["form"].non_field_errors()) == WRONG_CODE
    assert logged_in_user_id(client) is None


def test_the_next_time_step_is_accepted(client, world, clock):
    totp = enrol_otp(world.alice)
    page_login(client, "alice")
    client.post(VERIFY, {"code": totp.now()})
    client.post("/accounts/logout/")
    clock.shift(timedelta(seconds=30))
    page_login(client, "alice")
    assert client.post(VERIFY, {"code": totp.now()}).status_code == 302
    assert logged_in_user_id(client) == world.alice.pk


def test_the_pending_login_expires_after_five_minutes(client, world, clock):
    totp = enrol_otp(world.alice)
    page_login(client, "alice")
    clock.shift(timedelta(minutes=5, seconds=1))
    response = client.post(VERIFY, {"code": totp.now()}, follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "Your login timed out. Please log in again." in response.content.decode()
    assert logged_in_user_id(client) is None


def test_the_pending_login_still_works_just_before_five_minutes(client, world, clock):
    totp = enrol_otp(world.alice)
    page_login(client, "alice")
    clock.shift(timedelta(minutes=4, seconds=50))
    assert client.post(VERIFY, {"code": totp.now()}).status_code == 302
    assert logged_in_user_id(client) == world.alice.pk


def test_the_verify_page_without_a_password_step_sends_to_login(client, world):
    response = client.get(VERIFY)
    assert response.status_code == 302 and response.url == "/accounts/login/"


def test_a_user_disabled_between_the_steps_is_not_logged_in(client, world):
    totp = enrol_otp(world.alice)
    page_login(client, "alice")
    User.objects.filter(pk=world.alice.pk).update(is_active=False)
    assert client.post(VERIFY, {"code": totp.now()}).url == "/accounts/login/"
    assert logged_in_user_id(client) is None


class TestEnrolment:
    def test_a_user_without_a_confirmed_secret_is_shown_enrolment(self, client, world):
        page_login(client, "leo")
        response = client.get(VERIFY)
        secret = _secret_of(world.leo)
        assert response.context["enrolling"] is True
        assert response.context["secret"] == secret and len(secret) == 32
        assert "<svg" in response.content.decode()
        assert secret not in world.leo.otp_secret_cipher  # stored encrypted

    def test_the_secret_stays_the_same_while_enrolling(self, client, world):
        page_login(client, "leo")
        first = client.get(VERIFY).context["secret"]
        assert client.get(VERIFY).context["secret"] == first
        response = client.post(VERIFY, {"code": pyotp.TOTP(first).now()})
        assert response.status_code == 302
        assert logged_in_user_id(client) == world.leo.pk
        world.leo.refresh_from_db()
        assert world.leo.otp_confirmed_at is not None
        assert AuditEntry.objects.filter(action="otp.enrolled", actor=world.leo).count() == 1

    def test_each_new_login_gets_a_new_unconfirmed_secret(self, client, world):
        page_login(client, "leo")
        first = _secret_of(world.leo)
        page_login(client, "leo")
        second = _secret_of(world.leo)
        assert first != second
        response = client.post(VERIFY, {"code": pyotp.TOTP(first).now()})
        assert " ".join(response.context["form"].non_field_errors()) == WRONG_CODE

    def test_a_confirmed_user_is_not_shown_the_secret(self, client, world):
        enrol_otp(world.alice)
        page_login(client, "alice")
        response = client.get(VERIFY)
        assert response.context["enrolling"] is False
        assert "secret" not in response.context
        assert "<svg" not in response.content.decode()

    def test_an_admin_reset_makes_the_user_enrol_again(self, world):
        totp = enrol_otp(world.alice)
        otp.otp_reset(actor=world.ada, user=world.alice)
        world.alice.refresh_from_db()
        assert (world.alice.otp_secret_cipher, world.alice.otp_confirmed_at) == ("", None)
        assert otp.otp_verify(user=world.alice, code=totp.now()) is False
        assert AuditEntry.objects.filter(action="otp.reset", actor=world.ada).count() == 1

    def test_an_admin_of_another_area_may_not_reset(self, world):
        from linli.accounts.models import Role
        from linli.accounts.tests.factories import assign

        admin_b = UserFactory.create(username="admin_b")
        assign(admin_b, Role.ADMIN, world.community_b)
        enrol_otp(world.alice)
        before = world.alice.otp_secret_cipher
        with pytest.raises(PermissionDenied):
            otp.otp_reset(actor=admin_b, user=world.alice)
        world.alice.refresh_from_db()
        assert world.alice.otp_secret_cipher == before


class TestTokenEndpoint:
    def test_the_code_is_required_for_staff_roles(self, client, world):
        enrol_otp(world.alice)
        response = api_login(client, "alice")
        assert response.status_code == 400
        assert response.json() == {"code": "otp_required",
                                   "message": "This account needs its 6-digit verification code."}
        assert world.alice.api_tokens.count() == 0

    def test_a_wrong_code_is_refused_and_counts(self, client, world):
        totp = enrol_otp(world.alice)
        response = api_login(client, "alice", otp=_other_code(totp))
        assert response.status_code == 401
        assert response.json() == {"code": "otp_failed", "message": WRONG_CODE}
        assert AuditEntry.objects.filter(action=login.FAILED, object_label="alice").count() == 1
        assert world.alice.api_tokens.count() == 0

    def test_the_right_code_gives_a_token(self, client, world):
        totp = enrol_otp(world.alice)
        response = api_login(client, "alice", otp=totp.now())
        assert response.status_code == 201
        assert world.alice.api_tokens.count() == 1
        assert AuditEntry.objects.filter(action=login.SUCCEEDED, object_label="alice").count() == 1

    def test_a_user_not_yet_enrolled_is_sent_to_the_web(self, client, world):
        response = api_login(client, "leo", otp="123456")
        assert response.status_code == 401
        assert response.json()["code"] == "otp_not_enrolled"
        world.leo.refresh_from_db()
        assert world.leo.otp_confirmed_at is None

    def test_a_resident_needs_no_code(self, client, world):
        assert api_login(client, "rita").status_code == 201


class TestOtpCodeCommand:
    def test_prints_the_current_code(self, world):
        totp = enrol_otp(world.alice)
        out = StringIO()
        call_command("otp_code", "ALICE", stdout=out)
        assert out.getvalue().strip() == totp.now()
        assert AuditEntry.objects.filter(action="otp.code_shown",
                                         object_id=str(world.alice.pk)).count() == 1

    def test_the_printed_code_logs_in(self, client, world):
        enrol_otp(world.alice)
        out = StringIO()
        call_command("otp_code", "alice", stdout=out)
        page_login(client, "alice")
        assert client.post(VERIFY, {"code": out.getvalue().strip()}).status_code == 302
        assert logged_in_user_id(client) == world.alice.pk

    def test_a_user_without_second_factor_is_a_clear_error(self, world):
        with pytest.raises(CommandError, match="rita has no second factor"):
            call_command("otp_code", "rita", stdout=StringIO())

    def test_an_unknown_user_is_a_clear_error(self, db):
        with pytest.raises(CommandError, match="No user is named 'ghost'"):
            call_command("otp_code", "ghost", stdout=StringIO())
