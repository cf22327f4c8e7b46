"""The acknowledge clock's sweep: an alarm nobody acknowledged within its rule's minutes
gets one `overdue` event (claimed on its `respond_supervised_for` column, so any number of
sweepers tell people once), which notifies the dispatchers and leaders."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from linli.core.supervision import supervise_overdue
from linli.iot.models import Alarm
from linli.iot.transitions import CLOCKS, RESPOND_CLOCK
from linli.iot.workflow import ALARMS


def _overdue(row: dict[str, Any], clock, now: datetime) -> None:
    alarm = Alarm.objects.get(pk=row["pk"])
    ALARMS.write_event(alarm, actor=None, action="overdue", from_state=alarm.state,
                       to_state=alarm.state, at=now, data={"due": row["due"].isoformat()})


def alarms_supervise(now: datetime | None = None) -> int:
    return supervise_overdue(Alarm, CLOCKS, _overdue, now=now or timezone.now())


__all__ = ["RESPOND_CLOCK", "alarms_supervise"]
