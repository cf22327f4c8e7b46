"""Who hears about a dispute event, and what they read (rules per action; the actor never
hears of their own act). Runs in a task after the event commits; `source_key` makes a
second run notify nobody twice.

- register: red → the leaders of the community and the street and the members of the
  joint units (三所联动); yellow → the community's mediators.
- accept → the owner; reassign → the new owner; regrade → the owner and the coordinators
  (turning red: the joint units and the leaders too).
- agree / fail / refer → the grid worker who registered it.
- escalate → the leaders of the level it reached, and the owner.
- followup_due → the owner; performance_due → the owner and the agreement's mediator;
  judicial_remind → those and the parties who have an account.

Texts are marked with `gettext_noop` under that name: `makemessages` looks for it. They
carry the dispute's number and place, never a party's name.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.accounts.models import Role
from linli.disputes.models import Agreement, Dispute, Event, Grade, State
from linli.disputes.permissions import COORDINATORS
from linli.notifications.rules import Made, Rule, message, messages_for, messages_send, moment
from linli.orgs.models import Area, AreaKind

User = get_user_model()


def dispute_url(dispute_id: int) -> str:
    return reverse("disputes:detail", args=[dispute_id])


# --- recipients ---------------------------------------------------------------------------

def _ancestor_ids(dispute: Dispute) -> list[int]:
    return [int(part) for part in dispute.area_path.strip("/").split("/") if part]


def holding(roles: Iterable[str], dispute: Dispute) -> Iterable:
    """Users holding one of `roles` at or above the dispute's place."""
    return User.objects.filter(assignments__role__in=list(roles),
                               assignments__area_id__in=_ancestor_ids(dispute),
                               is_active=True).distinct()


def leaders_at(dispute: Dispute, *kinds: str) -> Iterable:
    """Leaders assigned at the community or the street (by `kinds`) of the place."""
    areas = Area.objects.filter(pk__in=_ancestor_ids(dispute), kind__in=kinds)
    return User.objects.filter(assignments__role=Role.LEADER, assignments__area__in=areas,
                               is_active=True).distinct()


def joint_unit_members(dispute: Dispute) -> Iterable:
    return User.objects.filter(assignments__role=Role.UNIT_MEMBER,
                               assignments__unit__in=dispute.joint_units.all(),
                               is_active=True).distinct()


def owner(dispute: Dispute) -> list:
    return [dispute.owner] if dispute.owner_id else []


def registrar(dispute: Dispute) -> list:
    return [dispute.registered_by]


def agreement_mediator(dispute: Dispute) -> list:
    agreement = Agreement.objects.filter(dispute=dispute).select_related("mediator").first()
    return [agreement.mediator] if agreement else []


def party_users(dispute: Dispute) -> Iterable:
    """The parties who are registry residents with an account of their own."""
    residents = dispute.parties.filter(resident__isnull=False).values("resident_id")
    return User.objects.filter(resident_record__in=residents, is_active=True).distinct()


def red_circle(dispute: Dispute) -> list:
    """Who hears of a red dispute at once: the community's and the street's leaders and
    the joint units."""
    return [*leaders_at(dispute, AreaKind.COMMUNITY, AreaKind.STREET),
            *joint_unit_members(dispute)]


# --- messages -----------------------------------------------------------------------------

def _params(event: Event) -> dict[str, Any]:
    d = event.dispute
    return {"number": d.number, "place": d.area.name, "note": event.note or "—",
            "due": moment(event.data.get("due_at")), "level": event.data.get("level", "")}


def _grade_label(value: str | None) -> Any:
    return Grade(value).label if value in Grade.values else "—"


def _registered(e: Event, d: Dispute) -> Made:
    p = _params(e)
    if d.grade == Grade.RED:
        return message("dispute.red", red_circle(d),
                       gettext_noop("Red dispute %(number)s at %(place)s"),
                       gettext_noop("A red-grade dispute was registered: joint handling "
                                    "with the police station and the judicial office."), p)
    if d.grade == Grade.YELLOW:
        return message("dispute.yellow", holding([Role.MEDIATOR], d),
                       gettext_noop("Yellow dispute %(number)s at %(place)s"),
                       gettext_noop("A yellow-grade dispute was registered for the "
                                    "community mediation studio."), p)
    return None


def _accepted(e: Event, d: Dispute) -> Made:
    return message("dispute.owner", owner(d),
                   gettext_noop("You own dispute %(number)s"),
                   gettext_noop("Mediate it by %(due)s."), _params(e))


def _reassigned(e: Event, d: Dispute) -> Made:
    return message("dispute.owner", owner(d),
                   gettext_noop("Dispute %(number)s was handed to you"),
                   gettext_noop("Reason: %(note)s"), _params(e))


def _regraded(e: Event, d: Dispute) -> Made:
    # The grades' labels are lazy: each recipient reads them in their own language.
    p = {**_params(e), "from": _grade_label(e.data.get("from")),
         "to": _grade_label(e.data.get("to"))}
    made = [message("dispute.regrade", [*owner(d), *holding(COORDINATORS, d)],
                    gettext_noop("Dispute %(number)s regraded"),
                    gettext_noop("The grade changed from %(from)s to %(to)s. Reason: "
                                 "%(note)s"), p)]
    if e.data.get("to") == Grade.RED:
        made.append(message("dispute.red", red_circle(d),
                            gettext_noop("Red dispute %(number)s at %(place)s"),
                            gettext_noop("A dispute was raised to red: joint handling with "
                                         "the police station and the judicial office."), p))
    return made


def _ended(e: Event, d: Dispute) -> Made:
    return message("dispute.ended", registrar(d),
                   gettext_noop("Mediation of dispute %(number)s ended"),
                   gettext_noop("Outcome: %(outcome)s. A follow-up visit is due by "
                                "%(due)s."),
                   {**_params(e), "outcome": State(d.state).label,
                    "due": moment(e.data.get("followup_due_at"))})


def _escalated(e: Event, d: Dispute) -> Made:
    kind = AreaKind.STREET if e.data.get("level", 0) >= 2 else AreaKind.COMMUNITY
    return message("dispute.escalate", [*leaders_at(d, kind), *owner(d)],
                   gettext_noop("Dispute %(number)s is overdue"),
                   gettext_noop("The mediation deadline %(due)s passed: the dispute is "
                                "raised to supervision level %(level)s."), _params(e))


def _followup_due(e: Event, d: Dispute) -> Made:
    return message("dispute.followup", owner(d),
                   gettext_noop("Follow-up visit for dispute %(number)s is overdue"),
                   gettext_noop("It was due by %(due)s: visit the parties and record "
                                "it."), _params(e))


def _performance_due(e: Event, d: Dispute) -> Made:
    return message("dispute.performance", [*owner(d), *agreement_mediator(d)],
                   gettext_noop("Check the performance of agreement %(number)s"),
                   gettext_noop("The deadline of performance has passed: record whether "
                                "the parties performed it."), _params(e))


def _judicial_remind(e: Event, d: Dispute) -> Made:
    agreement = Agreement.objects.filter(dispute=d).first()
    ends = agreement.judicial_window_ends if agreement else None
    return message("dispute.judicial", [*owner(d), *agreement_mediator(d), *party_users(d)],
                   gettext_noop("Judicial confirmation of agreement %(number)s"),
                   gettext_noop("Apply to the court for judicial confirmation (司法确认) by "
                                "%(ends)s: the window then closes."),
                   {**_params(e), "ends": ends.isoformat() if ends else "—"})


RULES: dict[str, Rule] = {
    "register": _registered, "accept": _accepted, "reassign": _reassigned,
    "regrade": _regraded, "agree": _ended, "fail": _ended, "refer": _ended,
    "escalate": _escalated, "followup_due": _followup_due,
    "performance_due": _performance_due, "judicial_remind": _judicial_remind,
}


def event_notify(event_id: int) -> list[int]:
    event = (Event.objects.select_related("actor", "dispute", "dispute__area",
                                          "dispute__owner", "dispute__registered_by")
             .filter(pk=event_id).first())
    if event is None:
        return []
    messages = messages_for(RULES, event, event.dispute)
    return messages_send(messages, subject=event.dispute, link=dispute_url(event.dispute_id),
                         source_key=f"dispute_event:{event.pk}")
