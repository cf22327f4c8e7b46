"""Sign-ups, the waiting list and check-in (services.signups), on exact fixtures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.community import services
from linli.community.models import Activity, SignUp, SignUpState
from linli.community.tests.factories import activity, household_member
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.people.models import Resident
from linli.people.tests.factories import cared_for, resident, tag
from linli.points.models import EarningAction, EarningRule, Entry

pytestmark = pytest.mark.django_db


def record(user) -> Resident:
    return Resident.objects.get(user=user)


@pytest.fixture
def rita(world):
    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_places_then_waiting_list_then_promotion(world, rita):
    act = activity(world, capacity=2)
    kid = household_member(world.alice, rita, "李小明")
    grandma = household_member(world.alice, rita, "张奶奶", relation="parent")
    first = services.signup_create(actor=world.rita, activity=act, resident=rita)
    second = services.signup_create(actor=world.rita, activity=act, resident=kid)
    third = services.signup_create(actor=world.rita, activity=act, resident=grandma)
    assert [first.state, second.state, third.state] == ["confirmed", "confirmed", "waiting"]
    assert Activity.objects.get(pk=act.pk).taken == 2
    services.signup_cancel(actor=world.rita, signup=second)
    third.refresh_from_db()
    assert third.state == SignUpState.CONFIRMED and third.confirmed_at is not None
    assert Activity.objects.get(pk=act.pk).taken == 2
    services.signup_cancel(actor=world.rita, signup=third)
    assert Activity.objects.get(pk=act.pk).taken == 1


def test_sign_up_again_after_cancelling(world, rita):
    act = activity(world)
    first = services.signup_create(actor=world.rita, activity=act, resident=rita)
    services.signup_cancel(actor=world.rita, signup=first)
    again = services.signup_create(actor=world.rita, activity=act, resident=rita)
    assert again.state == "confirmed" and Activity.objects.get(pk=act.pk).taken == 1


def test_twice_is_refused(world, rita):
    act = activity(world)
    services.signup_create(actor=world.rita, activity=act, resident=rita)
    with pytest.raises(Conflict) as refused:
        services.signup_create(actor=world.rita, activity=act, resident=rita)
    assert refused.value.code == "already_signed_up"
    assert SignUp.objects.count() == 1


def test_outside_the_window_is_refused(world, rita):
    now = timezone.now()
    later = activity(world, signup_opens_at=now + timedelta(hours=1))
    with pytest.raises(ValidationFailed) as refused:
        services.signup_create(actor=world.rita, activity=later, resident=rita)
    assert refused.value.code == "signup_not_open"
    closed = activity(world, signup_opens_at=now - timedelta(days=2),
                      signup_closes_at=now - timedelta(hours=1))
    with pytest.raises(ValidationFailed) as refused:
        services.signup_create(actor=world.rita, activity=closed, resident=rita)
    assert refused.value.code == "signup_closed"
    draft = activity(world, state="draft")
    with pytest.raises(ValidationFailed):
        services.signup_create(actor=world.rita, activity=draft, resident=rita)
    assert not SignUp.objects.exists()


def test_out_of_the_audience_is_refused(world, rita):
    act = activity(world, area=world.community_b, actor=world.bob)
    with pytest.raises(ValidationFailed) as refused:
        services.signup_create(actor=world.rita, activity=act, resident=rita)
    assert refused.value.code == "not_audience"
    lonely = tag("lonely_elderly")
    for_elders = activity(world, care_tag=lonely)
    with pytest.raises(ValidationFailed) as refused:
        services.signup_create(actor=world.rita, activity=for_elders, resident=rita)
    assert refused.value.code == "not_audience"
    cared_for(world.alice, rita, world.gina, "lonely_elderly")
    assert services.signup_create(actor=world.rita, activity=for_elders, resident=rita)


def test_only_the_household_or_staff_sign_up_a_person(world, rita):
    act = activity(world)
    with pytest.raises(PermissionDenied):
        services.signup_create(actor=world.bob, activity=act, resident=rita)
    with pytest.raises(PermissionDenied):
        services.signup_create(actor=world.nobody, activity=act, resident=rita)
    staff = services.signup_create(actor=world.gina, activity=act, resident=rita)
    assert staff.signed_up_by == world.gina


def test_check_in_by_code_earns_points_once(world, rita):
    EarningRule.objects.create(community=world.community_a,
                               action=EarningAction.ACTIVITY_ATTENDANCE, points_per_unit=5)
    now = timezone.now()
    act = activity(world, starts_at=now + timedelta(minutes=30),
                   signup_opens_at=now - timedelta(days=1))
    kid = household_member(world.alice, rita, "李小明")
    mine = services.signup_create(actor=world.rita, activity=act, resident=rita)
    services.signup_create(actor=world.rita, activity=act, resident=kid)
    with pytest.raises(ValidationFailed) as refused:
        services.check_in_by_code(actor=world.rita, activity=act, code="0000")
    assert refused.value.code == "bad_code"
    done = services.check_in_by_code(actor=world.rita, activity=act, code="2468")
    assert len(done) == 2  # her and the child she signed up
    with pytest.raises(Conflict):
        services.check_in_by_code(actor=world.rita, activity=act, code="2468")
    with pytest.raises(Conflict):
        services.check_in_by_staff(actor=world.gina, signup=mine)
    # The child has no account: only rita earns.
    assert list(Entry.objects.values_list("amount", flat=True)) == [5]


def test_check_in_window_and_who(world, rita):
    now = timezone.now()
    act = activity(world, starts_at=now + timedelta(hours=3),
                   signup_opens_at=now - timedelta(days=1))
    mine = services.signup_create(actor=world.rita, activity=act, resident=rita)
    with pytest.raises(ValidationFailed) as refused:
        services.check_in_by_code(actor=world.rita, activity=act, code="2468")
    assert refused.value.code == "check_in_closed"
    with pytest.raises(ValidationFailed) as refused:
        services.check_in_by_code(actor=world.bob, activity=act, code="2468")
    assert refused.value.code == "not_signed_up"
    with pytest.raises(PermissionDenied):
        services.check_in_by_staff(actor=world.bob, signup=mine)
    ticked = services.check_in_by_staff(actor=world.gina, signup=mine,
                                        now=act.starts_at + timedelta(minutes=5))
    assert ticked.checked_in_via == "staff" and ticked.checked_in_by == world.gina


def test_waiting_cannot_check_in_and_cancel_after_start_is_refused(world, rita):
    now = timezone.now()
    act = activity(world, capacity=1, starts_at=now + timedelta(minutes=10),
                   signup_opens_at=now - timedelta(days=1))
    kid = household_member(world.alice, rita, "李小明")
    services.signup_create(actor=world.gina, activity=act, resident=kid)
    waiting = services.signup_create(actor=world.rita, activity=act, resident=rita)
    assert waiting.state == "waiting"
    with pytest.raises(ValidationFailed):
        services.check_in_by_staff(actor=world.gina, signup=waiting)
    with pytest.raises(ValidationFailed) as refused:
        services.signup_cancel(actor=world.rita, signup=waiting,
                               now=act.starts_at + timedelta(minutes=1))
    assert refused.value.code == "started"


def test_raised_capacity_promotes_in_order(world, rita):
    act = activity(world, capacity=1)
    kid = household_member(world.alice, rita, "李小明")
    grandma = household_member(world.alice, rita, "张奶奶", relation="parent")
    for person in (rita, kid, grandma):
        services.signup_create(actor=world.rita, activity=act, resident=person)
    Activity.objects.filter(pk=act.pk).update(capacity=2)
    promoted = services.places_release(activity=act, now=timezone.now())
    assert [s.name for s in promoted] == ["李小明"]
    assert Activity.objects.get(pk=act.pk).taken == 2
