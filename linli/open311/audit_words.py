"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "open311": pgettext_lazy("audit", "Open311"),
}
VERBS = {
    "attribute_saved": pgettext_lazy("audit", "question saved"),
    "jurisdiction_saved": pgettext_lazy("audit", "jurisdiction saved"),
    "key_issued": pgettext_lazy("audit", "key issued"),
    "key_revoked": pgettext_lazy("audit", "key revoked"),
    "key_updated": pgettext_lazy("audit", "key changed"),
    "request_filed": pgettext_lazy("audit", "request filed"),
    "update_filed": pgettext_lazy("audit", "update posted"),
    "request_pulled": pgettext_lazy("audit", "request pulled from another server"),
}
