"""The alarm history: the one function that appends an AlarmEvent (the kit's writer)."""

from datetime import datetime

from linli.iot.models import Alarm, AlarmEvent

NOTIFY_TASK = "iot.alarm_event_notify"


def alarm_event_record(obj: Alarm, *, actor, action: str, from_state: str, to_state: str,
                       at: datetime, note: str = "", data: dict | None = None,
                       is_public: bool = True) -> AlarmEvent:
    """Append one event. Alarms have no public: `is_public` changes nothing here."""
    return AlarmEvent.objects.create(
        alarm=obj, at=at, action=action, from_state=from_state, to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:2000], data=data or {})
