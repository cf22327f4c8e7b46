"""Reads of volunteering, limited to what the actor may see.

Staff see the wishes, tasks and claims of their areas. A resident sees their own wishes,
the published tasks of their community and the claims on their wish; a volunteer the
published tasks of their community and their own claims. Out of sight is a 404.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.core.errors import PermissionDenied
from linli.orgs.models import Area, AreaKind
from linli.points import selectors as points_selectors
from linli.volunteering import permissions
from linli.volunteering.models import (
    Claim,
    ClaimState,
    Skill,
    Task,
    TaskState,
    VolunteerProfile,
    Wish,
    WishState,
)

User = get_user_model()
STAFF_READ = [Role.GRID_WORKER, Role.DISPATCHER, Role.MEDIATOR, Role.LEADER, Role.ADMIN]
TO_CONFIRM = [ClaimState.CHECKED_OUT, ClaimState.REPORTED]
NONE = Q(pk__in=[])


def _authenticated(actor) -> bool:
    return getattr(actor, "is_authenticated", False) and actor.is_active


def _staff_q(actor, path_field: str = "area_path", roles=None) -> Q:
    return scope.scope_q(actor, roles=roles or STAFF_READ, path_field=path_field)


def _get(qs: QuerySet, pk: int):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- wishes -----------------------------------------------------------------------------

def wish_list(*, actor, state: str = "", mine: bool = False) -> QuerySet[Wish]:
    if not _authenticated(actor):
        return Wish.objects.none()
    q = Q() if actor.is_superuser else Q(requester=actor) | _staff_q(actor)
    qs = Wish.objects.filter(q)
    if state:
        qs = qs.filter(state=state)
    if mine:
        qs = qs.filter(requester=actor)
    return qs.select_related("area", "community", "requester", "task")


def wish_get(*, actor, wish_id: int) -> Wish:
    return _get(wish_list(actor=actor), wish_id)


def wish_inbox(*, actor) -> QuerySet[Wish]:
    """Posted wishes waiting for this dispatcher or grid worker to publish or decline."""
    staff = _staff_q(actor, roles=permissions.STAFF)
    return (Wish.objects.filter(staff, state=WishState.POSTED)
            .select_related("area", "requester").order_by("starts_at", "id"))


# --- tasks ------------------------------------------------------------------------------

def _task_q(actor) -> Q:
    if actor.is_superuser:
        return Q()
    members = permissions.community_ids(actor, [Role.RESIDENT, Role.VOLUNTEER])
    return (_staff_q(actor)
            | (Q(community_id__in=members) & ~Q(state=TaskState.DRAFT))
            | Q(pk__in=Claim.objects.filter(volunteer=actor).values("task_id"))
            | Q(source_wish__requester=actor))


def task_list(*, actor, state: str = "", open_only: bool = False,
              community_id: int | None = None) -> QuerySet[Task]:
    if not _authenticated(actor):
        return Task.objects.none()
    qs = Task.objects.filter(_task_q(actor))
    if state:
        qs = qs.filter(state=state)
    if open_only:
        qs = qs.filter(state=TaskState.PUBLISHED)
    if community_id is not None:
        qs = qs.filter(community_id=community_id)
    return qs.select_related("area", "community", "source_wish", "published_by")


def task_get(*, actor, task_id: int) -> Task:
    return _get(task_list(actor=actor), task_id)


def staff_tasks(*, actor, states) -> QuerySet[Task]:
    """Tasks of the areas where the actor is a dispatcher or grid worker, in `states`,
    each with `to_confirm`: how many of its claims wait for someone to confirm the hours."""
    if not _authenticated(actor):
        return Task.objects.none()
    q = Q() if actor.is_superuser else _staff_q(actor, roles=permissions.STAFF)
    return (Task.objects.filter(q, state__in=states)
            .annotate(to_confirm=Count("claims", filter=Q(claims__state__in=TO_CONFIRM)))
            .select_related("area", "community"))


# --- claims -----------------------------------------------------------------------------

def claim_list(*, actor, mine: bool = False, to_confirm: bool = False,
               task_id: int | None = None) -> QuerySet[Claim]:
    if not _authenticated(actor):
        return Claim.objects.none()
    wish_of_mine = Q(task__source_wish__requester=actor)
    q = Q() if actor.is_superuser else (Q(volunteer=actor) | wish_of_mine
                                        | _staff_q(actor, "task__area_path"))
    qs = Claim.objects.filter(q)
    if mine:
        qs = qs.filter(volunteer=actor)
    if to_confirm:
        confirmers = wish_of_mine | _staff_q(actor, "task__area_path", permissions.STAFF)
        qs = qs.filter(confirmers, state__in=TO_CONFIRM).exclude(volunteer=actor)
    if task_id is not None:
        qs = qs.filter(task_id=task_id)
    return qs.select_related("task", "task__community", "task__source_wish", "volunteer")


def claim_get(*, actor, claim_id: int) -> Claim:
    return _get(claim_list(actor=actor), claim_id)


def claim_of(*, actor, task: Task) -> Claim | None:
    return Claim.objects.filter(task=task, volunteer=actor).first() if _authenticated(
        actor) else None


# --- volunteers -------------------------------------------------------------------------

def volunteer_search(*, actor, skill: Skill | None = None,
                     grid: Area | None = None) -> QuerySet:
    """Volunteers of the staff member's areas (by assignment or by their profile's grid),
    most hours first."""
    if not (actor.is_superuser or permissions.can_search_volunteers(actor)):
        raise PermissionDenied(_("Only dispatchers and grid workers search volunteers."),
                               code="not_staff")
    roles = permissions.STAFF
    where = Q() if actor.is_superuser else (
        scope.scope_q(actor, roles=roles, area_field="assignments__area")
        | scope.scope_q(actor, roles=roles, area_field="volunteer_profile__grid"))
    # One filter() call: the assignment in scope is the volunteer assignment itself.
    qs = User.objects.filter(where, assignments__role=Role.VOLUNTEER, is_active=True)
    if skill is not None:
        qs = qs.filter(volunteer_profile__skills=skill)
    if grid is not None:
        qs = qs.filter(volunteer_profile__grid=grid)
    return (User.objects.filter(pk__in=qs.values("pk")).select_related("volunteer_profile")
            .prefetch_related("volunteer_profile__skills")
            .order_by(F("volunteer_profile__total_hours").desc(nulls_last=True), "pk"))


def profile_get(*, actor, user_id: int) -> VolunteerProfile:
    """A volunteer's own profile, or one a staff member may find in their search."""
    if _authenticated(actor) and actor.pk == user_id:
        profile = VolunteerProfile.objects.filter(user_id=user_id).first()
        return profile or VolunteerProfile(user=actor)
    if not (_authenticated(actor) and (actor.is_superuser
                                       or permissions.can_search_volunteers(actor))):
        raise Http404
    user = _get(volunteer_search(actor=actor), user_id)
    return VolunteerProfile.objects.filter(user=user).first() or VolunteerProfile(user=user)


def grids_for_search(*, actor) -> QuerySet[Area]:
    if actor.is_superuser:
        return Area.objects.filter(kind=AreaKind.GRID)
    staff = scope.area_paths(actor, permissions.STAFF)
    q = NONE
    for path in staff:
        q |= Q(path__startswith=path)
    return Area.objects.filter(q, kind=AreaKind.GRID).order_by("path")


def grids_for_volunteer(*, actor) -> QuerySet[Area]:
    ids = permissions.community_ids(actor, [Role.VOLUNTEER])
    return Area.objects.filter(kind=AreaKind.GRID, parent_id__in=ids).order_by("path")


# --- honour list ------------------------------------------------------------------------

@dataclass(frozen=True)
class HonourRow:
    rank: int
    volunteer: Any  # a user
    hours: Decimal
    tasks: int


def visible_communities(*, actor) -> QuerySet[Area]:
    if not _authenticated(actor):
        return Area.objects.none()
    if actor.is_superuser:
        return Area.objects.filter(kind=AreaKind.COMMUNITY)
    ids = permissions.community_ids(actor, Role.values)
    return Area.objects.filter(pk__in=ids).order_by("path")


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(date(year, month, 1), time.min))
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, timezone.make_aware(datetime.combine(following, time.min))


def honour_list(*, actor, community_id: int, year: int, month: int,
                limit: int = 10) -> list[HonourRow]:
    """The community's top volunteers by hours confirmed in the month."""
    community = _get(visible_communities(actor=actor), community_id)
    start, end = month_bounds(year, month)
    rows = list(Claim.objects.filter(state=ClaimState.CONFIRMED, task__community=community,
                                     confirmed_at__gte=start, confirmed_at__lt=end)
                .values("volunteer").annotate(hours=Sum("confirmed_hours"), tasks=Count("id"))
                .order_by("-hours", "volunteer")[:limit])
    users = User.objects.in_bulk([row["volunteer"] for row in rows])
    return [HonourRow(rank, users[row["volunteer"]], row["hours"], row["tasks"])
            for rank, row in enumerate(rows, start=1)]


# --- my hours and points ----------------------------------------------------------------

@dataclass(frozen=True)
class Balance:
    community: Area
    balance: int
    earned_here: int  # of which earned by volunteering


def points_balances(*, actor) -> list[Balance]:
    """The actor's points in each community, read from the ledger's accounts."""
    if not _authenticated(actor):
        return []
    return [Balance(account.community, account.balance,
                    points_selectors.earned_from(account=account,
                                                 source_prefix="volunteering.claim:"))
            for account in points_selectors.my_accounts(actor=actor)]


def hours_total(*, actor) -> Decimal:
    total = Claim.objects.filter(volunteer=actor, state=ClaimState.CONFIRMED).aggregate(
        total=Sum("confirmed_hours"))["total"]
    return total or Decimal(0)


def confirmed_hours_between(*, user_ids, start: datetime, end: datetime) -> dict[int, Decimal]:
    """Each user's volunteering hours confirmed in [start, end): what another app (party
    work's service hours) counts; no scope, the caller asks only about people it sees."""
    rows = (Claim.objects.filter(volunteer_id__in=list(user_ids), state=ClaimState.CONFIRMED,
                                 confirmed_at__gte=start, confirmed_at__lt=end)
            .values("volunteer").annotate(hours=Sum("confirmed_hours")))
    return {row["volunteer"]: row["hours"] or Decimal(0) for row in rows}
