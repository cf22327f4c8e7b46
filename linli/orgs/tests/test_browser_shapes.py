"""Drawing an area's shape on the map in Chromium (Leaflet-Geoman, vendored): the admin
draws a rectangle inside the estate, the GeoJSON follows, and saving stores it. No request
leaves the site."""

from urllib.parse import urlsplit

import pyotp
import pytest

from linli.accounts.demo import DEMO_PASSWORD
from linli.accounts.models import User
from linli.accounts.otp import otp_secret
from linli.orgs.models import Area

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.usefixtures("demo_committed")
def test_the_admin_draws_a_buildings_shape_on_the_map(page, live_server, settings):
    settings.MAP_TILE_URL = ""
    here = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if urlsplit(r.url).scheme in (
        "http", "https") and urlsplit(r.url).netloc != here else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.fill("input[name=code]", pyotp.TOTP(otp_secret(User.objects.get(username="admin"))).now())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    building = Area.objects.get(name="1栋", parent__name="花楼小区")
    building.boundary = None
    building.save()
    page.goto(f"/orgs/areas/{building.pk}/shape/")
    page.wait_for_selector("#shape-map[data-map-drawn]")
    assert page.locator("#shape-map path.linli-area-estate").count() == 1
    page.locator("#shape-map .leaflet-pm-icon-rectangle").click()
    box = page.locator("#shape-map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(cx - 15, cy - 8)
    page.mouse.click(cx + 15, cy + 8)
    assert '"Polygon"' in page.input_value("#id_geojson")
    with page.expect_navigation():
        page.locator("#shape-save").click()
    assert page.locator("#shape-error").count() == 0, page.locator("#shape-error").inner_text()
    building.refresh_from_db()
    assert building.boundary is not None and building.boundary["type"] == "Polygon"
    assert (elsewhere, errors) == ([], [])
