"""What `core/_map.html` needs: the basemap URL, an id per map, the assets once a page."""

from itertools import count

from django import template
from django.utils.html import json_script

from linli.core.maptiles import tile_url

register = template.Library()
_ids = count(1)


@register.simple_tag
def map_tiles() -> str:
    return tile_url()


@register.simple_tag
def map_id() -> str:
    """An id for a map's json_script blocks, unique on the page (and beyond: a counter)."""
    return f"linli-map-{next(_ids)}"


@register.simple_tag(takes_context=True)
def map_assets_once(context) -> bool:
    """True the first time a page includes a map: the scripts are written once."""
    request = context.get("request")
    if request is None:
        return True
    first = not getattr(request, "_linli_map_assets", False)
    request._linli_map_assets = True
    return first


@register.simple_tag
def map_data(value, mid: str, name: str) -> str:
    """`value` as a json_script block with the id `<mid>-<name>` the map element names."""
    return json_script(value, f"{mid}-{name}")
