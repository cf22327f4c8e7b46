"""Scoped reading of the members part: the hub's tiles, the organisation tree, the member
list, registrations, posts and the yearly service hours (rules of scope: permissions.py;
every query starts from a `*_visible` of selectors.py)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.core.tiles import Tile
from linli.orgs.models import Area, AreaKind
from linli.party import permissions
from linli.party.models import (
    LIVE_REGISTRATION,
    DualRegistration,
    Member,
    MemberKind,
    Membership,
    Organisation,
    Post,
    PostHolding,
    RegistrationState,
    ServiceRecord,
)
from linli.party.selectors import (
    members_visible,
    organisations_visible,
    party_q,
    registrations_visible,
    service_visible,
)


def home_tiles(user) -> list[Tile]:
    """Party staff: the registrations waiting for a decision; an in-service member who has
    not reported (or whose report ended): report to the community."""
    tiles: list[Tile] = []
    if not getattr(user, "is_authenticated", False):
        return tiles
    if permissions.is_party_staff(user):
        waiting = DualRegistration.objects.filter(
            party_q(user), state=RegistrationState.REPORTED).count()
        tiles.append(Tile("registrations", _("Registrations to decide"),
                          reverse("party:registrations") + "?state=reported", waiting))
    member = permissions.own_member(user)
    if member is not None and member.kind == MemberKind.IN_SERVICE and \
            not member.registrations.filter(state__in=LIVE_REGISTRATION).exists():
        tiles.append(Tile("register", _("Report to the community"),
                          reverse("party:register")))
    return tiles


# --- organisations --------------------------------------------------------------------------

def staff_communities(actor) -> list[Area]:
    """The communities at or under the actor's party-work places."""
    paths = scope.area_paths(actor, permissions.PARTY)
    if not paths:
        return []
    within = Q()
    for p in paths:
        within |= Q(path__startswith=p)
    return list(Area.objects.filter(within, kind=AreaKind.COMMUNITY).order_by("path"))


def staff_areas(actor, kinds=(AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.BUILDING)) -> list[Area]:
    """Areas where the actor may set up an organisation (the select of the form)."""
    paths = scope.area_paths(actor, permissions.PARTY)
    if not paths:
        return []
    within = Q()
    for p in paths:
        within |= Q(path__startswith=p)
    return list(Area.objects.filter(within, kind__in=kinds).order_by("path")[:500])


def organisation_get(*, actor, organisation_id: int) -> Organisation:
    found = organisations_visible(actor).filter(pk=organisation_id).first()
    if found is None:
        raise Http404
    return found


def _with_counts(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return qs.select_related("secretary", "area", "unit").annotate(
        member_count=Count("memberships", filter=Q(memberships__until__isnull=True)))


@dataclass
class Node:
    org: Organisation
    children: list["Node"] = field(default_factory=list)


def organisation_tree(*, actor, community: Area | None = None,
                      include_closed: bool = False) -> list[Node]:
    """The visible organisations as a forest: roots are those whose parent is out of
    sight (a committee, a joint committee, a unit's organisation)."""
    qs = _with_counts(organisations_visible(actor))
    if community is not None:
        qs = qs.filter(area_path__startswith=community.path)
    if not include_closed:
        qs = qs.filter(is_active=True)
    nodes = {o.pk: Node(o) for o in qs.order_by("level", "name", "pk")}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.org.parent_id or 0)
        (parent.children if parent else roots).append(node)
    return roots


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    """Its current memberships (the caller checked the viewer keeps its party data)."""
    return (organisation.memberships.filter(until__isnull=True)
            .select_related("member").order_by("member__name", "pk"))


def organisations_for_members(actor) -> QuerySet[Organisation]:
    """Organisations a member may join where the actor keeps party data."""
    return (Organisation.objects.filter(party_q(actor), is_active=True)
            .exclude(kind="joint").order_by("area_path", "level", "name"))


# --- members ----------------------------------------------------------------------------------

MEMBER_FILTERS = ("kind", "organisation", "community")


def member_list(*, actor, kind: str = "", organisation: int | None = None,
                community: int | None = None, current: bool = True) -> QuerySet[Member]:
    """Members the actor sees (party staff: in scope; a member: themselves)."""
    qs = members_visible(actor).select_related("community")
    if current:
        qs = qs.filter(left_on__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if organisation:
        qs = qs.filter(memberships__organisation_id=organisation,
                       memberships__until__isnull=True)
    if community:
        qs = qs.filter(community_id=community)
    return qs.order_by("area_path", "name", "pk").distinct()


def bad_member_filter(kind: str) -> bool:
    return bool(kind) and kind not in MemberKind.values


@dataclass
class MemberFacts:
    memberships: list[Membership]
    holdings: list[PostHolding]
    registration: DualRegistration | None
    hours: "Hours"
    contacts: int


def member_facts(member: Member, today: date | None = None) -> MemberFacts:
    """What the member page shows (the caller checked the viewer sees the member)."""
    today = today or timezone.localdate()
    return MemberFacts(
        memberships=list(member.memberships.filter(until__isnull=True)
                         .select_related("organisation")),
        holdings=list(member.posts.filter(until__isnull=True).select_related("post")),
        registration=member.registrations.order_by("-reported_on", "-pk").first(),
        hours=service_hours([member], today.year, today)[0],
        contacts=member.contacts.filter(until__isnull=True).count())


# --- registrations ---------------------------------------------------------------------------

def registration_list(*, actor, state: str = "") -> QuerySet[DualRegistration]:
    """Reported first (oldest first), then the rest newest first."""
    from django.db.models import Case, IntegerField, Value, When

    qs = registrations_visible(actor).select_related("member", "community")
    if state:
        qs = qs.filter(state=state)
    return qs.annotate(waiting=Case(When(state=RegistrationState.REPORTED, then=Value(0)),
                                    default=Value(1), output_field=IntegerField())) \
        .order_by("waiting", "-reported_on", "-pk")


def registration_get(*, actor, registration_id: int) -> DualRegistration:
    found = registrations_visible(actor).filter(pk=registration_id).first()
    if found is None:
        raise Http404
    return found


# --- posts ------------------------------------------------------------------------------------

def posts_visible(actor) -> QuerySet[Post]:
    """Party staff: the posts of their places; a member: their community's posts."""
    q = party_q(actor)
    member = permissions.own_member(actor)
    if member is not None:
        q |= Q(community_id=member.community_id)
    return Post.objects.filter(q)


def post_get(*, actor, post_id: int) -> Post:
    found = posts_visible(actor).filter(pk=post_id).first()
    if found is None:
        raise Http404
    return found


def post_list(*, actor) -> QuerySet[Post]:
    return posts_visible(actor).filter(is_active=True).annotate(
        held=Count("holdings", filter=Q(holdings__until__isnull=True))).order_by(
            "area_path", "name")


def open_posts(community: Area) -> QuerySet[Post]:
    """A community's active posts open to in-service members (the 双报到 form)."""
    return Post.objects.filter(community=community, open_to_dual=True,
                               is_active=True).order_by("name")


# --- service hours --------------------------------------------------------------------------

@dataclass
class Hours:
    member: Member
    recorded: Decimal
    volunteered: Decimal
    expected: Decimal  # the target pro rata

    @property
    def total(self) -> Decimal:
        return self.recorded + self.volunteered

    @property
    def behind(self) -> bool:
        return self.total < self.expected


def expected_hours(year: int, today: date) -> Decimal:
    """The target pro rata: target × days elapsed / days in the year, where the days
    elapsed count today (1 on 1 January); a past year counts whole, a future one nil."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    days = (last - first).days + 1
    elapsed = min(max((today - first).days + 1, 0), days)
    target = Decimal(settings.PARTY_SERVICE_HOURS_TARGET)
    return (target * elapsed / days).quantize(Decimal("0.1"))


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min))
    return start, timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min))


def service_hours(members: list[Member], year: int, today: date) -> list[Hours]:
    """Each member's hours in `year`: the service records (not void) served that year plus
    their volunteering hours confirmed that year; behind when the total is under the
    target pro rata (`expected_hours`)."""
    from linli.volunteering.selectors import confirmed_hours_between

    ids = [m.pk for m in members]
    recorded = dict(ServiceRecord.objects.filter(
        member_id__in=ids, voided_at__isnull=True, served_on__year=year)
        .values_list("member_id").annotate(total=Sum("hours")).values_list("member_id", "total"))
    start, end = _year_bounds(year)
    volunteered = confirmed_hours_between(
        user_ids=[m.user_id for m in members if m.user_id], start=start, end=end)
    expected = expected_hours(year, today)
    zero = Decimal(0)
    return [Hours(m, recorded.get(m.pk) or zero,
                  volunteered.get(m.user_id or 0, zero), expected) for m in members]


def service_summary(*, actor, year: int, today: date | None = None,
                    community: int | None = None) -> list[Hours]:
    """The in-service members the actor keeps (or themselves), with their hours."""
    members = list(member_list(actor=actor, kind=MemberKind.IN_SERVICE, community=community))
    return service_hours(members, year, today or timezone.localdate())


def service_records(*, actor, year: int) -> QuerySet[ServiceRecord]:
    return (service_visible(actor).filter(served_on__year=year)
            .select_related("member", "post").order_by("-served_on", "-pk"))


def service_record_get(*, actor, record_id: int) -> ServiceRecord:
    found = service_visible(actor).filter(pk=record_id).first()
    if found is None:
        raise Http404
    return found
