"""Claims: taking a place on a task, hours, confirmation, rating and the points they earn.

A place is taken by one conditional UPDATE of the task (`claimed_count < volunteers_needed`,
state published), so N+1 volunteers claiming N places at once get exactly N claims, and a
CHECK in the database backs it. Confirmation moves the claim by the transition service's
conditional UPDATE (one confirmer wins) and pays through the points ledger under the key
`volunteering.claim:<id>`, so even a replayed confirmation never pays twice.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.points.models import EarningAction, Entry
from linli.points.services import points_award, points_earned
from linli.volunteering import moves, permissions
from linli.volunteering.models import (
    MAX_HOURS,
    MIN_HOURS,
    Claim,
    ClaimState,
    Task,
    TaskState,
)
from linli.volunteering.services_profiles import profile_add
from linli.volunteering.transitions import TASK, TASK_WORKING

HALF = Decimal("0.5")
MAX_COMMENT = 500


def parse_hours(value) -> Decimal:
    """Hours in half hours from 0.5 to 24; anything else is refused."""
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        hours = Decimal("NaN")
    if not hours.is_finite() or not MIN_HOURS <= hours <= MAX_HOURS or hours % HALF:
        raise ValidationFailed(_("Give the hours in half hours, from 0.5 to 24."),
                               code="bad_hours")
    return hours.quantize(Decimal("0.1"))


def parse_rating(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        value = None
    try:
        rating = int(value) if value is not None else 0
    except ValueError:
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationFailed(_("Rate the work from 1 to 5 stars."), code="bad_rating")
    return rating


def claim_key(claim: Claim) -> str:
    return f"volunteering.claim:{claim.pk}"


# --- taking a place ---------------------------------------------------------------------

def _why_not_open(task: Task) -> Exception:
    fresh = Task.objects.get(pk=task.pk)
    if fresh.state == TaskState.CANCELLED:
        return ValidationFailed(_("This task was cancelled."), code="task_cancelled")
    if fresh.state == TaskState.FULL or fresh.places_left == 0:
        return Conflict(_("This task is full: all %(n)d places are taken.") % {
            "n": fresh.volunteers_needed}, code="task_full")
    if fresh.state == TaskState.DRAFT:
        return ValidationFailed(_("This task is not published yet."), code="task_draft")
    return ValidationFailed(_("This task no longer takes volunteers."), code="task_closed")


def _take_place(task: Task) -> bool:
    """The conditional UPDATE: one more place taken only while one is left. Taking the last
    place makes the task full in the same statement."""
    return bool(Task.objects.filter(
        pk=task.pk, state=TaskState.PUBLISHED, claimed_count__lt=F("volunteers_needed"),
    ).update(claimed_count=F("claimed_count") + 1,
             state=Case(When(claimed_count=F("volunteers_needed") - 1,
                             then=Value(TaskState.FULL)), default=F("state"))))


@transaction.atomic
def claim_create(*, actor, task: Task, now: datetime | None = None) -> Claim:
    """A volunteer takes a place on a published task."""
    now = now or timezone.now()
    if not permissions.can_claim(actor, task):
        raise PermissionDenied(_("Only volunteers of this community take on its tasks."),
                               code="not_volunteer")
    if permissions.is_requester(actor, task.source_wish):
        raise ValidationFailed(_("This task is your own wish; another volunteer takes it "
                                 "on."), code="own_wish")
    already = Conflict(_("You have already claimed this task."), code="already_claimed")
    if Claim.objects.filter(task=task, volunteer=actor).exists():
        raise already
    if not _take_place(task):
        raise _why_not_open(task)
    try:
        with transaction.atomic():
            claim = Claim.objects.create(task=task, volunteer=actor, claimed_at=now)
    except IntegrityError:  # the same volunteer twice at once: the place is given back
        raise already from None
    moves.record(obj=claim, actor=actor, action="claim", from_state="",
                 to_state=ClaimState.CLAIMED, at=now)
    moves.refresh(task)
    if task.state == TaskState.FULL:  # this claim took the last place: we hold the row
        moves.record(obj=task, actor=None, action="fill", from_state=TaskState.PUBLISHED,
                     to_state=TaskState.FULL, at=now)
    audit_record(actor=actor, action="volunteering.claim_created", obj=claim,
                 area_path=task.area_path)
    return claim


# --- effects of the claim moves (called by services.transition) ------------------------

def _check_working(claim: Claim) -> None:
    state = Task.objects.filter(pk=claim.task_id).values_list("state", flat=True).first()
    if state not in TASK_WORKING:
        raise ValidationFailed(_("This task was cancelled."), code="task_cancelled")


def _check_in(claim: Claim, actor, now: datetime, data: dict) -> dict:
    _check_working(claim)
    return {}


def _check_out(claim: Claim, actor, now: datetime, data: dict) -> dict:
    _check_working(claim)
    span = now - (claim.check_in_at or now)
    hours = Decimal(int(span.total_seconds() // 1800)) * HALF
    return {"reported_hours": min(max(hours, MIN_HOURS), MAX_HOURS), "reported_at": now}


def _report(claim: Claim, actor, now: datetime, data: dict) -> dict:
    _check_working(claim)
    return {"reported_hours": parse_hours(data.get("hours"))}


def _rating_fields(actor, now: datetime, data: dict) -> dict:
    comment = (data.get("comment") or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed(_("The comment is at most 500 characters."), code="too_long")
    return {"rating": parse_rating(data.get("rating")), "rating_comment": comment,
            "rated_by": actor, "rated_at": now}


def _confirm(claim: Claim, actor, now: datetime, data: dict) -> dict:
    _check_working(claim)
    hours = data.get("hours")
    if hours in (None, ""):
        hours = claim.reported_hours
    updates = {"confirmed_hours": parse_hours(hours), "confirmed_by": actor}
    if data.get("rating") not in (None, ""):
        updates |= _rating_fields(actor, now, data)
    return updates


def _reject(claim: Claim, actor, now: datetime, data: dict) -> dict:
    _check_working(claim)
    return {}


def _rate(claim: Claim, actor, now: datetime, data: dict) -> dict:
    if claim.rated_at is not None:
        raise ValidationFailed(_("This work has already been rated."), code="already_rated")
    fields = _rating_fields(actor, now, data)
    fields.pop("rated_at")  # the move stamps it
    return fields


EFFECTS = {"check_in": _check_in, "check_out": _check_out, "report": _report,
           "confirm": _confirm, "reject": _reject, "rate": _rate}


# --- consequences -----------------------------------------------------------------------

def _pay(claim: Claim, actor) -> Entry | None:
    """Points for confirmed work: the task's fixed points, or the community's hourly rule
    for whole hours (within its cap). Keyed by the claim, so it is paid at most once."""
    task, key = claim.task, claim_key(claim)
    if not task.points_offered:
        return points_earned(actor=actor, community=task.community, resident=claim.volunteer,
                             action=EarningAction.VOLUNTEER_HOUR,
                             units=int(claim.confirmed_hours or 0), key=key, source=key,
                             memo=task.title)
    return points_award(actor=actor, community=task.community, resident=claim.volunteer,
                        amount=task.points_offered, key=key, source=key, memo=task.title)


def _after_confirm(claim: Claim, actor, now: datetime, data: dict) -> None:
    entry = _pay(claim, actor)
    if entry is not None:
        Claim.objects.filter(pk=claim.pk).update(points_entry=entry, points=entry.amount)
    profile_add(claim.volunteer, hours=claim.confirmed_hours, rating=claim.rating)


def _after_rate(claim: Claim, actor, now: datetime, data: dict) -> None:
    profile_add(claim.volunteer, rating=claim.rating)


def _after_withdraw(claim: Claim, actor, now: datetime, data: dict) -> None:
    """Give the place back; a full task takes volunteers again."""
    task = Task.objects.select_for_update().get(pk=claim.task_id)
    reopen = task.state == TaskState.FULL
    updates: dict = {"claimed_count": F("claimed_count") - 1}
    if reopen:
        updates["state"] = TASK["reopen"].target
    Task.objects.filter(pk=task.pk).update(**updates)
    if reopen:
        moves.record(obj=task, actor=None, action="reopen", from_state=TaskState.FULL,
                     to_state=TaskState.PUBLISHED, at=now)


AFTER = {"confirm": _after_confirm, "rate": _after_rate, "withdraw": _after_withdraw}
