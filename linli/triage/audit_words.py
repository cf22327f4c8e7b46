"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "triage.train_requested": pgettext_lazy("audit", "triage training started"),
    "triage.rule_saved": pgettext_lazy("audit", "triage keywords changed"),
}
