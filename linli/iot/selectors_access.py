"""Reads of door access and welfare watches, limited to what the actor may see.

Doors: staff of the place (permissions.STAFF) and members of the door's owner unit, as for
every device; their counts are numbers per hour, nothing personal. Watches concern a
resident's care: the registry's staff of the resident's place see them (people's
`staff_q`), and the form offers what a dispatcher or grid worker may watch. Out of scope is
a 404.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from linli.accounts import scope
from linli.core.crypto import mask_name
from linli.iot.models import AccessCount, Device, Kind, WelfareWatch
from linli.iot.permissions import RESPONDERS, STAFF, may_see_device
from linli.orgs.models import KIND_RANK, AreaKind
from linli.orgs.paths import ancestor_paths
from linli.people import selectors as people_selectors
from linli.people.models import CarePlan

HOURS, DAYS = 24, 7
_COMMUNITY_DEPTH = KIND_RANK[AreaKind.COMMUNITY] + 1  # path segments of a community


# --- doors -----------------------------------------------------------------------------------

def _devices_q(actor) -> Q:
    """Devices the actor sees (permissions.may_see_device, as one filter): staff at or above
    the place, a community's staff inside it, the owner unit's members."""
    paths = scope.area_paths(actor, STAFF)
    q = scope.scope_q(actor, roles=STAFF, path_field="area_path")
    inside = {p for path in paths for p in ancestor_paths(path)
              if len(p.strip("/").split("/")) >= _COMMUNITY_DEPTH}
    if inside:
        q |= Q(area_path__in=sorted(inside))
    units = scope.unit_ids(actor)
    if units:
        q |= Q(owner_unit_id__in=sorted(units))
    return q


def door_list(*, actor) -> QuerySet[Device]:
    """The door access devices the actor sees, in use first."""
    return (Device.objects.filter(_devices_q(actor), kind=Kind.DOOR)
            .select_related("area", "owner_unit")
            .order_by("retired_at", "community_id", "name", "pk"))


def door_get(*, actor, device_id: int) -> Device:
    device = (Device.objects.select_related("area", "owner_unit", "community")
              .filter(pk=device_id, kind=Kind.DOOR).first())
    if device is None or not may_see_device(actor, device):
        raise Http404
    return device


@dataclass(frozen=True)
class DoorCounts:
    """Openings by hour (the last 24, the current one last) and by day (the last 7)."""

    hours: list[tuple[datetime, int]]
    days: list[tuple[date, int]]

    @property
    def hours_total(self) -> int:
        return sum(n for _hour, n in self.hours)

    @property
    def days_total(self) -> int:
        return sum(n for _day, n in self.days)


def door_counts(device: Device, now: datetime | None = None) -> DoorCounts:
    local = timezone.localtime(now or timezone.now())
    this_hour = local.replace(minute=0, second=0, microsecond=0)
    today = local.date()
    first_day = today - timedelta(days=DAYS - 1)
    since = min(this_hour - timedelta(hours=HOURS - 1),
                local.replace(year=first_day.year, month=first_day.month, day=first_day.day,
                              hour=0, minute=0, second=0, microsecond=0))
    rows = AccessCount.objects.filter(device=device, hour__gte=since).values_list("hour",
                                                                                  "count")
    by_hour: dict[datetime, int] = {}
    by_day: dict[date, int] = {}
    for hour, count in rows:
        hour = timezone.localtime(hour)
        by_hour[hour] = by_hour.get(hour, 0) + count
        by_day[hour.date()] = by_day.get(hour.date(), 0) + count
    hours = [this_hour - timedelta(hours=HOURS - 1 - i) for i in range(HOURS)]
    days = [first_day + timedelta(days=i) for i in range(DAYS)]
    return DoorCounts(hours=[(h, by_hour.get(h, 0)) for h in hours],
                      days=[(d, by_day.get(d, 0)) for d in days])


def opens_today(devices: list[Device], now: datetime | None = None) -> dict[int, int]:
    """Openings since local midnight, per door, in one query (the doors' list)."""
    local = timezone.localtime(now or timezone.now())
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    totals: dict[int, int] = {}
    for device_id, count in AccessCount.objects.filter(
            device__in=devices, hour__gte=midnight).values_list("device_id", "count"):
        totals[device_id] = totals.get(device_id, 0) + count
    return totals


# --- welfare watches -------------------------------------------------------------------------

def watch_list(*, actor, withdrawn: bool = False) -> QuerySet[WelfareWatch]:
    """The watches of the residents the actor's registry reaches; open ones, or with
    `withdrawn` the stopped ones."""
    return (WelfareWatch.objects.filter(people_selectors.staff_q(actor),
                                        withdrawn_at__isnull=not withdrawn)
            .select_related("resident__household__dwelling", "device", "consent_by")
            .order_by("due_at", "-consent_at", "-pk"))


def watch_get(*, actor, watch_id: int) -> WelfareWatch:
    watch = (WelfareWatch.objects.filter(people_selectors.staff_q(actor), pk=watch_id)
             .select_related("resident__household__dwelling", "device", "consent_by")
             .first())
    if watch is None:
        raise Http404
    return watch


def watch_plans(*, actor) -> list[CarePlan]:
    """Care plans whose resident the actor may watch: a dispatcher's or grid worker's."""
    return list(people_selectors.care_plan_list(actor=actor)
                .filter(scope.scope_q(actor, roles=RESPONDERS, path_field="area_path"))
                .order_by("area_path", "pk"))


def watch_residents(*, actor) -> list[tuple[int, str]]:
    """(resident id, masked name · dwelling) of the residents the actor may watch."""
    plans = watch_plans(actor=actor)
    labels = people_selectors.place_labels([p.resident.household.dwelling for p in plans])
    return [(p.resident_id,
             f"{mask_name(p.resident.name)} · {labels[p.resident.household.dwelling_id]}")
            for p in plans]


def watch_doors(*, actor) -> list[Device]:
    """Doors in use at buildings and below where the actor keeps watches."""
    return list(Device.objects.filter(
        scope.scope_q(actor, roles=RESPONDERS, path_field="area_path"), kind=Kind.DOOR,
        retired_at__isnull=True,
        area__kind__in=[AreaKind.BUILDING, AreaKind.ENTRANCE, AreaKind.DWELLING])
        .select_related("area").order_by("area_path", "name"))


def masked_name(watch: WelfareWatch) -> str:
    return mask_name(watch.resident.name)


def place_of(watch: WelfareWatch) -> str:
    dwelling = watch.resident.household.dwelling
    return people_selectors.place_labels([dwelling])[dwelling.pk]


def places_of(watches: list[WelfareWatch]) -> dict[int, str]:
    """The dwellings' short names (花楼小区 1栋 1单元 101) of many watches, in one query."""
    dwellings = [w.resident.household.dwelling for w in watches]
    labels = people_selectors.place_labels(dwellings)
    return {w.pk: labels[w.resident.household.dwelling_id] for w in watches}
