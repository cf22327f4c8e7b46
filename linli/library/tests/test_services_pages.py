"""The services pages: the hub, a service, a venue, my bookings, a booking, the desk and
managing a service."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.library.models import Booking, Service, Slot
from linli.library.tests.factories import booking, provider, service, slot, venue
from linli.people.tests.factories import resident
from linli.points.tests.conftest import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(world):
    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_hub_lists_services_with_price_and_next_time(client, world, rita):
    offered = slot(service(world, price="points", points=30, title="上门保洁",
                           kind="housekeeping"))
    empty = service(world, title="修水管", kind="repair")
    venue(world)
    client.force_login(world.rita)
    page = client.get(reverse("library:home")).content.decode()
    assert "上门保洁" in page and "30 points" in page and f"next-{offered.service_id}" in page
    assert f"?service={empty.pk}" in page and "社区书屋" in page
    filtered = client.get(reverse("library:home") + "?kind=repair").content.decode()
    assert "修水管" in filtered and "上门保洁" not in filtered


def test_book_a_slot_on_the_service_page(client, world, rita):
    offered = slot(service(world, price="points", points=30))
    grant(world.community_a, world.rita, 40)
    client.force_login(world.rita)
    url = reverse("library:service", args=[offered.service_id])
    page = client.get(url).content.decode()
    assert "hold 30 points" in page and "balance: 40" in page
    done = client.post(reverse("library:service_book", args=[offered.service_id]),
                       {"slot": offered.pk, "resident": rita.pk, "note": "下午"})
    made = Booking.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("library:booking",
                                                                   args=[made.pk])
    again = client.post(reverse("library:service_book", args=[offered.service_id]),
                        {"slot": offered.pk, "resident": rita.pk})
    assert again.status_code in (400, 409) and "service-error" in again.content.decode()


def test_full_slot_refused_with_a_reason(client, world, rita):
    from linli.community.tests.factories import household_member

    offered = slot(service(world))
    booking(offered, household_member(world.alice, rita, "李小明"), by=world.rita)
    client.force_login(world.rita)
    refused = client.post(reverse("library:service_book", args=[offered.service_id]),
                          {"slot": offered.pk, "resident": rita.pk})
    assert refused.status_code == 400 and "fully booked" in refused.content.decode()


def test_book_a_venue_room(client, world, rita):
    place = venue(world)
    room = place.rooms.get()
    day = timezone.localdate() + timedelta(days=1)
    client.force_login(world.rita)
    page = client.get(reverse("library:service", args=[place.pk])).content.decode()
    assert "room-form" in page and "阅览室" in page
    done = client.post(reverse("library:service_book_room", args=[place.pk]),
                       {"room": room.pk, "resident": rita.pk, "day": day.isoformat(),
                        "start": "09:00", "end": "10:00"})
    assert done.status_code == 302 and Booking.objects.get().state == "confirmed"
    late = client.post(reverse("library:service_book_room", args=[place.pk]),
                       {"room": room.pk, "resident": rita.pk, "day": day.isoformat(),
                        "start": "20:30", "end": "22:00"})
    assert late.status_code == 400 and "closed" in late.content.decode()


def test_cancel_and_rate_on_the_booking_page(client, world, rita):
    ahead = booking(slot(service(world)), rita, by=world.rita, state="requested")
    past = booking(slot(service(world, title="测血压"),
                        starts_at=timezone.now() - timedelta(hours=3)), rita, by=world.rita,
                   state="completed")
    client.force_login(world.rita)
    page = client.get(reverse("library:booking", args=[ahead.pk])).content.decode()
    assert "act-cancel" in page and "act-confirm" not in page
    client.post(reverse("library:booking_act", args=[ahead.pk, "cancel"]), {})
    assert Booking.objects.get(pk=ahead.pk).state == "cancelled"
    client.post(reverse("library:booking_act", args=[past.pk, "rate"]),
                {"rating": 4, "comment": "很好"})
    assert Booking.objects.get(pk=past.pk).rating == 4
    page = client.get(reverse("library:booking", args=[past.pk])).content.decode()
    assert "rate-form" not in page
    mine = client.get(reverse("library:bookings")).content.decode()
    assert f"booking-{ahead.pk}" in mine and f"booking-{past.pk}" in mine


def test_desk_masks_names_for_provider_people_and_confirms(client, world, rita):
    offered = slot(service(world, of=provider(world, unit=world.unit_a)))
    made = booking(offered, rita, by=world.rita, state="requested")
    client.force_login(world.uma)
    page = client.get(reverse("library:desk")).content.decode()
    assert "李*" in page and "李丽" not in page
    done = client.post(reverse("library:booking_act", args=[made.pk, "confirm"]),
                       {"back": "desk"})
    assert done.status_code == 302 and Booking.objects.get(pk=made.pk).state == "confirmed"
    client.force_login(world.alice)
    page = client.get(reverse("library:desk") + "?state=all").content.decode()
    assert "李丽" in page


def test_desk_is_not_for_residents(client, world, rita):
    client.force_login(world.rita)
    assert client.get(reverse("library:desk")).status_code == 403


def test_staff_create_a_service_and_add_weekly_slots(client, world):
    of = provider(world)
    client.force_login(world.alice)
    assert client.get(reverse("library:service_new")).status_code == 200
    done = client.post(reverse("library:service_new"), {
        "provider": of.pk, "area": world.community_a.pk, "kind": "health",
        "title": "测血压", "price": "free", "capacity": 5, "needs_confirmation": "on"})
    made = Service.objects.get()
    assert done.status_code == 302 and made.capacity == 5
    start = timezone.localtime() + timedelta(days=1)
    client.post(reverse("library:service_slots", args=[made.pk]), {
        "starts_at": start.strftime("%Y-%m-%dT09:00"), "ends_at": "10:00", "weeks": 3})
    assert Slot.objects.filter(service=made).count() == 3
    first = Slot.objects.filter(service=made).order_by("starts_at")[0]
    client.post(reverse("library:service_slot_withdraw", args=[made.pk, first.pk]))
    assert Slot.objects.get(pk=first.pk).is_active is False


def test_residents_may_not_manage(client, world, rita):
    made = service(world)
    client.force_login(world.rita)
    assert client.get(reverse("library:service_new")).status_code == 403
    assert client.get(reverse("library:service_edit", args=[made.pk])).status_code == 403
    start = timezone.localtime() + timedelta(days=1)
    refused = client.post(reverse("library:service_slots", args=[made.pk]), {
        "starts_at": start.strftime("%Y-%m-%dT09:00"), "ends_at": "10:00"})
    assert refused.status_code == 403 and not Slot.objects.exists()


def test_venue_hours_and_rooms_by_staff(client, world):
    place = venue(world)
    client.force_login(world.alice)
    client.post(reverse("library:service_rooms", args=[place.pk]), {"name": "舞蹈室",
                                                                     "seats": 30})
    client.post(reverse("library:service_hours", args=[place.pk]),
                {"weekday": 6, "opens": "", "closes": ""})
    assert place.rooms.count() == 2 and not place.hours.filter(weekday=6).exists()
    day = datetime.combine(timezone.localdate(), time(9))
    assert day  # the page renders the week
    assert client.get(reverse("library:service", args=[place.pk])).status_code == 200


def test_other_community_404(client, world):
    theirs = slot(service(world, of=provider(world, area=world.community_b, actor=world.bob),
                          actor=world.bob))
    client.force_login(world.alice)
    assert client.get(reverse("library:service", args=[theirs.service_id])).status_code == 404
