"""An administrator sets up a handling unit in real Chromium at phone width: creates it,
gives it a service area, a default route and a member, and finds it in the unit list.
Every page fits 375 px and no request leaves the site."""


import pytest
from playwright.sync_api import expect

from linli.accounts.models import Role, RoleAssignment
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.cases.models import Route
from linli.core.models import AuditEntry
from linli.orgs.models import Area, Unit

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LEAK = "L1003"  # 管道漏水


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


@pytest.mark.usefixtures("demo_committed")
def test_an_admin_sets_up_a_unit_at_phone_width(phone_page, live_server):
    page = phone_page
    elsewhere = offsite_requests(page, live_server.url)
    grid = Area.objects.get(name="花楼第二网格")

    log_in(page, "admin")
    with page.expect_navigation():
        page.locator("#home-units").click()
    fits_phone(page, "unit list")
    submit(page, "#unit-new")
    fits_phone(page, "new unit form")
    _shot(page, "unit-new")
    page.fill("#unit-form input[name=name]", "花楼管道抢修队")
    page.select_option("#unit-form select[name=kind]", "repair")
    page.fill("#unit-form input[name=phone]", "027 8280 0099")
    page.check(f"#unit-form input[name=service_areas][value='{grid.pk}']")
    submit(page, "#unit-save")
    expect(page.locator("#unit-name")).to_contain_text("花楼管道抢修队")
    expect(page.locator(".flash-success")).to_contain_text("已创建")
    fits_phone(page, "unit page")

    page.select_option("#route-form select[name=category]", LEAK)
    page.select_option("#route-form select[name=area]", str(grid.pk))
    submit(page, "#route-form button[type=submit]")
    # The demo routes leaks in the whole community to its property company; this grid
    # now has its own route, and the page says so.
    expect(page.locator(".flash-success")).to_contain_text("花楼第二网格")
    expect(page.locator("#unit-routes")).to_contain_text("花楼第二网格")

    page.fill("#member-form input[name=login]", "13800000004")  # resident_c's phone
    page.select_option("#member-form select[name=area]", str(grid.pk))
    submit(page, "#member-form button[type=submit]")
    expect(page.locator("#unit-members")).to_contain_text("resident_c")
    fits_phone(page, "unit page with a route and a member")
    _shot(page, "unit-page")

    page.goto("/cases/units/?q=抢修")
    expect(page.locator("#unit-list")).to_contain_text("花楼管道抢修队")
    expect(page.locator("#unit-list")).to_contain_text("花楼第二网格")
    fits_phone(page, "filtered unit list")
    _shot(page, "unit-list")

    unit = Unit.objects.get(name="花楼管道抢修队")
    assert unit.phone == "02782800099"
    assert Route.objects.get(unit=unit).area == grid
    assert RoleAssignment.objects.filter(user__username="resident_c", unit=unit,
                                         role=Role.UNIT_MEMBER).exists()
    assert {"unit.created", "route.created", "role.assigned"} <= set(
        AuditEntry.objects.values_list("action", flat=True))
    assert elsewhere == []
