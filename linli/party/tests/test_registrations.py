"""Dual registration (双报到): report, accept (posts held, home organisations joined),
decline, withdraw, end (posts left), taking a post, and who hears of it."""

from typing import cast

import pytest

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.notifications.models import Notification
from linli.party.models import DualRegistration, Member, MemberKind, RegistrationState
from linli.party.services.members import registration_report, registration_transition
from linli.party.services.posts import post_create, post_take
from linli.party.tests import factories as f
from linli.people.tests.factories import resident


@pytest.fixture
def w(world):
    return f.party_world(world)


def _newcomer(w):
    user = cast(User, UserFactory(username="nina"))
    assign(user, Role.RESIDENT, w.dwelling_a)
    resident(w.alice, w.dwelling_a, name="倪娜", user=user, relation="child")
    return user


def test_a_resident_reports_and_becomes_an_in_service_member(w, django_capture_on_commit_callbacks):
    user = _newcomer(w)
    post = post_create(actor=w.pia, community=w.community_a, name="楼栋长")
    with django_capture_on_commit_callbacks(execute=True):
        made = registration_report(actor=user, employer="江汉区税务局", posts=[post])
    member = Member.objects.get(user=user)
    assert (member.kind, member.employer, member.community) == (
        MemberKind.IN_SERVICE, "江汉区税务局", w.community_a)
    assert made.state == RegistrationState.REPORTED and list(made.posts_chosen.all()) == [post]
    assert Notification.objects.filter(recipient=w.pia).exists()
    assert not Notification.objects.filter(recipient=w.pete).exists()
    with pytest.raises(ValidationFailed) as exc:
        registration_report(actor=user, employer="江汉区税务局")
    assert exc.value.code == "live"


def test_a_post_of_another_community_is_refused(w):
    user = _newcomer(w)
    theirs = post_create(actor=w.pete, community=w.community_b, name="楼栋长")
    with pytest.raises(ValidationFailed) as exc:
        registration_report(actor=user, employer="税务局", posts=[theirs])
    assert exc.value.code == "bad_post"
    assert not DualRegistration.objects.exists()


def test_accepting_holds_the_posts_and_joins_the_home_organisations(
        w, django_capture_on_commit_callbacks):
    post = post_create(actor=w.pia, community=w.community_a, name="楼栋长")
    made = registration_report(actor=w.mark, employer="江汉区税务局", posts=[post])
    with pytest.raises(PermissionDenied):
        registration_transition(actor=w.mark, registration=made, action="accept")
    with django_capture_on_commit_callbacks(execute=True):
        registration_transition(actor=w.pia, registration=made, action="accept")
    member = w.member_mark
    assert list(member.posts.filter(until__isnull=True).values_list("post__name", flat=True)) \
        == ["楼栋长"]
    assert set(member.memberships.values_list("organisation__name", flat=True)) == {
        "第一网格党支部", "1栋党小组"}
    assert Notification.objects.filter(recipient=w.mark).exists()
    registration_transition(actor=w.pia, registration=made, action="end", note="调离")
    assert not member.posts.filter(until__isnull=True).exists()


def test_decline_needs_a_reason_and_the_member_may_withdraw(w):
    made = registration_report(actor=w.mark, employer="江汉区税务局")
    with pytest.raises(ValidationFailed):
        registration_transition(actor=w.pia, registration=made, action="decline")
    registration_transition(actor=w.mark, registration=made, action="withdraw")
    again = registration_report(actor=w.mark, employer="江汉区税务局")
    registration_transition(actor=w.pia, registration=again, action="decline",
                            note="不在本社区居住")
    assert DualRegistration.objects.get(pk=again.pk).state == RegistrationState.DECLINED


def test_a_member_takes_an_open_post_once_accepted(w):
    post = post_create(actor=w.pia, community=w.community_a, name="文明督导员")
    with pytest.raises(PermissionDenied):
        post_take(actor=w.mark, post=post)
    made = registration_report(actor=w.mark, employer="江汉区税务局")
    registration_transition(actor=w.pia, registration=made, action="accept")
    post_take(actor=w.mark, post=post)
    closed = post_create(actor=w.pia, community=w.community_a, name="党委委员",
                         open_to_dual=False)
    with pytest.raises(ValidationFailed):
        post_take(actor=w.mark, post=closed)
