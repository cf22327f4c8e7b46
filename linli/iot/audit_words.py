"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "welfare_watch": pgettext_lazy("audit", "welfare watch"),
}
VERBS = {
    "withdrawn": pgettext_lazy("audit", "withdrawn"),
}
