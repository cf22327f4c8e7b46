"""Notification rules of the members part (filled in by that part)."""


def registration_event_notify(event) -> None:
    return None
