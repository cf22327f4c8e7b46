"""Reads of the needs part (the needs part fills this in)."""

from linli.core.tiles import Tile


def home_tiles(user) -> list[Tile]:
    return []
