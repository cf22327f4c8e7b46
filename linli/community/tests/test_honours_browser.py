"""On a phone: a resident nominates a good deed with a photo, staff approve it, the
resident sees it on the board. No request leaves the site."""

import pytest

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import fits_phone, log_in, offsite_requests, submit
from linli.cases.tests.apitools import jpeg_bytes
from linli.community.models import EntryState, HonourEntry
from linli.community.tests.factories import board
from linli.people.tests.factories import resident

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _no_error(page) -> None:
    for selector in ("#nominate-error", "#entry-error"):
        errors = page.locator(selector)
        assert errors.count() == 0, errors.inner_text()


def test_nominate_approve_and_see_it_on_the_board(new_page, live_server, world, media,
                                                  tmp_path):
    resident(world.alice, world.dwelling_a, "李丽", user=world.rita)
    good = board(world)
    picture = tmp_path / "deed.jpg"
    picture.write_bytes(jpeg_bytes())

    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, world.rita.username, PASSWORD)
    page.goto("/community/boards/")
    fits_phone(page, "the boards")
    page.goto(f"/community/boards/{good.pk}/")
    submit(page, "#nominate-link")
    fits_phone(page, "the nominate form")
    page.select_option("#nominate-kind", "person")
    page.fill("#nominate-name", "王秀英")
    page.fill("#nominate-reason", "十年如一日照顾独居老人。")
    page.set_input_files("#nominate-photos", str(picture))
    submit(page, "#nominate-submit")
    _no_error(page)
    made = HonourEntry.objects.get()
    assert made.state == EntryState.NOMINATED and made.photos.count() == 1
    page.goto(f"/community/boards/{good.pk}/")
    assert page.locator(f"#board-entries #entry-{made.pk}").count() == 0

    enrol_otp(world.alice)
    staff = new_page(phone=True)
    elsewhere += offsite_requests(staff, live_server.url)
    log_in(staff, world.alice.username, PASSWORD)
    staff.goto("/community/boards/review/")
    submit(staff, f"#review-{made.pk} a")
    fits_phone(staff, "the entry for review")
    submit(staff, "#submit-approve")
    _no_error(staff)
    assert staff.locator("#entry-state").get_attribute("data-state") == "approved"

    page.goto(f"/community/boards/{good.pk}/")
    assert page.locator(f"#entry-{made.pk}").count() == 1
    assert "王秀英" in page.locator("#board-entries").inner_text()
    assert page.locator(f"#entry-{made.pk} img.thumb").count() == 1
    fits_phone(page, "the board")
    assert elsewhere == []
