"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "area": pgettext_lazy("audit", "area"),
    "unit": pgettext_lazy("audit", "handling unit"),
}
VERBS = {
    "imported": pgettext_lazy("audit", "imported"),
}
