"""The community tiles on the home page: each part's tiles from its own selectors."""

from django import template

from linli.community import selectors_activities, selectors_honours, selectors_notices
from linli.core.tiles import Tile

register = template.Library()


@register.simple_tag
def community_home_tiles(user) -> list[Tile]:
    return [*selectors_notices.home_tiles(user), *selectors_activities.home_tiles(user),
            *selectors_honours.home_tiles(user)]
