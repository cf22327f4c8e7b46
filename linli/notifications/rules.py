"""Who hears about an event and what they read: the part every app's notify module shares.

An app declares its rules in a mapping from a key it chooses (cases: the event's action;
volunteering: the subject's kind and the action) to a function `(event, params)` returning
a `Message`, a list of them, or None. `messages_for` picks the rule and applies what holds
for every app: the event's actor never hears of their own act, nobody hears twice of one
message, and a message nobody is left to read is dropped. `messages_send` puts them in the
inboxes. Texts are English msgids marked with `gettext_noop` in the app (under that name:
`makemessages` looks for it) and rendered in each recipient's language by `notify`.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from linli.notifications.services import notify
from linli.notifications.text import Text


@dataclass
class Message:
    kind: str
    recipients: list
    title: Text
    body: Text
    link: str = ""  # where this message leads, if not where the event's messages lead


Made = Message | list[Message] | None


def moment(value: datetime | str | None) -> str:
    """A time in a message, local and to the minute ("—" for none); events keep times as
    ISO strings in their data, so both are accepted."""
    if not value:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
Rule = Callable[[Any, Any], Made]


def message(kind: str, recipients: Iterable, title: str, body: str,
            params: Mapping[str, Any] | None = None, *, link: str = "") -> Message:
    """A message from two msgids and the parameters they are rendered with."""
    values = dict(params or {})
    return Message(kind, list(recipients), Text(title, values), Text(body, values), link)


def _readers(recipients: Iterable, actor_id: Any) -> list:
    seen: dict[Any, Any] = {}
    for user in recipients:
        if user is not None and user.pk != actor_id and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def messages_for(rules: Mapping[Any, Rule], event: Any, params: Any, *,
                 key: Hashable | None = None) -> list[Message]:
    """The messages of the rule for `event`, looked up by `key` (by default the event's
    `action`) and called with `(event, params)`; without the event's actor, each
    recipient once, and none left empty."""
    rule = rules.get(event.action if key is None else key)
    made = rule(event, params) if rule is not None else None
    if made is None:
        return []
    actor_id = getattr(event, "actor_id", None)
    messages = [replace(m, recipients=_readers(m.recipients, actor_id))
                for m in (made if isinstance(made, list) else [made])]
    return [m for m in messages if m.recipients]


def messages_send(messages: Iterable[Message], *, subject: models.Model | None, link: str,
                  source_key: str) -> list[int]:
    """Put each message in its recipients' inboxes, about `subject`, leading to the
    message's own link or else `link`. Returns the notification ids."""
    ids: list[int] = []
    for m in messages:
        ids += notify(recipients=m.recipients, kind=m.kind, title=m.title, body=m.body,
                      link=m.link or link, subject=subject, source_key=source_key)
    return ids
