"""Shapes for the map tests: boxes nested inside one another in the `world` fixture."""

from linli.orgs.models import Area


def box(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1],
                                                [x0, y0]]]}


COMMUNITY = box(114.280, 30.580, 114.290, 30.590)
GRID = box(114.281, 30.581, 114.285, 30.589)
ESTATE = box(114.282, 30.582, 114.284, 30.585)
BUILDING = box(114.2825, 30.5825, 114.2835, 30.5830)
ELSEWHERE = box(114.300, 30.600, 114.301, 30.601)
BOWTIE = {"type": "Polygon", "coordinates": [[[114.282, 30.582], [114.284, 30.585],
                                              [114.284, 30.582], [114.282, 30.585],
                                              [114.282, 30.582]]]}


def shape(area: Area, geometry: dict, lat: str | None = None, lng: str | None = None) -> Area:
    """Store a shape directly (tests of other things than the checks)."""
    area.boundary = geometry
    fields = ["boundary"]
    if lat is not None:
        area.lat, area.lng = lat, lng
        fields += ["lat", "lng"]
    area.save(update_fields=fields)
    return area


def shaped_world(world):
    shape(world.community_a, COMMUNITY)
    shape(world.grid_a1, GRID)
    shape(world.estate_a, ESTATE, "30.583500", "114.283000")
    shape(world.building_a, BUILDING, "30.582750", "114.283000")
    return world
