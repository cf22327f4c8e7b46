"""Scoped reading of the meetings part (that part fills this in)."""

from linli.core.tiles import Tile


def home_tiles(user) -> list[Tile]:
    return []
