"""A tile on the home page: what an app's `home_templates` show (a count and where it leads).
Each app's template tag builds its own tiles from its selectors."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tile:
    key: str        # the element id's suffix, for tests and styling
    label: str
    url: str
    count: int | None = None  # None: a tile that leads somewhere without a count ("+")
