"""The people registry's panel on the home page: overdue care visits, a click away."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.people import permissions, selectors

register = template.Library()


@dataclass
class Tile:
    key: str
    label: str
    count: int
    url: str


@register.simple_tag
def people_home_panel(user) -> list[Tile]:
    """A grid worker's own overdue visits; for other registry staff, those of their areas.
    Nothing for anyone without the registry (residents, unit members, volunteers)."""
    if not permissions.is_registry_staff(user):
        return []
    care = reverse("people:care")
    if scope.has_role(user, Role.GRID_WORKER):
        mine = selectors.care_plan_list(actor=user, overdue=True, mine=True).count()
        return [Tile("my-overdue-visits", _("My overdue visits"), mine, care + "#my-overdue")]
    overdue = selectors.care_plan_list(actor=user, overdue=True).count()
    return [Tile("overdue-visits", _("Overdue visits"), overdue, care + "?overdue=1")]
