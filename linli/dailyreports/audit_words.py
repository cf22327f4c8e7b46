"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "daily_report": pgettext_lazy("audit", "daily report"),
}
VERBS = {
    "saved": pgettext_lazy("audit", "saved"),
    "item_added": pgettext_lazy("audit", "item recorded"),
    "reminded": pgettext_lazy("audit", "reminded"),
}
