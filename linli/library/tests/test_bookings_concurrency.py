"""Bookings at the same instant, on PostgreSQL with real threads (each on its own
connection; at most eight at once, the connection pool's size): never above a slot's
capacity, never two overlapping room bookings, points held exactly once each."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.community.tests.factories import homes, resident_user
from linli.core.tests.threads import run_together
from linli.library.models import Booking, Price, Room, Slot
from linli.library.services import booking_create, room_book
from linli.library.tests.factories import service, slot, venue
from linli.people.models import Resident
from linli.points.models import AccountKind
from linli.points.tests.conftest import balance, grant

pytestmark = pytest.mark.postgres


def booker(user_id: int, slot_id: int):
    def job(barrier: threading.Barrier) -> str:
        actor = User.objects.get(pk=user_id)
        offered = Slot.objects.get(pk=slot_id)
        person = Resident.objects.get(user=actor)
        barrier.wait()
        return booking_create(actor=actor, slot=offered, resident=person).state
    return job


def test_eight_at_once_for_three_places(transactional_db, world):
    users = [resident_user(world.alice, d, f"b{i}")
             for i, d in enumerate(homes(world.entrance_a, 8))]
    for user in users:
        grant(world.community_a, user, 50)
    offered = slot(service(world, capacity=3, price=Price.POINTS, points=10))
    outcomes = run_together(*[booker(u.pk, offered.pk) for u in users])
    assert sorted(kind for kind, _ in outcomes) == ["ok"] * 3 + ["refused"] * 5, outcomes
    assert Slot.objects.get(pk=offered.pk).taken == 3 == Booking.objects.count()
    assert balance(world.community_a, None, AccountKind.HOLD) == 30


def test_overlapping_room_requests_at_once_one_wins(transactional_db, world):
    users = [resident_user(world.alice, d, f"r{i}")
             for i, d in enumerate(homes(world.entrance_a, 6))]
    hall = venue(world).rooms.get()
    day = (timezone.localtime() + timedelta(days=3)).replace(minute=0, second=0,
                                                             microsecond=0)

    def requester(index: int):
        def job(barrier: threading.Barrier) -> str:
            actor = User.objects.get(pk=users[index].pk)
            person = Resident.objects.get(user=actor)
            room = Room.objects.get(pk=hall.pk)
            start = day.replace(hour=9 + index % 2)  # 9–11 and 10–12 overlap
            barrier.wait()
            return room_book(actor=actor, room=room, resident=person, starts_at=start,
                             ends_at=start + timedelta(hours=2)).state
        return job

    outcomes = run_together(*[requester(i) for i in range(6)])
    assert sorted(kind for kind, _ in outcomes) == ["ok"] + ["refused"] * 5, outcomes
    assert Booking.objects.count() == 1
