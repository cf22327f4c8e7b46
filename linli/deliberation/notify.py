"""Who hears about deliberation: each part's rules in its own module, gathered here for the
tasks. Meetings send their invitations from `services.meetings` (through the inbox)."""

from linli.deliberation.notify_topics import topic_event_notify
from linli.deliberation.notify_votes import objection_raised_notify, vote_event_notify

__all__ = ["objection_raised_notify", "topic_event_notify", "vote_event_notify"]
