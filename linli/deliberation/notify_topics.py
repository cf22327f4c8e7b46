"""Who hears about a topic's events (stub: the topics part writes the rules)."""


def topic_event_notify(event_id: int) -> None:
    """Stub."""
