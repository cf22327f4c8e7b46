"""The volunteering API: wishes, tasks, claims, profiles and the honour list.

Parse, call a selector or a service, serialize. An object named in the path is loaded
through its selector, so one out of sight is a 404 before any service runs; the service
then decides whether the caller's role allows the write (403).
"""

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import ValidationFailed
from linli.orgs.models import Area
from linli.orgs.selectors import area_get
from linli.volunteering import selectors, services
from linli.volunteering.models import Skill, Task
from linli.volunteering.schemas import (
    ClaimOut,
    ConfirmIn,
    HonourOut,
    HoursIn,
    NoteIn,
    ProfileIn,
    ProfileOut,
    PublishIn,
    RateIn,
    SkillOut,
    TaskIn,
    TaskOut,
    VolunteerOut,
    WishIn,
    WishOut,
)
from linli.volunteering.services_claims import claim_create
from linli.volunteering.services_profiles import profile_update

router = Router(tags=["volunteering"])


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# --- wishes -----------------------------------------------------------------------------

@router.post("/wishes", response={201: WishOut})
def wish_create(request, payload: WishIn):
    """A resident posts a wish (微心愿) for a place in their own community."""
    wish = services.wish_post(
        actor=request.user, area=area_get(actor=request.user, area_id=payload.area_id),
        category=payload.category, description=payload.description,
        starts_at=_aware(payload.starts_at), ends_at=_aware(payload.ends_at),
        address=payload.address)
    return Status(201, selectors.wish_get(actor=request.user, wish_id=wish.pk))


@router.get("/wishes", response=list[WishOut])
@paginate(Pages, page_size=20)
def wish_list(request, state: str = "", mine: bool = False):
    """The caller's own wishes and, for staff, the wishes of their areas."""
    return selectors.wish_list(actor=request.user, state=state, mine=mine)


@router.get("/wishes/{wish_id}", response=WishOut)
def wish_detail(request, wish_id: Id):
    return selectors.wish_get(actor=request.user, wish_id=wish_id)


@router.post("/wishes/{wish_id}/publish", response={201: TaskOut})
def wish_publish(request, wish_id: Id, payload: PublishIn):
    """Staff publish the wish as a task for volunteers."""
    task = services.wish_publish(
        actor=request.user, wish=selectors.wish_get(actor=request.user, wish_id=wish_id),
        title=payload.title, volunteers_needed=payload.volunteers_needed,
        points_offered=payload.points_offered, description=payload.description)
    return Status(201, task)


@router.post("/wishes/{wish_id}/{action}", response=WishOut)
def wish_act(request, wish_id: Id, action: str, payload: NoteIn):
    """`decline` (staff, with a reason) or `cancel` (the requester)."""
    if action not in ("decline", "cancel"):
        raise Http404
    wish = selectors.wish_get(actor=request.user, wish_id=wish_id)
    services.transition(actor=request.user, obj=wish, action=action, note=payload.note)
    return selectors.wish_get(actor=request.user, wish_id=wish_id)


# --- tasks ------------------------------------------------------------------------------

@router.post("/tasks", response={201: TaskOut})
def task_create(request, payload: TaskIn):
    """Staff publish a task of their own (or keep it as a draft with `publish: false`)."""
    task = services.task_create(
        actor=request.user, area=area_get(actor=request.user, area_id=payload.area_id),
        title=payload.title, kind=payload.kind, starts_at=_aware(payload.starts_at),
        ends_at=_aware(payload.ends_at), volunteers_needed=payload.volunteers_needed,
        points_offered=payload.points_offered, description=payload.description,
        address=payload.address, publish=payload.publish)
    return Status(201, task)


@router.get("/tasks", response=list[TaskOut])
@paginate(Pages, page_size=20)
def task_list(request, state: str = "", open_only: bool = False,
              community_id: Id | None = None):
    """Tasks the caller may see; `open_only` keeps those still taking volunteers."""
    return selectors.task_list(actor=request.user, state=state, open_only=open_only,
                               community_id=community_id).order_by("starts_at", "id")


@router.get("/tasks/{task_id}", response=TaskOut)
def task_detail(request, task_id: Id):
    return selectors.task_get(actor=request.user, task_id=task_id)


@router.post("/tasks/{task_id}/actions/{action}", response=TaskOut)
def task_act(request, task_id: Id, action: str, payload: NoteIn):
    """Staff move the task: publish, start, complete, cancel (with a reason)."""
    task = selectors.task_get(actor=request.user, task_id=task_id)
    return services.transition(actor=request.user, obj=task, action=action, note=payload.note)


@router.post("/tasks/{task_id}/claim", response={201: ClaimOut})
def task_claim(request, task_id: Id):
    """A volunteer takes a place. A full task answers 409 `task_full`."""
    claim = claim_create(actor=request.user,
                         task=selectors.task_get(actor=request.user, task_id=task_id))
    return Status(201, selectors.claim_get(actor=request.user, claim_id=claim.pk))


@router.get("/tasks/{task_id}/claims", response=list[ClaimOut])
def task_claims(request, task_id: Id):
    task: Task = selectors.task_get(actor=request.user, task_id=task_id)
    return selectors.claim_list(actor=request.user, task_id=task.pk)


# --- claims -----------------------------------------------------------------------------

@router.get("/claims", response=list[ClaimOut])
@paginate(Pages, page_size=20)
def claim_list(request, mine: bool = False, to_confirm: bool = False):
    """The caller's claims, the claims on their wishes and, for staff, of their areas.
    `to_confirm` keeps the work waiting for the caller to confirm."""
    return selectors.claim_list(actor=request.user, mine=mine, to_confirm=to_confirm)


@router.get("/claims/{claim_id}", response=ClaimOut)
def claim_detail(request, claim_id: Id):
    return selectors.claim_get(actor=request.user, claim_id=claim_id)


def _claim_move(request, claim_id: Id, action: str, **data):
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    services.transition(actor=request.user, obj=claim, action=action, **data)
    return selectors.claim_get(actor=request.user, claim_id=claim_id)


@router.post("/claims/{claim_id}/check-in", response=ClaimOut)
def claim_check_in(request, claim_id: Id):
    return _claim_move(request, claim_id, "check_in")


@router.post("/claims/{claim_id}/check-out", response=ClaimOut)
def claim_check_out(request, claim_id: Id):
    """Reports the time since checking in, in half hours."""
    return _claim_move(request, claim_id, "check_out")


@router.post("/claims/{claim_id}/report", response=ClaimOut)
def claim_report(request, claim_id: Id, payload: HoursIn):
    return _claim_move(request, claim_id, "report", hours=payload.hours)


@router.post("/claims/{claim_id}/confirm", response=ClaimOut)
def claim_confirm(request, claim_id: Id, payload: ConfirmIn):
    """The wish's requester or staff confirm the hours (and may rate); points are paid."""
    return _claim_move(request, claim_id, "confirm", hours=payload.hours,
                       rating=payload.rating, comment=payload.comment)


@router.post("/claims/{claim_id}/reject", response=ClaimOut)
def claim_reject(request, claim_id: Id, payload: NoteIn):
    return _claim_move(request, claim_id, "reject", note=payload.note)


@router.post("/claims/{claim_id}/withdraw", response=ClaimOut)
def claim_withdraw(request, claim_id: Id):
    return _claim_move(request, claim_id, "withdraw")


@router.post("/claims/{claim_id}/rate", response=ClaimOut)
def claim_rate(request, claim_id: Id, payload: RateIn):
    return _claim_move(request, claim_id, "rate", rating=payload.rating,
                       comment=payload.comment)


# --- profiles, skills, honour list ------------------------------------------------------

@router.get("/skills", response=list[SkillOut])
def skill_list(request):
    return Skill.objects.filter(is_active=True)


@router.get("/profiles/me", response=ProfileOut)
def profile_me(request):
    return selectors.profile_get(actor=request.user, user_id=request.user.pk)


@router.put("/profiles/me", response=ProfileOut)
def profile_me_update(request, payload: ProfileIn):
    skills = list(Skill.objects.filter(code__in=payload.skills))
    if len(skills) != len(set(payload.skills)):
        raise ValidationFailed(_("Choose skills from the list."), code="bad_skill")
    grid = None
    if payload.grid_id is not None:
        grid = Area.objects.filter(pk=payload.grid_id).first()
        if grid is None:
            raise ValidationFailed(_("Choose a grid."), code="bad_grid")
    return profile_update(actor=request.user, skills=skills, availability=payload.availability,
                          grid=grid)


@router.get("/profiles", response=list[VolunteerOut])
@paginate(Pages, page_size=20)
def volunteer_search(request, skill: str = "", grid_id: Id | None = None):
    """Staff find volunteers of their areas by skill and grid, most hours first."""
    skill_obj = get_object_or_404(Skill, code=skill) if skill else None
    grid = area_get(actor=request.user, area_id=grid_id) if grid_id is not None else None
    return selectors.volunteer_search(actor=request.user, skill=skill_obj, grid=grid)


@router.get("/profiles/{user_id}", response=ProfileOut)
def profile_detail(request, user_id: Id):
    return selectors.profile_get(actor=request.user, user_id=user_id)


@router.get("/honour", response=list[HonourOut])
def honour_list(request, community_id: Id, month: str = ""):
    """The community's top volunteers by hours confirmed in `month` (YYYY-MM; this month
    by default)."""
    year, number = _month(month)
    rows = selectors.honour_list(actor=request.user, community_id=community_id, year=year,
                                 month=number)
    return [{"rank": r.rank, "volunteer_id": r.volunteer.pk, "name": str(r.volunteer),
             "hours": r.hours, "tasks": r.tasks} for r in rows]


def _month(value: str) -> tuple[int, int]:
    if not value:
        today = timezone.localdate()
        return today.year, today.month
    try:
        year, month = (int(part) for part in value.split("-"))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError
    except ValueError:
        raise ValidationFailed(_("Give the month as YYYY-MM."), code="bad_month") from None
    return year, month
