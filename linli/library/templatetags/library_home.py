"""The library tiles on the home page: each part's tiles from its own selectors."""

from django import template

from linli.core.tiles import Tile
from linli.library import selectors_needs, selectors_providers, selectors_services

register = template.Library()


@register.simple_tag
def library_home_tiles(user) -> list[Tile]:
    return [*selectors_services.home_tiles(user), *selectors_needs.home_tiles(user),
            *selectors_providers.home_tiles(user)]
