"""Who hears about a topic's events, and what they read (rules per action; the actor never
hears of their own act). Runs in a task after the event commits; `source_key` makes a
second run notify nobody twice.

- qualify → the community's dispatchers and the grid's grid workers: a topic reached its
  supporters and waits for screening.
- agenda, merge, refer, decline, adopt, reject, complete → whoever raised the topic and
  its supporters.

Texts are marked with `gettext_noop` under that name: `makemessages` looks for it. They
carry the topic's title and the published note, never a person's name.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.accounts.models import Role
from linli.deliberation.models import Topic, TopicEvent
from linli.notifications.rules import Made, Rule, message, messages_for, messages_send

User = get_user_model()
KIND = "deliberation.topic"


def topic_url(topic_id: int) -> str:
    return reverse("deliberation:topic", args=[topic_id])


# --- recipients ---------------------------------------------------------------------------

def assigned(roles: Iterable[str], area) -> Iterable:
    """Active users holding one of `roles` assigned at exactly that area."""
    if area is None:
        return []
    return User.objects.filter(assignments__role__in=list(roles), assignments__area=area,
                               is_active=True).distinct()


def followers(topic: Topic) -> list:
    """Whoever raised the topic and its supporters."""
    supporters = User.objects.filter(pk__in=topic.supporters.values("user_id"),
                                     is_active=True)
    return [topic.raised_by, *supporters]


# --- messages -----------------------------------------------------------------------------

def _params(event: TopicEvent) -> dict[str, Any]:
    t = event.topic
    return {"title": t.title, "note": event.note or "—",
            "supporters": t.supporter_count}


def _qualified(e: TopicEvent, t: Topic) -> Made:
    area = t.area
    return message(KIND, [*assigned([Role.DISPATCHER], area.ancestor_of_kind("community")),
                          *assigned([Role.GRID_WORKER], area.ancestor_of_kind("grid"))],
                   gettext_noop("A topic reached its supporters: %(title)s"),
                   gettext_noop("The topic has %(supporters)s supporters and is on the "
                                "agenda. Screen it."), _params(e))


def _followers(title: str, body: str):
    def rule(e: TopicEvent, t: Topic) -> Made:
        return message(KIND, followers(t), title, body, _params(e))
    return rule


RULES: dict[str, Rule] = {
    "qualify": _qualified,
    "agenda": _followers(gettext_noop("On the agenda: %(title)s"),
                         gettext_noop("The topic you raised or support is on the agenda.")),
    "merge": _followers(gettext_noop("Topic merged: %(title)s"),
                        gettext_noop("The topic you raised or support was merged into "
                                     "another topic on the same matter.")),
    "refer": _followers(gettext_noop("Topic referred to a case: %(title)s"),
                        gettext_noop("The topic you raised or support is handled as a case "
                                     "by the community.")),
    "decline": _followers(gettext_noop("Topic declined: %(title)s"),
                          gettext_noop("The topic you raised or support was declined: "
                                       "%(note)s")),
    "adopt": _followers(gettext_noop("Topic adopted: %(title)s"),
                        gettext_noop("The vote adopted the topic you raised or support.")),
    "reject": _followers(gettext_noop("Topic not adopted: %(title)s"),
                         gettext_noop("The vote did not adopt the topic you raised or "
                                      "support.")),
    "complete": _followers(gettext_noop("Topic carried out: %(title)s"),
                           gettext_noop("The topic you raised or support was carried out: "
                                        "%(note)s")),
}


def topic_event_notify(event_id: int) -> list[int]:
    event = (TopicEvent.objects.select_related("actor", "topic", "topic__area",
                                               "topic__raised_by")
             .filter(pk=event_id).first())
    if event is None:
        return []
    messages = messages_for(RULES, event, event.topic)
    return messages_send(messages, subject=event.topic, link=topic_url(event.topic_id),
                         source_key=f"deliberation_topic_event:{event.pk}")
