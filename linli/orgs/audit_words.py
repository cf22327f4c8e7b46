"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "area": pgettext_lazy("audit", "area"),
    "unit": pgettext_lazy("audit", "handling unit"),
}
VERBS = {
    "imported": pgettext_lazy("audit", "imported"),
    "area_added": pgettext_lazy("audit", "service area added"),
    "area_removed": pgettext_lazy("audit", "service area removed"),
    "deactivated": pgettext_lazy("audit", "deactivated"),
    "reactivated": pgettext_lazy("audit", "reactivated"),
    "shape_set": pgettext_lazy("audit", "shape drawn"),
    "shape_cleared": pgettext_lazy("audit", "shape cleared"),
    "shapes_imported": pgettext_lazy("audit", "shapes imported"),
}
