"""The volunteering history: the one function that writes an Event for a wish, a task or a
claim (the kit's event writer for the three workflows), and the reload after a move."""

from datetime import datetime
from typing import Any

from django.db import models

from linli.volunteering.models import Claim, Event, Task, Wish

MAX_NOTE = 500
NOTIFY_TASK = "volunteering.event_notify"

# Relations that never change once a row exists: a refresh keeps them cached.
FIXED = {"community", "area", "requester", "source_wish", "created_by", "task", "volunteer"}


def refresh(obj: models.Model) -> None:
    """Reload what a move may have changed, keeping the fixed relations loaded."""
    fields = [f.name for f in obj._meta.concrete_fields
              if f.name not in FIXED and not f.primary_key]
    obj.refresh_from_db(fields=fields)


def _subject(obj) -> dict[str, Any]:
    if isinstance(obj, Wish):
        return {"wish": obj, "community_id": obj.community_id}
    if isinstance(obj, Task):
        return {"task": obj, "community_id": obj.community_id}
    assert isinstance(obj, Claim)
    return {"claim": obj, "community_id": obj.task.community_id}


def event_record(obj, *, actor, action: str, from_state: str, to_state: str, at: datetime,
                 note: str = "", data: dict | None = None, is_public: bool = True) -> Event:
    """Append one event. Every volunteering event is shown to those who see its subject,
    so `is_public` (part of the kit's writer protocol) changes nothing here."""
    return Event.objects.create(
        **_subject(obj), at=at, action=action, from_state=from_state, to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:MAX_NOTE], data=data or {})
