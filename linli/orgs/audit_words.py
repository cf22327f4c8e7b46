"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "area": pgettext_lazy("audit", "area"),
    "unit": pgettext_lazy("audit", "handling unit"),
}
VERBS = {
    "imported": pgettext_lazy("audit", "imported"),
    "shape_set": pgettext_lazy("audit", "shape drawn"),
    "shape_cleared": pgettext_lazy("audit", "shape cleared"),
    "shapes_imported": pgettext_lazy("audit", "shapes imported"),
}
