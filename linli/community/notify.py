"""Who hears about community life: each part's rules in its own module (notify_<part>.py),
gathered here for the tasks by the event's subject."""

from linli.community.models import Event
from linli.community.notify_activities import activity_event_notify, signup_promoted_notify
from linli.community.notify_honours import entry_event_notify
from linli.community.notify_notices import notice_event_notify

BY_SUBJECT = {"activity": activity_event_notify, "notice": notice_event_notify,
              "entry": entry_event_notify}


def event_notify(event_id: int) -> None:
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        BY_SUBJECT[event.subject](event)


__all__ = ["event_notify", "signup_promoted_notify"]
