"""Topics: raised, supported, discussed, screened and carried out. Filled in by the topics
part."""


def topic_adopted(topic, now) -> None:
    """Stub: the topics part writes it (points for the raiser under the earning rules)."""
