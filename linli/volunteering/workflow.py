"""Wishes, tasks and claims declared on the workflow kit (core.workflow, ADR 0006): the
tables of `transitions.py`, who may take each move (`permissions`), what each move writes
and what follows from it (`effects`), and where the history goes (`events`)."""

from django.utils.translation import gettext_lazy as _

from linli.core.workflow import Refusals, Workflow
from linli.volunteering import effects, permissions
from linli.volunteering.events import NOTIFY_TASK, event_record, refresh
from linli.volunteering.models import Claim, Task, Wish
from linli.volunteering.transitions import CLAIM, TASK, WISH, Who

REFUSALS = Refusals(note_too_long=_("The note is at most 500 characters."))


def _flow(model, table, who, prefix: str, **hooks) -> Workflow:
    return Workflow(model=model, table=table, who=who, record=event_record,
                    notify_task=NOTIFY_TASK, audit_prefix=f"volunteering.{prefix}_",
                    refusals=REFUSALS, note_limit=500, refresh=refresh,
                    event_data=effects.event_data, **hooks)


WISHES = _flow(Wish, WISH, {
    Who.STAFF: permissions.is_staff_of,
    Who.REQUESTER: permissions.is_requester,
}, "wish", audit_path=lambda wish: wish.area_path)

TASKS = _flow(Task, TASK, {
    Who.STAFF: permissions.is_staff_of,
}, "task", audit_path=lambda task: task.area_path, effects=effects.TASK_EFFECTS,
    after=effects.TASK_AFTER)

CLAIMS = _flow(Claim, CLAIM, {
    Who.VOLUNTEER: permissions.is_own_claim,
    Who.CONFIRMER: permissions.can_confirm,
}, "claim", audit_path=lambda claim: claim.task.area_path, effects=effects.CLAIM_EFFECTS,
    after=effects.CLAIM_AFTER, applicable=effects.claim_applicable)

FLOWS = {Wish: WISHES, Task: TASKS, Claim: CLAIMS}
