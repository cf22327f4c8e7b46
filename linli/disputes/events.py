"""The dispute history: the one function that appends an Event (the kit's event writer)."""

from datetime import datetime

from linli.disputes.models import Dispute, Event

NOTIFY_TASK = "disputes.event_notify"


def event_record(obj: Dispute, *, actor, action: str, from_state: str, to_state: str,
                 at: datetime, note: str = "", data: dict | None = None,
                 is_public: bool = True) -> Event:
    """Append one event. Disputes have no public: `is_public` (part of the kit's writer
    protocol) changes nothing here."""
    return Event.objects.create(
        dispute=obj, at=at, action=action, from_state=from_state, to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:2000], data=data or {})
