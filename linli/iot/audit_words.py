"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {"alarmrule": pgettext_lazy("audit", "alarm rule")}
ACTIONS = {
    "device.create": pgettext_lazy("audit", "device registered"),
    "device.update": pgettext_lazy("audit", "device changed"),
    "device.retire": pgettext_lazy("audit", "device retired"),
    "device.secret_set": pgettext_lazy("audit", "device credentials set"),
    "device.import": pgettext_lazy("audit", "devices imported"),
    "device.import_refused": pgettext_lazy("audit", "device import refused"),
}
