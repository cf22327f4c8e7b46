"""Every write to inspections. Recording an inspection (`inspect`) issues the orders; the
order moves (`orders`), campaigns and schedules (`campaigns`) and targets with their import
(`targets`) live beside it.

The public functions are re-exported here: `from linli.inspections.services import X`.
"""

from linli.inspections.services.inspect import (
    AnswerInput,
    InspectionInput,
    InspectionOutcome,
    inspection_submit,
)
from linli.inspections.services.targets import (
    target_contact_reveal,
    target_create,
    target_update,
)

__all__ = ["AnswerInput", "InspectionInput", "InspectionOutcome", "inspection_submit",
           "target_contact_reveal", "target_create", "target_update"]
