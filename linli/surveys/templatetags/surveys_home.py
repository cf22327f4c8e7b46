"""The survey tiles on the home page: residents the surveys to answer, staff the open
surveys and their answers."""

from django import template

from linli.core.tiles import Tile
from linli.surveys import selectors

register = template.Library()


@register.simple_tag
def surveys_home_tiles(user) -> list[Tile]:
    return selectors.home_tiles(user)
