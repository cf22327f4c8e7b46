"""A need turned into a case, a task, a topic or a booking in one step, linked
(services/handover.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.library.models import Need
from linli.library.services import (
    TaskData,
    need_to_booking,
    need_to_case,
    need_to_task,
    need_to_topic,
    need_transition,
)
from linli.library.tests.factories import need, provider, service, slot


@pytest.fixture
def person(world):
    from linli.people.tests.factories import resident

    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_to_a_case(world, person):
    from linli.cases.tests.factories import category

    made = need_to_case(actor=world.gina, need=need(world, person=person),
                        category=category())
    made = Need.objects.get(pk=made.pk)
    assert made.state == "in_hand" and made.outcome == "case" and made.case is not None


def test_to_a_task(world, person):
    now = timezone.now()
    made = need_to_task(actor=world.alice, need=need(world, person=person), data=TaskData(
        title="上门助浴", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1,
                                                                                hours=2)))
    task = Need.objects.get(pk=made.pk).task
    assert task is not None and task.title == "上门助浴"


def test_to_a_topic_at_the_estate(world, person):
    made = need_to_topic(actor=world.alice, need=need(world, person=person),
                         title="加装电梯", category="lift")
    topic = Need.objects.get(pk=made.pk).topic
    assert topic is not None and topic.area == world.estate_a


def test_to_a_booking_matches_the_provider(world, person):
    helper = provider(world)
    made = need_to_booking(actor=world.alice, need=need(world, person=person),
                           slot=slot(service(world, of=helper)))
    made = Need.objects.get(pk=made.pk)
    assert made.provider == helper
    assert made.booking is not None and made.booking.resident == person
    assert made.matches.get().outcome == "pending"


def test_a_resident_may_not_hand_over(world, person):
    with pytest.raises(PermissionDenied):
        need_to_booking(actor=world.rita, need=need(world, person=person),
                        slot=slot(service(world)))


def test_another_community_is_refused(world, person):
    with pytest.raises(PermissionDenied):
        need_to_case(actor=world.bob, need=need(world, person=person), category=None)


def test_a_failed_booking_leaves_the_need_as_it_was(world, person):
    full = slot(service(world), capacity=1)
    from linli.community.tests.factories import household_member
    from linli.library.tests.factories import booking

    booking(full, household_member(world.alice, person, "李小明"), by=world.rita)
    other = need(world, person=person)
    with pytest.raises(ValidationFailed):
        need_to_booking(actor=world.alice, need=other, slot=full)
    other = Need.objects.get(pk=other.pk)
    assert other.state == "open" and other.provider is None and not other.matches.exists()


def test_classify_then_match(world, person):
    made = need(world, person=person)
    need_transition(actor=world.gina, need=made, action="classify", urgency="urgent")
    assert Need.objects.get(pk=made.pk).urgency == "urgent"
    with pytest.raises(ValidationFailed):
        need_transition(actor=world.gina, need=Need.objects.get(pk=made.pk),
                        action="classify", urgency="soon")
