"""Running a campaign from a checklist in real Chromium at phone width (375 px) on the demo:
the community's dispatcher opens the inspections, runs a gas campaign over a grid from the
shipped checklist, lands on its page with the checklist's items, and the grid worker of
that grid finds it on the list and on the home tile. Every page fits the phone and
nothing is fetched from elsewhere."""

import pytest

from linli.accounts.models import RoleAssignment
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.inspections.models import Campaign
from linli.inspections.selectors import campaigns_visible
from linli.inspections.tests.factories import GAS, ship
from linli.orgs.models import AreaKind

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


@pytest.mark.usefixtures("demo_committed")
def test_a_dispatcher_runs_a_campaign_from_a_checklist_at_phone_width(new_page, live_server):
    ship()
    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "dispatcher")
    page.goto("/inspections/")
    fits_phone(page, "the campaigns list")
    submit(page, "#new-campaign")
    fits_phone(page, "the campaign form")
    # The grid of the demo's grid worker.
    grid = RoleAssignment.objects.get(user__username="grid").area
    assert grid.kind == AreaKind.GRID
    page.fill("input[name=name]", "第一网格燃气专项排查")
    page.select_option("select[name=template]", label=GAS)
    page.check(f"input[name=areas][value='{grid.pk}']")
    # The repeat section stays hidden until "repeat" is ticked.
    assert not page.locator(".campaign-repeat").is_visible()
    page.check("input[name=repeat]")
    assert page.locator(".campaign-repeat").is_visible()
    page.uncheck("input[name=repeat]")
    _shot(page, "campaign-new")
    submit(page, "#campaign-submit")
    assert page.locator("#campaign-error").count() == 0
    made = Campaign.objects.get(name="第一网格燃气专项排查")
    assert page.url.endswith(f"/inspections/campaigns/{made.pk}/"), page.url
    assert list(made.areas.all()) == [grid] and made.topic == "gas"
    assert page.locator("#campaign-items li").count() == made.items.count() == 8
    fits_phone(page, "the campaign page")
    _shot(page, "campaign-detail")

    worker = new_page(phone=True)
    elsewhere += offsite_requests(worker, live_server.url)
    log_in(worker, "grid")
    worker.goto("/")
    running = campaigns_visible(RoleAssignment.objects.get(user__username="grid").user).filter(
        starts_on__lte=made.starts_on, ends_on__gte=made.starts_on).count()
    assert running >= 2  # the demo's fire campaign and this one
    assert worker.locator("#inspection-tile-running .tile-count").inner_text() == str(running)
    worker.goto("/inspections/")
    assert worker.locator(f"#campaign-{made.pk}").count() == 1
    fits_phone(worker, "the grid worker's campaigns list")
    assert elsewhere == []
