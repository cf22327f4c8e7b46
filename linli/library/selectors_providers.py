"""Reads of the providers part (the providers part fills this in)."""

from linli.core.tiles import Tile


def home_tiles(user) -> list[Tile]:
    return []
