"""Joint meetings (联席会议) of a 联合党委 and their resolutions: each resolution is a task
owned by a unit with a deadline of N working days on the working calendar, followed until
done (transitions.RESOLUTIONS); overdue, it is supervised (督办) once per deadline.

Refused: a resolution without an owner unit or a deadline, on a meeting not held, or by
anyone but party-work staff of the meeting's place.
"""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.clocks import LimitUnit, due_and_warn
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.party import permissions
from linli.party.models import MAX_TEXT, JointMeeting, MeetingState, Resolution
from linli.party.workflow import RESOLUTIONS

MAX_WORKING_DAYS = 250


@transaction.atomic
def resolution_add(*, actor, meeting: JointMeeting, text: str, owner_unit,
                   working_days: int | None, agenda_item=None,
                   now: datetime | None = None) -> Resolution:
    now = now or timezone.now()
    if not permissions.keeps(actor, meeting.area_path):
        raise PermissionDenied(_("Only party-work staff of this place record resolutions."),
                               code="not_party_staff")
    if meeting.state != MeetingState.HELD:
        raise ValidationFailed(_("Resolutions are recorded for a meeting that was held."),
                               code="not_held")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Write what was resolved."), code="empty_text")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_("A resolution is at most 2000 characters."), code="too_long")
    if owner_unit is None:
        raise ValidationFailed(_("Every resolution needs an owner unit."), code="no_owner")
    if not getattr(owner_unit, "is_active", True):
        raise ValidationFailed(_("This unit is no longer active."), code="inactive_unit")
    if working_days is None:
        raise ValidationFailed(_("Every resolution needs a deadline in working days."),
                               code="no_deadline")
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ValidationFailed(_("The deadline is 1 to 250 working days."),
                               code="bad_deadline")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationFailed(_("That agenda item is another meeting's."), code="bad_item")
    due, warn = due_and_warn(now, Decimal(working_days), LimitUnit.WORK_DAYS)
    resolution = Resolution.objects.create(
        meeting=meeting, agenda_item=agenda_item, text=text, owner_unit=owner_unit,
        area_path=meeting.area_path, working_days=working_days, due_at=due, warn_at=warn)
    RESOLUTIONS.write_event(resolution, actor=actor, action="add", from_state="",
                            to_state=resolution.state, at=now,
                            data={"unit": owner_unit.pk, "due_at": due.isoformat()})
    from linli.core.audit import audit_record

    audit_record(actor=actor, action="resolution.add", obj=resolution,
                 area_path=resolution.area_path,
                 changes={"unit": owner_unit.pk, "working_days": working_days})
    return resolution


def resolutions_supervise(*, now: datetime) -> int:
    """Overdue resolutions: a supervision notice once per deadline (the meetings part fills
    this in with core.supervision.supervise_overdue)."""
    return 0
