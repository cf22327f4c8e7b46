"""Booking services at phone width (375 px) in real Chromium: a resident books a
points-priced service (the balance drops), cancels it (the balance returns) and books a
venue's room; a member of the provider's unit confirms a request on the desk. Every page
fits the phone; nothing is fetched from elsewhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.tests.factories import PASSWORD
from linli.browser import fits_phone, log_in, offsite_requests, submit
from linli.library.models import Booking
from linli.library.tests.factories import provider, service, slot, venue
from linli.people.tests.factories import resident
from linli.points.tests.conftest import balance, grant

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _no_error(page) -> None:
    for selector in ("#service-error", "#booking-error"):
        errors = page.locator(selector)
        assert errors.count() == 0, errors.inner_text()


def test_book_cancel_room_and_confirm_on_the_desk(new_page, live_server, world):
    from linli.accounts.tests.factories import enrol_otp

    person = resident(world.alice, world.dwelling_a, "李丽", user=world.rita)
    cleaning = service(world, of=provider(world, name="安居家政", unit=world.unit_a),
                       title="上门保洁", kind="housekeeping", price="points", points=30,
                       capacity=2)
    offered = slot(cleaning)
    place = venue(world)
    grant(world.community_a, world.rita, 50)

    phone = new_page(phone=True)
    elsewhere = offsite_requests(phone, live_server.url)
    log_in(phone, "rita", PASSWORD)
    phone.goto("/library/")
    fits_phone(phone, "the hub")
    submit(phone, f"#service-{cleaning.pk} a")
    assert "30" in phone.locator("#points-note").inner_text()
    fits_phone(phone, "the service page")
    phone.check(f"#pick-{offered.pk}")
    phone.fill("#book-note", "厨房")
    submit(phone, "#book-submit")
    _no_error(phone)
    made = Booking.objects.get(service=cleaning)
    assert made.state == "requested" and balance(world.community_a, world.rita) == 20
    fits_phone(phone, "the booking page")
    submit(phone, "#act-cancel")
    _no_error(phone)
    assert Booking.objects.get(pk=made.pk).state == "cancelled"
    assert balance(world.community_a, world.rita) == 50

    phone.goto(f"/library/services/{place.pk}/")
    fits_phone(phone, "the venue page")
    day = timezone.localdate() + timedelta(days=1)
    phone.fill("#room-day", day.isoformat())
    phone.fill("#room-start", "10:00")
    phone.fill("#room-end", "11:30")
    submit(phone, "#room-submit")
    _no_error(phone)
    assert Booking.objects.filter(room__isnull=False, resident=person).count() == 1

    phone.goto(f"/library/services/{cleaning.pk}/")
    phone.check(f"#pick-{offered.pk}")
    submit(phone, "#book-submit")
    _no_error(phone)
    request = Booking.objects.get(service=cleaning, state="requested")
    phone.goto("/library/bookings/")
    fits_phone(phone, "my bookings")

    enrol_otp(world.uma)
    desk = new_page(phone=True)
    elsewhere += offsite_requests(desk, live_server.url)
    log_in(desk, "uma", PASSWORD)
    desk.goto("/library/desk/")
    fits_phone(desk, "the desk")
    assert desk.locator(f"#desk-name-{request.pk}").inner_text() == "李*"
    submit(desk, f"#confirm-{request.pk}")
    assert Booking.objects.get(pk=request.pk).state == "confirmed"
    assert not elsewhere, elsewhere
