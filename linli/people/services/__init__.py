"""Every write to people: the registers of households and residents, reveals and the access
log (`registry`), and care: consents, care tags, care plans and visits (`care`).

The public functions are re-exported here, so `from linli.people.services import X` and
`services.X` keep working wherever the topic does not matter.
"""

from linli.people.services.care import (
    MAX_TEXT,
    MAX_VISIT_DAYS,
    active_basis,
    care_contact_for_alert,
    care_note_add,
    care_plan_save,
    care_welfare_check_raise,
    consent_record,
    consent_withdraw,
    resident_tag_add,
    resident_tag_remove,
    visit_record,
)
from linli.people.services.registry import (
    KEEP,
    PLAIN_FIELDS,
    REVEAL_FIELDS,
    Keep,
    SealedIdentity,
    access_record,
    household_create,
    household_move_out,
    identity_seal,
    purpose_acceptable,
    resident_create,
    resident_link_user,
    resident_move_out,
    resident_reveal,
    resident_self_view,
    resident_update,
)

__all__ = [
    "KEEP",
    "MAX_TEXT",
    "MAX_VISIT_DAYS",
    "PLAIN_FIELDS",
    "REVEAL_FIELDS",
    "Keep",
    "SealedIdentity",
    "access_record",
    "active_basis",
    "care_contact_for_alert",
    "care_note_add",
    "care_plan_save",
    "care_welfare_check_raise",
    "consent_record",
    "consent_withdraw",
    "household_create",
    "household_move_out",
    "identity_seal",
    "purpose_acceptable",
    "resident_create",
    "resident_link_user",
    "resident_move_out",
    "resident_reveal",
    "resident_self_view",
    "resident_tag_add",
    "resident_tag_remove",
    "resident_update",
    "visit_record",
]
