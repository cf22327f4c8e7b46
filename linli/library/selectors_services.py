"""Reads of the services part (the services part fills this in)."""

from linli.core.tiles import Tile


def home_tiles(user) -> list[Tile]:
    return []
