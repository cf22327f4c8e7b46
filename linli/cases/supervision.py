"""Supervision (督办) of cases: a notice when a case passes its acceptance or handling
deadline. The shared sweep (core.supervision) finds the cases past a clock of
`transitions.CLOCKS` and claims each deadline once, however many sweepers run; this module
says what a notice is for a case: an internal event on its timeline, an audit entry, and
the notification to the unit, the dispatchers and the unit's supervisor.

A supervision notice issued by hand (`supervising.py`) has an answer time swept the same
way (`transitions.NOTICE_CLOCK`): when it passes unanswered, a reminder ("notice_overdue")
goes to the unit and whoever issued the notice, once per notice.
"""

from datetime import datetime
from typing import Any

from django.utils import timezone

from linli.cases.events import case_event_notify
from linli.cases.models import Case, CaseEvent
from linli.cases.transitions import SWEPT
from linli.core import supervision
from linli.core.audit import audit_record
from linli.core.clocks import Clock

# What the notice needs of the case, read in the sweep's own query: no row is loaded.
FIELDS = ("district_id", "area_path", "title", "unit_id")


def _notice(row: dict[str, Any], clock: Clock, now: datetime) -> None:
    data = {"deadline": clock.name, "due_at": row["due"].isoformat()}
    action, audit = "supervise", "case.supervised"
    if clock.name == "notice":  # the answer to a notice by hand is late, not the case
        data = {"due_at": row["due"].isoformat(), "unit_id": row["unit_id"]}
        action, audit = "notice_overdue", "case.notice_overdue"
    event = CaseEvent.objects.create(
        case_id=row["pk"], district_id_copy=row["district_id"], at=now, actor=None,
        action=action, from_state=row["state"], to_state=row["state"], data=data,
        is_public=False)
    audit_record(actor=None, action=audit, object_type="cases.case",
                 object_id=row["pk"], object_label=f"#{row['pk']} {row['title']}",
                 changes=data, area_path=row["area_path"])
    case_event_notify(event)


def supervise_overdue(now: datetime | None = None) -> int:
    """Raise a supervision notice for every case newly past a deadline; returns how many."""
    return supervision.supervise_overdue(Case, SWEPT, _notice, now=now or timezone.now(),
                                         fields=FIELDS)
