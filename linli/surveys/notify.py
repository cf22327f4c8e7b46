"""Who hears about a survey's moves (the surveys part fills this in)."""

from linli.surveys.models import Event


def event_notify(event_id: int) -> None:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return
