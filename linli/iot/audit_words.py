"""What this app's audit codes read as in the audit log (core.auditwords). Whole codes
(ACTIONS): the alarm workflow's moves a person takes (workflow.ALARMS, audit prefix
"alarm."); the device's own moves (raise, repeat, recover) are not audited, their timeline
is the alarm's history."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "alarm.acknowledge": pgettext_lazy("audit", "alarm acknowledged"),
    "alarm.clear": pgettext_lazy("audit", "alarm cleared by hand"),
}
