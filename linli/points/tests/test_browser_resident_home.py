"""A resident's home and the store in real Chromium at phone width (issue #11 item 8): the
home shows her points, volunteering and her reports, and no 区域 link; the store disables
what she cannot afford and says why; a redemption refused after the page was drawn comes
back to the store with the reason at the item, the store's address, and nothing debited.
No request leaves the site."""

from urllib.parse import urlsplit

import pytest

from linli.cases.tests.walking import report
from linli.points.models import Redemption, StoreItem
from linli.points.store import redemption_place
from linli.points.tests.conftest import balance, grant
from linli.points.tests.test_browser_store import PHONE_WIDTH, _fits, _log_in, _shot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _watch(page, live_server) -> list[str]:
    here = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if urlsplit(r.url).scheme in (
        "http", "https") and urlsplit(r.url).netloc != here else None)
    return elsewhere


def test_a_residents_home_and_the_store_with_a_too_expensive_item(world, new_page,
                                                                 live_server):
    grant(world.community_a, world.rita, 100)
    report(world, title="楼道灯坏了")
    tv = StoreItem.objects.create(community=world.community_a, name="电饭煲",
                                  price_points=500, stock=2)
    soap = StoreItem.objects.create(community=world.community_a, name="洗衣液",
                                    price_points=80, stock=5)
    page = new_page(phone=True)
    elsewhere = _watch(page, live_server)
    _log_in(page, world.rita)

    page.goto("/")
    assert page.locator(f"#tile-points-{world.community_a.pk} .points-balance").inner_text() \
        == "100"
    assert page.locator("#volunteering-home").is_visible()
    assert "楼道灯坏了" in page.locator("#home-my-cases").inner_text()
    assert page.locator("#nav-areas").count() == 0
    _fits(page, "the resident's home")
    _shot(page, "home-resident")

    with page.expect_navigation():
        page.locator("#tile-store").click()
    assert urlsplit(page.url).path == "/points/store/"
    button = page.locator(f"#item-{tv.pk} .redeem-form button[type=submit]")
    assert button.is_disabled()
    assert "500" in page.locator(f"#why-{tv.pk}").inner_text()  # 积分不足：您有 100，需要 500
    assert page.locator(f"#item-{soap.pk} .redeem-form button[type=submit]").is_enabled()
    _fits(page, "the store")
    _shot(page, "points-store-disabled")

    # Spent in another tab after this page was drawn: the server refuses, at the item.
    redemption_place(actor=world.rita, item=soap, quantity=1, key="other-tab")
    with page.expect_navigation():
        page.locator(f"#item-{soap.pk} .redeem-form button[type=submit]").click()
    error = page.locator(f"#item-error-{soap.pk}")
    assert error.is_visible() and "80" in error.inner_text()
    assert urlsplit(page.url).path == "/points/store/"  # a reload shows the store
    assert balance(world.community_a, world.rita) == 20
    assert Redemption.objects.count() == 1
    assert page.locator(f"#item-{soap.pk} .redeem-form button[type=submit]").is_disabled()
    _fits(page, "the refused store page")
    page.reload()
    assert page.locator(f"#item-error-{soap.pk}").count() == 0 and Redemption.objects.count() == 1
    assert PHONE_WIDTH == 375 and elsewhere == []
