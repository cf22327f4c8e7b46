"""ALARMS: the alarm lifecycle declared on the workflow kit (ADR 0006)."""

from django.utils.translation import gettext_lazy as _

from linli.core.workflow import Refusals, Workflow
from linli.iot import permissions
from linli.iot.events import NOTIFY_TASK, alarm_event_record
from linli.iot.models import Alarm
from linli.iot.transitions import TRANSITIONS, Who


def _event_data(action: str, updates: dict, data: dict) -> dict:
    return {key: data[key] for key in ("case", "value", "repeats", "reason") if key in data}


ALARMS = Workflow(
    model=Alarm, table=TRANSITIONS,
    who={Who.RESPONDER: permissions.may_respond},
    record=alarm_event_record, notify_task=NOTIFY_TASK, audit_prefix="alarm.",
    refusals=Refusals(
        denied=_("Only the dispatchers and grid workers of the place, or the device's "
                 "owner unit, respond to its alarms."),
        wrong_state=_("This alarm is %(state)s; that is not possible now."),
    ),
    event_data=_event_data, versioned=True, touch="updated_at",
    audit_path=lambda alarm: alarm.area_path,
)
