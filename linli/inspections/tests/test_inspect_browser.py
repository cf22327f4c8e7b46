"""An inspection on a phone (375 px, real Chromium) over a flaky connection: the grid worker
opens "my inspections", inspects a restaurant with one failed item and a photo, and the
first send times out after the server recorded it; back and send again shows the one
inspection recorded. Nothing is fetched from elsewhere."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from linli.accounts.tests.factories import PASSWORD
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.inspections.models import Inspection, Order, OrderPhoto
from linli.inspections.tests.factories import campaign, target

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"


def _photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 90, 40)).save(out, "JPEG")
    return {"name": "hose.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


def _fill(page, c, failed) -> None:
    for item in c.items.all():
        result = "fail" if item.pk == failed.pk else "pass"
        page.locator(f"#item-{item.pk} label.result-{result}").click()
    box = page.locator(f"#item-{failed.pk}")
    box.locator("textarea[name$=-note]").fill("燃气软管老化开裂")
    box.locator("input[type=file]").set_input_files(_photo())
    page.fill("input[name=acknowledged_name]", "王建国")


def test_an_inspection_sent_twice_over_a_flaky_connection_is_recorded_once(world, new_page,
                                                                           live_server):
    c, t = campaign(world), target(world, address="花楼街 12 号")
    failed = c.items.get(position=1)
    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "gina", PASSWORD)

    page.goto("/inspections/mine/")
    fits_phone(page, "my inspections")
    submit(page, f"#inspect-{c.pk}-{t.pk}")
    fits_phone(page, "the inspection form")
    # With the script, a failed item's fields show only once 不合格 is picked.
    assert not page.locator(f"#item-{failed.pk} .failure").is_visible()
    _fill(page, c, failed)
    assert page.locator(f"#item-{failed.pk} .failure").is_visible()
    fits_phone(page, "the filled inspection form")
    _shot(page, "inspection-form")

    # The first send reaches the server, but its answer never comes back.
    sent: list[int] = []

    def timeout(route):
        if route.request.method == "POST" and not sent:
            sent.append(route.fetch(max_redirects=0).status)
            route.abort("aborted")
        else:
            route.continue_()

    page.route("**/inspect/", timeout)
    try:
        with page.expect_navigation():
            page.locator("#inspect-submit").click()
    except Exception:
        pass
    assert sent == [302] and Inspection.objects.count() == 1

    # The form is still on the screen; once its button works again it is sent again,
    # the same form with the same photo.
    assert page.locator("#inspect-submit").is_disabled()
    expect(page.locator("#inspect-submit")).to_be_enabled(timeout=15_000)
    submit(page, "#inspect-submit")
    inspection = Inspection.objects.get()
    assert page.url.endswith(f"/inspections/inspections/{inspection.pk}/"), page.url
    assert Order.objects.count() == 1 and OrderPhoto.objects.count() == 1
    assert page.locator(f"#order-{Order.objects.get().pk}").count() == 1
    assert "王*国" in page.locator("#acknowledged").inner_text()
    fits_phone(page, "the inspection recorded")
    assert "这份表单已经提交过" in page.content()  # replayed, not recorded twice
    _shot(page, "inspection-detail")
    # Back to the form once more and send: still the one inspection.
    page.go_back()
    if page.locator("#inspect-submit").count():
        submit(page, "#inspect-submit")
    assert page.url.endswith(f"/inspections/inspections/{inspection.pk}/"), page.url
    assert Inspection.objects.count() == 1 and OrderPhoto.objects.count() == 1
    assert elsewhere == []
