"""Spending points in real Chromium at phone width: a resident with points redeems at the
store and sees the hold on her statement; the desk hands the item over; her redemption
shows as handed over."""

import pytest

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import SCREENSHOTS
from linli.points.models import Redemption, StoreItem
from linli.points.tests.conftest import balance, grant

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE_WIDTH = 375


def _submit(page, selector) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def _log_in(page, user, totp=None) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    _submit(page, "main form button[type=submit]")
    if totp is not None:
        page.fill("input[name=code]", totp.now())
        _submit(page, "main form button[type=submit]")
    assert not page.url.split("?")[0].endswith(("/login/", "/verify/")), page.url


def _fits(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{what} scrolls sideways ({width} px)"


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


def test_a_resident_spends_points_and_the_desk_hands_over(world, new_page):
    grant(world.community_a, world.rita, 500)
    rice = StoreItem.objects.create(community=world.community_a, name="大米 5kg",
                                    price_points=200, stock=3, per_person_limit=2)
    resident = new_page(phone=True)
    _log_in(resident, world.rita)
    resident.locator("#nav-points").click()
    resident.wait_for_url("**/points/me/")
    assert resident.locator("#balance-value").inner_text() == "500"
    resident.goto("/points/store/")
    _fits(resident, "the store")
    _shot(resident, "points-store")
    _submit(resident, f"#item-{rice.pk} .redeem-form button[type=submit]")
    assert resident.url.endswith("/points/store/mine/"), resident.url
    redemption = Redemption.objects.get()
    assert (redemption.state, redemption.points) == ("held", 200)
    resident.goto("/points/me/")
    assert resident.locator("#balance-value").inner_text() == "300"
    assert resident.locator("#statement tbody tr").count() == 2
    _fits(resident, "the statement")
    _shot(resident, "points-statement")

    desk = new_page(phone=True)
    _log_in(desk, world.alice, totp=enrol_otp(world.alice))
    desk.goto("/points/store/desk/")
    _fits(desk, "the store desk")
    _shot(desk, "points-desk")
    _submit(desk, f"#redemption-{redemption.pk} .desk-actions button[type=submit]")
    redemption.refresh_from_db()
    assert redemption.state == "completed" and redemption.handled_by == world.alice
    assert balance(world.community_a, world.rita) == 300

    resident.goto("/points/store/mine/")
    assert resident.locator(f"#redemption-{redemption.pk} .state-completed").count() == 1
