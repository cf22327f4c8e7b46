from datetime import timedelta

import pytest

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.disputes.models import Dispute, Event, Grade, Party, State
from linli.disputes.services import PartyInput
from linli.disputes.tests.factories import dispute, outsiders

pytestmark = pytest.mark.django_db


def test_register_seals_outsiders_and_grades_green(world):
    d = dispute(world)
    assert d.state == State.REGISTERED and d.grade == Grade.GREEN
    assert d.community == world.community_a and d.grid == world.grid_a1
    party = d.parties.get(position=0)
    assert "王大伟" not in party.name_cipher and str(party.name) == "王*伟"
    assert Event.objects.filter(dispute=d, action="register").count() == 1


@pytest.mark.parametrize(("people", "extra", "grade"), [
    (4, {}, Grade.GREEN), (5, {}, Grade.YELLOW), (29, {}, Grade.YELLOW),
    (30, {}, Grade.RED), (2, {"violence_threat": True}, Grade.RED),
    (2, {"petition_risk": True}, Grade.RED),
])
def test_grade_rules(world, people, extra, grade):
    assert dispute(world, people_involved=people, **extra).grade == grade


def test_repeat_between_same_parties_raises_one_level(world):
    first = dispute(world)
    again = dispute(world, now=first.registered_at + timedelta(days=30))
    assert again.grade == Grade.YELLOW and "repeat_within_90" in again.grade_reasons
    later = dispute(world, now=first.registered_at + timedelta(days=200))
    assert later.grade == Grade.GREEN


def test_party_outside_scope_is_refused_and_nothing_written(world):
    from linli.people.tests.factories import resident
    stranger = resident(world.bob, world.dwelling_b)
    with pytest.raises(ValidationFailed) as caught:
        dispute(world, parties=[PartyInput(resident_id=stranger.pk)])
    assert caught.value.code == "party_out_of_scope"
    assert not Dispute.objects.exists() and not Party.objects.exists()


def test_place_outside_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        dispute(world, area=world.dwelling_b)
    assert not Dispute.objects.exists()


def test_bad_fields_are_refused(world):
    bad: dict
    for bad in ({"kind": "x"}, {"summary": " "}, {"people_involved": 0}, {"parties": []},
                {"parties": outsiders("")}):
        with pytest.raises(ValidationFailed):
            dispute(world, **bad)
    assert not Dispute.objects.exists()
