"""Distances on the earth's surface, for "nearby" questions: duplicate reports, the nearest
grid to a point, a re-check made at the premises."""

import math
from decimal import Decimal

EARTH_RADIUS_M = 6_371_000

Number = Decimal | float


def metres_between(lat1: Number, lng1: Number, lat2: Number, lng2: Number) -> float:
    """The great-circle (haversine) distance in metres; exact enough at street scale."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
