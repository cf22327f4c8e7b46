"""The device registry in real Chromium with no tile server: a dispatcher at a desktop goes
from the list to the map (coloured markers over the grid shapes, no request leaving the
site) and on to a device's page; a grid worker's list and device page fit a phone."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from linli.accounts import scope
from linli.accounts.models import Role, User
from linli.browser import fits_phone, log_in, offsite_requests, submit
from linli.iot.models import Device, Kind, Status
from linli.iot.tests.factories import make_device
from linli.orgs.models import Area, AreaKind

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _no_tiles(settings, tmp_path):
    settings.MAP_TILE_URL = ""
    settings.MAP_MBTILES = ""
    settings.MEDIA_ROOT = tmp_path


def _devices() -> tuple[Device, Device]:
    """A tilt sensor in the grid worker's grid and an offline smoke detector in another
    grid of the same community, each at a building's centre."""
    grid = next(a.area for a in scope.assignments(User.objects.get(username="grid"))
                if a.role == Role.GRID_WORKER)
    community = grid.parent
    assert community is not None
    mine = Area.objects.filter(kind=AreaKind.BUILDING, path__startswith=grid.path,
                               lat__isnull=False).first()
    other = (Area.objects.filter(kind=AreaKind.BUILDING, path__startswith=community.path,
                                 lat__isnull=False).exclude(path__startswith=grid.path)
             .first())
    assert mine is not None and other is not None
    cover = make_device(mine, identifier="BR-COVER-1", name="浏览器测试井盖",
                        lat=mine.lat, lng=mine.lng)
    smoke = make_device(other, kind=Kind.SMOKE, identifier="BR-SMOKE-1", name="浏览器测试烟感",
                        status=Status.OFFLINE, lat=other.lat, lng=other.lng)
    return cover, smoke


def _open_a_popup(page):
    """Click a device marker until its popup opens (the cluster layer redraws its markers
    once after fitting; a click on a marker being replaced is lost)."""
    link = page.locator("#device-map .leaflet-popup-content a")
    for _attempt in range(3):
        page.locator("#device-map .linli-case-marker").first.click()
        try:
            link.wait_for(timeout=3_000)
            return link
        except PlaywrightTimeout:
            continue
    raise AssertionError("no device marker opened its popup")


@pytest.mark.usefixtures("demo_committed")
def test_a_dispatcher_goes_from_the_list_to_the_map_to_a_device(new_page, live_server):
    cover, smoke = _devices()
    page = new_page()
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "dispatcher")
    page.goto("/iot/devices/?q=浏览器测试")  # the demo's 200 devices fill the first pages
    assert page.locator(f"#device-{cover.pk}").count() == 1
    assert page.locator(f"#device-{smoke.pk} .device-status.status-offline").count() == 1
    assert page.locator("#device-new-link").count() == 1
    submit(page, "#devices-map-link")
    page.wait_for_selector("#device-map[data-map-drawn]", timeout=15_000)
    assert page.locator("#device-map path.linli-area-grid").count() >= 1
    assert page.locator("#device-map .leaflet-tile").count() == 0
    assert page.locator("#device-map .linli-case-marker.light-green, "
                        "#device-map .linli-case-cluster").count() >= 1
    assert page.locator("#device-map .linli-case-marker.light-red, "
                        "#device-map .linli-case-cluster").count() >= 1
    link = _open_a_popup(page)
    with page.expect_navigation():
        link.click()
    assert page.locator("#device-facts").count() == 1
    assert page.url.rstrip("/").split("/")[-1] in (str(cover.pk), str(smoke.pk))
    assert elsewhere == []


@pytest.mark.usefixtures("demo_committed")
def test_a_grid_workers_list_and_device_page_fit_a_phone(new_page, live_server):
    cover, smoke = _devices()
    page = new_page(phone=True)
    log_in(page, "grid")
    page.goto("/iot/devices/?q=浏览器测试")  # the demo's 200 devices fill the first pages
    assert page.locator(f"#device-{cover.pk}").count() == 1
    assert page.locator(f"#device-{smoke.pk}").count() == 0  # another grid's
    assert page.locator("#device-new-link").count() == 0
    fits_phone(page, "the device list")
    submit(page, f"#device-{cover.pk} a.case-title")
    assert page.locator("#device-facts").count() == 1
    assert page.locator("#device-actions").count() == 0
    fits_phone(page, "the device page")
    page.goto("/iot/devices/map/")
    page.wait_for_selector("#device-map[data-map-drawn]", timeout=15_000)
    fits_phone(page, "the device map")
