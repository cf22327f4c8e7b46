"""The history writer of the workflow kit: one `Event` row per move of an activity, a notice
or an honour entry."""

from datetime import datetime

from linli.community.models import Activity, Event, HonourEntry, Notice

NOTIFY = "community.event_notify"
SUBJECTS = {Activity: "activity", Notice: "notice", HonourEntry: "entry"}


def _who(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def record(obj, *, actor, action: str, from_state: str, to_state: str, at: datetime,
           note: str = "", data: dict | None = None, is_public: bool = True) -> Event:
    return Event.objects.create(
        subject=SUBJECTS[type(obj)], subject_id=obj.pk, at=at, actor=_who(actor),
        action=action, from_state=from_state, to_state=to_state, note=note[:2000],
        data=data or {}, is_public=is_public)


def history(obj):
    return Event.objects.filter(subject=SUBJECTS[type(obj)], subject_id=obj.pk)
