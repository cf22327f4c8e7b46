"""What each move writes, or why it is refused (the kit's `effects`), and what follows it
(`after`): declared in `workflow.py`.

- report_done (a resolution): the unit's note is what was done (`report`).
- accept (a dual registration): the member holds the posts they chose and joins the
  organisations of their home (services.members.registration_accepted).
- end, decline, withdraw (a registration): the posts it gave are left.
- hold (a meeting): not before its day; the minutes may come with it.
"""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed
from linli.party.models import MAX_TEXT

Effects = dict[str, Any]


def _report(resolution, actor, now: datetime, data: dict) -> Effects:
    return {"report": (data.get("report") or "")[:MAX_TEXT]}


def _hold(meeting, actor, now: datetime, data: dict) -> Effects:
    if timezone.localdate(meeting.scheduled_at) > timezone.localdate(now):
        raise ValidationFailed(_("A meeting is held on its day, not before."),
                               code="not_yet")
    minutes = data.get("minutes")
    return {"minutes": minutes[:5000]} if minutes else {}


def _accepted(registration, actor, now: datetime, data: dict) -> None:
    from linli.party.services.members import registration_accepted

    registration_accepted(registration, actor, now)


def _ended(registration, actor, now: datetime, data: dict) -> None:
    from linli.party.services.members import registration_ended

    registration_ended(registration, actor, now)


RESOLUTION_EFFECTS = {"report_done": _report}
MEETING_EFFECTS = {"hold": _hold}
REGISTRATION_AFTER = {"accept": _accepted, "end": _ended}
