"""The one-step hand over of a need as the pages and the API ask for it: what the need
becomes (`to`: case, task, topic or booking) and the ids of what it needs, resolved here
and passed to `services/handover.py`. An id that names nothing is refused with the
reason."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed
from linli.library.models import Need, Outcome, Room, Slot
from linli.library.services.handover import (
    TaskData,
    need_to_booking,
    need_to_case,
    need_to_task,
    need_to_topic,
)

TARGETS = tuple(Outcome.values)


@dataclass
class HandOver:
    to: str
    note: str = ""
    category_id: int | None = None     # case: a leaf of the case tree
    title: str = ""                    # task, topic
    starts_at: datetime | None = None  # task; booking of a room
    ends_at: datetime | None = None
    volunteers_needed: int = 1         # task
    points_offered: int = 0
    topic_category: str = ""           # topic
    slot_id: int | None = None         # booking: a slot, or a room and its hours
    room_id: int | None = None


def need_hand_over(*, actor, need: Need, data: HandOver,
                   now: datetime | None = None) -> Need:
    if data.to == Outcome.CASE:
        from linli.cases.models import Category

        category = (Category.objects.filter(pk=data.category_id, is_active=True)
                    .exclude(triage="").first() if data.category_id else None)
        return need_to_case(actor=actor, need=need, category=category, note=data.note,
                            now=now)
    if data.to == Outcome.TASK:
        if not data.title.strip() or data.starts_at is None or data.ends_at is None:
            raise ValidationFailed(_("Give the task a title, a start and an end."),
                                   code="bad_task")
        return need_to_task(actor=actor, need=need, note=data.note, now=now, data=TaskData(
            title=data.title.strip(), starts_at=data.starts_at, ends_at=data.ends_at,
            volunteers_needed=data.volunteers_needed, points_offered=data.points_offered))
    if data.to == Outcome.TOPIC:
        if not data.title.strip():
            raise ValidationFailed(_("Give the topic a title."), code="bad_topic")
        return need_to_topic(actor=actor, need=need, title=data.title.strip(),
                             category=data.topic_category, note=data.note, now=now)
    if data.to == Outcome.BOOKING:
        slot = (Slot.objects.filter(pk=data.slot_id).select_related("service__provider")
                .first() if data.slot_id else None)
        room = (Room.objects.filter(pk=data.room_id).select_related("service__provider")
                .first() if data.room_id else None)
        if (data.slot_id and slot is None) or (data.room_id and room is None):
            raise ValidationFailed(_("Choose a time of a service, or a room and its hours."),
                                   code="bad_booking")
        return need_to_booking(actor=actor, need=need, slot=slot, room=room,
                               starts_at=data.starts_at, ends_at=data.ends_at,
                               note=data.note, now=now)
    raise ValidationFailed(_("Choose what the need becomes."), code="bad_outcome")
