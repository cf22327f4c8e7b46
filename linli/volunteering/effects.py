"""What each volunteering move writes besides its state and stamp (the kit's effects), and
what follows from it (the after hooks): points for confirmed work, a place given back, a
wish fulfilled or dropped with its task. Consequences on another workflow's rows are that
workflow's system moves (core.workflow.system_move), so this module needs no declaration.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import F
from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed
from linli.core.workflow import system_move, workflow_of
from linli.points.models import EarningAction, Entry
from linli.points.services import points_award, points_earned
from linli.volunteering.models import (
    MAX_HOURS,
    MIN_HOURS,
    Claim,
    ClaimState,
    Task,
    TaskState,
    Wish,
    WishState,
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


def event_data(action: str, updates: dict, data: dict) -> dict:
    """What the history and the notifications need to know of a move's effects."""
    return {k: str(v) for k, v in updates.items()
            if k in ("reported_hours", "confirmed_hours", "rating")}


# --- tasks ------------------------------------------------------------------------------

def _task_publish(task: Task, actor, now: datetime, data: dict) -> dict:
    return {"published_by": actor}


def _task_cancel(task: Task, actor, now: datetime, data: dict) -> dict:
    started = task.claims.exclude(state__in=[ClaimState.CLAIMED, ClaimState.WITHDRAWN])
    if started.exists():
        raise ValidationFailed(_("Volunteers have already started on this task; complete it "
                                 "instead of cancelling it."), code="task_started")
    return {}


def _after_task_cancel(task: Task, actor, now: datetime, data: dict) -> None:
    for claim in task.claims.filter(state=ClaimState.CLAIMED):
        system_move(claim, "withdraw", now, note=data.get("note", ""))
    Task.objects.filter(pk=task.pk).update(claimed_count=0)
    _close_wish(task, "drop", now)


def _after_task_complete(task: Task, actor, now: datetime, data: dict) -> None:
    _close_wish(task, "fulfil", now)


def _close_wish(task: Task, action: str, now: datetime) -> None:
    if task.source_wish_id is None:
        return
    wish = Wish.objects.filter(pk=task.source_wish_id).first()
    if wish is not None and wish.state == WishState.PUBLISHED:
        system_move(wish, action, now)


TASK_EFFECTS = {"publish": _task_publish, "cancel": _task_cancel}
TASK_AFTER = {"cancel": _after_task_cancel, "complete": _after_task_complete}


# --- claims -----------------------------------------------------------------------------

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
        workflow_of(task).write_event(task, actor=None, action="reopen",
                                      from_state=TaskState.FULL,
                                      to_state=TaskState.PUBLISHED, at=now)


def claim_applicable(claim: Claim, action: str) -> bool:
    """Work is rated once: no second rating is offered (`_rate` refuses it)."""
    return action != "rate" or claim.rated_at is None


CLAIM_EFFECTS = {"check_in": _check_in, "check_out": _check_out, "report": _report,
                 "confirm": _confirm, "reject": _reject, "rate": _rate}
CLAIM_AFTER = {"confirm": _after_confirm, "rate": _after_rate, "withdraw": _after_withdraw}
