"""Who hears about the party app's moves: each part's rules in its own module
(notify_<part>.py), gathered here for the task by the event's subject."""

from linli.party.models import Event
from linli.party.notify_agreements import agreement_event_notify
from linli.party.notify_meetings import meeting_event_notify
from linli.party.notify_members import registration_event_notify

BY_SUBJECT = {"registration": registration_event_notify, "resolution": meeting_event_notify,
              "meeting": meeting_event_notify, "supervision": agreement_event_notify,
              "agreement": agreement_event_notify}


def event_notify(event_id: int) -> None:
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        BY_SUBJECT[event.subject](event)
