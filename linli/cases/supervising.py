"""Supervision by hand (督办): what the moves urge (催办), notice (督办通知), answer_notice
(回复督办), reassign (改派) and escalate (上报街道) write, and when they are possible.

They are moves of the case's one table (`transitions.py`), taken through the workflow kit
like any other; `effects.py` merges these effects into the case's. A dispatcher or leader
of the case's area supervises a case that needs it: its running clock is yellow or red,
or it is sensitive, i.e. its accepted priority is urgent or emergency (the priority rather
than a category flag: the dispatcher confirms it at acceptance, so a case turns sensitive
whatever its category). Each move records the unit that held the case (`unit_id`), so the
supervision page counts per unit from the events.
"""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.cases.handover import handover
from linli.cases.models import Case, Priority, State
from linli.cases.transitions import CLOCKS
from linli.core.clocks import Light
from linli.core.errors import ValidationFailed
from linli.orgs.models import Unit

SENSITIVE = frozenset({Priority.URGENT, Priority.EMERGENCY})
# The answer time of a notice: far enough for the unit to read it, near enough to matter.
EARLIEST_ANSWER = timedelta(minutes=30)
LATEST_ANSWER = timedelta(days=30)
# The key under which an effect leaves what the event records (effects.event_data).
RECORD = "record"
# Written when the unit that should answer an open notice loses the case.
NOTICE_CLOSED: dict[str, Any] = {"notice_due_at": None}

Effects = dict[str, Any]


def needs_supervision(case: Case, now: datetime) -> bool:
    """Its running clock is yellow or red, or it is sensitive. A case not yet accepted is
    sensitive only by its clock: its priority is the category's guess until the dispatcher
    confirms it at acceptance."""
    sensitive = case.priority in SENSITIVE and case.state != State.REPORTED
    return sensitive or CLOCKS.light(case, now) in (Light.YELLOW, Light.RED)


def when(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _supervisable(case: Case, now: datetime) -> None:
    if not needs_supervision(case, now):
        raise ValidationFailed(_("This case is on time and not urgent: supervision is for "
                                 "cases that are overdue, nearly due, urgent or an "
                                 "emergency."), code="not_supervisable")


def _record(case: Case, data: dict, **more: Any) -> None:
    """What the event keeps besides the note: the unit that held the case when it was
    supervised, by id (counted per unit) and by name (shown and notified)."""
    data[RECORD] = {"unit_id": case.unit_id,
                    "supervised_unit": case.unit.name if case.unit else "", **more}


def _urge(case: Case, actor, now: datetime, data: dict) -> Effects:
    _supervisable(case, now)
    _record(case, data)
    return {}


def _respond_by(value: Any, now: datetime) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationFailed(_("Give the date and time by which the unit must answer."),
                               code="respond_by_required")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value < now + EARLIEST_ANSWER:
        raise ValidationFailed(_("The answer time must be at least 30 minutes from now."),
                               code="respond_by_too_soon")
    if value > now + LATEST_ANSWER:
        raise ValidationFailed(_("The answer time can be at most 30 days from now."),
                               code="respond_by_too_far")
    return value


def _notice(case: Case, actor, now: datetime, data: dict) -> Effects:
    _supervisable(case, now)
    if case.notice_due_at is not None:
        raise ValidationFailed(_("A supervision notice already waits for the unit's answer "
                                 "(by %(due)s).") % {"due": when(case.notice_due_at)},
                               code="notice_open")
    respond_by = _respond_by(data.get("respond_by"), now)
    _record(case, data, respond_by=respond_by.isoformat())
    return {"notice_due_at": respond_by, "notice_answered_late": None}


def _answer_notice(case: Case, actor, now: datetime, data: dict) -> Effects:
    if case.notice_due_at is None:
        raise ValidationFailed(_("No supervision notice waits for an answer on this case."),
                               code="no_notice")
    late = now > case.notice_due_at
    _record(case, data, late=late, respond_by=case.notice_due_at.isoformat())
    return {"notice_due_at": None, "notice_answered_late": late}


def _reassign(case: Case, actor, now: datetime, data: dict) -> Effects:
    _supervisable(case, now)
    unit = data.get("unit")
    if isinstance(unit, Unit) and unit.pk == case.unit_id:
        raise ValidationFailed(_("The case is already with %(unit)s; choose another unit.")
                               % {"unit": unit.name}, code="same_unit")
    # The same checks and the same fresh handling clock as a dispatch; the old unit's open
    # notice goes with it (it can no longer answer).
    updates = handover(case, unit, actor, now)
    _record(case, data, to_unit=updates["unit"].name)
    return updates


def _escalate(case: Case, actor, now: datetime, data: dict) -> Effects:
    _supervisable(case, now)
    if case.escalated_at is not None:
        raise ValidationFailed(_("This case was already escalated to the street on %(at)s.")
                               % {"at": when(case.escalated_at)}, code="already_escalated")
    _record(case, data)
    return {"escalated_by": actor, "escalation_reason": data.get("note", "")}


EFFECTS = {"urge": _urge, "notice": _notice, "answer_notice": _answer_notice,
           "reassign": _reassign, "escalate": _escalate}


def applicable(case: Case, action: str, now: datetime) -> bool:
    """Whether the case's data allows the move now (the effects refuse it otherwise)."""
    if action == "answer_notice":
        return case.notice_due_at is not None
    if not needs_supervision(case, now):
        return False
    if action == "notice":
        return case.notice_due_at is None
    if action == "escalate":
        return case.escalated_at is None
    return True
