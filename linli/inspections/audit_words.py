"""What this app's audit codes read as in the audit log (core.auditwords). Whole codes
(ACTIONS): "rectify", "sign off" and "reject" mean something of their own here."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "inspection.record": pgettext_lazy("audit", "inspection recorded"),
    "inspection.target_create": pgettext_lazy("audit", "inspection target added"),
    "inspection.target_update": pgettext_lazy("audit", "inspection target changed"),
    "inspection.target_import": pgettext_lazy("audit", "inspection targets imported"),
    "inspection.target_import_refused": pgettext_lazy("audit",
                                                      "inspection target import refused"),
    "inspection.contact_reveal": pgettext_lazy("audit", "inspection target contact revealed"),
    "inspection.campaign_create": pgettext_lazy("audit", "inspection campaign created"),
    "inspection.campaign_update": pgettext_lazy("audit", "inspection campaign changed"),
    "inspection.schedule_create": pgettext_lazy("audit", "recurring campaign created"),
    "inspection.schedule_update": pgettext_lazy("audit", "recurring campaign changed"),
    "inspection.schedule_skip": pgettext_lazy("audit", "recurring campaign skipped a day"),
    "inspection_order.rectify": pgettext_lazy("audit", "rectification recorded"),
    "inspection_order.sign_off": pgettext_lazy("audit", "rectification order signed off"),
    "inspection_order.reject": pgettext_lazy("audit", "rectification rejected at re-check"),
    "inspection_order.escalate": pgettext_lazy("audit", "overdue rectification escalated"),
    "inspection_order.raise_case": pgettext_lazy("audit", "case raised for a hazard"),
    "inspection_order.overdue": pgettext_lazy("audit", "rectification overdue"),
    "inspection_order.print": pgettext_lazy("audit", "rectification order printed"),
}
