"""Logging in through the real login page, as each demo role, in Chromium at phone width."""

from urllib.parse import urlsplit

import pyotp
import pytest
from django.conf import settings

from linli.accounts.demo import DEMO_PASSWORD
from linli.accounts.login import FAILED, REFUSED_LOCKED, SUCCEEDED
from linli.accounts.models import Role, User
from linli.accounts.otp import otp_secret
from linli.accounts.tests.factories import PASSWORD, UserFactory
from linli.browser import SCREENSHOTS
from linli.core.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

A, B = "花楼社区", "水塔社区"
# One demo user per role, the admin last so it then reads everyone's login in the audit log.
# username: (areas that must be listed on /orgs/, areas that must not be), or None where
# the tree is refused (residents).
EXPECTED_AREAS = {
    "leader": ({A, B}, set()),
    "dispatcher": ({A}, {B}),
    "grid": ({A, "花楼第一网格"}, {B, "花楼第二网格"}),
    "property": ({A}, {B}),
    "resident": None,  # the area tree is for staff: no link, no page (issue #11 item 8)
    "resident_b": None,
    "volunteer": ({A}, {B}),
    "mediator": ({A}, {B}),
    "party": ({A}, {B}),
    "admin": ({A, B}, set()),
}
PHONE_WIDTH = 375


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _submit_password(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()


def _log_in(page, username: str) -> None:
    """Password, then the authenticator code when the role needs a second factor."""
    _submit_password(page, username, DEMO_PASSWORD)
    if page.locator("input[name=code]").count():
        secret = otp_secret(User.objects.get(username=username))
        page.get_by_label("6 位验证码").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="验证", exact=True).click()
        page.wait_for_load_state()


def _area_names(page) -> set[str]:
    page.goto("/orgs/")
    return set(page.locator("#area-tree tbody td:first-child").all_inner_texts())


def _audit_rows(page) -> list[tuple[str, str]]:
    """(actor, action code) of every row the audit page shows (the code beside the words)."""
    return [tuple(row) for row in page.evaluate(
        "Array.from(document.querySelectorAll('#audit-table tbody tr'))"
        ".map(r => [r.cells[1].innerText.trim(), r.cells[2].querySelector('code').innerText"
        ".trim()])")]


def _check_login_page_fits_a_phone(page) -> None:
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "登录邻里"
    assert _scroll_width(page) <= PHONE_WIDTH, "the login page scrolls sideways"


def test_every_demo_role_logs_in_at_phone_width_and_sees_only_its_areas(demo_committed, new_page):
    # One test for all roles: loading the demo takes far longer than a login does.
    logins = demo_committed.logins
    assert {login.role for login in logins if login.username in EXPECTED_AREAS} == set(
        Role.values)
    _check_login_page_fits_a_phone(new_page(phone=True))
    for username, expected in EXPECTED_AREAS.items():
        page = new_page(phone=True)
        _log_in(page, username)
        assert urlsplit(page.url).path == "/", f"{username} landed on {page.url}"
        assert page.locator("h1").inner_text().startswith("您好"), username
        assert _scroll_width(page) <= PHONE_WIDTH, f"home scrolls sideways for {username}"
        if username == "dispatcher":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / "home-dispatcher-375.png", full_page=True)
        if expected is None:
            assert page.locator("#nav-areas").count() == 0, username
            assert page.goto("/orgs/").status == 404, username
            continue
        seen, unseen = expected
        names = _area_names(page)
        assert seen <= names, f"{username} misses {seen - names}"
        assert not unseen & names, f"{username} sees {unseen & names}"

    admin = page  # the last one logged in
    admin.goto("/audit/")
    admin.get_by_label("操作", exact=True).fill(SUCCEEDED)
    admin.get_by_role("button", name="筛选").click()
    admin.wait_for_load_state()
    rows = _audit_rows(admin)
    assert sorted(rows) == sorted((name, SUCCEEDED) for name in EXPECTED_AREAS)


def test_wrong_password_then_lockout_show_chinese_messages(phone_page):
    UserFactory(username="rita")
    for _attempt in range(settings.LOCKOUT_THRESHOLD):
        _submit_password(phone_page, "rita", "not-the-password")
        assert phone_page.get_by_role("alert").inner_text() == "用户名或密码错误。"
    _submit_password(phone_page, "rita", PASSWORD)
    message = phone_page.get_by_role("alert").inner_text()
    assert message.startswith("登录失败次数过多，账号已锁定"), message
    assert urlsplit(phone_page.url).path == "/accounts/login/"
    entries = AuditEntry.objects.filter(object_label="rita")
    assert entries.filter(action=FAILED).count() == settings.LOCKOUT_THRESHOLD
    assert entries.filter(action=REFUSED_LOCKED).count() == 1
    assert entries.filter(action=SUCCEEDED).count() == 0
