"""Moving a case along its lifecycle, and photos added after the report.

`case_transition` is the only way a case changes state: the workflow kit (`workflow.CASES`)
checks the move against the table and the actor, applies the action's effects, claims the
row with a conditional UPDATE on (state, version) — of two people acting at once exactly
one wins; the other gets a conflict and nothing of theirs is written — and records the
event, the audit entry and the notification.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases import permissions
from linli.cases.events import case_event_notify, case_event_record, photos_store
from linli.cases.models import Case, Photo, State
from linli.cases.transitions import HANDLING
from linli.cases.workflow import CASES
from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.images import images_clean


@transaction.atomic
def case_transition(*, actor, case: Case, action: str, note: str = "",
                    expected_version: int | None = None, photos: Sequence = (),
                    now: datetime | None = None, **data) -> Case:
    """Move `case` by `action` (see transitions.TRANSITIONS). `data` carries the action's
    inputs: triage/priority (accept), unit (dispatch), rating/comment (rate), master
    (merge). Returns the case as it is after the move."""
    images = []
    if photos:  # checked after the move is known to be allowed: decoding images costs
        CASES.check(actor, case, action, (note or "").strip(), expected_version)
        images = images_clean(photos)
    event = CASES.transition(actor=actor, obj=case, action=action, note=note,
                             expected_version=expected_version, now=now, data=data)
    photos_store(case, event, images, actor)
    return case


PHOTO_STATES_REPORTER = (State.REPORTED, State.ACCEPTED)


@transaction.atomic
def case_photos_add(*, actor, case: Case, photos: Sequence) -> list[Photo]:
    """Photos after the report: the reporter's while the case waits to be handled, the
    unit's as evidence while it handles the case. One public event carries them."""
    if not permissions.can_add_photos(actor, case):
        raise PermissionDenied(_("Only the reporter or the handling unit may add photos."))
    allowed = ((permissions.is_reporter(actor, case) and case.state in PHOTO_STATES_REPORTER)
               or (permissions.is_unit_member(actor, case)
                   and case.state in HANDLING))
    if not allowed:
        raise ValidationFailed(_("Photos cannot be added to this case in its current state."),
                               code="transition_not_allowed")
    if not photos:
        raise ValidationFailed(_("Choose at least one photo."), code="no_photos")
    images = images_clean(photos)
    event = case_event_record(case, actor=actor, action="add_photos", from_state=case.state,
                              to_state=case.state, data={"count": len(images)})
    photos_store(case, event, images, actor)
    audit_record(actor=actor, action="case.photos_added", obj=case,
                 changes={"count": len(images)})
    case_event_notify(event)
    return list(event.photos.order_by("pk"))
