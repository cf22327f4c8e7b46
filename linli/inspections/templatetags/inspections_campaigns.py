"""Template helpers of the campaign pages: links to pages other parts of the app build
(the on-site form, the orders list), phases and severities in words, and the home tile."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from linli.accounts import scope
from linli.core.tiles import Tile
from linli.inspections import selectors
from linli.inspections import selectors_campaigns as progress
from linli.inspections.forms_campaigns import ORDINALS as FORM_ORDINALS
from linli.inspections.models import Severity, Weekday
from linli.inspections.permissions import INSPECTORS
from linli.inspections.selectors import OrderFilters

register = template.Library()

PHASES = {progress.RUNNING: pgettext_lazy("campaign", "running"),
          progress.UPCOMING: pgettext_lazy("campaign", "upcoming"),
          progress.ENDED: pgettext_lazy("campaign", "ended")}
ORDINALS = dict(FORM_ORDINALS)


@register.simple_tag
def inspect_url(campaign_id: int, target_id: int) -> str:
    return reverse("inspections:inspect",
                   kwargs={"campaign_id": campaign_id, "target_id": target_id})


@register.simple_tag
def orders_url(**params) -> str:
    base = reverse("inspections:orders")
    return f"{base}?{urlencode(params)}" if params else base


@register.filter
def phase_label(phase: str) -> str:
    return str(PHASES.get(phase, phase))


@register.filter
def severity_label(severity: str) -> str:
    return str(Severity(severity).label) if severity in Severity.values else severity


@register.filter
def rule_words(schedule) -> str:
    """"每月第一个星期一" / "每3个月最后一个星期五"."""
    words = {"ordinal": ORDINALS.get(schedule.ordinal, schedule.ordinal),
             "weekday": Weekday(schedule.weekday).label, "n": schedule.every_months}
    if schedule.every_months == 1:
        return _("the %(ordinal)s %(weekday)s of each month") % words
    return _("the %(ordinal)s %(weekday)s of every %(n)s months") % words


@register.simple_tag
def inspection_home_tiles(user) -> list[Tile]:
    """For inspectors only: campaigns running, their own targets still to inspect, and
    overdue rectification orders."""
    if not scope.has_role(user, INSPECTORS):
        return []
    today = timezone.localdate()
    home = reverse("inspections:home")
    overdue = selectors.order_list(actor=user, filters=OrderFilters(overdue=True)).count()
    return [
        Tile("running", _("Campaigns running"), home,
             progress.campaigns_in_phase(user, progress.RUNNING, today).count()),
        Tile("todo", _("My targets not inspected yet"), reverse("inspections:my_inspections"),
             progress.remaining_for(user, today)),
        Tile("overdue", _("Rectifications overdue"), orders_url(overdue=1), overdue),
    ]
