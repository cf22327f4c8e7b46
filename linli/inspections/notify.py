"""Who hears about a rectification order's events, and what they read (rules per action;
the actor never hears of their own act). Runs in a task after the event commits;
`source_key` makes a second run notify nobody twice.

- issue → the responsible party's account, if any.
- rectify → the inspectors of the order's grid (one of them re-checks it) and the issuer.
- reject → the responsible party's account and whoever recorded the rectification.
- overdue → the issuer, the grid's grid workers and the community's dispatchers.
- escalate → the community's leaders and dispatchers and the competent unit's members.
- sign_off → the responsible party's account.

Texts are marked with `gettext_noop` under that name: `makemessages` looks for it. They
carry the order's number and the target's name, never the contact person's.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.accounts.models import Role
from linli.inspections.models import Order, OrderEvent
from linli.inspections.permissions import INSPECTORS
from linli.notifications.rules import Made, Rule, message, messages_for, messages_send, moment

User = get_user_model()


def order_url(order_id: int) -> str:
    return reverse("inspections:order", args=[order_id])


# --- recipients ---------------------------------------------------------------------------

def assigned(roles: Iterable[str], area_id: int | None) -> Iterable:
    """Active users holding one of `roles` assigned at exactly that area (the grid, the
    community): those who answer for it, not everyone above."""
    if area_id is None:
        return []
    return User.objects.filter(assignments__role__in=list(roles),
                               assignments__area_id=area_id, is_active=True).distinct()


def unit_members(order: Order) -> Iterable:
    if order.competent_unit_id is None:
        return []
    return User.objects.filter(assignments__role=Role.UNIT_MEMBER,
                               assignments__unit_id=order.competent_unit_id,
                               is_active=True).distinct()


def responsible(order: Order) -> list:
    return [order.responsible_user] if order.responsible_user_id else []


def rectifier_before(event: OrderEvent) -> list:
    """Who recorded the rectification a rejection turned down: the order forgets it, the
    history keeps it."""
    rectified = (OrderEvent.objects.filter(order_id=event.order_id, action="rectify",
                                           pk__lt=event.pk)
                 .select_related("actor").order_by("-pk").first())
    return [rectified.actor] if rectified is not None and rectified.actor_id else []


# --- messages -----------------------------------------------------------------------------

def _params(event: OrderEvent) -> dict[str, Any]:
    o = event.order
    return {"number": o.number, "target": o.target.name, "note": event.note or "—",
            "due": moment(event.data.get("due_at") or o.due_at)}


def _issued(e: OrderEvent, o: Order) -> Made:
    return message("inspection.order", responsible(o),
                   gettext_noop("Rectification order %(number)s for %(target)s"),
                   gettext_noop("A hazard was found at the inspection: rectify it by "
                                "%(due)s and record it with photos."), _params(e))


def _rectified(e: OrderEvent, o: Order) -> Made:
    return message("inspection.recheck", [*assigned(INSPECTORS, o.grid_id), o.issued_by],
                   gettext_noop("Order %(number)s rectified: re-check it"),
                   gettext_noop("The rectification of %(target)s was recorded. Re-check it "
                                "on site and sign it off."), _params(e))


def _rejected(e: OrderEvent, o: Order) -> Made:
    return message("inspection.order", [*responsible(o), *rectifier_before(e)],
                   gettext_noop("Rectification of order %(number)s not accepted"),
                   gettext_noop("The re-check found the hazard at %(target)s not fixed: "
                                "%(note)s. Rectify it by %(due)s."), _params(e))


def _overdue(e: OrderEvent, o: Order) -> Made:
    return message("inspection.overdue",
                   [o.issued_by, *assigned([Role.GRID_WORKER], o.grid_id),
                    *assigned([Role.DISPATCHER], o.community_id)],
                   gettext_noop("Rectification order %(number)s is overdue"),
                   gettext_noop("The deadline %(due)s for %(target)s passed without a "
                                "rectification."), _params(e))


def _escalated(e: OrderEvent, o: Order) -> Made:
    return message("inspection.escalate",
                   [*assigned([Role.LEADER, Role.DISPATCHER], o.community_id),
                    *unit_members(o)],
                   gettext_noop("Overdue hazard at %(target)s escalated"),
                   gettext_noop("Rectification order %(number)s was not rectified in time "
                                "and is escalated: %(note)s"), _params(e))


def _signed_off(e: OrderEvent, o: Order) -> Made:
    return message("inspection.order", responsible(o),
                   gettext_noop("Rectification order %(number)s signed off"),
                   gettext_noop("The re-check on site found the hazard at %(target)s "
                                "fixed. Thank you."), _params(e))


RULES: dict[str, Rule] = {
    "issue": _issued, "rectify": _rectified, "reject": _rejected, "overdue": _overdue,
    "escalate": _escalated, "sign_off": _signed_off,
}


def event_notify(event_id: int) -> list[int]:
    event = (OrderEvent.objects.select_related("actor", "order", "order__target",
                                               "order__issued_by", "order__responsible_user")
             .filter(pk=event_id).first())
    if event is None:
        return []
    messages = messages_for(RULES, event, event.order)
    return messages_send(messages, subject=event.order, link=order_url(event.order_id),
                         source_key=f"inspection_order_event:{event.pk}")
