"""Reads of the device registry, limited to who asks (permissions.py):

- staff of a place (grid workers, dispatchers, leaders, administrators at or above it, and
  a community's grid workers for what lies at the community itself) see its devices;
- members of a device's owner unit see that unit's devices;
- residents, and everyone else, see none.

Without a status filter the lists show the devices in service (not retired). A device
out of scope is a 404.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from linli.accounts import scope
from linli.core.errors import ValidationFailed
from linli.iot.models import Alarm, Device, Reason, Rejection, Status, Telemetry, TelemetryHour
from linli.iot.permissions import MANAGERS, STAFF
from linli.orgs.models import KIND_RANK, Area, AreaKind, Unit
from linli.orgs.selectors import unit_list
from linli.orgs.shapes import area_positions, area_shapes
from linli.people.models import Resident
from linli.people.selectors import resident_by_number_at

MAP_LIMIT = 2000  # markers on one map; the page says when there are more
# Status → the map's marker colour (core/_map.html's lights): retired is grey.
LIGHTS: dict[str, str] = {Status.ACTIVE: "green", Status.LOW_BATTERY: "yellow",
                          Status.OFFLINE: "red", Status.RETIRED: ""}
IN_SERVICE = [Status.ACTIVE, Status.OFFLINE, Status.LOW_BATTERY]
# A device's status in words of its own ("active" alone reads as "valid" elsewhere).
STATUS_LABELS: dict[str, Any] = {
    Status.ACTIVE: pgettext_lazy("device status", "active"),
    Status.OFFLINE: pgettext_lazy("device status", "offline"),
    Status.LOW_BATTERY: pgettext_lazy("device status", "low battery"),
    Status.RETIRED: pgettext_lazy("device status", "retired"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def status_choices() -> list[tuple[str, str]]:
    return [(value, status_label(value)) for value in Status.values]


@dataclass(frozen=True)
class DeviceFilters:
    community_id: int | None = None
    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # none: the devices in service
    search: str = ""


def _signed_in(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and actor.is_active


def visible_q(actor) -> Q:
    """The devices `actor` sees: `permissions.may_see_device` as a filter. Devices lie in a
    community or below, so "at or above one of the actor's staff areas" is exactly the
    community's own devices for its grid workers."""
    if not _signed_in(actor):
        return Q(pk__in=[])
    q = scope.reach_q(actor, STAFF, path_field="area_path")
    units = scope.unit_ids(actor)
    return q | Q(owner_unit_id__in=sorted(units)) if units else q


def sees_registry(actor) -> bool:
    """Does the registry exist for this person at all (else its pages are a 404)?"""
    return scope.has_role(actor, STAFF) or bool(scope.unit_ids(actor))


def manages_any(actor) -> bool:
    return scope.has_role(actor, MANAGERS)


def devices_visible(actor) -> QuerySet[Device]:
    return Device.objects.filter(visible_q(actor))


def _filtered(qs: QuerySet[Device], filters: DeviceFilters, *, status: bool = True
              ) -> QuerySet[Device]:
    if filters.community_id is not None:
        qs = qs.filter(community_id=filters.community_id)
    if filters.kinds:
        qs = qs.filter(kind__in=filters.kinds)
    if status:
        qs = qs.filter(status__in=filters.statuses or IN_SERVICE)
    search = filters.search.strip()
    if search:
        qs = qs.filter(Q(identifier__icontains=search) | Q(name__icontains=search)
                       | Q(address__icontains=search))
    return qs


def device_list(*, actor, filters: DeviceFilters = DeviceFilters()) -> QuerySet[Device]:
    return (_filtered(devices_visible(actor), filters)
            .select_related("community", "area", "owner_unit")
            .order_by("community_id", "kind", "identifier"))


def device_counts(*, actor, filters: DeviceFilters = DeviceFilters()) -> dict[str, int]:
    """How many devices of each status match the other filters (every status, retired too)."""
    rows = (_filtered(devices_visible(actor), filters, status=False).order_by()
            .values_list("status").annotate(n=Count("pk")))
    counts = dict.fromkeys(Status.values, 0)
    counts.update({status: n for status, n in rows})
    return counts


def device_get(*, actor, device_id: int) -> Device:
    device = (devices_visible(actor)
              .select_related("community", "area", "owner_unit", "resident__household",
                              "care_plan")
              .filter(pk=device_id).first())
    if device is None:
        raise Http404
    return device


def device_communities(*, actor) -> list[Area]:
    """The communities holding devices the actor sees (the list's community filter)."""
    ids = devices_visible(actor).order_by().values("community_id").distinct()
    return list(Area.objects.filter(pk__in=ids).order_by("path"))


# --- a device's page --------------------------------------------------------------------

def last_readings(device: Device, limit: int = 10) -> list[Telemetry]:
    return list(Telemetry.objects.filter(device=device).order_by("-at", "-id")[:limit])


def latest_values(readings: list[Telemetry]) -> dict[str, float]:
    """Each reading's latest value among `readings` (newest first)."""
    values: dict[str, float] = {}
    for row in readings:
        for name, value in (row.values or {}).items():
            values.setdefault(name, value)
    return dict(sorted(values.items()))


def hourly(device: Device, now: datetime, hours: int = 48) -> list[dict]:
    """The hourly rollups of the last `hours`: per reading its count, min, max and mean."""
    rows = (TelemetryHour.objects.filter(device=device, hour__gte=now - timedelta(hours=hours))
            .order_by("hour"))
    out = []
    for row in rows:
        stats = {}
        for name, (count, low, high, total) in sorted((row.stats or {}).items()):
            stats[name] = {"count": count, "min": low, "max": high,
                           "mean": round(total / count, 3) if count else None}
        out.append({"hour": row.hour, "messages": row.messages, "stats": stats})
    return out


def readings_chart(rollups: list[dict]) -> dict:
    """The hourly means per reading, for the page's ECharts line chart."""
    names = sorted({name for row in rollups for name in row["stats"]})
    return {"hours": [row["hour"].isoformat() for row in rollups],
            "series": [{"name": name, "data": [row["stats"].get(name, {}).get("mean")
                                               for row in rollups]} for name in names]}


@dataclass(frozen=True)
class Refusals:
    total: int  # every refusal counted on the device (rows older than retention included)
    by_reason: dict[str, int]  # the rows still kept
    recent: list[Rejection]


def refusals(device: Device, limit: int = 20) -> Refusals:
    kept = Rejection.objects.filter(device=device)
    by_reason = dict(kept.order_by().values_list("reason").annotate(n=Count("pk")))
    return Refusals(total=device.rejected_count, by_reason=by_reason,
                    recent=list(kept.order_by("-at", "-id")[:limit]))


def reason_label(reason: str) -> str:
    return str(dict(Reason.choices).get(reason, reason))


def device_alarms(*, actor, device: Device) -> QuerySet[Alarm]:
    """The device's alarms, newest first (the caller has checked it may see the device)."""
    if not devices_visible(actor).filter(pk=device.pk).exists():
        return Alarm.objects.none()
    return Alarm.objects.filter(device=device).select_related("rule").order_by(
        "-opened_at", "-id")


# --- the map ----------------------------------------------------------------------------

def map_points(devices: list[Device]) -> dict:
    """GeoJSON for core/_map.html: each device at its own position, or at the centre of its
    area (or the nearest area above with one; a dwelling's building); none without either.
    Properties are the map's contract (title, light, state, url) and the status."""
    paths = {d.area_id: d.area_path for d in devices}
    positions = area_positions(set(paths), paths)
    features = []
    for device in devices:
        if device.lat is not None and device.lng is not None:
            lat, lng = float(device.lat), float(device.lng)
        elif device.area_id in positions:
            lat, lng = positions[device.area_id]
        else:
            continue
        features.append({"type": "Feature", "geometry": {
            "type": "Point", "coordinates": [lng, lat]}, "properties": {
            "title": f"{device.name} ({device.identifier})",
            "light": LIGHTS.get(device.status, ""), "status": device.status,
            "kind": device.kind,
            "state": f"{device.get_kind_display()} · {status_label(device.status)}",
            "url": reverse("iot:device", args=[device.pk])}})
    return {"type": "FeatureCollection", "features": features}


def map_devices(*, actor, filters: DeviceFilters = DeviceFilters()) -> list[Device]:
    return list(device_list(actor=actor, filters=filters)[:MAP_LIMIT])


def map_areas(*, actor) -> dict:
    """The shapes of the areas the actor works in (grids, estates, buildings ...)."""
    roots = [a.area for a in scope.assignments(actor) if a.area is not None
             and (a.role in STAFF or a.unit_id is not None)]
    return area_shapes(actor=actor, roots=roots)


# --- what the forms and the import look up --------------------------------------------------

SEPARATORS = ("/", "／", ">", "＞")


def place_text(area: Area) -> str:
    """The place as the forms and the import take it: names from the community down."""
    return " / ".join(a.name for a in area.ancestors()
                      if KIND_RANK[a.kind] >= KIND_RANK[AreaKind.COMMUNITY]) or area.name


def split_place(text: str) -> list[str]:
    for separator in SEPARATORS[1:]:
        text = text.replace(separator, "/")
    return [part.strip() for part in text.split("/") if part.strip()]


class Places:
    """Finds a place written as an area code, or as area names from the community down
    ("花楼社区 / 花楼第一网格 / 花楼小区 / 1栋 / 1单元 / 101"), or a code followed by names
    below it ("420103001001001 / 花楼小区"). Each area is looked up once per file."""

    def __init__(self, actor):
        self.paths = scope.area_paths(actor, MANAGERS)
        self._children: dict[tuple[int, str], Area | None] = {}
        self._tops: dict[str, list[Area]] = {}

    def _top(self, word: str) -> list[Area]:
        if word not in self._tops:
            found = list(Area.objects.filter(code=word)) if word.isdigit() else []
            if not found:
                found = list(Area.objects.filter(kind=AreaKind.COMMUNITY, name=word))
                # Two communities of one name (in two streets): the importer's own first.
                mine = [a for a in found if any(p.startswith(a.path) or a.path.startswith(p)
                                                for p in self.paths)]
                found = mine or found
            self._tops[word] = found
        return self._tops[word]

    def _child(self, parent: Area, name: str) -> Area | None:
        key = (parent.pk, name)
        if key not in self._children:
            self._children[key] = Area.objects.filter(parent=parent, name=name).first()
        return self._children[key]

    def find(self, text: str) -> Area:
        """The area, or ValidationFailed (field "area") saying which word was not found."""
        words = split_place(text or "")
        if not words:
            raise _place_error(_("Give the place: an area code, or the area names from the "
                                 "community down, separated by /."))
        tops = self._top(words[0])
        if len(tops) != 1:
            raise _place_error(
                _("No community is named “%(name)s”, and no area has this code.")
                % {"name": words[0]} if not tops else
                _("Several communities are named “%(name)s”: give the community's code "
                  "instead.") % {"name": words[0]})
        area = tops[0]
        for word in words[1:]:
            child = self._child(area, word)
            if child is None:
                raise _place_error(_("There is no “%(name)s” under %(parent)s.") % {
                    "name": word, "parent": area.name})
            area = child
        return area


def _place_error(message: str) -> ValidationFailed:
    return ValidationFailed(message, code="bad_place",
                            details=[{"field": "area", "message": message}])


def resident_in(area: Area, number: str) -> Resident | None:
    """The registry resident living in the dwelling `area` with this ID number (or phone):
    one keyed-hash lookup; nothing says whether such a person lives anywhere else."""
    if area.kind != AreaKind.DWELLING:
        return None
    resident = resident_by_number_at(paths=[area.path], number=number)
    return resident if resident is not None and (
        resident.household.dwelling_id == area.pk) else None


def unit_choices(*, actor, keep: Unit | None = None) -> list[Unit]:
    """The active units a manager may pick as an owner: those serving their areas (and the
    device's current unit)."""
    units = list(unit_list(actor=actor).filter(is_active=True).order_by("name"))
    if keep is not None and keep not in units:
        units.insert(0, keep)
    return units
