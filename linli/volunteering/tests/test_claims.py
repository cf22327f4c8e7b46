"""Claiming, hours, confirmation, rating and the points that confirmed work earns."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from linli.accounts import scope
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.points.models import Account, AccountKind, Entry
from linli.volunteering import services
from linli.volunteering.models import Claim, ClaimState, Event, TaskState, VolunteerProfile
from linli.volunteering.services_claims import claim_create
from linli.volunteering.tests.factories import claim, task, volunteer, wish_task

pytestmark = pytest.mark.django_db
D = Decimal


def _balance(world, user) -> int:
    account = Account.objects.filter(kind=AccountKind.RESIDENT, owner=user).first()
    return account.balance if account else 0


def _moved(t) -> tuple:
    """Everything a refused claim action must leave as it was."""
    t.refresh_from_db()
    return (t.state, t.claimed_count, Claim.objects.count(), Event.objects.count(),
            Entry.objects.count(), list(Claim.objects.values_list("state", flat=True)))


# --- claiming ---------------------------------------------------------------------------

def test_a_volunteer_claims_a_place(vw):
    t = task(vw, needed=2)
    c = claim_create(actor=vw.vera, task=t)
    t.refresh_from_db()
    assert (c.state, c.volunteer, t.claimed_count, t.state) == (
        ClaimState.CLAIMED, vw.vera, 1, TaskState.PUBLISHED)


def test_the_last_place_fills_the_task_and_the_next_claim_is_told_it_is_full(vw):
    t = task(vw, needed=1)
    claim_create(actor=vw.vera, task=t)
    t.refresh_from_db()
    assert (t.state, t.claimed_count) == (TaskState.FULL, 1)
    assert list(t.events.values_list("action", flat=True)) == ["create", "publish", "fill"]
    before = _moved(t)
    with pytest.raises(Conflict) as exc, override("en"):
        claim_create(actor=vw.vic, task=t)
    assert exc.value.code == "task_full"
    assert exc.value.message == "This task is full: all 1 places are taken."
    assert _moved(t) == before


def test_one_claim_per_volunteer_per_task(vw):
    t = task(vw, needed=3)
    claim_create(actor=vw.vera, task=t)
    before = _moved(t)
    with pytest.raises(Conflict) as exc:
        claim_create(actor=vw.vera, task=t)
    assert exc.value.code == "already_claimed"
    assert _moved(t) == before


@pytest.mark.parametrize("who", ["rita", "val", "alice", "nobody"])
def test_only_volunteers_of_the_community_claim(vw, who):
    t = task(vw)
    before = _moved(t)
    with pytest.raises(PermissionDenied) as exc:
        claim_create(actor=getattr(vw, who), task=t)
    assert exc.value.code == "not_volunteer"
    assert _moved(t) == before


def test_claiming_a_cancelled_or_draft_task_is_refused(vw):
    cancelled = services.transition(actor=vw.alice, obj=task(vw), action="cancel", note="取消")
    draft = task(vw, publish=False)
    for t, code in ((cancelled, "task_cancelled"), (draft, "task_draft")):
        before = _moved(t)
        with pytest.raises(ValidationFailed) as exc:
            claim_create(actor=vw.vera, task=t)
        assert exc.value.code == code
        assert _moved(t) == before


def test_a_requester_who_volunteers_does_not_take_their_own_wish(vw):
    t = wish_task(vw)
    from linli.accounts.models import Role
    from linli.accounts.tests.factories import assign

    assign(vw.rita, Role.VOLUNTEER, vw.community_a)
    scope.forget(vw.rita)
    with pytest.raises(ValidationFailed) as exc:
        claim_create(actor=vw.rita, task=t)
    assert exc.value.code == "own_wish"
    assert Claim.objects.count() == 0


def test_withdrawing_gives_the_place_back_and_reopens_a_full_task(vw):
    t = task(vw, needed=1)
    c = claim(vw, t)
    c = services.transition(actor=vw.vera, obj=c, action="withdraw")
    t.refresh_from_db()
    assert (c.state, t.state, t.claimed_count) == (ClaimState.WITHDRAWN, TaskState.PUBLISHED, 0)
    assert list(t.events.values_list("action", flat=True)) == [
        "create", "publish", "fill", "reopen"]
    assert claim_create(actor=vw.vic, task=t).state == ClaimState.CLAIMED


def test_only_the_volunteer_moves_their_own_claim(vw):
    c = claim(vw, task(vw))
    for who in (vw.vic, vw.alice, vw.rita):
        with pytest.raises(PermissionDenied):
            services.transition(actor=who, obj=c, action="check_in")
    c.refresh_from_db()
    assert c.state == ClaimState.CLAIMED


# --- hours ------------------------------------------------------------------------------

def test_checking_in_and_out_reports_the_time_in_half_hours(vw):
    c = claim(vw, task(vw))
    start = timezone.now()
    c = services.transition(actor=vw.vera, obj=c, action="check_in", now=start)
    c = services.transition(actor=vw.vera, obj=c, action="check_out",
                            now=start + timedelta(hours=2, minutes=50))
    assert (c.state, c.check_in_at, c.reported_hours) == (
        ClaimState.CHECKED_OUT, start, D("2.5"))


def test_a_short_visit_counts_half_an_hour(vw):
    c = claim(vw, task(vw), state=ClaimState.CHECKED_IN)
    assert c.check_in_at is not None
    c = services.transition(actor=vw.vera, obj=c, action="check_out",
                            now=c.check_in_at + timedelta(minutes=5))
    assert c.reported_hours == D("0.5")


@pytest.mark.parametrize("hours", ["0", "-1", "0.3", "24.5", "abc", "NaN", "Infinity", None])
def test_bad_hours_are_refused(vw, hours):
    c = claim(vw, task(vw))
    before = _moved(c.task)
    with pytest.raises(ValidationFailed) as exc:
        services.transition(actor=vw.vera, obj=c, action="report", hours=hours)
    assert exc.value.code == "bad_hours"
    assert _moved(c.task) == before


# --- confirmation and points ------------------------------------------------------------

def test_the_requester_confirms_and_rates_and_points_follow_the_hourly_rule(vw):
    t = wish_task(vw)
    c = claim(vw, t, state=ClaimState.REPORTED, hours="3.5")
    c = services.transition(actor=vw.rita, obj=c, action="confirm", rating=5,
                            comment="非常耐心")
    assert (c.state, c.confirmed_hours, c.confirmed_by, c.rating, c.rated_by, c.points) == (
        ClaimState.CONFIRMED, D("3.5"), vw.rita, 5, vw.rita, 30)  # 3 whole hours x 10
    entry = Entry.objects.get()
    assert (entry.key, entry.amount, entry.earning_action, c.points_entry) == (
        f"volunteering.claim:{c.pk}", 30, "volunteer_hour", entry)
    profile = VolunteerProfile.objects.get(user=vw.vera)
    assert (profile.total_hours, profile.rating_count, profile.average_rating) == (
        D("3.5"), 1, D("5.0"))
    assert _balance(vw, vw.vera) == 30


def test_a_task_with_fixed_points_pays_them_whatever_the_hours(vw):
    c = claim(vw, task(vw, points=25), state=ClaimState.REPORTED, hours="0.5")
    services.transition(actor=vw.alice, obj=c, action="confirm")
    entry = Entry.objects.get()
    assert (entry.amount, entry.earning_action, entry.source) == (
        25, "", f"volunteering.claim:{c.pk}")
    assert _balance(vw, vw.vera) == 25


def test_staff_may_confirm_fewer_hours_than_reported(vw):
    c = claim(vw, task(vw), state=ClaimState.REPORTED, hours="6")
    c = services.transition(actor=vw.gina, obj=c, action="confirm", hours="4")
    assert (c.reported_hours, c.confirmed_hours, c.points) == (D("6.0"), D("4.0"), 40)


def test_the_monthly_cap_limits_the_points(vw):
    vw.rule_a.cap = 45
    vw.rule_a.save()
    first = claim(vw, task(vw), state=ClaimState.CONFIRMED, hours="4")
    second = claim(vw, task(vw), state=ClaimState.CONFIRMED, hours="4")
    third = claim(vw, task(vw), state=ClaimState.CONFIRMED, hours="4")
    assert [c.points for c in Claim.objects.filter(
        pk__in=[first.pk, second.pk, third.pk]).order_by("pk")] == [40, 5, 0]
    assert _balance(vw, vw.vera) == 45
    assert VolunteerProfile.objects.get(user=vw.vera).total_hours == D("12")


def test_without_a_rule_confirmed_work_earns_hours_but_no_points(vw):
    vw.rule_a.delete()
    c = claim(vw, task(vw), state=ClaimState.CONFIRMED, hours="2")
    assert (c.points, c.points_entry, Entry.objects.count()) == (0, None, 0)
    assert VolunteerProfile.objects.get(user=vw.vera).total_hours == D("2")


def test_nobody_confirms_their_own_work_not_even_staff(vw):
    gina_volunteers = vw.gina
    from linli.accounts.models import Role
    from linli.accounts.tests.factories import assign

    assign(gina_volunteers, Role.VOLUNTEER, vw.community_a)
    scope.forget(gina_volunteers)
    c = claim(vw, task(vw), user=gina_volunteers, state=ClaimState.REPORTED)
    before = _moved(c.task)
    for action in ("confirm", "reject", "rate"):
        with pytest.raises(PermissionDenied) as exc:
            services.transition(actor=gina_volunteers, obj=c, action=action, rating=5,
                                note="x")
        assert exc.value.code == "own_work"
    assert _moved(c.task) == before
    assert services.transition(actor=vw.alice, obj=c, action="confirm").confirmed_by == vw.alice


@pytest.mark.parametrize("who", ["vic", "bob", "uma", "leo", "nobody"])
def test_others_may_not_confirm(vw, who):
    c = claim(vw, wish_task(vw), state=ClaimState.REPORTED)
    before = _moved(c.task)
    with pytest.raises(PermissionDenied):
        services.transition(actor=getattr(vw, who), obj=c, action="confirm")
    assert _moved(c.task) == before


def test_a_second_confirmation_is_refused_and_pays_nothing(vw):
    c = claim(vw, task(vw), state=ClaimState.REPORTED, hours="2")
    stale = Claim.objects.get(pk=c.pk)
    services.transition(actor=vw.alice, obj=c, action="confirm")
    with pytest.raises(Conflict):
        services.transition(actor=vw.gina, obj=stale, action="confirm")
    with pytest.raises(ValidationFailed):
        services.transition(actor=vw.gina, obj=Claim.objects.get(pk=c.pk), action="confirm")
    assert Entry.objects.count() == 1 and _balance(vw, vw.vera) == 20
    assert VolunteerProfile.objects.get(user=vw.vera).total_hours == D("2")


def test_work_not_yet_reported_cannot_be_confirmed(vw):
    c = claim(vw, task(vw), state=ClaimState.CHECKED_IN)
    with pytest.raises(ValidationFailed) as exc:
        services.transition(actor=vw.alice, obj=c, action="confirm", hours="2")
    assert exc.value.code == "transition_not_allowed"
    assert Entry.objects.count() == 0


def test_rejected_work_earns_nothing(vw):
    c = claim(vw, task(vw), state=ClaimState.REJECTED)
    assert (c.points, Entry.objects.count()) == (0, 0)
    assert VolunteerProfile.objects.filter(user=vw.vera).count() == 0  # no hours to keep


def test_rating_later_happens_once_and_counts_in_the_profile(vw):
    c = claim(vw, task(vw), state=ClaimState.CONFIRMED)
    c = services.transition(actor=vw.alice, obj=c, action="rate", rating=4, comment="准时")
    assert (c.rating, c.rating_comment, c.rated_by, c.state) == (
        4, "准时", vw.alice, ClaimState.CONFIRMED)
    with pytest.raises(ValidationFailed) as exc:
        services.transition(actor=vw.gina, obj=c, action="rate", rating=1)
    assert exc.value.code == "already_rated"
    profile = VolunteerProfile.objects.get(user=vw.vera)
    assert (profile.rating_sum, profile.rating_count) == (4, 1)


@pytest.mark.parametrize("rating", [0, 6, "five", True, None])
def test_bad_ratings_are_refused(vw, rating):
    c = claim(vw, task(vw), state=ClaimState.CONFIRMED)
    with pytest.raises(ValidationFailed) as exc:
        services.transition(actor=vw.alice, obj=c, action="rate", rating=rating)
    assert exc.value.code == "bad_rating"
    c.refresh_from_db()
    assert c.rating is None


def test_the_volunteer_of_another_community_has_their_own_points(vw):
    from linli.volunteering.tests.factories import hour_rule

    hour_rule(vw.community_b, points=8)
    t = task(vw, actor=vw.bob, area=vw.community_b)
    c = claim(vw, t, user=vw.val, state=ClaimState.REPORTED, hours="2")
    services.transition(actor=vw.bob, obj=c, action="confirm")
    assert _balance(vw, vw.val) == 16
    assert volunteer("vanessa", vw.community_b).pk  # a fresh volunteer has no account yet
    assert Account.objects.filter(kind=AccountKind.RESIDENT).count() == 1
