"""Who hears about a booking's moves (the services part fills this in)."""

from linli.library.models import Event


def booking_event_notify(event: Event) -> None:
    return None
