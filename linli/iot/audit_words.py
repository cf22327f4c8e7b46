"""What this app's audit codes read as in the audit log (core.auditwords). Whole codes
(ACTIONS): the alarm workflow's moves a person takes (workflow.ALARMS, audit prefix
"alarm."; the device's own moves (raise, repeat, recover) are not audited, their timeline
is the alarm's history) and the registry's writes ("device.")."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "alarmrule": pgettext_lazy("audit", "alarm rule"),
    "welfare_watch": pgettext_lazy("audit", "welfare watch"),
}
VERBS = {
    "withdrawn": pgettext_lazy("audit", "withdrawn"),
}
ACTIONS = {
    "alarm.acknowledge": pgettext_lazy("audit", "alarm acknowledged"),
    "alarm.clear": pgettext_lazy("audit", "alarm cleared by hand"),
    "device.create": pgettext_lazy("audit", "device registered"),
    "device.update": pgettext_lazy("audit", "device changed"),
    "device.retire": pgettext_lazy("audit", "device retired"),
    "device.secret_set": pgettext_lazy("audit", "device credentials set"),
    "device.import": pgettext_lazy("audit", "devices imported"),
    "device.import_refused": pgettext_lazy("audit", "device import refused"),
}
