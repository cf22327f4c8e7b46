"""Who hears about bookings and needs: each part's rules in its own module
(notify_<part>.py), gathered here for the tasks by the event's subject."""

from linli.library.models import Event
from linli.library.notify_needs import need_event_notify
from linli.library.notify_services import booking_event_notify

BY_SUBJECT = {"booking": booking_event_notify, "need": need_event_notify}


def event_notify(event_id: int) -> None:
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        BY_SUBJECT[event.subject](event)
