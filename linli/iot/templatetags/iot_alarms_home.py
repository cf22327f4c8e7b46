"""The alarms tile on the home page, for staff only: open alarms, open help presses,
alarms nobody acknowledged in time, and devices offline, each linking to its list."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.core.tiles import Tile
from linli.iot import selectors_alarms as selectors

register = template.Library()


@register.simple_tag
def alarm_home_tiles(user) -> list[Tile]:
    if not selectors.is_staff(user):
        return []
    counts = selectors.alarm_counts(actor=user)
    url = reverse("iot:alarms")
    return [
        Tile("open", _("Open alarms"), url, counts.open),
        Tile("emergencies", _("Help presses open"), f"{url}?emergency=1", counts.emergencies),
        Tile("overdue", _("Not acknowledged in time"), f"{url}?overdue=1", counts.overdue),
        # An offline device has an open "offline" alarm (services/health.py).
        Tile("offline", pgettext("alarm", "Devices offline"), f"{url}?type=offline",
             counts.offline),
    ]
