"""Bodies, members, meetings, check-in, attendance, quorum, minutes and points through the
real services (SQLite and PostgreSQL)."""

from datetime import timedelta
from typing import cast

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.accounts.tests.factories import UserFactory
from linli.core.errors import ApplicationError
from linli.deliberation import services
from linli.deliberation.models import (
    Attendance,
    Attendees,
    BodyKind,
    CheckIn,
    Invitation,
    Meeting,
    MeetingState,
    Member,
    Rules,
    TopicState,
)
from linli.deliberation.tests.factories import (
    CHILD,
    body,
    dwellings,
    person,
    topic,
    voter,
)
from linli.notifications.models import Notification
from linli.people.models import Resident
from linli.points.models import EarningAction, EarningRule, Entry

pytestmark = pytest.mark.django_db


def code_of(err) -> str:
    return err.value.code


def council(world, **kw):
    return services.body_create(actor=world.alice, area=world.community_a, name="花楼议事会",
                                kind=BodyKind.COUNCIL,
                                term_start=timezone.localdate() - timedelta(days=10),
                                term_end=timezone.localdate() + timedelta(days=1000), **kw)


def meeting_of(world, b=None, **kw) -> Meeting:
    fields = {"actor": world.alice, "area": None if b else world.estate_a, "title": "议事会议",
              "starts_at": timezone.now() + timedelta(minutes=30), "place": "社区活动室",
              "body": b} | kw
    return services.meeting_create(**fields)


# --- bodies and members --------------------------------------------------------------------

def test_body_rules(world):
    b = council(world, quorum=" >= 2/3 ")
    assert b.quorum == ">=2/3" and b.area_path == world.community_a.path
    with pytest.raises(ApplicationError) as err:
        council(world, quorum="half")
    assert code_of(err) == "bad_share"
    with pytest.raises(ApplicationError) as err:
        services.body_create(actor=world.alice, area=world.community_a, name="x",
                             kind=BodyKind.COUNCIL, term_start=timezone.localdate(),
                             term_end=timezone.localdate())
    assert code_of(err) == "bad_term"
    with pytest.raises(ApplicationError) as err:
        services.body_create(actor=world.gina, area=world.community_a, name="x",
                             kind=BodyKind.COUNCIL, term_start=timezone.localdate(),
                             term_end=timezone.localdate() + timedelta(days=1))
    assert err.value.status == 403
    with pytest.raises(ApplicationError) as err:
        services.body_create(actor=world.bob, area=world.community_a, name="x",
                             kind=BodyKind.COUNCIL, term_start=timezone.localdate(),
                             term_end=timezone.localdate() + timedelta(days=1))
    assert err.value.status == 403
    services.body_update(actor=world.alice, body=b, name="花楼社区议事会", is_active=False)
    b.refresh_from_db()
    assert b.name == "花楼社区议事会" and not b.is_active


def test_a_member_once_while_current_and_leaving_keeps_the_row(world):
    b = council(world)
    wang = person(world.alice, world.dwelling_a, "王建国")
    m = services.member_add(actor=world.alice, body=b, resident=wang, post="召集人")
    assert m.name == "王建国"
    with pytest.raises(ApplicationError) as err:
        services.member_add(actor=world.alice, body=b, resident=wang)
    assert code_of(err) == "already_member" and err.value.status == 409
    services.member_leave(actor=world.alice, member=m)
    with pytest.raises(ApplicationError) as err:
        services.member_leave(actor=world.alice, member=m)
    assert code_of(err) == "already_left"
    again = services.member_add(actor=world.alice, body=b, resident=wang, post="成员")
    assert Member.objects.filter(body=b, resident=wang).count() == 2 and again.left_on is None
    outsider = person(world.bob, world.dwelling_b, "赵外")
    with pytest.raises(ApplicationError) as err:
        services.member_add(actor=world.alice, body=b, resident=outsider)
    assert code_of(err) == "not_of_place"
    rep = services.member_add(actor=world.alice, body=b, user=world.uma, name="物业代表")
    assert rep.name == "物业代表"


# --- meetings ------------------------------------------------------------------------------

def test_meeting_expected_agenda_and_invitations_once(world):
    a, b2 = dwellings(world.entrance_a, 2)
    members = [voter(world.alice, a, "m1"), voter(world.alice, b2, "m2")]
    wang = person(world.alice, a, "王无账号")
    b = body(world, members=[*members, wang])
    on = topic(world, state=TopicState.AGENDA, title="加装电梯")
    meeting = meeting_of(world, b, topic_ids=[on.pk], invite=True)
    assert meeting.area == world.community_a and meeting.expected == 3
    assert meeting.attendees == Attendees.MEMBERS and len(meeting.check_in_code) == 4
    assert list(meeting.agenda.values_list("topic_id", flat=True)) == [on.pk]
    assert Invitation.objects.filter(meeting=meeting).count() == 2
    assert services.meeting_invite(actor=world.alice, meeting=meeting) == 0
    assert Notification.objects.filter(kind="deliberation.meeting_invitation").count() == 2
    raised = topic(world, title="还在征集")
    with pytest.raises(ApplicationError) as err:
        meeting_of(world, b, topic_ids=[raised.pk])
    assert code_of(err) == "bad_topic"
    with pytest.raises(ApplicationError) as err:
        meeting_of(world, b, starts_at=timezone.now() - timedelta(days=1))
    assert code_of(err) == "starts_in_past"
    with pytest.raises(ApplicationError) as err:
        meeting_of(world, b, actor=world.gina)
    assert err.value.status == 403


def test_residents_meeting_expects_adults_or_households(world):
    homes = dwellings(world.entrance_a, 2)
    person(world.alice, homes[0], "成人甲")
    person(world.alice, homes[0], "成人乙", relation="spouse")
    person(world.alice, homes[0], "孩子", born=CHILD, relation="child")
    person(world.alice, homes[1], "成人丙")
    adults = meeting_of(world, attendees=Attendees.ADULTS)
    households = meeting_of(world, attendees=Attendees.HOUSEHOLDS)
    assert adults.expected == 3 and households.expected == 2


def test_check_in_by_code_window_and_once(world):
    user = voter(world.alice, world.dwelling_a, "mem")
    b = body(world, members=[user])
    meeting = meeting_of(world, b)
    other = voter(world.alice, world.dwelling_a, "notmember", relation="spouse")
    with pytest.raises(ApplicationError) as err:
        services.meeting_check_in(actor=other, meeting=meeting, code=meeting.check_in_code)
    assert err.value.status == 403
    with pytest.raises(ApplicationError) as err:
        services.meeting_check_in(actor=user, meeting=meeting, code="xxxx")
    assert code_of(err) == "bad_code"
    early = meeting.starts_at - timedelta(hours=2, minutes=1)
    with pytest.raises(ApplicationError) as err:
        services.meeting_check_in(actor=user, meeting=meeting, code=meeting.check_in_code,
                                  now=early)
    assert code_of(err) == "check_in_closed"
    late = meeting.starts_at + timedelta(hours=6, minutes=1)
    with pytest.raises(ApplicationError):
        services.meeting_check_in(actor=user, meeting=meeting, code=meeting.check_in_code,
                                  now=late)
    row = services.meeting_check_in(actor=user, meeting=meeting, code=meeting.check_in_code)
    assert row.via == CheckIn.CODE and row.member is not None
    with pytest.raises(ApplicationError) as err:
        services.meeting_check_in(actor=user, meeting=meeting, code=meeting.check_in_code)
    assert code_of(err) == "already_present" and err.value.status == 409
    with pytest.raises(ApplicationError) as err:
        services.attendance_record(actor=world.gina, meeting=meeting, member=row.member)
    assert code_of(err) == "already_present"
    assert Attendance.objects.filter(meeting=meeting).count() == 1


def test_staff_tick_residents_and_points_once(world):
    EarningRule.objects.create(community=world.community_a,
                               action=EarningAction.MEETING_ATTENDANCE, points_per_unit=5)
    wang = Resident.objects.get(user=voter(world.alice, world.dwelling_a, "wang"))
    meeting = meeting_of(world, attendees=Attendees.HOUSEHOLDS)
    with pytest.raises(ApplicationError) as err:
        services.attendance_record(actor=world.rita, meeting=meeting, resident=wang)
    assert err.value.status == 403
    row = services.attendance_record(actor=world.gina, meeting=meeting, resident=wang)
    assert row.household_id == wang.household_id and row.via == CheckIn.STAFF
    assert Entry.objects.filter(key=f"deliberation-meeting-{meeting.pk}-{wang.pk}").count() == 1
    with pytest.raises(ApplicationError):
        services.attendance_record(actor=world.alice, meeting=meeting, resident=wang)
    assert Entry.objects.filter(key__startswith="deliberation-meeting-").count() == 1
    far = person(world.bob, world.dwelling_b, "赵外")
    with pytest.raises(ApplicationError) as err:
        services.attendance_record(actor=world.alice, meeting=meeting, resident=far)
    assert code_of(err) == "not_resident"


def test_no_points_without_a_rule(world):
    wang = person(world.alice, world.dwelling_a, "王建国")
    meeting = meeting_of(world, attendees=Attendees.ADULTS)
    services.attendance_record(actor=world.gina, meeting=meeting, resident=wang)
    assert Entry.objects.count() == 0


# --- quorum --------------------------------------------------------------------------------

def _members_present(world, present: int, expected: int = 37) -> Meeting:
    b = body(world, quorum=">1/2")
    meeting = Meeting.objects.create(area=world.community_a, area_path=world.community_a.path,
                                     body=b, title="q", starts_at=timezone.now(), place="p",
                                     check_in_code="1234", expected=expected,
                                     created_by=world.alice)
    for n in range(present):
        user = cast(User, UserFactory(username=f"q{n}"))
        m = Member.objects.create(body=b, user=user, name=f"成员{n}",
                                  joined_on=timezone.localdate())
        Attendance.objects.create(meeting=meeting, member=m, name=m.name, via=CheckIn.STAFF,
                                  recorded_by=world.alice)
    return meeting


def test_quorum_19_of_37_is_more_than_half(world):
    q = services.meeting_quorate(_members_present(world, 19))
    assert (q.present, q.expected, q.met, str(q.share)) == (19, 37, True, ">1/2")


def test_quorum_18_of_37_is_not(world):
    assert not services.meeting_quorate(_members_present(world, 18)).met


def test_quorum_by_households_counts_each_once_and_the_community_rule(world):
    homes = dwellings(world.entrance_a, 3)
    people = [person(world.alice, homes[0], "甲"),
              person(world.alice, homes[0], "乙", relation="spouse"),
              person(world.alice, homes[1], "丙"), person(world.alice, homes[2], "丁")]
    meeting = meeting_of(world, attendees=Attendees.HOUSEHOLDS)
    assert meeting.expected == 3
    services.attendance_record(actor=world.gina, meeting=meeting, resident=people[0])
    services.attendance_record(actor=world.gina, meeting=meeting, resident=people[1])
    q = services.meeting_quorate(meeting)
    assert (q.present, q.met) == (1, False)
    services.attendance_record(actor=world.gina, meeting=meeting, resident=people[2])
    assert services.meeting_quorate(meeting).met  # 2 of 3 households
    Rules.objects.create(community=world.community_a, meeting_quorum=">=3/4")
    assert not services.meeting_quorate(meeting).met


# --- minutes and cancelling ----------------------------------------------------------------

def test_minutes_mark_the_meeting_held_with_decisions(world):
    on = topic(world, state=TopicState.AGENDA)
    meeting = meeting_of(world, attendees=Attendees.ADULTS, topic_ids=[on.pk],
                         starts_at=timezone.now() - timedelta(minutes=5))
    item = meeting.agenda.get()
    with pytest.raises(ApplicationError) as err:
        services.meeting_minutes(actor=world.rita, meeting=meeting, minutes="x")
    assert err.value.status == 403
    with pytest.raises(ApplicationError) as err:
        services.meeting_minutes(actor=world.gina, meeting=meeting, minutes="  ")
    assert code_of(err) == "required"
    services.meeting_minutes(actor=world.gina, meeting=meeting, minutes="会议纪要",
                             decisions={item.pk: "同意提交表决"})
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.state == MeetingState.HELD and item.decision == "同意提交表决"


def test_cancel_with_a_reason_tells_the_invited(world):
    user = voter(world.alice, world.dwelling_a, "mem")
    meeting = meeting_of(world, body(world, members=[user]), invite=True)
    with pytest.raises(ApplicationError) as err:
        services.meeting_cancel(actor=world.alice, meeting=meeting, reason="")
    assert code_of(err) == "required"
    services.meeting_cancel(actor=world.alice, meeting=meeting, reason="场地停电")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert Notification.objects.filter(recipient=user,
                                       kind="deliberation.meeting_cancelled").count() == 1
    with pytest.raises(ApplicationError) as err:
        services.meeting_check_in(actor=user, meeting=meeting, code=meeting.check_in_code)
    assert code_of(err) == "not_planned"
