"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "dispute": pgettext_lazy("audit", "dispute"),
}
# Whole codes, so that a verb as common as "register" does not take another app's words.
ACTIONS = {
    "dispute.register": pgettext_lazy("audit", "dispute: registered"),
    "dispute.agreement_print": pgettext_lazy("audit", "dispute: mediation agreement printed"),
}
