"""Every write to wishes and tasks, and `transition`, the one service that moves a wish, a
task or a claim along its workflow (workflow.py; what each move writes and what follows
from it: effects.py). Taking a place on a task lives in services_claims.py; profiles in
services_profiles.py.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind
from linli.volunteering import permissions
from linli.volunteering.models import (
    Claim,
    Task,
    TaskKind,
    TaskState,
    Wish,
    WishCategory,
    WishState,
)
from linli.volunteering.workflow import FLOWS, TASKS, WISHES

MAX_WISH = 1000
MAX_TASK = 2000
MAX_VOLUNTEERS = 200
MAX_POINTS = 1000
MAX_WINDOW = timedelta(days=31)


# --- shared checks ----------------------------------------------------------------------

def _check_place(area: Area | None) -> Area:
    community = area.ancestor_of_kind(AreaKind.COMMUNITY) if area is not None else None
    if community is None:
        raise ValidationFailed(_("Choose a place within a community."), code="bad_area")
    return community


def _check_window(starts_at: datetime | None, ends_at: datetime | None, now: datetime):
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationFailed(_("Give a time window that ends after it starts."),
                               code="bad_window")
    if ends_at <= now:
        raise ValidationFailed(_("The time window is already over."), code="bad_window")
    if ends_at - starts_at > MAX_WINDOW:
        raise ValidationFailed(_("A time window is at most 31 days."), code="bad_window")


def _text(value: str, limit: int, empty_message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(empty_message, code="empty")
    if len(value) > limit:
        raise ValidationFailed(_("The text is at most %(n)d characters.") % {"n": limit},
                               code="too_long")
    return value


# --- wishes -----------------------------------------------------------------------------

@transaction.atomic
def wish_post(*, actor, area: Area, category: str, description: str, starts_at: datetime,
              ends_at: datetime, address: str = "", now: datetime | None = None) -> Wish:
    """A resident asks for help (微心愿) within their own community."""
    now = now or timezone.now()
    community = _check_place(area)
    if not permissions.can_post_wish(actor, area):
        raise PermissionDenied(_("You can only post wishes within your own community."),
                               code="outside_community")
    if category not in WishCategory.values:
        raise ValidationFailed(_("Choose a category."), code="bad_category")
    description = _text(description, MAX_WISH, _("Describe what you need."))
    _check_window(starts_at, ends_at, now)
    wish = Wish.objects.create(
        community=community, area=area, area_path=area.path, address=(address or "")[:200],
        starts_at=starts_at, ends_at=ends_at, requester=actor, category=category,
        description=description, created_at=now)
    WISHES.write_event(wish, actor=actor, action="post", from_state="",
                       to_state=WishState.POSTED, at=now)
    audit_record(actor=actor, action="volunteering.wish_posted", obj=wish,
                 changes={"category": category})
    return wish


@transaction.atomic
def wish_publish(*, actor, wish: Wish, title: str = "", volunteers_needed: int = 1,
                 points_offered: int = 0, description: str = "",
                 now: datetime | None = None) -> Task:
    """Staff turn a wish into a published task for volunteers."""
    now = now or timezone.now()
    if wish.ends_at <= now:
        raise ValidationFailed(_("The wish's time window is over; decline it instead."),
                               code="bad_window")
    transition(actor=actor, obj=wish, action="publish", now=now)
    title = (title or "").strip() or wish.description.splitlines()[0][:100]
    return task_create(
        actor=actor, area=wish.area, title=title[:100], kind=TaskKind.WISH,
        starts_at=wish.starts_at, ends_at=wish.ends_at, volunteers_needed=volunteers_needed,
        points_offered=points_offered, description=description or wish.description,
        address=wish.address, source_wish=wish, now=now)


# --- tasks ------------------------------------------------------------------------------

def _check_task(kind: str, volunteers_needed, points_offered) -> None:
    if kind not in TaskKind.values:
        raise ValidationFailed(_("Choose the kind of task."), code="bad_kind")
    if not isinstance(volunteers_needed, int) or not 1 <= volunteers_needed <= MAX_VOLUNTEERS:
        raise ValidationFailed(_("A task needs between 1 and %(n)d volunteers.") % {
            "n": MAX_VOLUNTEERS}, code="bad_volunteers")
    if not isinstance(points_offered, int) or not 0 <= points_offered <= MAX_POINTS:
        raise ValidationFailed(_("Points offered are between 0 and %(n)d.") % {
            "n": MAX_POINTS}, code="bad_points")


@transaction.atomic
def task_create(*, actor, area: Area, title: str, kind: str, starts_at: datetime,
                ends_at: datetime, volunteers_needed: int, points_offered: int = 0,
                description: str = "", address: str = "", publish: bool = True,
                source_wish: Wish | None = None, now: datetime | None = None) -> Task:
    """Staff create a task (activity support, a visit, a patrol…), published at once unless
    `publish` is False (a draft)."""
    now = now or timezone.now()
    community = _check_place(area)
    if not permissions.can_publish_in(actor, area):
        raise PermissionDenied(_("Only the dispatchers and grid workers of this place "
                                 "publish tasks here."), code="not_staff")
    title = _text(title, 100, _("Give the task a title."))
    if len(description or "") > MAX_TASK:
        raise ValidationFailed(_("The description is at most 2000 characters."))
    _check_task(kind, volunteers_needed, points_offered)
    _check_window(starts_at, ends_at, now)
    task = Task.objects.create(
        community=community, area=area, area_path=area.path, address=(address or "")[:200],
        starts_at=starts_at, ends_at=ends_at, title=title, kind=kind,
        description=(description or "").strip(), volunteers_needed=volunteers_needed,
        points_offered=points_offered, created_by=actor, source_wish=source_wish,
        created_at=now)
    TASKS.write_event(task, actor=actor, action="create", from_state="",
                      to_state=TaskState.DRAFT, at=now,
                      data={"wish": source_wish.pk} if source_wish else {})
    audit_record(actor=actor, action="volunteering.task_created", obj=task,
                 changes={"kind": kind, "volunteers_needed": volunteers_needed,
                          "points_offered": points_offered})
    if publish:
        task = transition(actor=actor, obj=task, action="publish", now=now)
    return task


# --- the one transition service ---------------------------------------------------------

@transaction.atomic
def transition(*, actor, obj: Wish | Task | Claim, action: str, note: str = "",
               now: datetime | None = None, **data) -> Any:
    """Move a wish, task or claim by `action` on its workflow (workflow.py). `data` carries
    the action's inputs: hours (report, confirm), rating and comment (confirm, rate).
    Returns the fresh object."""
    if isinstance(obj, Claim) and action in ("confirm", "reject", "rate") and (
            permissions.is_own_claim(actor, obj)):
        raise PermissionDenied(_("Nobody confirms or rates their own work."), code="own_work")
    FLOWS[type(obj)].transition(actor=actor, obj=obj, action=action, note=note, now=now,
                                data=data)
    return obj
