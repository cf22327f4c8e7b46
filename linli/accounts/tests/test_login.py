"""Password login on the page and the token endpoint: hashing, lockout, audit, idle timeout."""

from datetime import timedelta
from typing import cast

import pytest
from django.conf import settings

from linli.accounts import login, services
from linli.accounts.tests.conftest import api_login, logged_in_user_id, page_login
from linli.accounts.tests.factories import PASSWORD
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db

WRONG = "Not-The-Password-1"
LOCKED = "Too many failed logins. Login is locked; try again in 15 minutes."
IP_LOCKED = ("Too many failed logins from this network address. Login from here is locked; "
             "try again in 15 minutes.")


def _page_error(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def _actions(label: str) -> list[str]:
    return list(AuditEntry.objects.filter(object_label=label, action__startswith="login.")
                .order_by("id").values_list("action", flat=True))


def test_production_hashers_store_argon2(settings, db):
    import linli.settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = services.user_create(actor=None, username="hasher", password="Strong-Pass-2026")
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("Strong-Pass-2026")


def test_right_password_logs_a_resident_in_and_audits_it_with_the_ip(client, world):
    response = page_login(client, "rita", ip="10.0.0.7")
    assert response.status_code == 302 and response.url == "/"
    assert logged_in_user_id(client) == world.rita.pk
    entry = AuditEntry.objects.get(action=login.SUCCEEDED)
    assert (entry.actor_id, entry.object_label, entry.ip, entry.channel) == (
        world.rita.pk, "rita", "10.0.0.7", "web")


def test_username_is_matched_whatever_its_case(client, world):
    assert page_login(client, "RITA").status_code == 302
    assert logged_in_user_id(client) == world.rita.pk


def test_a_phone_number_logs_in_too(client, db):
    user = services.user_create(actor=None, username="zhang", password="Strong-Pass-2026",
                                phone="13600008888")
    response = page_login(client, "+86 136-0000-8888", "Strong-Pass-2026")
    assert response.status_code == 302
    assert logged_in_user_id(client) == user.pk


def test_wrong_password_is_refused_and_audited_with_the_ip(client, world):
    response = page_login(client, "rita", WRONG, ip="10.0.0.8")
    assert response.status_code == 200
    assert _page_error(response) == "Wrong username or password."
    assert logged_in_user_id(client) is None
    entry = AuditEntry.objects.get(action=login.FAILED)
    assert (entry.actor_id, entry.object_label, entry.ip, entry.changes) == (
        None, "rita", "10.0.0.8", {"reason": "password"})


def test_unknown_username_gets_the_wrong_password_message(client, world):
    unknown = api_login(client, "nosuchuser", WRONG, ip="10.0.1.1")
    known = api_login(client, "rita", WRONG, ip="10.0.1.2")
    assert unknown.status_code == known.status_code == 401
    assert unknown.json() == known.json() == {"code": "login_failed",
                                              "message": "Wrong username or password."}
    assert _page_error(page_login(client, "nosuchuser", WRONG, ip="10.0.1.3")) == (
        "Wrong username or password.")


def test_unknown_usernames_lock_like_real_ones(client, world):
    for i in range(5):
        assert api_login(client, "NoSuchUser", WRONG, ip=f"10.0.2.{i}").status_code == 401
    response = api_login(client, "nosuchuser", WRONG, ip="10.0.2.9")
    assert response.status_code == 429
    assert response.json()["message"] == LOCKED


def test_an_unknown_phone_is_audited_masked(client, db):
    page_login(client, "13912345678", WRONG)
    entry = AuditEntry.objects.get(action=login.FAILED)
    assert entry.object_label == "139****5678"
    assert entry.changes == {"reason": "unknown_user"}


def test_five_failures_lock_the_page_login_even_with_the_right_password(client, world):
    for i in range(5):
        response = page_login(client, "rita", WRONG, ip=f"10.0.3.{i}")
        assert _page_error(response) == "Wrong username or password."
    response = page_login(client, "rita", PASSWORD, ip="10.0.3.9")
    assert response.status_code == 200
    assert _page_error(response) == LOCKED
    assert logged_in_user_id(client) is None
    assert _actions("rita") == [login.FAILED] * 5 + [login.REFUSED_LOCKED]
    locked = AuditEntry.objects.get(action=login.REFUSED_LOCKED)
    assert locked.ip == "10.0.3.9"


def test_the_lock_is_released_after_lockout_minutes(client, world, clock):
    for i in range(5):
        page_login(client, "rita", WRONG, ip=f"10.0.4.{i}")
    clock.shift(timedelta(minutes=14))
    response = page_login(client, "rita", PASSWORD)
    assert _page_error(response) == (
        "Too many failed logins. Login is locked; try again in 1 minute.")
    clock.shift(timedelta(minutes=1, seconds=5))
    assert page_login(client, "rita", PASSWORD).status_code == 302
    assert logged_in_user_id(client) == world.rita.pk


def test_failures_spread_over_the_window_still_lock_for_the_full_period(client, world, clock):
    for i in range(4):
        page_login(client, "rita", WRONG, ip=f"10.0.5.{i}")
        clock.shift(timedelta(minutes=1))
    clock.shift(timedelta(minutes=10))  # the fifth failure comes 14 minutes after the first
    page_login(client, "rita", WRONG, ip="10.0.5.8")
    clock.shift(timedelta(minutes=10))
    assert _page_error(page_login(client, "rita", PASSWORD, ip="10.0.5.9")) == (
        "Too many failed logins. Login is locked; try again in 5 minutes.")
    clock.shift(timedelta(minutes=6))
    assert page_login(client, "rita", PASSWORD, ip="10.0.5.9").status_code == 302


def test_failures_further_apart_than_the_window_do_not_lock(client, world, clock):
    for i in range(5):
        page_login(client, "rita", WRONG, ip=f"10.0.6.{i}")
        clock.shift(timedelta(minutes=4))
    assert page_login(client, "rita", PASSWORD, ip="10.0.6.9").status_code == 302


def test_a_success_resets_the_account_count(client, world):
    for i in range(4):
        page_login(client, "rita", WRONG, ip=f"10.0.7.{i}")
    assert page_login(client, "rita", ip="10.0.7.20").status_code == 302
    client.post("/accounts/logout/")
    for i in range(4):
        page_login(client, "rita", WRONG, ip=f"10.0.7.{i + 10}")
    assert page_login(client, "rita", ip="10.0.7.21").status_code == 302
    assert logged_in_user_id(client) == world.rita.pk


def test_an_office_behind_one_ip_can_be_given_a_higher_ip_threshold(client, world, settings):
    settings.LOCKOUT_IP_THRESHOLD = 30
    for name in ("alice", "bob", "gina", "uma", "leo", "ada"):  # one typo each
        page_login(client, name, WRONG, ip="10.9.9.9")
    assert page_login(client, "rita", PASSWORD, ip="10.9.9.9").status_code == 302


def test_five_failures_from_one_ip_lock_that_ip_for_every_account(client, world):
    for i in range(5):
        page_login(client, f"guess{i}", WRONG, ip="10.9.9.9")
    response = page_login(client, "rita", PASSWORD, ip="10.9.9.9")
    # The address is named, so colleagues behind it do not think their accounts are locked.
    assert _page_error(response) == IP_LOCKED
    assert logged_in_user_id(client) is None
    locked = AuditEntry.objects.get(action=login.REFUSED_LOCKED)
    assert (locked.object_label, locked.changes) == ("rita", {"reason": "address"})
    assert page_login(client, "rita", PASSWORD, ip="10.9.9.10").status_code == 302


def test_the_api_says_whether_the_account_or_the_address_is_locked(client, world):
    for i in range(5):
        api_login(client, f"guess{i}", WRONG, ip="10.9.9.9")
    response = api_login(client, "rita", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert response.json() == {"code": "locked", "message": IP_LOCKED,
                               "details": {"retry_after_minutes": 15, "locked": "address"}}


def test_an_account_locked_from_a_locked_address_is_named_by_the_later_lock(client, world,
                                                                            clock):
    for i in range(5):
        page_login(client, "rita", WRONG, ip=f"10.0.13.{i}")
    clock.shift(timedelta(minutes=5))
    for i in range(5):
        page_login(client, f"guess{i}", WRONG, ip="10.0.13.0")
    # The address lock ends 5 minutes after the account's: it is the one to wait for.
    assert _page_error(page_login(client, "rita", PASSWORD, ip="10.0.13.0")) == IP_LOCKED
    assert _page_error(page_login(client, "rita", PASSWORD, ip="10.0.13.9")) == (
        "Too many failed logins. Login is locked; try again in 10 minutes.")


def test_the_token_endpoint_locks_releases_and_audits(client, world, clock):
    for i in range(5):
        response = api_login(client, "rita", WRONG, ip=f"10.0.8.{i}")
        assert response.status_code == 401
        assert response.json()["code"] == "login_failed"
    response = api_login(client, "rita", PASSWORD, ip="10.0.8.9")
    assert response.status_code == 429
    assert response.json() == {"code": "locked", "message": LOCKED,
                               "details": {"retry_after_minutes": 15, "locked": "account"}}
    clock.shift(timedelta(minutes=15, seconds=1))
    assert api_login(client, "rita", PASSWORD, ip="10.0.8.9").status_code == 201
    assert _actions("rita") == [login.FAILED] * 5 + [login.REFUSED_LOCKED, login.SUCCEEDED]
    assert set(AuditEntry.objects.filter(action__startswith="login.")
               .values_list("channel", flat=True)) == {"api"}


def test_failures_on_the_page_and_the_api_add_up(client, world):
    for i in range(3):
        page_login(client, "rita", WRONG, ip=f"10.0.10.{i}")
    for i in range(2):
        api_login(client, "rita", WRONG, ip=f"10.0.11.{i}")
    assert api_login(client, "rita", PASSWORD, ip="10.0.12.1").status_code == 429


def test_a_disabled_account_is_named_only_to_who_knows_its_password(client, world):
    world.rita.is_active = False
    world.rita.save(update_fields=["is_active"])
    wrong = api_login(client, "rita", WRONG)
    assert wrong.json() == {"code": "login_failed", "message": "Wrong username or password."}
    right = api_login(client, "rita", PASSWORD)
    assert right.status_code == 401
    assert right.json() == {"code": "account_disabled",
                            "message": "This account is disabled. Ask your community office."}
    assert _page_error(page_login(client, "rita")) == (
        "This account is disabled. Ask your community office.")
    assert logged_in_user_id(client) is None


def test_lockout_settings_are_the_level_3_defaults():
    assert settings.LOCKOUT_THRESHOLD == 5
    assert settings.LOCKOUT_MINUTES == 15


class TestSessionIdleTimeout:
    def test_the_settings_make_an_idle_timeout(self):
        assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
        assert settings.SESSION_SAVE_EVERY_REQUEST is True

    def test_an_idle_session_is_logged_out(self, client, world, clock):
        client.force_login(world.rita)
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES, seconds=1))
        response = client.get("/")
        assert response.status_code == 302
        assert response.url == "/accounts/login/?next=/"
        assert logged_in_user_id(client) is None

    def test_an_active_session_stays_logged_in(self, client, world, clock):
        client.force_login(world.rita)
        idle = settings.SESSION_IDLE_MINUTES
        for _ in range(3):  # 3 × (idle − 1) minutes in all: longer than one idle period
            clock.shift(timedelta(minutes=idle - 1))
            assert client.get("/").status_code == 200
        assert logged_in_user_id(client) == world.rita.pk

    def test_an_idle_api_session_is_refused(self, client, world, clock):
        client.force_login(world.rita)
        assert client.get("/api/accounts/me").status_code == 200
        clock.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES, seconds=1))
        assert client.get("/api/accounts/me").status_code == 401


def test_area_admins_see_login_attempts_on_their_staff_only(client, world):
    from linli.accounts.models import User
    from linli.accounts.tests.factories import UserFactory, assign
    from linli.core.selectors import audit_list
    from linli.orgs.tests.factories import make_area

    page_login(client, "rita", WRONG, ip="10.0.9.1")
    page_login(client, "gina", PASSWORD, ip="10.0.9.2")
    page_login(client, "nosuchuser", WRONG, ip="10.0.9.3")
    other = cast(User, UserFactory(username="wu_admin"))
    assign(other, "admin", make_area("district", "武昌区", code="420106"))

    def seen_by(admin) -> set[str]:
        return set(audit_list(actor=admin, action="login.").values_list("object_label",
                                                                         flat=True))

    assert seen_by(world.ada) == {"rita", "gina"}
    assert seen_by(other) == set()
    entry = AuditEntry.objects.get(object_label="rita")
    assert entry.area_path == world.dwelling_a.path  # rita's one role is at her dwelling
