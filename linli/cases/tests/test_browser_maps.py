"""The maps in real Chromium with no tile server: the report form shows the demo's grid,
estate and building shapes and takes a pin; the case page shows the case; the staff map
clusters coloured markers; the grid map shows the grid and masked visits. No request
leaves the site, and the Content-Security-Policy reports nothing."""


import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from linli.accounts.models import User
from linli.browser import log_in, offsite_requests
from linli.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
LEAK = "L1003"  # 管道漏水


@pytest.fixture(autouse=True)
def _no_tiles(settings, tmp_path):
    settings.MAP_TILE_URL = ""
    settings.MAP_MBTILES = ""
    settings.MEDIA_ROOT = tmp_path


def _watch(page, live_server) -> tuple[list[str], list[str]]:
    elsewhere = offsite_requests(page, live_server.url)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    return elsewhere, violations


def _drawn(page, selector: str) -> None:
    page.wait_for_selector(f"{selector}[data-map-drawn]", timeout=15_000)


def _open_first_popup(page, selector: str):
    """Click the map's first case marker until its popup opens. Right after the map fits its
    cases the cluster layer redraws its markers once (a fade of about 0.3 s); a click that
    lands on the marker being replaced is lost, as it would be for a person, who clicks
    again. Seen once in CI on a loaded machine."""
    link = page.locator(f"{selector} .leaflet-popup-content a")
    for _attempt in range(3):
        page.locator(f"{selector} .linli-case-marker").first.click()
        try:
            link.wait_for(timeout=3_000)
            return link
        except PlaywrightTimeout:
            continue
    raise AssertionError("the case marker's popup never opened")


@pytest.mark.usefixtures("demo_committed")
def test_a_resident_pins_a_report_on_shapes_and_staff_see_it_on_the_map(new_page, live_server):
    page = new_page(phone=True)
    elsewhere, violations = _watch(page, live_server)
    log_in(page, "resident")
    page.goto("/cases/new/")
    page.locator(f"input[name=category][value={LEAK}]").check(force=True)
    page.fill("textarea[name=description]", "楼道水管漏水，地面积水")
    page.locator("#map-box summary").click()
    _drawn(page, "#report-map")
    # The community's shapes with no tiles: grids, estates and buildings, labelled.
    assert page.locator("#report-map path.linli-area-grid").count() == 3
    assert page.locator("#report-map path.linli-area-estate").count() == 6
    assert page.locator("#report-map path.linli-area-building").count() == 12
    assert page.locator("#report-map .linli-map-label-estate", has_text="花楼小区").count() == 1
    assert page.locator("#report-map .leaflet-tile").count() == 0
    box = page.locator("#report-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.input_value("input[name=lat]") != ""
    assert page.locator("#report-map .linli-pin").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    with page.expect_navigation():
        page.locator("#report-submit").click()
    case = Case.objects.order_by("-pk").first()
    assert case is not None and case.lat is not None
    assert case.reporter is not None and case.reporter.username == "resident"

    page.goto(f"/cases/{case.pk}/")
    _drawn(page, "#case-map")
    assert page.locator("#case-map .linli-case-marker").count() == 1
    assert page.locator("#case-map path.linli-area-building").count() >= 1

    staff = new_page()
    staff_elsewhere, staff_violations = _watch(staff, live_server)
    errors: list[str] = []
    staff.on("pageerror", lambda e: errors.append(str(e)))
    log_in(staff, "dispatcher")
    staff.goto("/cases/queue/")
    staff.locator("#queue-to-map").click()
    _drawn(staff, "#staff-map")
    clusters = staff.locator("#staff-map .linli-case-cluster")
    markers = staff.locator("#staff-map .linli-case-marker")
    assert clusters.count() + markers.count() > 1
    classes = " ".join(staff.locator("#staff-map .linli-case-cluster, #staff-map "
                                     ".linli-case-marker").evaluate_all(
        "els => els.map(e => e.className)"))
    assert clusters.count() >= 1 and "light-" in classes
    # The new case is among the markers: search for it and open its popup.
    staff.goto(f"/cases/map/?q={case.title}&state=reported")
    _drawn(staff, "#staff-map")
    link = _open_first_popup(staff, "#staff-map")
    assert link.get_attribute("href") == f"/cases/{case.pk}/"
    assert (elsewhere, violations) == ([], [])
    assert (staff_elsewhere, staff_violations, errors) == ([], [], [])


@pytest.mark.usefixtures("demo_committed")
def test_the_grid_worker_sees_the_grid_and_masked_visits(new_page, live_server):
    page = new_page(phone=True)
    elsewhere, violations = _watch(page, live_server)
    log_in(page, "grid")
    page.goto("/people/grid-map/")
    _drawn(page, "#grid-map")
    assert page.locator("#grid-map path.linli-area-grid").count() == 1
    assert page.locator("#grid-map path.linli-area-building").count() == 4
    visits = page.locator("#grid-map .linli-visit-marker")
    tooltips = " ".join(page.locator("#grid-map .leaflet-tooltip").all_inner_texts())
    assert visits.count() >= 1 and "待走访" in tooltips
    names = User.objects.filter(assignments__role="resident").values_list("display_name",
                                                                          flat=True)
    assert not any(name.split()[-1] in page.content() for name in names)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert (elsewhere, violations) == ([], [])
