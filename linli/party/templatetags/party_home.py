"""The party tiles on the home page and the hub: each part's tiles from its own
selectors."""

from django import template

from linli.core.tiles import Tile
from linli.party import (
    selectors_agreements,
    selectors_contacts,
    selectors_meetings,
    selectors_members,
)

register = template.Library()


@register.simple_tag
def party_home_tiles(user) -> list[Tile]:
    return [*selectors_members.home_tiles(user), *selectors_contacts.home_tiles(user),
            *selectors_meetings.home_tiles(user), *selectors_agreements.home_tiles(user)]
