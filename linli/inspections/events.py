"""The order history: the one function that appends an OrderEvent (the kit's writer)."""

from datetime import datetime

from linli.inspections.models import Order, OrderEvent

NOTIFY_TASK = "inspections.event_notify"


def event_record(obj: Order, *, actor, action: str, from_state: str, to_state: str,
                 at: datetime, note: str = "", data: dict | None = None,
                 is_public: bool = True) -> OrderEvent:
    """Append one event. Orders have no public: `is_public` changes nothing here."""
    return OrderEvent.objects.create(
        order=obj, at=at, action=action, from_state=from_state, to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:2000], data=data or {})
