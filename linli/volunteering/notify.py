"""Who hears about a volunteering event, and what they read.

One rule per (subject, action): the wish published (its requester), a task claimed (whoever
published it and the wish's requester), hours to confirm (the same), the work confirmed
(the volunteer, with the points earned), a wish declined and a task cancelled. The person
who caused the event is never told about it. Runs in a task after the event commits;
`source_key` makes a second run notify nobody twice.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop as N_

from linli.notifications.services import notify
from linli.notifications.text import Text
from linli.volunteering.models import Claim, ClaimState, Event, Task, Wish


@dataclass
class Message:
    kind: str
    recipients: list
    title: Text
    body: Text
    link: str


def task_url(task_id: int) -> str:
    return reverse("volunteering:task", args=[task_id])


def _confirmers(task: Task) -> list:
    wish = task.source_wish
    return [u for u in (task.published_by, wish.requester if wish else None) if u is not None]


def _wish_published(wish: Wish, event: Event) -> Message | None:
    task = Task.objects.filter(source_wish=wish).first()
    if task is None:
        return None
    return Message("volunteering.wish_published", [wish.requester],
                   Text(N_("Your wish was published as a task")),
                   Text(N_("Volunteers can now take on: %(title)s"), {"title": task.title}),
                   task_url(task.pk))


def _wish_declined(wish: Wish, event: Event) -> Message:
    return Message("volunteering.wish_declined", [wish.requester],
                   Text(N_("Your wish was not taken up")),
                   Text(N_("Reason: %(note)s"), {"note": event.note or "—"}),
                   reverse("volunteering:wishes_mine"))


def _claim_params(claim: Claim) -> dict[str, Any]:
    return {"volunteer": str(claim.volunteer), "title": claim.task.title,
            "hours": str(claim.confirmed_hours or claim.reported_hours or "—"),
            "points": claim.points}


def _claimed(claim: Claim, event: Event) -> Message:
    return Message("volunteering.task_claimed", _confirmers(claim.task),
                   Text(N_("%(volunteer)s took on a task"), _claim_params(claim)),
                   Text(N_("%(volunteer)s will help with: %(title)s"), _claim_params(claim)),
                   task_url(claim.task_id))


def _hours_to_confirm(claim: Claim, event: Event) -> Message | None:
    if claim.state not in (ClaimState.CHECKED_OUT, ClaimState.REPORTED):
        return None  # settled before this ran
    return Message("volunteering.hours_to_confirm", _confirmers(claim.task),
                   Text(N_("Hours to confirm: %(title)s"), _claim_params(claim)),
                   Text(N_("%(volunteer)s reports %(hours)s hours. Please confirm and rate "
                           "the work."), _claim_params(claim)),
                   reverse("volunteering:confirm"))


def _confirmed(claim: Claim, event: Event) -> Message:
    return Message("volunteering.work_confirmed", [claim.volunteer],
                   Text(N_("Your work was confirmed: %(title)s"), _claim_params(claim)),
                   Text(N_("%(hours)s hours confirmed, %(points)s points earned. Thank you!"),
                        _claim_params(claim)),
                   reverse("volunteering:me"))


def _task_cancelled(task: Task, event: Event) -> Message:
    volunteers = [c.volunteer for c in task.claims.select_related("volunteer")]
    return Message("volunteering.task_cancelled", volunteers,
                   Text(N_("A task was cancelled: %(title)s"), {"title": task.title}),
                   Text(N_("Reason: %(note)s"), {"note": event.note or "—"}),
                   task_url(task.pk))


RULES: dict[tuple[str, str], Callable[[Any, Event], Message | None]] = {
    ("wish", "publish"): _wish_published, ("wish", "decline"): _wish_declined,
    ("claim", "claim"): _claimed, ("claim", "check_out"): _hours_to_confirm,
    ("claim", "report"): _hours_to_confirm, ("claim", "confirm"): _confirmed,
    ("task", "cancel"): _task_cancelled,
}


def _subject(event: Event) -> tuple[str, Any]:
    if event.wish_id:
        return "wish", event.wish
    if event.task_id:
        return "task", event.task
    return "claim", event.claim


def event_notify(event_id: int) -> list[int]:
    event = Event.objects.select_related("actor").filter(pk=event_id).first()
    if event is None:
        return []
    name, subject = _subject(event)
    rule = RULES.get((name, event.action))
    message = rule(subject, event) if rule else None
    if message is None:
        return []
    recipients: Iterable = [u for u in message.recipients if u.pk != event.actor_id]
    return notify(recipients=recipients, kind=message.kind, title=message.title,
                  body=message.body, link=message.link,
                  source_key=f"volunteering_event:{event.pk}")
