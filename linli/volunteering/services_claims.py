"""Claims: taking a place on a task. Their moves (hours, confirmation, rating and the points
they earn) are the claim workflow's (workflow.py, effects.py).

A place is taken by one conditional UPDATE of the task (`claimed_count < volunteers_needed`,
state published), so N+1 volunteers claiming N places at once get exactly N claims, and a
CHECK in the database backs it. Confirmation moves the claim by the transition service's
conditional UPDATE (one confirmer wins) and pays through the points ledger under the key
`volunteering.claim:<id>`, so even a replayed confirmation never pays twice.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.volunteering import permissions
from linli.volunteering.events import refresh
from linli.volunteering.models import Claim, ClaimState, Task, TaskState
from linli.volunteering.workflow import CLAIMS, TASKS

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
    CLAIMS.write_event(claim, actor=actor, action="claim", from_state="",
                       to_state=ClaimState.CLAIMED, at=now)
    refresh(task)
    if task.state == TaskState.FULL:  # this claim took the last place: we hold the row
        TASKS.write_event(task, actor=None, action="fill", from_state=TaskState.PUBLISHED,
                          to_state=TaskState.FULL, at=now)
    audit_record(actor=actor, action="volunteering.claim_created", obj=claim,
                 area_path=task.area_path)
    return claim
