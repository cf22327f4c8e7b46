"""One rectification order at phone width (375 px) in real Chromium: the grid worker
records the rectification with a photo; another inspector re-checks it on site (the
phone's position goes into the form) and signs it off. Every page fits the phone and
nothing is fetched from elsewhere."""

import pytest
from playwright.sync_api import expect

from linli.accounts.tests.factories import PASSWORD
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.cases.tests.apitools import jpeg_bytes
from linli.inspections.models import Order, PhotoPhase, State
from linli.inspections.tests import orderkit
from linli.inspections.tests.factories import NEAR, order

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
# The order fixtures (orderkit), by name.
crew, media_root = orderkit.crew, orderkit.media_root


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


def _no_error(page) -> None:
    errors = page.locator("#order-error")
    assert errors.count() == 0, errors.inner_text()


def _open(page, o: Order, action: str) -> None:
    page.goto(f"/inspections/orders/{o.pk}/")
    fits_phone(page, f"the order page before {action}")
    page.locator(f"#details-{action} summary").click()


def test_rectify_with_a_photo_and_sign_off_as_another_inspector(new_page, live_server, crew,
                                                                 media_root, tmp_path):
    o = order(crew)
    picture = tmp_path / "after.jpg"
    picture.write_bytes(jpeg_bytes())

    gina = new_page(phone=True)
    elsewhere = offsite_requests(gina, live_server.url)
    log_in(gina, "gina", PASSWORD)
    gina.goto("/inspections/orders/")
    fits_phone(gina, "the orders list")
    gina.locator(".filter-box summary").click()
    fits_phone(gina, "the orders list with its filters open")
    _shot(gina, "order-list")
    assert gina.locator(f"#order-{o.pk}").count() == 1
    _open(gina, o, "rectify")
    gina.set_input_files("#rectify-after", str(picture))
    gina.fill("#action-rectify textarea[name=note]", "已更换燃气专用金属波纹管")
    _shot(gina, "order-rectify")
    submit(gina, "#submit-rectify")
    _no_error(gina)
    o.refresh_from_db()
    assert o.state == State.RECTIFIED and o.photos.filter(phase=PhotoPhase.AFTER).count() == 1
    assert gina.locator("#details-sign_off").count() == 0  # not the rectifier's to re-check

    ivy = new_page(phone=True)
    elsewhere += offsite_requests(ivy, live_server.url)
    ivy.context.grant_permissions(["geolocation"])
    ivy.context.set_geolocation({"latitude": float(NEAR[0]), "longitude": float(NEAR[1])})
    log_in(ivy, "ivy", PASSWORD)
    _open(ivy, o, "sign_off")
    expect(ivy.locator("#recheck-lat")).not_to_have_value("")  # the page's script filled it
    _shot(ivy, "order-sign-off")
    submit(ivy, "#submit-sign_off")
    _no_error(ivy)
    o.refresh_from_db()
    assert o.state == State.CLOSED and o.rechecked_by == crew.ivy
    assert o.recheck_distance_m is not None and o.recheck_distance_m <= 50
    assert ivy.locator("#order-state").get_attribute("data-state") == State.CLOSED
    fits_phone(ivy, "the signed-off order")
    assert elsewhere == []
