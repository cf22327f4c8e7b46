"""The demo's services: bookings in every state, venues with rooms and hours, `resident`
with points for the points-priced service; notifying nobody."""

import pytest

from linli.accounts.models import User
from linli.library.models import Booking, Service
from linli.notifications.models import Notification


@pytest.mark.django_db
def test_demo_services(demo):
    states = set(Booking.objects.values_list("state", flat=True))
    assert states == {"requested", "confirmed", "declined", "cancelled", "completed"}
    assert Booking.objects.filter(rating__isnull=False).exists()
    resident = User.objects.get(username="resident")
    assert Booking.objects.filter(state="completed", rated_at__isnull=True,
                                  resident__user=resident).exists()
    clean = Service.objects.get(title="上门保洁")
    assert clean.points == 30
    from linli.library.selectors_services import balance

    assert balance(resident, clean) >= 30
    venues = {s.title: s for s in Service.objects.filter(is_venue=True)}
    assert not venues["社区书屋"].needs_confirmation and venues["多功能活动室"].needs_confirmation
    assert Booking.objects.filter(room__isnull=False).count() >= 4
    assert not Notification.objects.filter(link__startswith="/library/").exists()
