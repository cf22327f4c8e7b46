"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "household": pgettext_lazy("audit", "household"),
    "resident": pgettext_lazy("audit", "resident"),
    "care_plan": pgettext_lazy("audit", "care plan"),
    "careplan": pgettext_lazy("audit", "care plan"),
    "caretag": pgettext_lazy("audit", "care tag"),
    "visit": pgettext_lazy("audit", "visit"),
    "consent": pgettext_lazy("audit", "consent"),
    "care_note": pgettext_lazy("audit", "care plan note"),
}
VERBS = {
    "anonymised": pgettext_lazy("audit", "anonymised"),
    "export_refused": pgettext_lazy("audit", "export refused"),
    "exported": pgettext_lazy("audit", "exported"),
    "import_checked": pgettext_lazy("audit", "checked without importing"),
    "import_refused": pgettext_lazy("audit", "import refused"),
    "moved_out": pgettext_lazy("audit", "moved out"),
    "tag_added": pgettext_lazy("audit", "care tag added"),
    "tag_removed": pgettext_lazy("audit", "care tag removed"),
    "user_linked": pgettext_lazy("audit", "account linked"),
    "recorded": pgettext_lazy("audit", "recorded"),
    "withdrawn": pgettext_lazy("audit", "withdrawn"),
}
