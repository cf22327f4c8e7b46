"""What this app's audit codes read as in the audit log (core.auditwords): the moves of
its workflows ("<subject>.<action>") and the acts that are not moves. Each part adds its
own codes here."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    # dual registrations (双报到)
    "registration.report": pgettext_lazy("audit", "member reported to the community"),
    "registration.accept": pgettext_lazy("audit", "dual registration accepted"),
    "registration.decline": pgettext_lazy("audit", "dual registration declined"),
    "registration.withdraw": pgettext_lazy("audit", "dual registration withdrawn"),
    "registration.end": pgettext_lazy("audit", "dual registration ended"),
    # resolutions of joint meetings
    "resolution.add": pgettext_lazy("audit", "joint resolution made"),
    "resolution.acknowledge": pgettext_lazy("audit", "joint resolution taken on"),
    "resolution.report_done": pgettext_lazy("audit", "joint resolution reported done"),
    "resolution.confirm": pgettext_lazy("audit", "joint resolution confirmed done"),
    "resolution.send_back": pgettext_lazy("audit", "joint resolution sent back"),
    "resolution.cancel": pgettext_lazy("audit", "joint resolution cancelled"),
    "resolution.supervise": pgettext_lazy("audit", "overdue joint resolution supervised"),
    # joint meetings
    "meeting.create": pgettext_lazy("audit", "joint meeting planned"),
    "meeting.hold": pgettext_lazy("audit", "joint meeting held"),
    "meeting.cancel": pgettext_lazy("audit", "joint meeting cancelled"),
    "meeting.agenda_add": pgettext_lazy("audit", "joint meeting agenda item added"),
    "meeting.agenda_remove": pgettext_lazy("audit", "joint meeting agenda item removed"),
    "meeting.agenda_move": pgettext_lazy("audit", "joint meeting agenda reordered"),
    "meeting.attendance": pgettext_lazy("audit", "joint meeting attendance recorded"),
    # property supervision items
    "supervision.open": pgettext_lazy("audit", "low property score put under supervision"),
    "supervision.resolve": pgettext_lazy("audit", "property supervision item resolved"),
    # co-building agreements
    "agreement.create": pgettext_lazy("audit", "co-building agreement signed"),
    "agreement.end": pgettext_lazy("audit", "co-building agreement ended"),
    "agreement.commit": pgettext_lazy("audit", "commitment added to a co-building agreement"),
    "agreement.uncommit": pgettext_lazy("audit",
                                        "commitment removed from a co-building agreement"),
    "delivery.record": pgettext_lazy("audit", "co-building delivery recorded"),
    "delivery.void": pgettext_lazy("audit", "co-building delivery voided"),
    # members and organisations
    "party_org.create": pgettext_lazy("audit", "party organisation set up"),
    "party_member.create": pgettext_lazy("audit", "party member registered"),
    "party_member.join": pgettext_lazy("audit", "party member joined an organisation"),
    "party_member.export": pgettext_lazy("audit", "party members exported"),
    "party_member.leave": pgettext_lazy("audit", "party member left"),
    "party_member.leave_org": pgettext_lazy("audit", "party member left an organisation"),
    "party_org.secretary": pgettext_lazy("audit", "party organisation secretary set"),
    "party_org.seat": pgettext_lazy("audit", "seat added to a joint committee"),
    "party_org.deactivate": pgettext_lazy("audit", "party organisation closed"),
    "party_org.import": pgettext_lazy("audit", "party organisations imported"),
    "party_post.create": pgettext_lazy("audit", "party post created"),
    "party_post.assign": pgettext_lazy("audit", "party post assigned"),
    "party_post.end": pgettext_lazy("audit", "party post left"),
    "party_service.record": pgettext_lazy("audit", "party service hours recorded"),
    "party_service.void": pgettext_lazy("audit", "party service record voided"),
    # contact households
    "contact.assign": pgettext_lazy("audit", "contact household assigned"),
    "contact.visit": pgettext_lazy("audit", "contact household visited"),
    "contact.end": pgettext_lazy("audit", "contact household assignment ended"),
    # property ratings
    "property.rate": pgettext_lazy("audit", "property service rated"),
}
