"""Booking slots and rooms: places, overlaps, who books for whom, and the points held,
released and paid (services/bookings.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.community.tests.factories import household_member, resident_user
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.library.models import Booking, Need, Price, Slot
from linli.library.services import booking_create, booking_transition, need_post, room_book
from linli.library.tests.factories import provider, service, slot, venue
from linli.people.models import Resident
from linli.points.models import AccountKind, Entry
from linli.points.tests.conftest import balance, grant


@pytest.fixture
def rita_person(world):
    from linli.people.tests.factories import resident

    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_a_resident_books_a_place_and_the_provider_confirms(world, rita_person):
    offered = slot(service(world, capacity=2))
    made = booking_create(actor=world.rita, slot=offered, resident=rita_person, note="二楼")
    assert made.state == "requested" and Slot.objects.get(pk=offered.pk).taken == 1
    booking_transition(actor=world.alice, booking=made, action="confirm")
    assert Booking.objects.get(pk=made.pk).state == "confirmed"


def test_no_confirmation_needed_books_straight_in(world, rita_person):
    offered = slot(service(world, needs_confirmation=False))
    made = booking_create(actor=world.rita, slot=offered, resident=rita_person)
    assert made.state == "confirmed"


def test_a_full_slot_is_refused_and_nothing_is_written(world, rita_person):
    offered = slot(service(world, capacity=1))
    other = household_member(world.alice, rita_person, "李小明")
    booking_create(actor=world.rita, slot=offered, resident=rita_person)
    with pytest.raises(ValidationFailed, match="fully booked"):
        booking_create(actor=world.rita, slot=offered, resident=other)
    assert Booking.objects.count() == 1 and Slot.objects.get(pk=offered.pk).taken == 1


def test_the_same_person_twice_in_a_slot_is_refused(world, rita_person):
    offered = slot(service(world, capacity=3))
    booking_create(actor=world.rita, slot=offered, resident=rita_person)
    with pytest.raises(Conflict):
        booking_create(actor=world.rita, slot=offered, resident=rita_person)


def test_outside_the_audience_is_refused(world):
    from linli.people.tests.factories import resident

    ruth = resident(world.bob, world.dwelling_b, "赵博")
    offered = slot(service(world))
    with pytest.raises((PermissionDenied, ValidationFailed)):
        booking_create(actor=world.bob, slot=offered, resident=ruth)
    assert not Booking.objects.exists()


def test_a_stranger_may_not_book_for_someone_else(world, rita_person):
    other = resident_user(world.bob, world.dwelling_b, "stranger")
    with pytest.raises(PermissionDenied):
        booking_create(actor=other, slot=slot(service(world)), resident=rita_person)


def test_care_group_only(world, rita_person):
    from linli.people.tests.factories import tag

    offered = slot(service(world, care_tag=tag("lonely_elderly")))
    with pytest.raises(ValidationFailed, match="only for"):
        booking_create(actor=world.rita, slot=offered, resident=rita_person)


def test_a_past_slot_cannot_be_booked(world, rita_person):
    offered = slot(service(world), starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationFailed):
        booking_create(actor=world.rita, slot=offered, resident=rita_person)


def test_cancel_gives_the_place_back(world, rita_person):
    offered = slot(service(world, capacity=1))
    made = booking_create(actor=world.rita, slot=offered, resident=rita_person)
    booking_transition(actor=world.rita, booking=made, action="cancel")
    assert Slot.objects.get(pk=offered.pk).taken == 0
    again = booking_create(actor=world.rita, slot=offered, resident=rita_person)
    assert again.state == "requested"


def test_decline_needs_a_reason_and_frees_the_place(world, rita_person):
    offered = slot(service(world, capacity=1))
    made = booking_create(actor=world.rita, slot=offered, resident=rita_person)
    with pytest.raises(ValidationFailed):
        booking_transition(actor=world.alice, booking=made, action="decline")
    booking_transition(actor=world.alice, booking=made, action="decline", note="人手不足")
    assert Slot.objects.get(pk=offered.pk).taken == 0


def test_the_resident_may_not_confirm_their_own_booking(world, rita_person):
    made = booking_create(actor=world.rita, slot=slot(service(world)), resident=rita_person)
    with pytest.raises(PermissionDenied):
        booking_transition(actor=world.rita, booking=made, action="confirm")


def test_the_providers_unit_confirms(world, rita_person):
    run_by_unit = provider(world, name="花楼物业便民服务", unit=world.unit_a)
    made = booking_create(actor=world.rita, slot=slot(service(world, of=run_by_unit)),
                          resident=rita_person)
    booking_transition(actor=world.uma, booking=made, action="confirm")
    assert Booking.objects.get(pk=made.pk).state == "confirmed"


# --- points --------------------------------------------------------------------------------

def test_points_are_held_released_on_cancel_and_paid_when_served(world, rita_person):
    grant(world.community_a, world.rita, 100)
    priced = service(world, price=Price.POINTS, points=30, needs_confirmation=False)
    made = booking_create(actor=world.rita, slot=slot(priced), resident=rita_person)
    assert balance(world.community_a, world.rita) == 70
    assert balance(world.community_a, None, AccountKind.HOLD) == 30
    booking_transition(actor=world.rita, booking=made, action="cancel")
    assert balance(world.community_a, world.rita) == 100
    assert balance(world.community_a, None, AccountKind.HOLD) == 0

    later = slot(priced, starts_at=timezone.now() - timedelta(minutes=1))
    Slot.objects.filter(pk=later.pk).update(starts_at=timezone.now() + timedelta(minutes=5))
    served = booking_create(actor=world.rita, slot=Slot.objects.get(pk=later.pk),
                            resident=rita_person)
    Booking.objects.filter(pk=served.pk).update(starts_at=timezone.now()
                                                 - timedelta(minutes=1))
    booking_transition(actor=world.alice, booking=Booking.objects.get(pk=served.pk),
                       action="complete")
    assert balance(world.community_a, world.rita) == 70
    assert balance(world.community_a, None, AccountKind.STORE) == 30
    assert Entry.objects.filter(key=f"library.pay:{served.pk}").exists()


def test_a_skilled_resident_is_paid_their_points(world, rita_person):
    teacher_user = resident_user(world.alice, world.dwelling_a, "teacher", "王老师")
    teacher = Resident.objects.get(user=teacher_user)
    tutor = provider(world, name="王老师", person=teacher)
    grant(world.community_a, world.rita, 50)
    made = booking_create(actor=world.rita, resident=rita_person, slot=slot(service(
        world, of=tutor, price=Price.POINTS, points=20, needs_confirmation=False)))
    Booking.objects.filter(pk=made.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    booking_transition(actor=teacher_user, booking=Booking.objects.get(pk=made.pk),
                       action="complete")
    assert balance(world.community_a, teacher_user) == 20


def test_not_enough_points_writes_nothing(world, rita_person):
    grant(world.community_a, world.rita, 10)
    offered = slot(service(world, price=Price.POINTS, points=30))
    with pytest.raises(ValidationFailed, match="Not enough points"):
        booking_create(actor=world.rita, slot=offered, resident=rita_person)
    assert not Booking.objects.exists() and Slot.objects.get(pk=offered.pk).taken == 0
    assert balance(world.community_a, world.rita) == 10


def test_rating_once_by_who_was_served(world, rita_person):
    made = booking_create(actor=world.rita, resident=rita_person,
                          slot=slot(service(world, needs_confirmation=False)))
    Booking.objects.filter(pk=made.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    booking_transition(actor=world.alice, booking=Booking.objects.get(pk=made.pk),
                       action="complete")
    stranger = resident_user(world.bob, world.dwelling_b, "nosy")
    with pytest.raises(PermissionDenied):
        booking_transition(actor=stranger, booking=Booking.objects.get(pk=made.pk),
                           action="rate", rating=1)
    booking_transition(actor=world.rita, booking=Booking.objects.get(pk=made.pk),
                       action="rate", rating=5, comment="很耐心")
    with pytest.raises(ValidationFailed):
        booking_transition(actor=world.rita, booking=Booking.objects.get(pk=made.pk),
                           action="rate", rating=4)
    assert Booking.objects.get(pk=made.pk).rating == 5


def test_a_booking_not_yet_served_cannot_be_rated(world, rita_person):
    made = booking_create(actor=world.rita, resident=rita_person, slot=slot(service(world)))
    with pytest.raises(ValidationFailed):
        booking_transition(actor=world.rita, booking=made, action="rate", rating=5)


# --- venues --------------------------------------------------------------------------------

def _at(days: int, hour: int, minute: int = 0):
    day = timezone.localtime() + timedelta(days=days)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def test_room_hours_do_not_overlap(world, rita_person):
    hall = venue(world).rooms.get()
    room_book(actor=world.rita, room=hall, resident=rita_person, starts_at=_at(2, 9),
              ends_at=_at(2, 11))
    with pytest.raises(ValidationFailed, match="already booked"):
        room_book(actor=world.rita, room=hall, resident=rita_person, starts_at=_at(2, 10),
                  ends_at=_at(2, 12))
    touching = room_book(actor=world.rita, room=hall, resident=rita_person,
                         starts_at=_at(2, 11), ends_at=_at(2, 12))
    assert touching.state == "confirmed"


def test_room_outside_opening_hours_or_too_long_is_refused(world, rita_person):
    hall = venue(world).rooms.get()
    with pytest.raises(ValidationFailed, match="closed"):
        room_book(actor=world.rita, room=hall, resident=rita_person, starts_at=_at(2, 6),
                  ends_at=_at(2, 8))
    with pytest.raises(ValidationFailed, match="4 hours"):
        room_book(actor=world.rita, room=hall, resident=rita_person, starts_at=_at(2, 9),
                  ends_at=_at(2, 14))
    assert not Booking.objects.exists()


def test_a_cancelled_room_booking_frees_the_hours(world, rita_person):
    hall = venue(world).rooms.get()
    first = room_book(actor=world.rita, room=hall, resident=rita_person, starts_at=_at(2, 9),
                      ends_at=_at(2, 11))
    booking_transition(actor=world.rita, booking=first, action="cancel")
    again = room_book(actor=world.rita, room=hall, resident=rita_person, starts_at=_at(2, 9),
                      ends_at=_at(2, 11))
    assert again.state == "confirmed"


# --- a booking made for a need ------------------------------------------------------------

def test_a_booking_for_a_need_meets_it_when_served_and_reopens_it_when_declined(
        world, rita_person):
    need = need_post(actor=world.rita, text="老人需要上门助浴", resident=rita_person)
    helper = provider(world)
    from linli.library.services import need_transition

    need_transition(actor=world.alice, need=need, action="match", provider=helper)
    made = booking_create(actor=world.alice, resident=rita_person, need=need,
                          slot=slot(service(world, of=helper)))
    need_transition(actor=world.alice, need=Need.objects.get(pk=need.pk), action="hand_over",
                    outcome="booking", booking=made)
    booking_transition(actor=world.alice, booking=made, action="decline", note="排满了")
    need = Need.objects.get(pk=need.pk)
    assert need.state == "open" and need.provider_id is None
    assert need.matches.get().outcome == "failed"
