"""The one-step hand over by ids (services/needs_handover.py): what each target needs,
refused with the reason and nothing changed."""

import pytest

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.library.models import Need
from linli.library.services.needs_handover import HandOver, need_hand_over
from linli.library.tests.factories import need, provider, service, slot


@pytest.fixture
def person(world):
    from linli.people.tests.factories import resident

    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_a_case_by_its_category(world, person):
    from linli.cases.tests.factories import category

    made = need_hand_over(actor=world.gina, need=need(world, person=person),
                          data=HandOver(to="case", category_id=category().pk))
    assert Need.objects.get(pk=made.pk).case is not None


@pytest.mark.parametrize("data", [HandOver(to="case"), HandOver(to="case", category_id=999999),
                                  HandOver(to="task", title="x"), HandOver(to="topic"),
                                  HandOver(to="booking"), HandOver(to="booking", slot_id=999999),
                                  HandOver(to="nowhere")])
def test_missing_parts_are_refused_and_nothing_moves(world, person, data):
    made = need(world, person=person)
    with pytest.raises(ValidationFailed):
        need_hand_over(actor=world.alice, need=made, data=data)
    assert Need.objects.get(pk=made.pk).state == "open"


def test_a_slot_of_another_community_is_refused(world, person):
    theirs = slot(service(world, of=provider(world, area=world.community_b)))
    made = need(world, person=person)
    with pytest.raises(PermissionDenied):
        need_hand_over(actor=world.alice, need=made,
                       data=HandOver(to="booking", slot_id=theirs.pk))
    assert Need.objects.get(pk=made.pk).state == "open"


def test_a_topic(world, person):
    made = need_hand_over(actor=world.alice, need=need(world, person=person),
                          data=HandOver(to="topic", title="加装电梯", topic_category="lift"))
    assert Need.objects.get(pk=made.pk).topic is not None


def test_a_resident_may_not(world, person):
    made = need(world, person=person, by=world.rita)
    with pytest.raises(PermissionDenied):
        need_hand_over(actor=world.rita, need=made,
                       data=HandOver(to="topic", title="x", topic_category="other"))
