"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "survey.create": pgettext_lazy("audit", "survey drafted"),
    "survey.update": pgettext_lazy("audit", "survey changed"),
    "survey.question_add": pgettext_lazy("audit", "survey question added"),
    "survey.question_update": pgettext_lazy("audit", "survey question changed"),
    "survey.question_remove": pgettext_lazy("audit", "survey question removed"),
    "survey.open": pgettext_lazy("audit", "survey opened"),
    "survey.close": pgettext_lazy("audit", "survey closed"),
    "survey.answer": pgettext_lazy("audit", "survey answered"),
    "survey.exported": pgettext_lazy("audit", "survey exported"),
}
