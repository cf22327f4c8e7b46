"""The public case pages in real Chromium on the demo: a visitor who has not logged in opens
the first community's public list and a case (at phone width); the demo resident says
"me too" and sees the count rise, and does so again from the report form's nearby-duplicates
panel instead of reporting; no request leaves the site."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from linli.accounts.models import Role, RoleAssignment, User
from linli.browser import SCREENSHOTS, log_in, offsite_requests
from linli.cases.models import Case, Category, Publication, Supporter
from linli.cases.selectors import publication as pub
from linli.cases.services import case_report

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
LEAK = "L1003"  # 管道漏水


def _fits(page, name: str) -> None:
    """No sideways scrolling at 375 px; a screenshot to look at (var/screenshots)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


@pytest.mark.usefixtures("demo_committed")
def test_a_visitor_reads_and_a_resident_says_me_too(new_page, live_server):
    community = Publication.objects.get(anonymous_allowed=True).community  # the demo's first
    resident = User.objects.get(username="resident")
    case = (pub.public_case_list(community=community, filters=pub.PublicFilters(state="open"))
            .exclude(reporter=resident).exclude(supporters__user=resident)
            .filter(reporter__isnull=False).first())  # a person's (a device has no name to hide)
    assert case is not None

    visitor = new_page(phone=True)
    elsewhere = offsite_requests(visitor, live_server.url)
    visitor.goto("/accounts/login/")
    with visitor.expect_navigation():
        visitor.locator("#public-cases-link").click()
    assert urlsplit(visitor.url).path == f"/public/{community.pk}/"  # the only one open
    expect(visitor.locator("h1")).to_contain_text(community.name)
    assert visitor.locator("#public-cases .case-row").count() == 20  # a page of them
    _fits(visitor, "public-list")
    visitor.select_option("select[name=state]", "open")
    with visitor.expect_navigation():
        visitor.locator("#public-filters button[type=submit]").click()
    visitor.goto(f"/public/{community.pk}/cases/{case.pk}/")
    expect(visitor.locator("#public-timeline li").first).to_contain_text("上报")
    expect(visitor.locator(f"#support-{case.pk}")).to_contain_text("登录后表示")
    assert case.reporter is not None and case.reporter.display_name not in visitor.content()
    _fits(visitor, "public-case")

    page = new_page(phone=True)
    elsewhere += offsite_requests(page, live_server.url)
    log_in(page, "resident")
    page.goto(f"/public/{community.pk}/cases/{case.pk}/")
    count = page.locator(f"#support-count-{case.pk}")
    before = int(count.get_attribute("data-count"))
    page.locator(f"#support-button-{case.pk}").click()
    expect(count).to_have_attribute("data-count", str(before + 1))
    expect(page.locator(f"#support-{case.pk}")).to_contain_text("您已表示")
    assert Supporter.objects.filter(case=case, user=resident).count() == 1
    _fits(page, "public-case-supported")
    assert elsewhere == []


@pytest.mark.usefixtures("demo_committed")
def test_me_too_from_the_report_forms_duplicates_panel(new_page, live_server):
    resident = User.objects.get(username="resident")
    home = RoleAssignment.objects.get(user=resident, role=Role.RESIDENT).area
    building = home.ancestor_of_kind("building")
    assert building is not None
    leak = Category.objects.get(code=LEAK)
    # The one open leak in the resident's building: taken down by the dispatcher on a call.
    Case.objects.filter(category=leak).update(state="closed")
    case = case_report(actor=User.objects.get(username="dispatcher"), category=leak,
                       area=building, description="楼道水管漏水")
    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "resident")
    page.goto("/cases/new/")
    page.locator(f"input[name=category][value={LEAK}]").check()
    button = page.locator(f"#duplicates #support-button-{case.pk}")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(f"#support-count-{case.pk}")).to_have_attribute("data-count", "1")
    assert urlsplit(page.url).path == "/cases/new/"  # the report form was not sent
    assert Supporter.objects.filter(case=case, user=resident).count() == 1
    assert Case.objects.filter(reporter=resident, category=leak, state="reported").count() == 0
    _fits(page, "report-duplicates-supported")
    assert elsewhere == []
