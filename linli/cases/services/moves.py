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
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.cases import permissions
from linli.cases.events import case_event_notify, case_event_record, photos_store
from linli.cases.models import OPEN_STATES, Case, CaseEvent, Photo, State
from linli.cases.transitions import HANDLING, TRANSITIONS, Who
from linli.cases.workflow import CASES
from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.images import images_clean


@transaction.atomic
def case_transition(*, actor, case: Case, action: str, note: str = "",
                    expected_version: int | None = None, photos: Sequence = (),
                    now: datetime | None = None, for_reporter: bool = False,
                    **data) -> Case:
    """Move `case` by `action` (see transitions.TRANSITIONS). `data` carries the action's
    inputs: triage/priority (accept), unit (dispatch), rating/comment (rate), master
    (merge). Returns the case as it is after the move.

    `for_reporter=True` (actor None): the app that filed the case takes one of the
    reporter's own moves for a reporter who has no account (permissions.for_reporter)."""
    if for_reporter:
        actor = _reporter_voice(actor, case, action)
    images = []
    if photos:  # checked after the move is known to be allowed: decoding images costs
        CASES.check(actor, case, action, (note or "").strip(), expected_version)
        images = images_clean(photos)
    event = CASES.transition(actor=actor, obj=case, action=action, note=note,
                             expected_version=expected_version, now=now, data=data)
    photos_store(case, event, images, actor)
    return case


def _reporter_voice(actor, case: Case, action: str) -> permissions.AppForReporter:
    move = TRANSITIONS.get(action)
    if move is None or move.who != Who.REPORTER:
        raise PermissionDenied(_("An app speaks for the reporter in the reporter's own "
                                 "steps only."))
    return permissions.for_reporter(actor, case)


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


REMARK_LIMIT = 2000


@transaction.atomic
def case_remark(*, actor, case: Case, note: str, for_reporter: bool = False) -> CaseEvent:
    """The reporter adds a word to an open case ("still leaking", "it was fixed
    yesterday"): a public event that moves nothing, told to whoever handles the case.
    `for_reporter=True`: the app that filed the case speaks for its reporter (above)."""
    speaker = permissions.for_reporter(actor, case) if for_reporter else actor
    if speaker is None or not permissions.is_reporter(speaker, case):
        raise PermissionDenied(_("Only the reporter may add an update to this case."))
    if case.state not in OPEN_STATES:
        raise ValidationFailed(_("This case is %(state)s; updates are added to open cases "
                                 "only.") % {"state": case.get_state_display()},
                               code="transition_not_allowed")
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Write the update."), code="note_required")
    if len(note) > REMARK_LIMIT:
        raise ValidationFailed(_("The update is at most %(most)d characters.")
                               % {"most": REMARK_LIMIT}, code="note_too_long")
    now = timezone.now()
    event = case_event_record(case, actor=speaker, action="remark", from_state=case.state,
                              to_state=case.state, at=now, note=note)
    # Its "last updated" moves, so clients that poll requests see it; the version does
    # not, so nobody's open form goes stale because the reporter spoke.
    Case.objects.filter(pk=case.pk).update(updated_at=now)
    audit_record(actor=actor, action="case.remark", obj=case,
                 changes={"by": "app" if for_reporter else "reporter"})
    case_event_notify(event)
    return event
