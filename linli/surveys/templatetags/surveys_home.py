"""The survey tiles on the home page (the surveys part fills this in)."""

from django import template

from linli.core.tiles import Tile

register = template.Library()


@register.simple_tag
def surveys_home_tiles(user) -> list[Tile]:
    return []
