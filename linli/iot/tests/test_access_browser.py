"""Door access and welfare watches in real Chromium at phone width (375 px) on the demo: the
grid worker opens the door of 张秀兰's entrance and sees its week drawn (ECharts, local),
stops her watch when she withdraws her consent, and sets it up again with new consent.
Every page fits the phone and nothing is fetched from elsewhere."""

import pytest

from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.iot.models import WelfareWatch

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


def _door(page, watch: WelfareWatch) -> None:
    page.goto("/iot/doors/")
    fits_phone(page, "the doors list")
    page.locator(f"#door-{watch.device_id} a.case-title").click()
    page.wait_for_url(f"**/iot/doors/{watch.device_id}/")
    page.wait_for_selector("#chart-hours svg")
    page.wait_for_selector("#chart-days svg")
    fits_phone(page, "the door's page")
    _shot(page, "door-counts")


def _stop_and_set_up_again(page, watch: WelfareWatch) -> None:
    page.goto("/iot/watches/")
    fits_phone(page, "the watches list")
    assert "张*兰" in page.locator(f"#watch-{watch.pk}").inner_text()
    page.locator(f"#withdraw-{watch.pk}").click()
    page.wait_for_url(f"**/iot/watches/{watch.pk}/withdraw/")
    fits_phone(page, "the stop form")
    page.fill("input[name=reason]", "本人撤回同意")
    submit(page, "#withdraw-submit")
    assert page.url.endswith("/iot/watches/"), page.url
    page.locator("#watch-new-link").click()
    page.wait_for_url("**/iot/watches/new/")
    fits_phone(page, "the new watch form")
    assert page.locator("#consent-text").inner_text()
    page.select_option("select[name=resident]", str(watch.resident_id))
    page.select_option("select[name=device]", str(watch.device_id))
    page.fill("input[name=consent_reference]", "书面同意（重新签署）")
    # The consent box must be ticked: the browser keeps the form until it is.
    assert page.locator("input[name=consent_given]").get_attribute("required") is not None
    page.check("input[name=consent_given]")
    _shot(page, "watch-new")
    submit(page, "#watch-submit")
    assert page.url.endswith("/iot/watches/"), page.url


@pytest.mark.usefixtures("demo_committed")
def test_the_grid_worker_reads_a_door_and_renews_a_watch(new_page, live_server):
    watch = WelfareWatch.objects.get()
    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "grid")
    _door(page, watch)
    _stop_and_set_up_again(page, watch)
    renewed = WelfareWatch.objects.get(withdrawn_at__isnull=True)
    assert renewed.pk != watch.pk and renewed.consent_reference == "书面同意（重新签署）"
    assert WelfareWatch.objects.get(pk=watch.pk).withdrawn_at is not None
    assert elsewhere == []
