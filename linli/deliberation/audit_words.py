"""What this app's audit codes read as in the audit log (core.auditwords): the moves of
topics ("topic.<action>") and votes ("vote.<action>") and the acts that are not moves."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    # topics
    "topic.raise": pgettext_lazy("audit", "topic raised"),
    "topic.support": pgettext_lazy("audit", "topic supported"),
    "topic.comment": pgettext_lazy("audit", "topic comment added"),
    "topic.comment_hide": pgettext_lazy("audit", "topic comment hidden"),
    "topic.files": pgettext_lazy("audit", "topic files added"),
    "topic.progress": pgettext_lazy("audit", "topic progress noted"),
    "topic.agenda": pgettext_lazy("audit", "topic put on the agenda"),
    "topic.qualify": pgettext_lazy("audit", "topic reached its supporters"),
    "topic.merge": pgettext_lazy("audit", "topic merged"),
    "topic.refer": pgettext_lazy("audit", "topic referred to a case"),
    "topic.decline": pgettext_lazy("audit", "topic declined"),
    "topic.vote_opened": pgettext_lazy("audit", "topic put to a vote"),
    "topic.vote_ended": pgettext_lazy("audit", "topic back on the agenda"),
    "topic.adopt": pgettext_lazy("audit", "topic adopted"),
    "topic.reject": pgettext_lazy("audit", "topic not adopted"),
    "topic.complete": pgettext_lazy("audit", "topic carried out"),
    # votes
    "vote.create": pgettext_lazy("audit", "vote drafted"),
    "vote.update": pgettext_lazy("audit", "vote draft changed"),
    "vote.open": pgettext_lazy("audit", "vote opened"),
    "vote.cancel": pgettext_lazy("audit", "vote cancelled"),
    "vote.close": pgettext_lazy("audit", "vote closed and counted"),
    "vote.stand": pgettext_lazy("audit", "vote result stands"),
    "vote.void": pgettext_lazy("audit", "vote result void"),
    "vote.ballot_cast": pgettext_lazy("audit", "ballot cast"),
    "vote.ballot_changed": pgettext_lazy("audit", "ballot changed"),
    "vote.paper_recorded": pgettext_lazy("audit", "paper ballot entered"),
    "vote.objection_raised": pgettext_lazy("audit", "objection raised"),
    "vote.objection_answered": pgettext_lazy("audit", "objection answered"),
    # bodies, meetings, conventions
    "deliberation.body_created": pgettext_lazy("audit", "deliberative body set up"),
    "deliberation.body_updated": pgettext_lazy("audit", "deliberative body changed"),
    "deliberation.member_added": pgettext_lazy("audit", "body member added"),
    "deliberation.member_updated": pgettext_lazy("audit", "body member changed"),
    "deliberation.member_left": pgettext_lazy("audit", "body member left"),
    "deliberation.meeting_created": pgettext_lazy("audit", "meeting called"),
    "deliberation.meeting_invited": pgettext_lazy("audit", "meeting invitations sent"),
    "deliberation.meeting_cancelled": pgettext_lazy("audit", "meeting cancelled"),
    "deliberation.attendance_recorded": pgettext_lazy("audit", "meeting attendance recorded"),
    "deliberation.minutes_recorded": pgettext_lazy("audit", "meeting minutes recorded"),
    "deliberation.convention_create": pgettext_lazy("audit", "convention drafted"),
    "deliberation.convention_version_add": pgettext_lazy("audit", "convention version added"),
    "deliberation.convention_version_edit": pgettext_lazy("audit",
                                                          "convention draft corrected"),
    "deliberation.convention_adopted": pgettext_lazy("audit", "convention in force"),
}
