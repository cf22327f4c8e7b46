"""A need at phone width (375 px) in real Chromium: a grid worker opens an urgent need from
the queue, classifies it 急 (the suggested class preselected), sees the suggested
providers with their reasons and hands it over to a booking of a free slot; the need shows
the booking. Every page fits the phone; nothing is fetched from elsewhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.tests.factories import PASSWORD
from linli.browser import fits_phone, log_in, offsite_requests, submit
from linli.library.models import Need
from linli.library.tests.factories import need, provider, service, slot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _no_error(page) -> None:
    errors = page.locator("#need-error")
    assert errors.count() == 0, errors.inner_text()


def test_classify_and_hand_over_to_a_booking(new_page, live_server, world):
    from linli.people.tests.factories import resident

    person = resident(world.alice, world.dwelling_a, "李丽")
    helper = provider(world, name="乐龄助老服务中心", skills="助浴 陪护")
    provider(world, name="巧手家电维修店", service_kinds=["repair"])
    free = slot(service(world, of=helper, title="上门照护"),
                starts_at=timezone.now() + timedelta(days=1))
    made = need(world, person=person, text="独居老人在家摔倒，急需有人上门陪护",
                urgency_suggested="urgent", kind="elderly_care")
    gina = new_page(phone=True)
    elsewhere = offsite_requests(gina, live_server.url)
    log_in(gina, "gina", PASSWORD)
    gina.goto("/library/needs/")
    fits_phone(gina, "the needs queue")
    submit(gina, f"#need-{made.pk} a")
    fits_phone(gina, "the need for staff")
    assert gina.locator("#need-who").inner_text() == "李丽"
    assert gina.locator("#urgency-urgent").is_checked()
    assert gina.locator("#suggested-urgent").count() == 1
    submit(gina, "#submit-classify")
    _no_error(gina)
    assert Need.objects.get(pk=made.pk).urgency == "urgent"
    first = gina.locator("#suggestions .suggestion").first
    assert "乐龄助老服务中心" in first.inner_text()
    assert "陪护" in first.inner_text()
    gina.click("#hand-booking summary")
    gina.select_option("#hand-slot", str(free.pk))
    fits_phone(gina, "the hand over")
    submit(gina, "#submit-hand-booking")
    _no_error(gina)
    made = Need.objects.get(pk=made.pk)
    assert made.state == "in_hand" and made.booking is not None
    assert made.provider == helper
    assert "上门照护" in gina.locator("#need-booking").inner_text()
    fits_phone(gina, "the need handed over")
    assert elsewhere == []
