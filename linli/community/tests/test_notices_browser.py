"""Notices at phone width (375 px) in real Chromium: a dispatcher publishes an urgent
notice, a resident opens it from the home page, the dispatcher sees the read rate and who
has not read it. Every page fits the phone; nothing is fetched from elsewhere."""

import pytest

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import fits_phone, log_in, offsite_requests, submit
from linli.community.models import Notice, NoticeRead, NoticeState
from linli.community.tests import factories as life

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _no_error(page) -> None:
    errors = page.locator("#notice-error")
    assert errors.count() == 0, errors.inner_text()


def test_publish_urgent_read_on_the_home_page_and_see_who_has_not(new_page, live_server,
                                                                   world):
    life.rita_record(world)
    life.readers(world, 2)
    enrol_otp(world.alice)
    alice = new_page(phone=True)
    elsewhere = offsite_requests(alice, live_server.url)
    log_in(alice, "alice", PASSWORD)
    alice.goto("/community/notices/")
    fits_phone(alice, "the notices list for staff")
    submit(alice, "#notice-new")
    fits_phone(alice, "the notice form")
    alice.select_option("#notice-area", str(world.community_a.pk))
    alice.select_option("#notice-kind", "urgent")
    alice.fill("#notice-title-input", "燃气泄漏排查")
    alice.fill("#notice-body-input", "请在家等候燃气公司入户检查。")
    submit(alice, "#notice-submit-publish")
    _no_error(alice)
    n = Notice.objects.get()
    assert n.state == NoticeState.PUBLISHED

    rita = new_page(phone=True)
    elsewhere += offsite_requests(rita, live_server.url)
    log_in(rita, "rita", PASSWORD)
    rita.goto("/")
    fits_phone(rita, "the home page with notices")
    submit(rita, f"#home-notice-{n.pk} a")
    fits_phone(rita, "the notice for a resident")
    assert "燃气泄漏排查" in rita.locator("#notice-title").inner_text()
    assert NoticeRead.objects.filter(notice=n).count() == 1

    alice.goto(f"/community/notices/{n.pk}/")
    fits_phone(alice, "the notice for staff")
    rate = alice.locator("#notice-rate")
    assert (rate.get_attribute("data-read"), rate.get_attribute("data-audience")) == ("1", "3")
    assert alice.locator(".notice-unread-row").count() == 2
    assert "张*兰" in alice.locator("#notice-unread").inner_text()
    assert elsewhere == []
