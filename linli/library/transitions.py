"""Bookings and needs as move tables (declared on the workflow kit in `workflow.py`).

Booking:  requested ─confirm─> confirmed ─complete (served, from the start on)─> completed
          requested, confirmed ─decline (a reason)─> declined
          requested, confirmed ─cancel (before the start)─> cancelled
          completed ─rate (once, by the booker)─> completed
          (a service that needs no confirmation books straight into confirmed)
Need:     open ─match (a provider)─> matched ─hand_over (a case, task, topic or booking)─>
          in_hand ─meet─> met;  open, matched, in_hand ─close (a reason)─> closed
          classify (急难愁盼, by staff) at any live state; a booking made for the need that
          is served meets it (served); one cancelled puts it back to its provider (reopen), one
          declined back to open for another match (rematch)
"""

from linli.core.workflow import SYSTEM, move
from linli.library.models import BookingState as B
from linli.library.models import NeedState as N


class Who:
    PROVIDER = "provider"  # the provider's people, or staff of the service's place
    BOOKER = "booker"      # who booked, their household, or staff serving the place
    STAFF = "staff"        # staff serving the need's place


BOOKINGS = {
    "confirm": move({B.REQUESTED}, B.CONFIRMED, Who.PROVIDER, "decided_at"),
    "decline": move({B.REQUESTED, B.CONFIRMED}, B.DECLINED, Who.PROVIDER, "decided_at",
                    needs_note=True),
    "cancel": move({B.REQUESTED, B.CONFIRMED}, B.CANCELLED, Who.BOOKER, "ended_at"),
    "complete": move({B.CONFIRMED}, B.COMPLETED, Who.PROVIDER, "ended_at"),
    "rate": move({B.COMPLETED}, None, Who.BOOKER, "rated_at"),
}

LIVE_NEED = {N.OPEN, N.MATCHED, N.IN_HAND}

NEEDS = {
    "classify": move(LIVE_NEED, None, Who.STAFF, "classified_at"),
    "match": move({N.OPEN, N.MATCHED}, N.MATCHED, Who.STAFF),
    "hand_over": move({N.OPEN, N.MATCHED}, N.IN_HAND, Who.STAFF, "handed_at"),
    "meet": move({N.MATCHED, N.IN_HAND}, N.MET, Who.STAFF, "ended_at"),
    "close": move(LIVE_NEED, N.CLOSED, Who.STAFF, "ended_at", needs_note=True),
    "served": move({N.IN_HAND}, N.MET, SYSTEM, "ended_at"),
    "reopen": move({N.IN_HAND}, N.MATCHED, SYSTEM),   # cancelled: the provider stays
    "rematch": move({N.IN_HAND}, N.OPEN, SYSTEM),     # declined: another provider is needed
}
