"""The login, second-factor and account pages, through Django's test client."""

import pytest
from django.test import Client

from linli.accounts import login
from linli.accounts.tests.conftest import logged_in_user_id, page_login
from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db

STRONG = "Strong-Pass-2026"


class TestLoginPage:
    def test_the_page_is_chinese_by_default(self, db):
        response = Client().get("/accounts/login/")
        assert response.status_code == 200
        assert response.headers["Content-Language"] == "zh-hans"
        assert '<html lang="zh-CN">' in response.content.decode()

    def test_the_page_has_a_labelled_form(self, client, db):
        html = client.get("/accounts/login/").content.decode()
        assert "<h1>Log in to Linli</h1>" in html
        assert '<label for="id_username">Username or phone</label>' in html
        assert '<label for="id_password">Password</label>' in html
        assert 'autocomplete="current-password"' in html
        assert "After 5 failed attempts, login is locked for 15 minutes." in html
        assert 'name="csrfmiddlewaretoken"' in html

    def test_a_refusal_is_shown_as_an_alert_and_keeps_the_username(self, client, world):
        html = page_login(client, "rita", "Wrong-Pass-1").content.decode()
        assert '<p class="error" role="alert">Wrong username or password.</p>' in html
        assert 'value="rita"' in html
        assert "Wrong-Pass-1" not in html

    def test_an_empty_form_is_refused_without_an_attempt(self, client, world):
        response = client.post("/accounts/login/", {"username": "", "password": ""})
        assert response.status_code == 200
        assert response.context["form"].errors.keys() == {"username", "password"}
        assert AuditEntry.objects.count() == 0

    def test_next_is_kept_and_followed(self, client, world):
        response = client.get("/orgs/")
        assert response.url == "/accounts/login/?next=/orgs/"
        html = client.get(response.url).content.decode()
        assert '<input type="hidden" name="next" value="/orgs/">' in html
        assert page_login(client, "rita", next="/orgs/").url == "/orgs/"

    def test_next_to_another_site_is_ignored(self, client, world):
        assert page_login(client, "rita", next="https://evil.example/").url == "/"

    def test_the_admin_sites_login_goes_through_this_page(self, client, world):
        response = client.get("/admin/login/?next=/admin/")
        assert response.status_code == 302
        assert response.url == "/accounts/login/?next=/admin/"
        form = client.post("/admin/login/", {"username": "ada", "password": PASSWORD})
        assert form.status_code == 302 and logged_in_user_id(client) is None

    def test_logout_needs_a_post(self, client, world):
        client.force_login(world.rita)
        assert client.get("/accounts/logout/").status_code == 405
        assert logged_in_user_id(client) == world.rita.pk
        assert client.post("/accounts/logout/").url == "/accounts/login/"
        assert logged_in_user_id(client) is None


class TestOtpPage:
    def test_enrolment_is_readable(self, client, world):
        page_login(client, "leo")
        response = client.get("/accounts/login/verify/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Second factor</h1>" in html
        assert "Logging in as leo." in html
        assert "Scan this code with an authenticator app" in html
        assert f'<code id="otp-secret">{response.context["secret"]}</code>' in html
        assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
        assert "This step expires 5 minutes after you entered your password." in html

    def test_an_enrolled_user_is_asked_for_the_code_only(self, client, world):
        enrol_otp(world.alice)
        page_login(client, "alice")
        html = client.get("/accounts/login/verify/").content.decode()
        assert "Enter the 6-digit code from your authenticator app." in html
        assert 'id="otp-secret"' not in html

    def test_a_malformed_code_is_a_field_error_and_no_attempt(self, client, world):
        enrol_otp(world.alice)
        page_login(client, "alice")
        response = client.post("/accounts/login/verify/", {"code": "12"})
        assert response.status_code == 200
        assert "code" in response.context["form"].errors
        assert AuditEntry.objects.filter(action=login.FAILED).count() == 0


class TestProfilePage:
    def test_anonymous_is_sent_to_login(self, client, db):
        assert client.get("/accounts/me/").url == "/accounts/login/?next=/accounts/me/"

    def test_the_page_shows_the_masked_phone_and_no_tokens(self, client, world):
        from linli.accounts import services

        user = services.user_create(actor=None, username="zhang", password=STRONG,
                                    phone="13600008888")
        client.force_login(user)
        html = client.get("/accounts/me/").content.decode()
        assert "zhang · 136****8888" in html
        assert "No tokens yet." in html

    def test_the_password_is_changed_and_the_session_kept(self, client, world):
        client.force_login(world.rita)
        response = client.post("/accounts/me/", {"pw-old_password": PASSWORD,
                                                 "pw-new_password": STRONG}, follow=True)
        assert "Your password has been changed." in response.content.decode()
        assert logged_in_user_id(client) == world.rita.pk
        world.rita.refresh_from_db()
        assert world.rita.check_password(STRONG)

    def test_a_wrong_current_password_is_refused_and_counted(self, client, world):
        client.force_login(world.rita)
        response = client.post("/accounts/me/", {"pw-old_password": "Wrong-Pass-1",
                                                 "pw-new_password": STRONG})
        assert response.context["password_form"].errors["old_password"] == [
            "The current password is wrong."]
        world.rita.refresh_from_db()
        assert world.rita.check_password(PASSWORD)
        assert AuditEntry.objects.get(action=login.FAILED).changes == {"reason": "recheck"}

    def test_a_weak_new_password_is_refused(self, client, world):
        client.force_login(world.rita)
        response = client.post("/accounts/me/", {"pw-old_password": PASSWORD,
                                                 "pw-new_password": "1234567890"})
        errors = " ".join(response.context["password_form"].errors["new_password"])
        assert "This password is too common." in errors
        world.rita.refresh_from_db()
        assert world.rita.check_password(PASSWORD)

    def test_the_password_rules_are_shown_before_the_first_try(self, client, world):
        client.force_login(world.rita)
        html = client.get("/accounts/me/").content.decode()
        assert ("At least 10 characters, mixing at least three of: lower-case letters, "
                "upper-case letters, digits and symbols.") in html

    @pytest.mark.parametrize(("fields", "field", "error"), [
        ({"tk-name": "phone", "tk-days": "400"}, "days",
         "Ensure this value is less than or equal to 366."),
        ({"tk-name": "", "tk-days": "30"}, "name", "This field is required."),
    ])
    def test_a_bad_token_request_says_why_and_makes_no_token(self, client, world, fields,
                                                             field, error):
        client.force_login(world.rita)
        response = client.post("/accounts/me/", fields)
        assert field in response.context["token_form"].errors
        assert error in response.content.decode()  # shown on the page, not only in the form
        assert world.rita.api_tokens.count() == 0


class TestSessionEnded:
    """A session that ended by itself is explained on the login page; a logout is not."""

    NOTICE = "Your session has ended after 30 minutes without activity. Please log in again."

    def test_an_idle_session_is_explained_once(self, client, world):
        from datetime import timedelta

        import time_machine
        from django.conf import settings

        from linli.accounts.tests.conftest import START

        with time_machine.travel(START, tick=True) as clock:
            assert page_login(client, "rita").status_code == 302
            assert client.cookies["linli_signed_in"].value == "1"
            clock.shift(timedelta(minutes=settings.SESSION_IDLE_MINUTES, seconds=1))
            response = client.get("/orgs/", follow=True)
        assert response.redirect_chain == [("/accounts/login/?next=/orgs/", 302)]
        assert self.NOTICE in response.content.decode()
        assert client.cookies["linli_signed_in"].value == ""  # deleted: said once
        assert self.NOTICE not in client.get("/accounts/login/").content.decode()

    def test_a_logout_is_not_called_an_ended_session(self, client, world):
        page_login(client, "rita")
        response = client.post("/accounts/logout/", follow=True)
        assert client.cookies["linli_signed_in"].value == ""
        assert self.NOTICE not in response.content.decode()

    def test_the_second_factor_login_sets_the_marker_too(self, client, world):
        from linli.accounts.otp import otp_current_code

        enrol_otp(world.alice)
        page_login(client, "alice")
        response = client.post("/accounts/login/verify/",
                               {"code": otp_current_code(world.alice)})
        assert response.status_code == 302
        assert client.cookies["linli_signed_in"].value == "1"

    def test_a_first_visit_shows_no_notice(self, client, db):
        assert self.NOTICE not in client.get("/accounts/login/").content.decode()
