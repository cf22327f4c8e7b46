"""The deliberation tile on the home page: for residents the votes they have still to cast
and the topics collecting support; for staff the topics to screen and the votes open."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.tiles import Tile
from linli.deliberation import selectors_hall as hall

register = template.Library()


@register.simple_tag
def deliberation_home_tiles(user) -> list[Tile]:
    tiles: list[Tile] = []
    if hall.is_resident(user):
        to_cast = sum(1 for item in hall.votes_for_me(user) if not item.voted)
        tiles += [
            Tile("to-cast", _("Votes for me to cast"), reverse("deliberation:home"), to_cast),
            Tile("collecting", _("Topics collecting support"), reverse("deliberation:topics"),
                 hall.topics_collecting(user).count()),
        ]
    if hall.is_staff(user):
        tiles += [
            Tile("to-screen", _("Topics to screen"), reverse("deliberation:topics"),
                 hall.topics_to_screen(user).count()),
            Tile("votes-open", _("Votes open"), reverse("deliberation:votes"),
                 hall.votes_running(user).filter(state="open").count()),
        ]
    return tiles
