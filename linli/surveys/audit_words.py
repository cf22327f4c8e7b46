"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "survey.open": pgettext_lazy("audit", "survey opened"),
    "survey.close": pgettext_lazy("audit", "survey closed"),
    "survey.answer": pgettext_lazy("audit", "survey answered"),
}
