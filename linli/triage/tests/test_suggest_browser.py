"""Category suggestions in real Chromium at phone width: a resident types the problem, the
suggested category shows as a chip above the picker, a tap on it picks that category, and
the case is filed with it. A dispatcher types a hotline call in the same way. Nothing is
fetched from elsewhere; no model is needed (the keyword rules suggest)."""

import pytest
from playwright.sync_api import expect

from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.cases.models import Case, Channel

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LIGHT = "L1002"  # 楼道灯损坏


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _type_and_pick(page) -> None:
    page.locator("textarea[name=description]").press_sequentially("楼道灯不亮三天了")
    chip = page.locator(f"#suggest-{LIGHT}")
    expect(chip).to_be_visible()
    assert chip.inner_text().startswith("楼道灯损坏") and chip.inner_text().endswith("%")
    assert page.locator(".triage-chip").count() <= 3
    assert page.locator(".triage-source").get_attribute("data-source") in ("rules", "model")
    chip.click()
    expect(page.locator(f"#category-picker input[name=category][value={LIGHT}]")).to_be_checked()
    expect(chip).to_have_attribute("aria-pressed", "true")
    expect(chip).to_have_class("triage-chip secondary outline chosen")


@pytest.mark.usefixtures("demo_committed")
def test_a_resident_picks_the_suggested_category(new_page, live_server):
    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "resident")
    page.goto("/cases/new/")
    # A search in the picker hides the category; the chip still picks it, and shows it.
    page.fill("#category-filter", "漏水")
    _type_and_pick(page)
    expect(page.locator(f"input[name=category][value={LIGHT}]")).to_be_visible()
    fits_phone(page, "the report page with suggestions")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "triage-suggest-375.png", full_page=True)
    submit(page, "#report-submit")
    assert "/reported/" in page.url, page.url
    case = Case.objects.get(pk=int(page.url.rstrip("/").split("/")[-2]))
    assert (case.category.code, case.description, case.channel) == (
        LIGHT, "楼道灯不亮三天了", Channel.RESIDENT_WEB)
    assert elsewhere == []


@pytest.mark.usefixtures("demo_committed")
def test_a_dispatcher_types_in_a_hotline_call(new_page, live_server):
    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "dispatcher")
    page.goto("/cases/queue/")
    submit(page, "#queue-hotline")
    assert page.url.endswith("/cases/hotline/")
    page.fill("input[name=reporter_name]", "张阿姨")
    _type_and_pick(page)
    fits_phone(page, "the hotline page")
    submit(page, "#report-submit")
    assert "/reported/" in page.url, page.url
    case = Case.objects.get(pk=int(page.url.rstrip("/").split("/")[-2]))
    assert (case.category.code, case.channel, case.reporter_name) == (
        LIGHT, Channel.HOTLINE, "张阿姨")
    assert elsewhere == []
