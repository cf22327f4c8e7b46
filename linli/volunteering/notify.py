"""Who hears about a volunteering event, and what they read.

One rule per (subject, action): the wish published (its requester), a task claimed (whoever
published it and the wish's requester), a volunteer withdrawn (the same), hours to confirm
(the same), the work confirmed (the volunteer, with the points earned, and why fewer when
the community's cap held them back) or rejected (the volunteer, with the reason), a wish
declined and a task cancelled. The person who caused the event is never told about it.
Runs in a task after the event commits; `source_key` makes a second run notify nobody twice.

Texts are marked with `gettext_noop` under that name: `makemessages` looks for the name, so
an alias (`N_`) would leave them out of the catalogue and every reader with English.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.notifications.rules import Message, Rule, message, messages_for, messages_send
from linli.points.models import EarningAction
from linli.points.selectors import rule_active
from linli.volunteering.models import Claim, ClaimState, Event, Task, Wish


def task_url(task_id: int) -> str:
    return reverse("volunteering:task", args=[task_id])


def _confirmers(task: Task) -> list:
    wish = task.source_wish
    return [u for u in (task.published_by, wish.requester if wish else None) if u is not None]


def _wish_published(event: Event, wish: Wish) -> Message | None:
    task = Task.objects.filter(source_wish=wish).first()
    if task is None:
        return None
    return message("volunteering.wish_published", [wish.requester],
                   gettext_noop("Your wish was published as a task"),
                   gettext_noop("Volunteers can now take on: %(title)s"),
                   {"title": task.title}, link=task_url(task.pk))


def _wish_declined(event: Event, wish: Wish) -> Message:
    return message("volunteering.wish_declined", [wish.requester],
                   gettext_noop("Your wish was not taken up"),
                   gettext_noop("Reason: %(note)s"), {"note": event.note or "—"},
                   link=reverse("volunteering:wishes_mine"))


def _claim_params(claim: Claim, event: Event) -> dict[str, Any]:
    return {"volunteer": str(claim.volunteer), "title": claim.task.title,
            "hours": str(claim.confirmed_hours or claim.reported_hours or "—"),
            "points": claim.points, "note": event.note or "—"}


def _claimed(event: Event, claim: Claim) -> Message:
    return message("volunteering.task_claimed", _confirmers(claim.task),
                   gettext_noop("%(volunteer)s took on a task"),
                   gettext_noop("%(volunteer)s will help with: %(title)s"),
                   _claim_params(claim, event), link=task_url(claim.task_id))


def _withdrawn(event: Event, claim: Claim) -> Message | None:
    if event.actor_id != claim.volunteer_id:
        return None  # the task was cancelled: its own message tells the volunteers
    return message("volunteering.claim_withdrawn", _confirmers(claim.task),
                   gettext_noop("%(volunteer)s withdrew from a task"),
                   gettext_noop("The place on %(title)s is open to volunteers again."),
                   _claim_params(claim, event), link=task_url(claim.task_id))


def _hours_to_confirm(event: Event, claim: Claim) -> Message | None:
    if claim.state not in (ClaimState.CHECKED_OUT, ClaimState.REPORTED):
        return None  # settled before this ran
    return message("volunteering.hours_to_confirm", _confirmers(claim.task),
                   gettext_noop("Hours to confirm: %(title)s"),
                   gettext_noop("%(volunteer)s reports %(hours)s hours. Please confirm "
                                "and rate the work."),
                   _claim_params(claim, event), link=reverse("volunteering:confirm"))


def _hourly_shortfall(claim: Claim) -> str:
    """Why confirmed work paid less than its hours: "" when it paid in full or by the
    task's fixed points; "no_rule" when the community pays nothing for hours; "cap" when
    the rule's cap per person held the points back."""
    if claim.task.points_offered:
        return ""
    rule = rule_active(community_id=claim.task.community_id,
                       action=EarningAction.VOLUNTEER_HOUR)
    if rule is None:
        return "no_rule"
    expected = rule.points_per_unit * int(claim.confirmed_hours or 0)
    return "cap" if claim.points < expected else ""


_CONFIRMED_BODIES = {
    "": gettext_noop("%(hours)s hours confirmed, %(points)s points earned. Thank you!"),
    "cap": gettext_noop("%(hours)s hours confirmed, %(points)s points earned: you have reached "
                        "the community's limit of points for volunteer hours for now. Your "
                        "hours still count. Thank you!"),
    "no_rule": gettext_noop("%(hours)s hours confirmed. This community gives no points for "
                            "volunteer hours; your hours still count. Thank you!"),
}


def _confirmed(event: Event, claim: Claim) -> Message:
    return message("volunteering.work_confirmed", [claim.volunteer],
                   gettext_noop("Your work was confirmed: %(title)s"),
                   _CONFIRMED_BODIES[_hourly_shortfall(claim)],
                   _claim_params(claim, event), link=reverse("volunteering:me"))


def _rejected(event: Event, claim: Claim) -> Message:
    return message("volunteering.work_rejected", [claim.volunteer],
                   gettext_noop("Your hours were not confirmed: %(title)s"),
                   gettext_noop("Reason: %(note)s"),
                   _claim_params(claim, event), link=reverse("volunteering:claims_mine"))


def _task_cancelled(event: Event, task: Task) -> Message:
    volunteers = [c.volunteer for c in task.claims.select_related("volunteer")]
    return message("volunteering.task_cancelled", volunteers,
                   gettext_noop("A task was cancelled: %(title)s"),
                   gettext_noop("Reason: %(note)s"),
                   {"title": task.title, "note": event.note or "—"}, link=task_url(task.pk))


# Keyed by (what the event is about, its action); each rule takes (event, that subject).
RULES: dict[tuple[str, str], Rule] = {
    ("wish", "publish"): _wish_published, ("wish", "decline"): _wish_declined,
    ("claim", "claim"): _claimed, ("claim", "withdraw"): _withdrawn,
    ("claim", "check_out"): _hours_to_confirm, ("claim", "report"): _hours_to_confirm,
    ("claim", "confirm"): _confirmed, ("claim", "reject"): _rejected,
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
    messages = messages_for(RULES, event, subject, key=(name, event.action))
    return messages_send(messages, subject=subject, link="",
                         source_key=f"volunteering_event:{event.pk}")
