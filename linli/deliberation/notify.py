"""Who hears about deliberation, and what they read (rules per action; the actor never hears
of their own act). Runs in a task after the event commits; `source_key` makes a second run
notify nobody twice.

Topics (topic events): filled in by the topics part. Votes (vote events): the vote part.
"""


def topic_event_notify(event_id: int) -> None:
    """Stub: the topics part writes the rules."""


def vote_event_notify(event_id: int) -> None:
    """Stub: the votes part writes the rules."""
