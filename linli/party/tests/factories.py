"""Builders for party tests: rows as the services would write them.

The world (linli/conftest.py) plus `party_world(world)`: pia is the party-work staff of
community A, pete of community B; the tree of community A is 花楼社区党委 > 第一网格党支部
> 1栋党小组; mark is a member living in dwelling A (rita's household), an in-service member
with a user of his own.
"""

from datetime import date, timedelta

from django.utils import timezone

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.party.models import (
    LEVEL,
    Agreement,
    Commitment,
    ContactAssignment,
    Frequency,
    JointMeeting,
    JointSeat,
    MeetingState,
    Member,
    MemberKind,
    Membership,
    Organisation,
    OrgKind,
)
from linli.party.services.contacts import due_moment
from linli.people.tests.factories import resident


def organisation(area, name: str, kind: str = OrgKind.BRANCH, parent=None, unit=None,
                 **fields) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind, level=LEVEL[kind], parent=parent,
                                       area=area, area_path=area.path, unit=unit, **fields)


def member(world, *, community=None, name: str = "党员 张明", kind: str = MemberKind.DIRECT,
           user=None, person=None, employer: str = "", **fields) -> Member:
    community = community or world.community_a
    if kind == MemberKind.IN_SERVICE and not employer:
        employer = "江汉区税务局"
    if user is None and person is None:
        person = resident(world.alice, world.dwelling_a, name=name)
    return Member.objects.create(name=name, kind=kind, user=user, resident=person,
                                 employer=employer, community=community,
                                 area_path=community.path, **fields)


def join(who: Member, org: Organisation, since: date | None = None) -> Membership:
    return Membership.objects.create(member=who, organisation=org, level=org.level,
                                     since=since or timezone.localdate())


def contact(who: Member, household, org: Organisation, since: date | None = None,
            every: int = 30) -> ContactAssignment:
    start = since or timezone.localdate()
    return ContactAssignment.objects.create(
        member=who, household=household, organisation=org, area_path=household.area_path,
        visit_every_days=every, since=start,
        visit_due_at=due_moment(start + timedelta(days=every)))


def joint(world, area=None, name: str = "花楼社区联合党委") -> Organisation:
    return organisation(area or world.community_a, name, kind=OrgKind.JOINT)


def seat(joint_org: Organisation, org: Organisation) -> JointSeat:
    return JointSeat.objects.create(joint=joint_org, organisation=org,
                                    joined_on=timezone.localdate())


def meeting(world, joint_org: Organisation, *, by=None, state: str = MeetingState.HELD,
            title: str = "十二月联席会议") -> JointMeeting:
    now = timezone.now()
    return JointMeeting.objects.create(
        joint=joint_org, area_path=joint_org.area_path, title=title, scheduled_at=now,
        venue="社区会议室", state=state, held_at=now if state == MeetingState.HELD else None,
        created_by=by or world.alice)


def agreement(world, *, unit=None, community=None, by=None, year: int | None = None,
              title: str = "医院共建协议") -> Agreement:
    community = community or world.community_a
    year = year or timezone.localdate().year
    return Agreement.objects.create(
        community=community, unit=unit or world.unit_a, area_path=community.path,
        title=title, signed_on=date(year, 1, 1), starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31), created_by=by or world.alice)


def commitment(of: Agreement, what: str = "每月义诊", frequency: str = Frequency.MONTHLY,
               times: int = 1) -> Commitment:
    return Commitment.objects.create(agreement=of, what=what, for_whom="老年居民",
                                     frequency=frequency, times=times)


def party_world(world):
    """Party-work staff, a small tree in community A and a member: see the module doc."""
    world.pia = UserFactory(username="pia")
    assign(world.pia, Role.PARTY_WORKER, world.community_a)
    world.pete = UserFactory(username="pete")
    assign(world.pete, Role.PARTY_WORKER, world.community_b)
    world.committee_a = organisation(world.community_a, "花楼社区党委", OrgKind.COMMITTEE)
    world.branch_a1 = organisation(world.grid_a1, "第一网格党支部", OrgKind.BRANCH,
                                   parent=world.committee_a)
    world.group_a1 = organisation(world.building_a, "1栋党小组", OrgKind.GROUP,
                                  parent=world.branch_a1)
    world.committee_b = organisation(world.community_b, "水塔社区党委", OrgKind.COMMITTEE)
    world.mark = UserFactory(username="mark")
    assign(world.mark, Role.RESIDENT, world.dwelling_a)
    person = resident(world.alice, world.dwelling_a, name="李志远", user=world.mark,
                      relation="spouse")
    world.member_mark = member(world, name="李志远", kind=MemberKind.IN_SERVICE,
                               user=world.mark, person=person)
    return world
