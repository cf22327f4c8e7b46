"""Telling a resident what the store desk did with their redemption.

Runs in a task after the change commits. The resident's own actions (placing, cancelling
while held) notify nobody: they are looking at the page. `source_key` makes a second run
of the task add nothing. Texts are marked with `gettext_noop` under that name, which is
what `makemessages` looks for (an alias would leave them untranslated).
"""

from django.utils.translation import gettext_noop

from linli.notifications.rules import message, messages_send
from linli.points.models import Redemption, RedemptionState

MY_REDEMPTIONS_URL = "/points/store/mine/"

_TITLES: dict[str, str] = {
    RedemptionState.COMPLETED: gettext_noop("Handed over: %(item)s × %(quantity)d"),
    RedemptionState.CANCELLED: gettext_noop("Redemption cancelled: %(item)s × %(quantity)d"),
}
_BODIES: dict[str, str] = {
    RedemptionState.COMPLETED: gettext_noop("%(points)d points were spent at the points "
                                            "store."),
    RedemptionState.CANCELLED: gettext_noop("The store desk cancelled it and returned "
                                            "%(points)d points to you. %(note)s"),
}


def redemption_notify(redemption_id: int) -> None:
    redemption = Redemption.objects.select_related("item", "resident").filter(
        pk=redemption_id).first()
    if redemption is None or redemption.state not in _TITLES:
        return
    params = {"item": redemption.item.name, "quantity": redemption.quantity,
              "points": redemption.points, "note": redemption.note}
    told = message(f"store.{redemption.state}", [redemption.resident],
                   _TITLES[redemption.state], _BODIES[redemption.state], params)
    messages_send([told], subject=redemption, link=MY_REDEMPTIONS_URL,
                  source_key=f"store.{redemption.state}:{redemption.pk}")
