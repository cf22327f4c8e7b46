"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "dispute": pgettext_lazy("audit", "dispute"),
}
# Whole codes: the verbs are shared across apps, and a dispute's "accept" is 受理, not a
# case's 立案.
ACTIONS = {
    "dispute.register": pgettext_lazy("audit", "dispute: registered"),
    "dispute.accept": pgettext_lazy("audit", "dispute: accepted"),
    "dispute.mediate": pgettext_lazy("audit", "dispute: mediation started"),
    "dispute.agree": pgettext_lazy("audit", "dispute: agreed"),
    "dispute.withdraw": pgettext_lazy("audit", "dispute: withdrawn"),
    "dispute.fail": pgettext_lazy("audit", "dispute: mediation failed"),
    "dispute.refer": pgettext_lazy("audit", "dispute: referred"),
    "dispute.follow_up": pgettext_lazy("audit", "dispute: followed up"),
    "dispute.close": pgettext_lazy("audit", "dispute: closed"),
    "dispute.regrade": pgettext_lazy("audit", "dispute: grade changed"),
    "dispute.reassign": pgettext_lazy("audit", "dispute: reassigned"),
    "dispute.escalate": pgettext_lazy("audit", "dispute: escalated"),
    "dispute.session": pgettext_lazy("audit", "dispute: mediation session recorded"),
    "dispute.agreement": pgettext_lazy("audit", "dispute: agreement recorded"),
    "dispute.performance": pgettext_lazy("audit", "dispute: performance checked"),
    "dispute.judicial": pgettext_lazy("audit", "dispute: judicial confirmation applied for"),
    "dispute.party_reveal": pgettext_lazy("audit", "dispute: party's identity revealed"),
    "dispute.agreement_print": pgettext_lazy("audit", "dispute: mediation agreement printed"),
}
