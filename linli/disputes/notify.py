"""Who hears about a dispute event, and what they read (rules per action; the actor never
hears of their own act). Runs in a task after the event commits; `source_key` makes a
second run notify nobody twice.

Texts are marked with `gettext_noop` under that name: `makemessages` looks for the name.
"""

from django.urls import reverse

from linli.disputes.models import Event
from linli.notifications.rules import Rule, messages_for, messages_send


def dispute_url(dispute_id: int) -> str:
    return reverse("disputes:detail", args=[dispute_id])


RULES: dict[str, Rule] = {}


def event_notify(event_id: int) -> list[int]:
    event = Event.objects.select_related("actor", "dispute").filter(pk=event_id).first()
    if event is None:
        return []
    messages = messages_for(RULES, event, event.dispute)
    return messages_send(messages, subject=event.dispute, link=dispute_url(event.dispute_id),
                         source_key=f"dispute_event:{event.pk}")
