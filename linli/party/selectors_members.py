"""Scoped reading of the members part (that part fills this in)."""

from linli.core.tiles import Tile


def home_tiles(user) -> list[Tile]:
    return []
