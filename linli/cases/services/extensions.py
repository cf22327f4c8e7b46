"""Requests for more time on a case and the dispatcher's decision on them.

A unit handling a case asks; the case's dispatcher approves or denies. Approval moves the
deadline of the current round of handling only (`_extension_current`).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.cases import permissions
from linli.cases.events import case_event_notify, case_event_record
from linli.cases.models import Case, Extension
from linli.cases.transitions import HANDLING
from linli.core.audit import audit_record
from linli.core.clocks import LimitUnit, due_and_warn
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed

MAX_EXTRA = 1000  # in the case's limit unit, per request


def _unit_label(unit: str) -> str:
    return str(LimitUnit(unit).label) if unit in LimitUnit.values else ""


@transaction.atomic
def extension_request(*, actor, case: Case, amount: Decimal, reason: str,
                      now: datetime | None = None) -> Extension:
    if not permissions.can_request_extension(actor, case):
        raise PermissionDenied(_("Only the unit handling this case may ask for more time."))
    if case.state not in HANDLING:
        raise ValidationFailed(_("More time can be asked only while the case is being "
                                 "handled."), code="transition_not_allowed")
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationFailed(_("Give a reason of at most 500 characters."),
                               code="note_required")
    if amount is None or amount <= 0:
        raise ValidationFailed(_("Ask for a positive amount of extra time."))
    if amount > MAX_EXTRA:
        raise ValidationFailed(_("Ask for at most %(max)d %(unit)s more at a time.") % {
            "max": MAX_EXTRA, "unit": _unit_label(case.limit_unit)})
    pending = Conflict(_("A request for more time is already waiting for a decision."))
    if case.extensions.filter(decision=Extension.Decision.PENDING).exists():
        raise pending
    now = now or timezone.now()
    try:  # two members asking at once: the database's one-pending rule picks one
        with transaction.atomic():
            ext = Extension.objects.create(case=case, requested_by=actor, requested_at=now,
                                           reason=reason, amount=amount,
                                           limit_unit=case.limit_unit)
    except IntegrityError:
        raise pending from None
    event = case_event_record(case, actor=actor, action="extension_request",
                              from_state=case.state, to_state=case.state, note=reason,
                              data={"amount": str(amount), "unit": case.limit_unit},
                              is_public=False, at=now)
    audit_record(actor=actor, action="case.extension_requested", obj=case,
                 changes={"amount": str(amount)})
    case_event_notify(event)
    return ext


def _extension_current(case: Case, extension: Extension) -> bool:
    """More time applies to the round of handling it was asked for: after a return, a
    resolve or a rework, approving an old request would move another round's deadline."""
    return (case.state in HANDLING
            and case.handle_started_at is not None
            and extension.requested_at >= case.handle_started_at)


@transaction.atomic
def extension_decide(*, actor, extension: Extension, approve: bool, note: str = "",
                     now: datetime | None = None) -> Case:
    case = Case.objects.select_for_update().get(pk=extension.case_id)
    if not permissions.can_decide_extension(actor, case):
        raise PermissionDenied(_("Only the case's dispatcher decides on more time."))
    if approve and not _extension_current(case, extension):
        raise ValidationFailed(_("The case has moved on since this request was made; it can "
                                 "only be denied."), code="extension_outdated")
    now = now or timezone.now()
    decision = Extension.Decision.APPROVED if approve else Extension.Decision.DENIED
    claimed = Extension.objects.filter(pk=extension.pk, decision=Extension.Decision.PENDING
                                       ).update(decision=decision, decided_by=actor,
                                                decided_at=now, decision_note=note[:500])
    if not claimed:
        raise Conflict(_("This request was already decided."))
    data: dict[str, Any] = {"amount": str(extension.amount), "unit": extension.limit_unit,
                            "approved": approve}
    if approve and case.handle_due_at and case.handle_started_at:
        total = (case.handle_limit or Decimal(0)) + extension.amount
        due, warn = due_and_warn(case.handle_started_at, total, case.limit_unit)
        Case.objects.filter(pk=case.pk).update(handle_due_at=due, handle_warn_at=warn,
                                               handle_limit=total, version=F("version") + 1)
        data["handle_due_at"] = due.isoformat()
    event = case_event_record(case, actor=actor,
                              action="extension_approve" if approve else "extension_deny",
                              from_state=case.state, to_state=case.state, note=note,
                              data=data, is_public=False, at=now)
    audit_record(actor=actor, action="case.extension_decided", obj=case, changes=data)
    case_event_notify(event)
    case.refresh_from_db()
    return case
