"""The case's append-only history: the one function that writes a CaseEvent (the kit's event
writer for cases, also used for acts that are not moves: a report, photos, extensions,
supervision), and the photos that hang off an event."""

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone

from linli.cases.models import Case, CaseEvent, Photo
from linli.core.db import insert
from linli.core.images import CleanImage
from linli.core.tasks import batch_form, enqueue

NOTIFY_TASK = "cases.case_event_notify"
# With a broker, the notifications of a burst of reports and moves go as one message.
batch_form(NOTIFY_TASK, "cases.case_events_notify")


def _person(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def case_event_record(case: Case, *, actor, action: str, from_state: str, to_state: str,
                      at: datetime | None = None, note: str = "", data: dict | None = None,
                      is_public: bool = True) -> CaseEvent:
    """Append one event to the case's timeline. It is not notified: see `case_event_notify`
    (the workflow kit does both for moves)."""
    return insert(CaseEvent(
        case=case, district_id_copy=case.district_id, at=at or timezone.now(),
        actor=_person(actor), action=action, from_state=from_state, to_state=to_state,
        note=note, data=data or {}, is_public=is_public))


def case_event_notify(event: CaseEvent) -> None:
    """Tell whoever the rules name (cases.notify), after the transaction commits."""
    enqueue(NOTIFY_TASK, event.pk)


def photos_store(case: Case, event: CaseEvent | None, images: Sequence[CleanImage], actor
                 ) -> None:
    for index, image in enumerate(images):
        full, thumb = image.files(f"case{case.pk}-{event.pk if event else 0}-{index}")
        Photo.objects.create(case=case, event=event, image=full, thumbnail=thumb,
                             content_type=image.content_type, size=len(image.content),
                             width=image.width, height=image.height, uploaded_by=_person(actor))
