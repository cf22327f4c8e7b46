"""Who hears about a need's moves (the needs part fills this in)."""

from linli.library.models import Event


def need_event_notify(event: Event) -> None:
    return None
