"""Rectification orders declared on the workflow kit (core.workflow, ADR 0006): the table
of `transitions.py`, who may take each move (`permissions`), what each move writes and what
follows it (`effects`), and where the history goes (`events`)."""

from django.utils.translation import gettext_lazy as _

from linli.core.workflow import Refusals, Workflow
from linli.inspections import effects, permissions
from linli.inspections.events import NOTIFY_TASK, event_record
from linli.inspections.models import Order
from linli.inspections.transitions import TABLE, Who

REFUSALS = Refusals(
    denied=_("You may not do this with this rectification order."),
)

ORDERS = Workflow(
    model=Order, table=TABLE,
    who={Who.RECTIFIER: permissions.may_rectify, Who.RECHECKER: permissions.may_recheck,
         Who.COORDINATOR: permissions.is_coordinator, Who.CASE_DESK: permissions.is_case_desk},
    record=event_record, notify_task=NOTIFY_TASK, audit_prefix="inspection_order.",
    refusals=REFUSALS, versioned=True, audit_path=lambda o: o.area_path,
    effects=effects.EFFECTS, after=effects.AFTER, applicable=effects.applicable,
    event_data=effects.event_data)
