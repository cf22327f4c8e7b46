"""Plausible shapes for the demo tree: two communities side by side, each cut into three
grids (bands north to south), two estates per grid with a corner cut off, two slab
buildings per estate. Laid out in metres around the street's centre and turned 15 degrees,
as Hankou's streets run, so the demo map looks like a neighbourhood with no tiles."""

import math
from decimal import Decimal

# Centre of the demo street, so maps and the nearby-duplicates search have coordinates.
CENTRE = (30.5795, 114.2853)

TURN = math.radians(15)
M_PER_DEG_LAT = 111_000
M_PER_DEG_LNG = 111_000 * math.cos(math.radians(CENTRE[0]))
HALF_WIDTH, HALF_HEIGHT, GAP = 420, 300, 10

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in metres


def _lnglat(x: float, y: float) -> list[float]:
    tx = x * math.cos(TURN) - y * math.sin(TURN)
    ty = x * math.sin(TURN) + y * math.cos(TURN)
    return [round(CENTRE[1] + tx / M_PER_DEG_LNG, 7), round(CENTRE[0] + ty / M_PER_DEG_LAT, 7)]


def polygon(points: list[tuple[float, float]]) -> dict:
    ring = [_lnglat(x, y) for x, y in points]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def box_points(b: Box, cut: float = 0) -> list[tuple[float, float]]:
    x0, y0, x1, y1 = b
    if not cut:
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    return [(x0, y0), (x1, y0), (x1, y1 - cut), (x1 - cut, y1), (x0, y1)]


def centre_of(b: Box) -> tuple[Decimal, Decimal]:
    lng, lat = _lnglat((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


def street_box() -> Box:
    return (-HALF_WIDTH - 20, -HALF_HEIGHT - 20, HALF_WIDTH + 20, HALF_HEIGHT + 20)


def community_box(i: int) -> Box:
    return (-HALF_WIDTH, -HALF_HEIGHT, -GAP, HALF_HEIGHT) if i == 0 else (
        GAP, -HALF_HEIGHT, HALF_WIDTH, HALF_HEIGHT)


def grid_box(community: Box, j: int) -> Box:
    band = (community[3] - community[1]) / 3
    top = community[3] - band * j
    return (community[0], top - band, community[2], top)


def estate_box(grid: Box, k: int) -> Box:
    mid = (grid[0] + grid[2]) / 2
    return ((grid[0] + 15, grid[1] + 15, mid - 10, grid[3] - 15) if k == 0 else
            (mid + 10, grid[1] + 15, grid[2] - 15, grid[3] - 15))


def building_box(estate: Box, b: int) -> Box:
    width, height = estate[2] - estate[0], estate[3] - estate[1]
    x0 = estate[0] + width * 0.2
    y0 = estate[1] + height * (0.2 if b == 1 else 0.58)
    return (x0, y0, x0 + width * 0.55, y0 + 16)
