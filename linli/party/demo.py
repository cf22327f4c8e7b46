"""The demo's party work in both communities, one module per part after the shared base
here: the logins, the co-building units, the four-level tree (社区党委 > 网格党支部 >
楼栋党小组 > 党员中心户) with the units' own organisations and a 联合党委 each, and sixty
members of every kind. Then contacts and visits, joint meetings, agreements and ratings.

Logins: `party` and `party_b` are the party-work staff of 花楼社区 and 水塔社区 (second
factor, like every staff role that sees sensitive data); `member_a` is a retired member of
花楼 who keeps in touch with households; `member` is an in-service member (在职党员) living in
花楼 who has not reported to the community yet (双报到 is theirs to do in the walk).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from linli.accounts.demo import DEMO_PASSWORD, DemoLogin
from linli.accounts.demo.users import _user
from linli.accounts.models import Role, RoleAssignment, User
from linli.orgs.models import Area, AreaKind, Unit, UnitKind
from linli.party.demo_agreements import demo_agreements
from linli.party.demo_contacts import demo_contacts
from linli.party.demo_meetings import demo_meetings
from linli.party.demo_members import demo_members
from linli.party.models import (
    LEVEL,
    JointSeat,
    Member,
    MemberKind,
    Membership,
    Organisation,
    OrgKind,
)
from linli.people.models import Resident

# Units that take part in party work besides the handling units of the demo tree.
CO_BUILDERS = [("武汉市第一医院", UnitKind.HOSPITAL, "027-85332000"),
               ("民族路小学", UnitKind.SCHOOL, "027-82710020")]
# unit (by name or tree key) → its own party organisation's name and kind
UNIT_ORGS = [
    ("property_a", "花楼物业服务中心党支部", OrgKind.BRANCH),
    ("property_b", "水塔物业党支部", OrgKind.BRANCH),
    ("武汉市第一医院", "武汉市第一医院党委", OrgKind.COMMITTEE),
    ("民族路小学", "民族路小学党支部", OrgKind.BRANCH),
    ("urban", "民族街城管中队党支部", OrgKind.BRANCH),
    ("police", "民族街派出所党支部", OrgKind.BRANCH),
    ("gas", "燃气公司江汉站党支部", OrgKind.BRANCH),
    ("cleaning", "江汉环卫所党支部", OrgKind.BRANCH),
    ("judicial", "民族街司法所党支部", OrgKind.BRANCH),
    ("repair", "民族街维修队党小组", OrgKind.GROUP),
]
EMPLOYERS = ["江汉区税务局", "武汉市第一医院", "民族路小学", "江汉区人民法院", "武汉地铁集团",
             "国网武汉供电公司", "江汉区教育局", "中国银行江汉支行", "武汉市自来水公司",
             "江汉区城管局"]
# per community: how many members of each kind (30 each, 60 in all)
KINDS = [(MemberKind.DIRECT, 12), (MemberKind.IN_SERVICE, 10), (MemberKind.MOBILE, 3),
         (MemberKind.RETIRED, 5)]
MEMBER_HOME = 20   # dwelling index of `member` (在职, not reported yet), grid A1
MEMBER_A_HOME = 3  # dwelling index of `member_a` (retired, keeps in touch), grid A1


@dataclass
class PartyDemo:
    """What the parts' demo steps share: the logins, the tree, the members."""

    today: date
    staff: dict[str, User] = field(default_factory=dict)  # community name → party staff
    committees: dict[str, Organisation] = field(default_factory=dict)
    branches: dict[int, Organisation] = field(default_factory=dict)  # grid pk → branch
    groups: dict[int, Organisation] = field(default_factory=dict)  # building pk → group
    joints: dict[str, Organisation] = field(default_factory=dict)  # community name → 联合党委
    unit_orgs: dict[str, Organisation] = field(default_factory=dict)  # unit name → org
    members: list[Member] = field(default_factory=list)


def _units(tree) -> dict[str, Unit]:
    units = dict(tree.units)
    for name, kind, phone in CO_BUILDERS:
        unit, _ = Unit.objects.get_or_create(name=name, defaults={"kind": kind, "phone": phone})
        unit.service_areas.add(tree.street)
        units[name] = unit
    return units


def _org(name: str, kind: str, area: Area, parent=None, unit=None) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind, level=LEVEL[kind], parent=parent,
                                       area=area, area_path=area.path, unit=unit)


def _tree(demo: PartyDemo, tree) -> None:
    for community in tree.communities:
        short = community.name.removesuffix("社区")
        committee = _org(f"{community.name}党委", OrgKind.COMMITTEE, community)
        demo.committees[community.name] = committee
        for grid in community.children.filter(kind=AreaKind.GRID).order_by("code"):
            branch = _org(f"{short}{grid.name.removeprefix(short)}党支部", OrgKind.BRANCH, grid,
                          parent=committee)
            demo.branches[grid.pk] = branch
            buildings = Area.objects.filter(kind=AreaKind.BUILDING,
                                            path__startswith=grid.path).order_by("path")
            for building in buildings:
                estate = building.ancestor_of_kind(AreaKind.ESTATE)
                prefix = estate.name if estate is not None else ""
                demo.groups[building.pk] = _org(f"{prefix}{building.name}党小组",
                                                OrgKind.GROUP, building, parent=branch)


def _unit_orgs(demo: PartyDemo, tree, units: dict[str, Unit]) -> None:
    a, b = tree.communities
    keys = {}
    for key, name, kind in UNIT_ORGS:
        unit = units[key]
        home = b if key == "property_b" else a
        demo.unit_orgs[unit.name] = _org(name, kind, home, unit=unit)
        keys[unit.name] = key
    since = demo.today - timedelta(days=400)
    for community in (a, b):
        joint = _org(f"{community.name}联合党委", OrgKind.JOINT, community)
        demo.joints[community.name] = joint
        # Each joint committee seats every unit organisation but the other estate's
        # property company.
        other_property = "property_b" if community == a else "property_a"
        seats = [o for name, o in demo.unit_orgs.items() if keys[name] != other_property]
        for org in seats:
            JointSeat.objects.create(joint=joint, organisation=org, joined_on=since,
                                     representative=f"{org.name}书记"[:64])


def _logins(demo: PartyDemo, tree) -> list[DemoLogin]:
    a, b = tree.communities
    password = make_password(DEMO_PASSWORD)
    logins = []
    units = {u.name: u for u in Unit.objects.filter(name__in=[n for n, _k, _p in CO_BUILDERS])}
    for username, name, unit_name in (("hospital", "第一医院 党办 王医生", "武汉市第一医院"),
                                      ("school", "民族路小学 党支部 刘老师", "民族路小学")):
        # The co-building units' own people: they record deliveries, own resolutions.
        user, _secret = _user(username, name, password)
        RoleAssignment.objects.create(user=user, role=Role.UNIT_MEMBER, area=tree.street,
                                      unit=units[unit_name])
        logins.append(DemoLogin(username, name, Role.UNIT_MEMBER, tree.street.full_name()))
    plan = [("party", "花楼社区党委 党务 肖红", a, True, Role.PARTY_WORKER),
            ("party_b", "水塔社区党委 党务 田亮", b, True, Role.PARTY_WORKER),
            ("member_a", "党员 邹建平", tree.dwellings[MEMBER_A_HOME], False, Role.RESIDENT),
            ("member", "在职党员 谢文博", tree.dwellings[MEMBER_HOME], False, Role.RESIDENT)]
    for username, name, area, otp, role in plan:
        user, secret = _user(username, name, password, staff_otp=otp)
        RoleAssignment.objects.create(user=user, role=role, area=area)
        if role == Role.PARTY_WORKER:
            demo.staff[area.name] = user
        else:
            _registry_record(user, name.split(" ")[-1], area)
        logins.append(DemoLogin(username, name, role, area.full_name(), "", secret))
    return logins


def _registry_record(user: User, name: str, dwelling: Area) -> Resident:
    from linli.people.services import resident_create

    admin = User.objects.get(username="admin")
    return resident_create(actor=admin, dwelling=dwelling, name=name, relation="head",
                           tenure="owner", user=user)


def _people_of(community: Area) -> list[Resident]:
    """Registry residents of the community without a login, by place."""
    return list(Resident.objects.filter(area_path__startswith=community.path, user__isnull=True,
                                        moved_out__isnull=True, anonymised_at__isnull=True,
                                        birth_date__lte=date(2004, 1, 1))
                .select_related("household__dwelling").order_by("area_path", "pk"))


def _member_user(index: int, person: Resident, password: str) -> User:
    """Members record their own contact visits, so each has a login (not printed)."""
    user = User.objects.create(username=f"pm{index:03d}", display_name=person.name,
                               password=password)
    RoleAssignment.objects.create(user=user, role=Role.RESIDENT,
                                  area=person.household.dwelling)
    Resident.objects.filter(pk=person.pk).update(user=user)
    return user


def _members(demo: PartyDemo, tree) -> None:
    password = make_password(DEMO_PASSWORD)
    index = 0
    member_a = User.objects.get(username="member_a")
    for community in tree.communities:
        everyone = _people_of(community)  # spread over the buildings: every n-th by place
        people = everyone[::max(1, len(everyone) // 32)]
        employer = 0
        for kind, count in KINDS:
            for _ in range(count):
                index += 1
                if kind == MemberKind.RETIRED and community == tree.communities[0] \
                        and not Member.objects.filter(user=member_a).exists():
                    user, person = member_a, Resident.objects.get(user=member_a)
                else:
                    person = people.pop(0)
                    user = _member_user(index, person, password)
                job = ""
                if kind == MemberKind.IN_SERVICE:
                    job, employer = EMPLOYERS[employer % len(EMPLOYERS)], employer + 1
                member = Member.objects.create(
                    user=user, resident=person, name=person.name, kind=kind, employer=job,
                    community=community, area_path=community.path,
                    joined_party_on=date(1975 + index % 45, 7, 1))
                _join_home_orgs(demo, member, person)
                demo.members.append(member)


def _join_home_orgs(demo: PartyDemo, member: Member, person: Resident) -> None:
    dwelling = person.household.dwelling
    grid = dwelling.ancestor_of_kind(AreaKind.GRID)
    building = dwelling.ancestor_of_kind(AreaKind.BUILDING)
    since = demo.today - timedelta(days=300)
    for org in (demo.branches.get(grid.pk if grid else 0),
                demo.groups.get(building.pk if building else 0)):
        if org is not None:
            Membership.objects.create(member=member, organisation=org, level=org.level,
                                      since=since)


def _centres(demo: PartyDemo) -> None:
    """One member centre household (党员中心户) under each building group that has a
    member: the first member living in the building."""
    for group in demo.groups.values():
        first = (Membership.objects.filter(organisation=group, until__isnull=True)
                 .select_related("member__resident__household__dwelling")
                 .order_by("member_id").first())
        if first is None:
            continue
        person = first.member.resident
        if person is None:
            continue
        home = person.household.dwelling
        centre = _org(f"{first.member.name}党员中心户", OrgKind.CENTRE, home, parent=group)
        Membership.objects.create(member=first.member, organisation=centre,
                                  level=centre.level, since=first.since)
        Organisation.objects.filter(pk=centre.pk).update(secretary=first.member)


def _secretaries(demo: PartyDemo) -> None:
    for org in [*demo.branches.values(), *demo.groups.values()]:
        first = org.memberships.order_by("member_id").first()
        if first is not None:
            Organisation.objects.filter(pk=org.pk).update(secretary=first.member)


def demo_step_party(context) -> None:
    tree = context.tree
    demo = PartyDemo(today=timezone.localdate())
    units = _units(tree)
    context.logins.extend(_logins(demo, tree))
    _tree(demo, tree)
    _unit_orgs(demo, tree, units)
    _members(demo, tree)
    _centres(demo)
    _secretaries(demo)
    demo_members(demo)
    demo_contacts(demo)
    demo_meetings(demo)
    demo_agreements(demo)


DEMO_STEPS = [(98, demo_step_party)]
