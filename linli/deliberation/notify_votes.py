"""Who hears about a vote's events (stub: the results part writes the rules)."""


def vote_event_notify(event_id: int) -> None:
    """Stub."""
