"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "case": pgettext_lazy("audit", "case"),
    "category": pgettext_lazy("audit", "case category"),
    "timelimit": pgettext_lazy("audit", "time limit"),
    "route": pgettext_lazy("audit", "default unit"),
    "publication": pgettext_lazy("audit", "case publication"),
}
VERBS = {
    "reported": pgettext_lazy("audit", "reported"),
    "accept": pgettext_lazy("audit", "accepted"),
    "reject": pgettext_lazy("audit", "not accepted"),
    "advise": pgettext_lazy("audit", "closed with advice"),
    "dispatch": pgettext_lazy("audit", "dispatched"),
    "acknowledge": pgettext_lazy("audit", "acknowledged"),
    "return": pgettext_lazy("audit", "returned"),
    "resolve": pgettext_lazy("audit", "handled"),
    "verify": pgettext_lazy("audit", "verified"),
    "fail": pgettext_lazy("audit", "failed the check"),
    "close": pgettext_lazy("audit", "closed"),
    "rate": pgettext_lazy("audit", "rated"),
    "reopen": pgettext_lazy("audit", "reopened"),
    "hold": pgettext_lazy("audit", "put on hold"),
    "unhold": pgettext_lazy("audit", "taken off hold"),
    "merge": pgettext_lazy("audit", "merged"),
    "extension_requested": pgettext_lazy("audit", "more time asked"),
    "extension_decided": pgettext_lazy("audit", "more time decided"),
    "photos_added": pgettext_lazy("audit", "photos added"),
    "supervised": pgettext_lazy("audit", "overdue notice"),
    "urge": pgettext_lazy("audit", "urged"),
    "notice": pgettext_lazy("audit", "supervision notice issued"),
    "answer_notice": pgettext_lazy("audit", "supervision notice answered"),
    "notice_overdue": pgettext_lazy("audit", "supervision notice unanswered"),
    "reassign": pgettext_lazy("audit", "reassigned"),
    "escalate": pgettext_lazy("audit", "escalated to the street"),
    "supported": pgettext_lazy("audit", "supported (me too)"),
    "remark": pgettext_lazy("audit", "update from the reporter"),
    "route": pgettext_lazy("audit", "sent to the device's owner unit"),
    "device_alarm": pgettext_lazy("audit", "device alarmed again"),
}
