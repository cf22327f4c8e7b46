"""Who hears of an alarm, and what they read (rules per action; the actor never hears of
their own act). Runs in a task after the event commits; `source_key` makes a second run
notify nobody twice.

- raise: an emergency (a help button) → the resident's care-plan grid worker, the grid
  workers of the place and the community's dispatchers, at once, with the resident's
  masked name and phone and the address; then the care plan's emergency contact by SMS
  (help.help_contact_alert: through the SMS gateway when one is configured, recorded on
  the alarm's history either way); any other alarm → the owner unit's members and the
  community's dispatchers.
- overdue (not acknowledged within the rule's minutes) → the community's dispatchers and
  leaders, and the street's leaders.

Texts carry the device and the place, never a resident's name or phone in clear.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.accounts.models import Role
from linli.iot.help import help_contact_alert, help_details
from linli.iot.models import Alarm, AlarmEvent
from linli.notifications.rules import Made, Rule, message, messages_for, messages_send, moment

User = get_user_model()


def alarm_url(alarm_id: int) -> str:
    return reverse("iot:alarm", args=[alarm_id])


def _ancestor_ids(alarm: Alarm) -> list[int]:
    return [int(part) for part in alarm.area_path.strip("/").split("/") if part]


def holding(roles: Iterable[str], alarm: Alarm) -> Iterable:
    """Users holding one of `roles` at or above the alarm's place."""
    return User.objects.filter(assignments__role__in=list(roles),
                               assignments__area_id__in=_ancestor_ids(alarm),
                               is_active=True).distinct()


def unit_members(alarm: Alarm) -> Iterable:
    unit_id = alarm.device.owner_unit_id
    if unit_id is None:
        return []
    return User.objects.filter(assignments__unit_id=unit_id, is_active=True).distinct()


def care_workers(alarm: Alarm) -> list:
    plan = alarm.device.care_plan
    return [plan.grid_worker] if plan is not None and plan.grid_worker_id else []


def _params(event: AlarmEvent) -> dict[str, Any]:
    alarm = event.alarm
    device = alarm.device
    params = {"id": alarm.pk, "alarm": alarm.rule.name_zh, "device": device.name,
              "identifier": device.identifier,
              "place": device.address or device.area.name,
              "case": alarm.case_id or "—", "at": moment(alarm.opened_at),
              "due": moment(alarm.respond_due_at)}
    if alarm.is_emergency and event.action == "raise":
        details = help_details(device)
        params.update(who=details.name, phone=details.phone or "—", place=details.address)
    return params


def _on_raise(event: AlarmEvent, p: dict) -> Made:
    alarm = event.alarm
    if alarm.is_emergency:
        return message("iot.help", [*care_workers(alarm),
                                    *holding((Role.GRID_WORKER, Role.DISPATCHER), alarm)],
                       gettext_noop("Help button pressed: %(who)s, %(place)s"),
                       gettext_noop("%(alarm)s at %(at)s: %(who)s (phone %(phone)s), "
                                    "%(place)s. Go to the door now and acknowledge the alarm "
                                    "by %(due)s."), p)
    return message("iot.alarm", [*unit_members(alarm), *holding((Role.DISPATCHER,), alarm)],
                   gettext_noop("Alarm: %(alarm)s, %(device)s"),
                   gettext_noop("%(device)s (%(identifier)s) at %(place)s raised %(alarm)s "
                                "at %(at)s. Case: %(case)s."), p)


def _on_overdue(event: AlarmEvent, p: dict) -> Made:
    return message("iot.overdue", holding((Role.DISPATCHER, Role.LEADER), event.alarm),
                   gettext_noop("Not acknowledged: %(alarm)s, %(place)s"),
                   gettext_noop("%(alarm)s at %(place)s was raised at %(at)s and nobody "
                                "has acknowledged it (due %(due)s)."), p)


RULES: dict[str, Rule] = {"raise": _on_raise, "overdue": _on_overdue}


def event_notify(event_id: int) -> list[int]:
    event = (AlarmEvent.objects
             .select_related("actor", "alarm", "alarm__rule", "alarm__device",
                             "alarm__device__area", "alarm__device__care_plan",
                             "alarm__device__resident")
             .filter(pk=event_id).first())
    if event is None:
        return []
    messages = messages_for(RULES, event, _params(event))
    try:
        return messages_send(messages, subject=event.alarm, link=alarm_url(event.alarm_id),
                             source_key=f"alarm_event:{event.pk}")
    finally:
        if event.action == "raise" and event.alarm.is_emergency:
            # After the staff's messages (a slow gateway delays nobody else), and even if
            # they failed: the contact hears of the press either way.
            help_contact_alert(event.alarm_id)
