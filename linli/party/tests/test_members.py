"""Members, memberships, posts and service hours: the services' rules and the exact
service-hours rule."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.party import selectors_members as sel
from linli.party.models import Member, MemberKind, Membership, OrgKind, PostHolding
from linli.party.services.members import (
    member_leave,
    member_register,
    membership_leave,
    membership_move,
)
from linli.party.services.posts import (
    holding_end,
    post_assign,
    post_create,
    service_record,
    service_void,
)
from linli.party.tests import factories as f
from linli.people.tests.factories import resident


@pytest.fixture
def w(world):
    return f.party_world(world)


def test_register_a_member_from_a_resident_once(w):
    person = resident(w.alice, w.dwelling_a, name="周红")
    made = member_register(actor=w.pia, community=w.community_a, kind=MemberKind.RETIRED,
                           resident=person)
    assert made.name == "周红" and made.area_path == w.community_a.path
    with pytest.raises(ValidationFailed) as exc:
        member_register(actor=w.pia, community=w.community_a, kind=MemberKind.DIRECT,
                        resident=person)
    assert exc.value.code == "already_member"
    with pytest.raises(ValidationFailed) as exc:
        member_register(actor=w.pia, community=w.community_a, kind=MemberKind.IN_SERVICE,
                        user=w.rita)
    assert exc.value.code == "no_employer"
    with pytest.raises(PermissionDenied):
        member_register(actor=w.pete, community=w.community_a, kind=MemberKind.DIRECT,
                        user=w.rita)


def test_move_leaves_the_old_branch_and_joins_the_new_in_one_step(w):
    f.join(w.member_mark, w.branch_a1)
    other = f.organisation(w.grid_a2, "第二网格党支部", OrgKind.BRANCH, parent=w.committee_a)
    membership_move(actor=w.pia, member=w.member_mark, organisation=other)
    current = Membership.objects.filter(member=w.member_mark, until__isnull=True)
    assert [m.organisation for m in current] == [other]
    with pytest.raises(ValidationFailed):
        membership_move(actor=w.pia, member=w.member_mark, organisation=other)
    membership_leave(actor=w.pia, membership=current.get())
    assert not Membership.objects.filter(member=w.member_mark, until__isnull=True).exists()


def test_a_member_who_leaves_ends_memberships_and_posts(w):
    f.join(w.member_mark, w.branch_a1)
    post = post_create(actor=w.pia, community=w.community_a, name="楼栋长")
    post_assign(actor=w.pia, post=post, member=w.member_mark)
    member_leave(actor=w.pia, member=w.member_mark)
    assert not w.member_mark.memberships.filter(until__isnull=True).exists()
    assert not w.member_mark.posts.filter(until__isnull=True).exists()


def test_a_post_keeps_its_places(w):
    post = post_create(actor=w.pia, community=w.community_a, name="政策宣传员", places=1)
    post_assign(actor=w.pia, post=post, member=w.member_mark)
    other = f.member(w, name="党员 王芳")
    with pytest.raises(ValidationFailed) as exc:
        post_assign(actor=w.pia, post=post, member=other)
    assert exc.value.code == "full"
    holding_end(actor=w.pia, holding=PostHolding.objects.get(post=post))
    post_assign(actor=w.pia, post=post, member=other)
    with pytest.raises(ValidationFailed) as exc:
        post_create(actor=w.pia, community=w.community_a, name="政策宣传员")
    assert exc.value.code == "name_taken"


def test_service_records_are_checked_and_voided(w):
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as exc:
        service_record(actor=w.pia, member=w.member_mark, served_on=today, hours="0.3",
                       what="宣传")
    assert exc.value.code == "bad_hours"
    with pytest.raises(ValidationFailed):
        service_record(actor=w.pia, member=w.member_mark,
                       served_on=today + timedelta(days=1), hours=2, what="宣传")
    with pytest.raises(PermissionDenied):
        service_record(actor=w.pete, member=w.member_mark, served_on=today, hours=2,
                       what="宣传")
    made = service_record(actor=w.pia, member=w.member_mark, served_on=today, hours="2.5",
                          what="政策宣传")
    service_void(actor=w.pia, record=made, reason="记错了")
    assert made.voided_at is not None


@override_settings(PARTY_SERVICE_HOURS_TARGET=24)
def test_the_hours_rule_on_exact_fixtures(w):
    """2026 has 365 days; on 1 July (day 182) the target pro rata is 24 × 182 / 365 =
    11.97 → 12.0. Mark has 8 recorded hours (a void 5 not counted) and 3.5 confirmed
    volunteering hours: 11.5 < 12.0, behind; 1 more hour and he is not."""
    from linli.volunteering.models import Claim, ClaimState
    from linli.volunteering.tests.factories import claim, task, volunteer

    assert sel.expected_hours(2026, date(2026, 7, 1)) == Decimal("12.0")
    assert sel.expected_hours(2025, date(2026, 7, 1)) == Decimal("24.0")
    assert sel.expected_hours(2026, date(2026, 1, 1)) == Decimal("0.1")
    day = date(2026, 3, 1)
    for hours in (5, 3):
        service_record(actor=w.pia, member=w.member_mark, served_on=day, hours=hours,
                       what="值守")
    void = service_record(actor=w.pia, member=w.member_mark, served_on=day, hours=5,
                          what="记错")
    service_void(actor=w.pia, record=void, reason="重复")
    vera = volunteer("vera", w.community_a, w.dwelling_a)
    done = claim(w, task(w), user=vera)  # handed to mark, confirmed: only hours matter
    Claim.objects.filter(pk=done.pk).update(
        volunteer=w.mark, state=ClaimState.CONFIRMED, confirmed_hours=Decimal("3.5"),
        confirmed_at=timezone.make_aware(datetime(2026, 5, 1, 10)))
    [row] = sel.service_hours([w.member_mark], 2026, date(2026, 7, 1))
    assert (row.recorded, row.volunteered, row.total) == (Decimal(8), Decimal("3.5"),
                                                          Decimal("11.5"))
    assert row.behind
    service_record(actor=w.pia, member=w.member_mark, served_on=day, hours=1, what="值守")
    [row] = sel.service_hours([w.member_mark], 2026, date(2026, 7, 1))
    assert not row.behind


def test_party_data_is_not_seen_by_a_dispatcher(w):
    assert not sel.member_list(actor=w.alice).exists()
    assert list(sel.member_list(actor=w.mark)) == [w.member_mark]
    assert sel.member_list(actor=w.pia).filter(pk=w.member_mark.pk).exists()
    assert not sel.member_list(actor=w.pete).exists()
    assert Member.objects.count() == 1
