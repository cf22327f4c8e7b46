"""Disputes declared on the workflow kit (core.workflow, ADR 0006): the table of
`transitions.py`, who may take each move (`permissions`), what each move writes and what
follows it (`effects`), and where the history goes (`events`)."""

from django.utils.translation import gettext_lazy as _

from linli.core.workflow import Refusals, Workflow
from linli.disputes import effects, permissions
from linli.disputes.events import NOTIFY_TASK, event_record
from linli.disputes.models import Dispute
from linli.disputes.transitions import TABLE, Who

REFUSALS = Refusals(
    denied=_("You may not do this with this dispute."),
)

DISPUTES = Workflow(
    model=Dispute, table=TABLE,
    who={Who.COORDINATOR: permissions.is_coordinator, Who.HANDLER: permissions.is_handler,
         Who.CLOSER: permissions.may_close},
    record=event_record, notify_task=NOTIFY_TASK, audit_prefix="dispute.",
    refusals=REFUSALS, versioned=True, audit_path=lambda d: d.area_path,
    effects=effects.EFFECTS, after=effects.AFTER, applicable=effects.applicable,
    event_data=effects.event_data)
