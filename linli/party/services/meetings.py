"""Joint meetings (联席会议) of a 联合党委 and their resolutions: each resolution is a task
owned by a unit with a deadline of N working days on the working calendar, followed until
done (transitions.RESOLUTIONS); overdue, it is supervised (督办) once per deadline.

Refused: a resolution without an owner unit or a deadline, on a meeting not held, or by
anyone but party-work staff of the meeting's place.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import supervision
from linli.core.clocks import Clock, LimitUnit, due_and_warn
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.party import permissions
from linli.party.models import MAX_TEXT, JointMeeting, MeetingState, Resolution
from linli.party.transitions import RESOLUTION_CLOCKS
from linli.party.workflow import RESOLUTIONS

MAX_WORKING_DAYS = 250


def owner_units(meeting: JointMeeting) -> list:
    """Who may own a resolution: the units of the joint committee's seats, then the other
    active units serving its community."""
    from linli.orgs.selectors import units_serving
    from linli.party.services.meetings_plan import seat_organisations

    seated = [o.unit for o in seat_organisations(meeting)
              if o.unit is not None and o.unit.is_active]
    seen = {u.pk for u in seated}
    others = [u for u in units_serving(meeting.joint.area) if u.pk not in seen]
    return list({u.pk: u for u in seated}.values()) + others


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
    if owner_unit.pk not in {u.pk for u in owner_units(meeting)}:
        raise ValidationFailed(_("The owner unit holds a seat or serves the community."),
                               code="bad_unit")
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


@transaction.atomic
def resolution_transition(*, actor, resolution: Resolution, action: str, note: str = "",
                          expected_version: int | None = None,
                          now: datetime | None = None) -> Resolution:
    """The owner unit's people acknowledge and report done (`note`: what was done); party
    staff confirm, send back (a reason) or cancel (a reason)."""
    if action not in RESOLUTIONS.table:
        raise ValidationFailed(_("Unknown action."), code="unknown_action")
    data = {"report": note} if action == "report_done" else {}
    RESOLUTIONS.transition(actor=actor, obj=resolution, action=action, note=note, now=now,
                           data=data, expected_version=expected_version)
    return resolution


def _supervise(row: dict[str, Any], clock: Clock, now: datetime) -> None:
    """The claim won (once per deadline): the notice is an event on the resolution's
    history, whose notification the rules of notify_meetings send."""
    from linli.core.audit import audit_record

    resolution = Resolution.objects.get(pk=row["pk"])
    data = {"due_at": row["due"].isoformat()}
    RESOLUTIONS.write_event(resolution, actor=None, action="supervise",
                            from_state=resolution.state, to_state=resolution.state,
                            at=now, data=data)
    audit_record(actor=None, action="resolution.supervise", obj=resolution, changes=data,
                 area_path=resolution.area_path)


def resolutions_supervise(*, now: datetime) -> int:
    """Overdue resolutions (督办): a supervision notice once per deadline, however many
    sweepers run (the kit's claim on `supervised_for`)."""
    return supervision.supervise_overdue(Resolution, RESOLUTION_CLOCKS, _supervise, now=now)
