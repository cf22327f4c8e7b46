"""Creating services, slots, rooms and opening hours (services/catalogue.py)."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.library.models import Price, Service, Slot
from linli.library.services import (
    ServiceData,
    hours_set,
    room_add,
    service_create,
    service_set_active,
    slot_withdraw,
    slots_add,
)
from linli.library.tests.factories import booking, provider, service, slot, venue


def _data(**kw) -> ServiceData:
    return ServiceData(**{"kind": "housekeeping", "title": "上门保洁", **kw})


def test_staff_create_a_points_priced_service(world):
    made = service_create(actor=world.alice, provider=provider(world), area=world.community_a,
                          data=_data(price=Price.POINTS, price_points=30))
    assert made.points == 30 and made.area_path == world.community_a.path


def test_the_providers_own_people_create_a_service(world):
    of = provider(world, unit=world.unit_a)
    made = service_create(actor=world.uma, provider=of, area=world.community_a, data=_data())
    assert made.provider == of


def test_a_resident_and_other_communities_may_not(world):
    of = provider(world)
    for actor in (world.rita, world.bob):
        with pytest.raises(PermissionDenied):
            service_create(actor=actor, provider=of, area=world.community_a, data=_data())
    with pytest.raises(ValidationFailed, match="community"):
        service_create(actor=world.alice, provider=of, area=world.community_b, data=_data())
    assert not Service.objects.exists()


@pytest.mark.parametrize("fields", [
    {"price": Price.POINTS}, {"price": Price.POINTS, "price_points": 0},
    {"price": Price.YUAN}, {"capacity": 0}, {"title": " "}, {"kind": "nope"}])
def test_bad_services_are_refused(world, fields):
    with pytest.raises(ValidationFailed):
        service_create(actor=world.alice, provider=provider(world), area=world.community_a,
                       data=_data(**fields))


def test_weekly_slots_all_or_nothing(world):
    made = service(world)
    start = timezone.now().replace(microsecond=0) + timedelta(days=15)
    slots = slots_add(actor=world.alice, service=made, starts_at=start,
                      ends_at=start + timedelta(hours=1), weeks=4)
    assert len(slots) == 4 and slots[3].starts_at - slots[0].starts_at == timedelta(weeks=3)
    with pytest.raises(Conflict):  # the third week overlaps
        slots_add(actor=world.alice, service=made,
                  starts_at=start - timedelta(weeks=2, minutes=-30),
                  ends_at=start - timedelta(weeks=2, minutes=-90), weeks=3)
    assert Slot.objects.count() == 4


def test_slot_rules(world):
    made = service(world)
    now = timezone.now()
    with pytest.raises(ValidationFailed, match="ahead"):
        slots_add(actor=world.alice, service=made, starts_at=now - timedelta(hours=1),
                  ends_at=now)
    with pytest.raises(ValidationFailed):
        slots_add(actor=world.alice, service=made, starts_at=now + timedelta(hours=1),
                  ends_at=now + timedelta(hours=1, minutes=5))
    with pytest.raises(PermissionDenied):
        slots_add(actor=world.rita, service=made, starts_at=now + timedelta(hours=1),
                  ends_at=now + timedelta(hours=2))


def test_a_slot_with_bookings_is_not_withdrawn(world):
    from linli.people.tests.factories import resident

    offered = slot(service(world))
    person = resident(world.alice, world.dwelling_a, "李丽", user=world.rita)
    booking(offered, person, by=world.rita)
    with pytest.raises(Conflict):
        slot_withdraw(actor=world.alice, slot=offered)
    free = slot(offered.service, starts_at=offered.starts_at + timedelta(days=1))
    assert slot_withdraw(actor=world.alice, slot=free).is_active is False


def test_rooms_and_hours(world):
    place = venue(world)
    room_add(actor=world.alice, service=place, name="活动室", seats=30)
    with pytest.raises(Conflict):
        room_add(actor=world.alice, service=place, name="活动室")
    hours_set(actor=world.alice, service=place, weekday=0,
              ranges=[(time(8), time(12)), (time(14), time(18))])
    assert place.hours.filter(weekday=0).count() == 2
    with pytest.raises(ValidationFailed):
        hours_set(actor=world.alice, service=place, weekday=0,
                  ranges=[(time(8), time(12)), (time(11), time(18))])
    with pytest.raises(ValidationFailed, match="venue"):
        room_add(actor=world.alice, service=service(world), name="x")


def test_a_closed_service_takes_no_bookings(world):
    made = service(world)
    service_set_active(actor=world.alice, service=made, active=False)
    assert Service.objects.get(pk=made.pk).is_active is False
