"""Who hears about notices (the notices part fills this in)."""

from linli.community.models import Event


def notice_event_notify(event: Event) -> None:
    return None
