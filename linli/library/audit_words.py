"""What this app's audit codes read as in the audit log (core.auditwords): the moves of
bookings ("booking.<action>") and needs ("need.<action>"), and the acts that are not
moves. Each part adds its own codes here."""

from django.utils.translation import pgettext_lazy

ACTIONS = {
    # bookings
    "booking.book": pgettext_lazy("audit", "service booked"),
    "booking.confirm": pgettext_lazy("audit", "booking confirmed"),
    "booking.decline": pgettext_lazy("audit", "booking declined"),
    "booking.cancel": pgettext_lazy("audit", "booking cancelled"),
    "booking.complete": pgettext_lazy("audit", "booking served"),
    "booking.rate": pgettext_lazy("audit", "service rated"),
    # needs
    "need.post": pgettext_lazy("audit", "need posted"),
    "need.classify": pgettext_lazy("audit", "need classified"),
    "need.match": pgettext_lazy("audit", "need matched to a provider"),
    "need.hand_over": pgettext_lazy("audit", "need turned into work"),
    "need.meet": pgettext_lazy("audit", "need met"),
    "need.close": pgettext_lazy("audit", "need closed"),
    "need.served": pgettext_lazy("audit", "need met by a booking"),
    "need.reopen": pgettext_lazy("audit", "need back to its provider"),
    "need.rematch": pgettext_lazy("audit", "need open for another provider"),
    # providers
    "provider.create": pgettext_lazy("audit", "provider listed"),
    "provider.update": pgettext_lazy("audit", "provider changed"),
    "provider.list_person": pgettext_lazy("audit", "skilled resident listed with consent"),
    "provider.update_person": pgettext_lazy("audit", "skilled resident's listing changed"),
    "provider.consent_withdrawn": pgettext_lazy("audit", "skilled resident withdrew consent"),
    "provider.withdraw": pgettext_lazy("audit", "provider withdrawn"),
    "provider.relist": pgettext_lazy("audit", "provider listed again"),
    "provider.contribution": pgettext_lazy("audit", "partner contribution recorded"),
    "provider.contribution_void": pgettext_lazy("audit", "partner contribution voided"),
    "provider.updated": pgettext_lazy("audit", "provider corrected in the administration"),
    # services (the services part)
    "service.create": pgettext_lazy("audit", "service created"),
    "service.update": pgettext_lazy("audit", "service changed"),
    "service.open": pgettext_lazy("audit", "service opened for booking"),
    "service.close": pgettext_lazy("audit", "service closed for booking"),
    "service.slots": pgettext_lazy("audit", "service times added"),
    "service.slot_withdraw": pgettext_lazy("audit", "service time withdrawn"),
    "service.room": pgettext_lazy("audit", "venue room added"),
    "service.hours": pgettext_lazy("audit", "venue opening hours set"),
}
