"""The volunteering tile on the home page: a resident's or volunteer's own wishes, sign-ups
and hours. Staff who are neither see nothing new."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.volunteering import selectors
from linli.volunteering.models import ClaimState, WishState

register = template.Library()

# A sign-up still going: not yet confirmed, rejected or withdrawn.
_ACTIVE_CLAIMS = [ClaimState.CLAIMED, ClaimState.CHECKED_IN, ClaimState.CHECKED_OUT,
                  ClaimState.REPORTED]
_OPEN_WISHES = [WishState.POSTED, WishState.PUBLISHED]


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    url: str
    value: str


@register.simple_tag
def volunteering_home_panel(user) -> list[Tile]:
    roles = scope.roles_of(user)
    if not roles & {Role.RESIDENT, Role.VOLUNTEER}:
        return []
    tiles: list[Tile] = []
    if Role.VOLUNTEER in roles:  # the same split as the volunteering tabs
        claims = selectors.claim_list(actor=user, mine=True)
        tiles += [Tile("vol-signed-up", _("My sign-ups in progress"),
                       reverse("volunteering:claims_mine"),
                       str(claims.filter(state__in=_ACTIVE_CLAIMS).count())),
                  Tile("vol-hours", _("Hours volunteered"), reverse("volunteering:me"),
                       f"{selectors.hours_total(actor=user).normalize():f}")]
    if Role.RESIDENT in roles:
        wishes = selectors.wish_list(actor=user, mine=True, state="").filter(
            state__in=_OPEN_WISHES).count()
        tiles.append(Tile("vol-wishes", _("My open wishes"),
                          reverse("volunteering:wishes_mine"), str(wishes)))
    tiles.append(Tile("vol-tasks", _("Tasks looking for help"), reverse("volunteering:tasks"),
                      str(selectors.task_list(actor=user, open_only=True).count())))
    return tiles
