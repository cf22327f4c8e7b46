"""The care visit form in real Chromium at phone width (issue #11 item 8): the case picker
shows while "raise a case" is ticked and filters as you type; a photo chosen before a
refusal comes back as a thumbnail and is saved with the visit. No request leaves the site."""

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image

from linli.cases.tests.factories import category
from linli.people.models import Visit
from linli.people.tests.factories import cared_for
from linli.people.tests.test_browser_people import _fits, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"


def _jpeg(path) -> str:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 80, 20)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_the_picker_filters_and_a_chosen_photo_survives_a_refusal(people, phone_page,
                                                                  live_server, tmp_path):
    leak = category()
    category("L2001", name_zh="垃圾清运", name_en="Rubbish collection")
    cared_for(people.alice, people.rosa, people.gina)
    page = phone_page
    here = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if urlsplit(r.url).scheme in (
        "http", "https") and urlsplit(r.url).netloc != here else None)
    _log_in(page, "gina")
    page.goto(f"/people/residents/{people.rosa.pk}/visits/new/")
    assert not page.locator("#visit-case").is_visible()  # hidden until ticked
    page.locator("#id_raise_case").check()
    assert page.locator("#category-picker").is_visible()
    visible = page.locator("#category-list .category-option:visible")
    assert visible.count() == 2
    page.fill("#category-filter", "zzz")
    assert visible.count() == 0 and page.locator("#category-none").is_visible()
    page.fill("#category-filter", "漏水")  # by its Chinese name
    assert visible.count() == 1 and "管道漏水" in visible.inner_text()
    page.fill("#category-filter", "rubbish")  # or its English one
    assert visible.count() == 1
    page.fill("#category-filter", "")
    page.select_option("#id_kind", "home")
    page.set_input_files("input[name=photos]", _jpeg(tmp_path / "door.jpg"))
    # Ticked, but no category chosen: the server refuses; the photo must not be lost.
    with page.expect_navigation():
        page.locator("#visit-form button[type=submit]").click()
    assert page.locator("#people-error").is_visible()
    thumb = page.locator("#held-photos img")
    assert thumb.count() == 1
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    _fits(page, "visit-refused")
    page.locator(f"#category-list input[value='{leak.code}']").check()
    page.fill("#id_case_description", "厨房水管漏水")
    with page.expect_navigation():
        page.locator("#visit-form button[type=submit]").click()
    errors = page.locator("#people-error, small.error").all_inner_texts()
    assert errors == [], errors
    visit = Visit.objects.get()
    assert visit.photos.count() == 1 and visit.case is not None
    assert elsewhere == []
