"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "points": pgettext_lazy("audit", "points"),
    "store": pgettext_lazy("audit", "points store"),
}
VERBS = {
    "earned": pgettext_lazy("audit", "earned"),
    "reversed": pgettext_lazy("audit", "reversed"),
    "rule_created": pgettext_lazy("audit", "earning rule added"),
    "rule_updated": pgettext_lazy("audit", "earning rule changed"),
    "item_created": pgettext_lazy("audit", "item added"),
    "item_deleted": pgettext_lazy("audit", "item removed"),
    "item_restocked": pgettext_lazy("audit", "item restocked"),
    "item_updated": pgettext_lazy("audit", "item changed"),
    "redemption_placed": pgettext_lazy("audit", "redemption placed"),
    "redemption_completed": pgettext_lazy("audit", "redemption handed over"),
    "redemption_cancelled": pgettext_lazy("audit", "redemption cancelled"),
}
