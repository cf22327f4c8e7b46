"""Who hears about honour entries (the honours part fills this in)."""

from linli.community.models import Event


def entry_event_notify(event: Event) -> None:
    return None
