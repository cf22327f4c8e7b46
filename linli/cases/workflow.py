"""The case lifecycle declared on the workflow kit (core.workflow, ADR 0006): the table and
clocks of `transitions.py`, who may take each move (`permissions`), what each move writes
(`effects`), and where its history goes (`events`). `services.case_transition` moves cases
through it; pages and the API offer `CASES.actions_for(actor, case)`."""

from django.utils.translation import gettext_lazy as _

from linli.cases import effects, permissions
from linli.cases.events import NOTIFY_TASK, case_event_record
from linli.cases.models import Case
from linli.cases.transitions import INTERNAL_ACTIONS, TRANSITIONS, Who
from linli.core.workflow import Refusals, Workflow

CASES = Workflow(
    model=Case,
    table=TRANSITIONS,
    who={
        Who.DISPATCHER: permissions.is_dispatcher,
        Who.UNIT: permissions.is_unit_member,
        Who.VERIFIER: permissions.can_verify,
        Who.REPORTER: permissions.is_reporter,
        Who.SUPERVISOR: permissions.is_supervisor,
    },
    record=case_event_record,
    notify_task=NOTIFY_TASK,
    audit_prefix="case.",
    refusals=Refusals(
        denied=_("You may not do this to this case."),
        wrong_state=_("This case is %(state)s; that action is not possible now."),
        conflict=_("Someone else acted on this case at the same moment. Reload to see what "
                   "changed."),
        stale=_("This case changed since you opened it. Reload the page and check before you "
                "act."),
        note_too_long=_("The note is at most 2000 characters."),
    ),
    effects=effects.EFFECTS,
    applicable=effects.applicable,
    event_data=effects.event_data,
    internal=INTERNAL_ACTIONS,
    note_limit=2000,
    versioned=True,
    touch="updated_at",
)
