"""The histories: the functions that append a TopicEvent or a VoteEvent (the kit's writers)."""

from datetime import datetime

from linli.deliberation.models import Topic, TopicEvent, Vote, VoteEvent

NOTIFY_TOPIC = "deliberation.topic_event_notify"
NOTIFY_VOTE = "deliberation.vote_event_notify"


def _who(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def topic_event(obj: Topic, *, actor, action: str, from_state: str, to_state: str,
                at: datetime, note: str = "", data: dict | None = None,
                is_public: bool = True) -> TopicEvent:
    return TopicEvent.objects.create(
        topic=obj, at=at, actor=_who(actor), action=action, from_state=from_state,
        to_state=to_state, note=note[:2000], data=data or {}, is_public=is_public)


def vote_event(obj: Vote, *, actor, action: str, from_state: str, to_state: str,
               at: datetime, note: str = "", data: dict | None = None,
               is_public: bool = True) -> VoteEvent:
    return VoteEvent.objects.create(
        vote=obj, at=at, actor=_who(actor), action=action, from_state=from_state,
        to_state=to_state, note=note[:2000], data=data or {})
