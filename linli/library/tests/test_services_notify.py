"""Who hears about a booking: a new request the provider's people (the dispatchers when it
has none), a decline the booker with the reason."""

import pytest

from linli.library.models import Event
from linli.library.notify_services import booking_event_notify
from linli.library.services import booking_create, booking_transition
from linli.library.tests.factories import provider, service, slot
from linli.notifications.models import Notification
from linli.people.tests.factories import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(world):
    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def _notify_all():
    for event in Event.objects.filter(subject="booking").order_by("pk"):
        booking_event_notify(event)


def test_a_request_goes_to_the_unit_and_a_decline_to_the_booker(world, rita):
    offered = slot(service(world, of=provider(world, unit=world.unit_a)))
    made = booking_create(actor=world.rita, slot=offered, resident=rita)
    booking_transition(actor=world.uma, booking=made, action="decline", note="那天没有人手")
    _notify_all()
    _notify_all()  # a retried task adds nothing
    assert Notification.objects.filter(recipient=world.uma).count() == 1
    told = Notification.objects.get(recipient=world.rita)
    assert "那天没有人手" in told.body
    assert "李丽" not in Notification.objects.get(recipient=world.uma).body


def test_no_people_the_dispatchers_hear(world, rita):
    offered = slot(service(world))
    booking_create(actor=world.rita, slot=offered, resident=rita)
    _notify_all()
    assert Notification.objects.filter(recipient=world.alice).count() == 1
    assert not Notification.objects.filter(recipient=world.bob).exists()
