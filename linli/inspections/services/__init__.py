"""Every write to inspections. Recording an inspection (`inspect`) issues the orders; the
order moves (`orders`), campaigns and schedules (`campaigns`) and targets with their import
(`targets`) live beside it.

The public functions are re-exported here: `from linli.inspections.services import X`.
"""

from linli.inspections.services.campaigns import (
    campaign_create,
    campaign_update,
    next_occurrence,
    schedule_create,
    schedule_update,
    schedules_run,
)
from linli.inspections.services.inspect import (
    AnswerInput,
    InspectionInput,
    InspectionOutcome,
    inspection_submit,
)
from linli.inspections.services.orders import order_raise_case, order_transition
from linli.inspections.services.printing import order_print
from linli.inspections.services.targets import (
    target_contact_reveal,
    target_create,
    target_update,
)

__all__ = ["AnswerInput", "InspectionInput", "InspectionOutcome", "campaign_create",
           "campaign_update", "inspection_submit", "next_occurrence", "order_print",
           "order_raise_case", "order_transition", "schedule_create", "schedule_update",
           "schedules_run", "target_contact_reveal", "target_create", "target_update"]
