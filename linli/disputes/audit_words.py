"""What this app's audit codes read as in the audit log (core.auditwords). Whole codes
(ACTIONS), because the verbs every app shares would read wrongly here: a case that "fails"
fails its check, a mediation that fails ends without agreement."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    "dispute.register": pgettext_lazy("audit", "dispute registered"),
    "dispute.accept": pgettext_lazy("audit", "dispute accepted"),
    "dispute.mediate": pgettext_lazy("audit", "mediation started"),
    "dispute.agree": pgettext_lazy("audit", "mediation agreed"),
    "dispute.withdraw": pgettext_lazy("audit", "dispute withdrawn"),
    "dispute.fail": pgettext_lazy("audit", "mediation failed"),
    "dispute.refer": pgettext_lazy("audit", "dispute referred"),
    "dispute.follow_up": pgettext_lazy("audit", "dispute followed up"),
    "dispute.close": pgettext_lazy("audit", "dispute closed"),
    "dispute.regrade": pgettext_lazy("audit", "dispute grade changed"),
    "dispute.reassign": pgettext_lazy("audit", "dispute reassigned"),
    "dispute.escalate": pgettext_lazy("audit", "overdue dispute escalated"),
    "dispute.session": pgettext_lazy("audit", "mediation session recorded"),
    "dispute.agreement": pgettext_lazy("audit", "mediation agreement recorded"),
    "dispute.performance": pgettext_lazy("audit", "agreement performance checked"),
    "dispute.judicial": pgettext_lazy("audit", "judicial confirmation applied for"),
    "dispute.followup_due": pgettext_lazy("audit", "dispute follow-up due"),
    "dispute.performance_due": pgettext_lazy("audit", "agreement performance check due"),
    "dispute.judicial_remind": pgettext_lazy("audit", "judicial confirmation window closing"),
    "dispute.party_reveal": pgettext_lazy("audit", "dispute party revealed"),
    "dispute.agreement_print": pgettext_lazy("audit", "mediation agreement printed"),
}
