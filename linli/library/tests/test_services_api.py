"""The services API: anonymous 401, another community 404, a resident may not confirm
(403), the provider's people may; booking a slot and a room; staff create services."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from linli.library.models import Booking, Service, Slot
from linli.library.tests.factories import booking, provider, service, slot, venue
from linli.people.tests.factories import resident
from linli.points.tests.conftest import balance, grant

pytestmark = pytest.mark.django_db
API = "/api/library"


def post(client, path: str, data=None):
    return client.post(f"{API}{path}", data or {}, content_type="application/json")


@pytest.fixture
def rita(world):
    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_anonymous_401(client, world):
    offered = slot(service(world))
    for response in (client.get(f"{API}/services"),
                     client.get(f"{API}/services/{offered.service_id}"),
                     client.get(f"{API}/bookings"),
                     post(client, f"/services/{offered.service_id}/bookings",
                          {"resident_id": 1, "slot_id": offered.pk})):
        assert response.status_code == 401


def test_other_community_404(client, world, rita):
    theirs = provider(world, area=world.community_b, actor=world.bob)
    offered = slot(service(world, of=theirs, actor=world.bob))
    made = booking(offered, resident(world.bob, world.dwelling_b, "赵博"), by=world.bob)
    client.force_login(world.alice)
    sid = offered.service_id
    assert client.get(f"{API}/services/{sid}").status_code == 404
    assert client.get(f"{API}/bookings/{made.pk}").status_code == 404
    assert post(client, f"/bookings/{made.pk}/actions/confirm").status_code == 404
    assert post(client, f"/services/{sid}/slots/{offered.pk}/withdraw").status_code == 404
    assert post(client, f"/services/{sid}/bookings",
                {"resident_id": rita.pk, "slot_id": offered.pk}).status_code == 404


def test_resident_books_and_may_not_confirm_the_unit_member_may(client, world, rita):
    offered = slot(service(world, of=provider(world, unit=world.unit_a), capacity=2))
    client.force_login(world.rita)
    listed = client.get(f"{API}/services").json()["items"]
    assert [s["id"] for s in listed] == [offered.service_id]
    made = post(client, f"/services/{offered.service_id}/bookings",
                {"resident_id": rita.pk, "slot_id": offered.pk, "note": "二楼"})
    assert made.status_code == 201, made.json()
    data = made.json()
    assert data["state"] == "requested" and data["allowed_actions"] == ["cancel"]
    denied = post(client, f"/bookings/{data['id']}/actions/confirm")
    assert denied.status_code == 403
    client.force_login(world.uma)
    seen = client.get(f"{API}/bookings/{data['id']}").json()
    assert seen["name"] == "李*" and seen["resident_id"] is None
    done = post(client, f"/bookings/{data['id']}/actions/confirm")
    assert done.status_code == 200 and done.json()["state"] == "confirmed"
    assert Slot.objects.get(pk=offered.pk).taken == 1


def test_points_held_and_returned(client, world, rita):
    offered = slot(service(world, price="points", points=30))
    grant(world.community_a, world.rita, 50)
    client.force_login(world.rita)
    made = post(client, f"/services/{offered.service_id}/bookings",
                {"resident_id": rita.pk, "slot_id": offered.pk}).json()
    assert balance(world.community_a, world.rita) == 20
    post(client, f"/bookings/{made['id']}/actions/cancel")
    assert balance(world.community_a, world.rita) == 50


def test_not_enough_points_is_refused(client, world, rita):
    offered = slot(service(world, price="points", points=30))
    client.force_login(world.rita)
    refused = post(client, f"/services/{offered.service_id}/bookings",
                   {"resident_id": rita.pk, "slot_id": offered.pk})
    assert refused.status_code in (400, 409) and not Booking.objects.exists()


def test_room_booking_and_busy_hours_without_names(client, world, rita):
    place = venue(world)
    room = place.rooms.get()
    day = timezone.localdate() + timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time(9), tzinfo=tz)
    client.force_login(world.rita)
    made = post(client, f"/services/{place.pk}/bookings",
                {"resident_id": rita.pk, "room_id": room.pk, "starts_at": start.isoformat(),
                 "ends_at": (start + timedelta(hours=2)).isoformat()})
    assert made.status_code == 201, made.json()
    clash = post(client, f"/services/{place.pk}/bookings",
                 {"resident_id": rita.pk, "room_id": room.pk,
                  "starts_at": (start + timedelta(hours=1)).isoformat(),
                  "ends_at": (start + timedelta(hours=3)).isoformat()})
    assert clash.status_code == 400 and clash.json()["code"] == "overlap"
    busy = client.get(f"{API}/services/{place.pk}/rooms/{room.pk}/bookings?day={day}")
    assert busy.status_code == 200
    assert len(busy.json()["busy"]) == 1 and "name" not in str(busy.json())


def test_staff_create_service_and_slots(client, world):
    of = provider(world)
    client.force_login(world.alice)
    made = post(client, "/services", {"provider_id": of.pk, "area_id": world.community_a.pk,
                                      "kind": "health", "title": "测血压"})
    assert made.status_code == 201, made.json()
    sid = made.json()["id"]
    start = timezone.now() + timedelta(days=1)
    slots = post(client, f"/services/{sid}/slots",
                 {"starts_at": start.isoformat(),
                  "ends_at": (start + timedelta(hours=1)).isoformat(), "weeks": 2})
    assert slots.status_code == 201 and len(slots.json()) == 2
    client.force_login(world.rita)
    assert post(client, f"/services/{sid}/slots",
                {"starts_at": (start + timedelta(days=1)).isoformat(),
                 "ends_at": (start + timedelta(days=1, hours=1)).isoformat()}
                ).status_code == 403
    assert Service.objects.count() == 1


def test_rate_once_after_served(client, world, rita):
    offered = slot(service(world), starts_at=timezone.now() - timedelta(hours=3))
    made = booking(offered, rita, by=world.rita, state="completed")
    client.force_login(world.rita)
    assert post(client, f"/bookings/{made.pk}/actions/rate",
                {"rating": 6}).status_code == 400
    done = post(client, f"/bookings/{made.pk}/actions/rate", {"rating": 5, "comment": "好"})
    assert done.status_code == 200 and done.json()["rating"] == 5
    assert post(client, f"/bookings/{made.pk}/actions/rate",
                {"rating": 4}).status_code in (400, 409)
