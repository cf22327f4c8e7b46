"""The dispute indicators and the map's GeoJSON in the API (mounted with the disputes API
at /api/disputes): the same selectors, scope and figures as the pages. A caller with no
dispute role sees the figures of no dispute (all zero) and an empty map."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from linli.core.errors import ValidationFailed
from linli.disputes import indicators

router = Router(tags=["disputes"])


class FigureOut(Schema):
    label: str
    registered: int
    resolved: int
    rate: float | None            # 化解率 in per cent, one decimal; null when none registered
    average_days: float | None    # working days to resolution; null when none resolved
    registered_url: str           # the list behind "registered"
    resolved_url: str             # the list behind "resolved" and the average

    @staticmethod
    def resolve_rate(obj: indicators.Figure) -> float | None:
        return None if obj.rate is None else float(obj.rate)

    @staticmethod
    def resolve_average_days(obj: indicators.Figure) -> float | None:
        return None if obj.average_days is None else float(obj.average_days)


class IndicatorsOut(Schema):
    since: date
    until: date
    total: FigureOut
    by_grade: list[FigureOut]
    by_kind: list[FigureOut]
    by_grid: list[FigureOut]
    by_month: list[FigureOut]


@router.get("/indicators", response=IndicatorsOut)
def dispute_indicators(request, since: date | None = None, until: date | None = None):
    """化解率 (resolved / registered) and the average working days to resolution over the
    disputes registered from `since` to `until` (default: the last twelve months), in
    total, by grade, type, grid and registration month. A month's denominator is the
    disputes registered that month. At most three years (400 `invalid`)."""
    default_since, default_until = indicators.default_period(timezone.localdate())
    since, until = since or default_since, until or default_until
    if since > until or (until - since).days >= indicators.MAX_DAYS:
        raise ValidationFailed(_("Choose a period of at most three years, its start before "
                                 "its end."), code="invalid")
    return indicators.dispute_indicators(actor=request.user, since=since, until=until)


@router.get("/map.geojson", response=dict)
def dispute_map(request):
    """Open yellow and red disputes as GeoJSON points (at the pin or the centre of the
    place), with no party, summary or address."""
    disputes = list(indicators.open_graded(actor=request.user)[:indicators.MAP_LIMIT])
    return indicators.map_points(disputes)
