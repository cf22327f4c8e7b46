"""Who hears about each dispute event (disputes/notify.py), and who never does; and the
joint units (三所联动) of a red dispute: set, told, and able to read it."""

from typing import Any

import pytest

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.disputes import notify, services
from linli.disputes.models import Event, Grade, State
from linli.disputes.selectors import dispute_list
from linli.disputes.tests.factories import dispute, in_state, mediator
from linli.notifications.models import Notification
from linli.orgs.models import UnitKind
from linli.orgs.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _user(username: str, role: str, area, unit=None) -> Any:
    user = UserFactory(username=username)
    assign(user, role, area, unit=unit)  # type: ignore[arg-type]
    return user


@pytest.fixture
def staff(world):
    w = world
    w.mia = mediator(w)
    w.lina = _user("lina", Role.LEADER, w.community_a)
    w.police = UnitFactory(name="民族派出所", kind=UnitKind.POLICE, service_areas=[w.street])
    w.judicial = UnitFactory(name="民族司法所", kind=UnitKind.JUDICIAL,
                             service_areas=[w.community_a])
    w.closed_police = UnitFactory(name="旧派出所", kind=UnitKind.POLICE, is_active=False,
                                  service_areas=[w.community_a])
    w.other_police = UnitFactory(name="水塔派出所", kind=UnitKind.POLICE,
                                 service_areas=[w.community_b])
    w.pat = _user("pat", Role.UNIT_MEMBER, w.street, unit=w.police)
    w.jo = _user("jo", Role.UNIT_MEMBER, w.community_a, unit=w.judicial)
    w.otto = _user("otto", Role.UNIT_MEMBER, w.community_b, unit=w.other_police)
    return w


def heard(d, action: str) -> set[str]:
    event = Event.objects.filter(dispute=d, action=action).latest("id")
    notify.event_notify(event.pk)
    return set(Notification.objects.filter(source_key=f"dispute_event:{event.pk}")
               .values_list("recipient__username", flat=True))


def test_red_registration_brings_in_the_joint_units_and_the_leaders(staff):
    d = dispute(staff, violence_threat=True)
    assert d.grade == Grade.RED
    assert set(d.joint_units.all()) == {staff.police, staff.judicial}  # active, serving
    assert heard(d, "register") == {"lina", "leo", "pat", "jo"}


def test_yellow_registration_tells_the_community_mediators(staff):
    d = dispute(staff, people_involved=8)
    assert heard(d, "register") == {"mia"}
    assert not d.joint_units.exists()


def test_green_registration_tells_nobody(staff):
    assert heard(dispute(staff), "register") == set()


def test_acceptance_tells_the_owner_but_not_the_actor(staff):
    d = dispute(staff, people_involved=8)
    services.dispute_transition(actor=staff.alice, dispute=d, action="accept",
                                owner_id=staff.mia.pk)
    assert heard(d, "accept") == {"mia"}
    own = in_state(staff, State.REGISTERED, grade="yellow", mia=staff.mia,
                   summary="另一起纠纷", parties=[services.PartyInput(name="孙七")])
    services.dispute_transition(actor=staff.mia, dispute=own, action="accept")
    assert heard(own, "accept") == set()  # she accepted it herself


def test_reassign_tells_the_new_owner(staff):
    d = in_state(staff, State.ACCEPTED, grade="yellow", mia=staff.mia)
    services.dispute_transition(actor=staff.mia, dispute=d, action="reassign",
                                owner_id=staff.alice.pk, note="休假")
    assert heard(d, "reassign") == {"alice"}


def test_regrade_to_red_tells_owner_coordinators_and_the_joint_units(staff):
    d = in_state(staff, State.ACCEPTED, mia=staff.mia)  # green, owned by gina
    services.dispute_regrade(actor=staff.alice, dispute=d, grade=Grade.RED,
                             note="一方扬言报复")
    assert set(d.joint_units.all()) == {staff.police, staff.judicial}
    assert heard(d, "regrade") == {"gina", "mia", "lina", "leo", "pat", "jo"}


def test_regrade_of_an_ended_dispute_sets_no_joint_units(staff):
    d = in_state(staff, State.AGREED, mia=staff.mia)
    services.dispute_regrade(actor=staff.alice, dispute=d, grade=Grade.RED, note="复核")
    assert not d.joint_units.exists()


@pytest.mark.parametrize(("state", "action"), [(State.AGREED, "agree"),
                                               (State.FAILED, "fail"),
                                               (State.REFERRED, "refer")])
def test_endings_tell_the_registering_grid_worker(staff, state, action):
    d = in_state(staff, state, mia=staff.mia)
    assert heard(d, action) == {"gina"}
    note = Notification.objects.get(recipient=staff.gina, kind="dispute.ended")
    assert d.number in str(note.title) and "王" not in str(note.body)


def test_joint_units_see_a_red_dispute_once_and_others_do_not(staff):
    d = dispute(staff, violence_threat=True)
    assert list(dispute_list(actor=staff.pat)) == [d]
    assert list(dispute_list(actor=staff.jo)) == [d]
    assert list(dispute_list(actor=staff.otto)) == []
    assert list(dispute_list(actor=staff.uma)) == []  # a property unit is no joint unit
    green = in_state(staff, State.REGISTERED, mia=staff.mia,
                     parties=[services.PartyInput(name="周八")])
    assert green not in dispute_list(actor=staff.pat)


def test_joint_unit_members_read_but_do_not_act(staff):
    d = dispute(staff, violence_threat=True)
    from linli.core.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.dispute_transition(actor=staff.pat, dispute=d, action="accept")
