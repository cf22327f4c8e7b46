"""The people side of a help-button press (一键呼叫): what the case, the notifications and
the care plan's emergency contact read about the resident (masked name, masked phone and
the address, so everyone can act without a reveal: DESIGN.md §7), and the SMS to that
contact.

The SMS leaves from the alarm's notification task (notify.event_notify), after the press
committed: the ingest never waits for the gateway. Reading the contact's number is a reveal
without a person, logged with its purpose in people's AccessLog (people.services). Whatever
happens, the alarm's history says it: one `contact` event, or two when a gateway is
configured (claimed before sending, then the gateway's answer), with the number masked.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from linli.core.crypto import mask_name
from linli.iot.models import Alarm, AlarmEvent, Device
from linli.iot.workflow import ALARMS
from linli.notifications.services import SmsUnavailable, sms_configured, sms_send
from linli.people import selectors as people_selectors
from linli.people import services as people_services

log = logging.getLogger(__name__)
CONTACT = "contact"  # the alarm event recording the SMS to the emergency contact
SMS_KIND = "iot.help_contact"


@dataclass(frozen=True)
class HelpDetails:
    """The resident of a help button as staff and the contact may read it: masked."""

    name: str
    phone: str
    address: str


def _address(device: Device) -> str:
    if device.address:
        return device.address
    return people_selectors.place_labels([device.area])[device.area_id]


def help_details(device: Device) -> HelpDetails:
    resident = device.resident
    if resident is None:
        return HelpDetails("—", "", _address(device))
    return HelpDetails(mask_name(resident.name), resident.phone.masked, _address(device))


def _who(details: HelpDetails) -> str:
    return f"{details.name}（{details.phone}）" if details.phone else details.name


def help_description(device: Device) -> str:
    details = help_details(device)
    return (f"一键呼叫：{_who(details)}，地址：{details.address}，按下了求助按钮，"
            f"请立即上门查看。设备 {device.identifier}。")


def _sms_text(alarm: Alarm, details: HelpDetails) -> str:
    at = timezone.localtime(alarm.opened_at).strftime("%m-%d %H:%M")
    return (f"【邻里】{details.name}于{at}在{details.address}按下一键呼叫求助按钮，"
            f"社区网格员已收到通知并将上门查看。如方便请尽快联系或前往。")


# --- the emergency contact's SMS ------------------------------------------------------------

def _record(alarm: Alarm, data: dict) -> AlarmEvent:
    return ALARMS.write_event(alarm, actor=None, action=CONTACT, from_state=alarm.state,
                              to_state=alarm.state, at=timezone.now(), data=data)


@transaction.atomic
def _claim(alarm_id: int) -> tuple[Alarm | None, str, str]:
    """Lock the alarm; (alarm, number, masked number) if its contact has not been dealt
    with yet, else (None, "", ""). Without a gateway or a number, the reason is recorded
    here and no number comes back."""
    alarm = (Alarm.objects.select_for_update(of=("self",))
             .select_related("device__resident", "device__area").filter(pk=alarm_id).first())
    if alarm is None or not alarm.is_emergency or alarm.events.filter(action=CONTACT).exists():
        return None, "", ""
    resident = alarm.device.resident
    if not sms_configured():
        # Nothing was read: without a gateway the contact stays sealed.
        _record(alarm, {"sms": "not_configured"})
        return None, "", ""
    if resident is None:
        _record(alarm, {"sms": "no_contact"})
        return None, "", ""
    number, masked = people_services.care_contact_for_alert(
        resident=resident, purpose=f"一键呼叫告警 #{alarm.pk}：短信通知紧急联系人")
    if not number:
        _record(alarm, {"sms": "no_contact"})
        return None, "", ""
    _record(alarm, {"sms": "sending", "to": masked})
    return alarm, number, masked


def help_contact_alert(alarm_id: int) -> str:
    """Send the help press's SMS to the care plan's emergency contact, once; returns what
    happened ("sent", "failed", "not_configured", "no_contact" or "" when done already).
    Runs after the press committed; the gateway is called outside any transaction."""
    alarm, number, masked = _claim(alarm_id)
    if alarm is None:
        event = AlarmEvent.objects.filter(alarm_id=alarm_id, action=CONTACT).last()
        return str(event.data.get("sms", "")) if event is not None else ""
    details = help_details(alarm.device)
    try:
        sms_send(to=number, kind=SMS_KIND, title="一键呼叫", body=_sms_text(alarm, details))
    except SmsUnavailable:  # the setting went away between the claim and now
        outcome, data = "not_configured", {"sms": "not_configured"}
    except Exception as exc:  # any gateway failure is recorded, never raised at the ingest
        log.warning("help alarm %s: the SMS to the emergency contact failed: %s",
                    alarm.pk, exc)
        outcome, data = "failed", {"sms": "failed", "to": masked,
                                   "error": f"{type(exc).__name__}: {exc}"[:200]}
    else:
        outcome, data = "sent", {"sms": "sent", "to": masked}
    with transaction.atomic():
        _record(alarm, data)
    return outcome
