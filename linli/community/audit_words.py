"""What this app's audit codes read as in the audit log (core.auditwords): the moves of
activities ("activity.<action>"), notices ("notice.<action>") and honour entries
("honour.<action>"), and the acts that are not moves."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    # activities
    "activity.created": pgettext_lazy("audit", "activity drafted"),
    "activity.updated": pgettext_lazy("audit", "activity changed"),
    "activity.publish": pgettext_lazy("audit", "activity published"),
    "activity.cancel": pgettext_lazy("audit", "activity cancelled"),
    "activity.report": pgettext_lazy("audit", "activity report published"),
    "activity.photos_added": pgettext_lazy("audit", "activity photos added"),
    "activity.new_code": pgettext_lazy("audit", "activity door code renewed"),
    "activity.exported": pgettext_lazy("audit", "activity sign-up list exported"),
    "activity.signup": pgettext_lazy("audit", "signed up for an activity"),
    "activity.signup_cancelled": pgettext_lazy("audit", "activity sign-up cancelled"),
    "activity.checked_in": pgettext_lazy("audit", "checked in at an activity"),
    # notices
    "notice.create": pgettext_lazy("audit", "notice drafted"),
    "notice.update": pgettext_lazy("audit", "notice changed"),
    "notice.publish": pgettext_lazy("audit", "notice published"),
    "notice.withdraw": pgettext_lazy("audit", "notice withdrawn"),
    # honour boards
    "honour.board_create": pgettext_lazy("audit", "honour board set up"),
    "honour.board_update": pgettext_lazy("audit", "honour board changed"),
    "honour.nominate": pgettext_lazy("audit", "honour entry nominated"),
    "honour.approve": pgettext_lazy("audit", "honour entry approved"),
    "honour.decline": pgettext_lazy("audit", "honour entry declined"),
    "honour.withdraw": pgettext_lazy("audit", "honour entry withdrawn"),
    "honour.reply": pgettext_lazy("audit", "reply to an honour entry"),
    # 最美楼栋
    "community.criterion_created": pgettext_lazy("audit", "rating criterion added"),
    "community.criterion_updated": pgettext_lazy("audit", "rating criterion changed"),
    "community.rating_created": pgettext_lazy("audit", "building rating opened"),
    "community.rating_published": pgettext_lazy("audit", "building rating published"),
}
