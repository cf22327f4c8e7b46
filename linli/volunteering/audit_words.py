"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "volunteering": pgettext_lazy("audit", "volunteering"),
}
VERBS = {
    "wish_posted": pgettext_lazy("audit", "wish posted"),
    "wish_publish": pgettext_lazy("audit", "wish made a task"),
    "wish_decline": pgettext_lazy("audit", "wish declined"),
    "wish_cancel": pgettext_lazy("audit", "wish cancelled"),
    "wish_fulfil": pgettext_lazy("audit", "wish fulfilled"),
    "wish_drop": pgettext_lazy("audit", "wish dropped"),
    "task_created": pgettext_lazy("audit", "task created"),
    "task_publish": pgettext_lazy("audit", "task published"),
    "task_start": pgettext_lazy("audit", "task started"),
    "task_complete": pgettext_lazy("audit", "task completed"),
    "task_cancel": pgettext_lazy("audit", "task cancelled"),
    "task_fill": pgettext_lazy("audit", "task full"),
    "task_reopen": pgettext_lazy("audit", "task open again"),
    "claim_created": pgettext_lazy("audit", "task claimed"),
    "claim_check_in": pgettext_lazy("audit", "checked in"),
    "claim_check_out": pgettext_lazy("audit", "checked out"),
    "claim_report": pgettext_lazy("audit", "hours reported"),
    "claim_confirm": pgettext_lazy("audit", "hours confirmed"),
    "claim_reject": pgettext_lazy("audit", "hours not confirmed"),
    "claim_withdraw": pgettext_lazy("audit", "withdrew"),
    "claim_rate": pgettext_lazy("audit", "work rated"),
    "profile_updated": pgettext_lazy("audit", "profile updated"),
}
