"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "notification": pgettext_lazy("audit", "notification"),
}
VERBS = {
    "read": pgettext_lazy("audit", "read"),
    "read_all": pgettext_lazy("audit", "all read"),
}
