"""The devices part of the IoT API, under /api/iot (docs/iot-devices.md).

A device named in the path is loaded through `selectors_devices.device_get`, so one out of
scope is a 404 before any service runs; the service then decides whether the caller's
role allows the write (403). Lists are paged like every list (`page`, `page_size`) and,
without `status`, hold the devices in service (not retired).
"""

from typing import Annotated

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.listing import filter_words
from linli.iot import credentials, imports
from linli.iot import selectors_devices as selectors
from linli.iot.models import Device, Kind
from linli.iot.models import Status as DeviceStatus
from linli.iot.schemas_devices import (
    DeviceDetailOut,
    DeviceImportOut,
    DeviceIn,
    DeviceOut,
    DevicePatch,
    DeviceRetireIn,
    DeviceSecretOut,
)
from linli.iot.services import devices as services
from linli.orgs.models import Area, Unit
from linli.orgs.selectors import area_get
from linli.people.selectors import resident_at

router = Router(tags=["iot"])
NO_STORE = "no-store"


def _device(request, device_id: int) -> Device:
    return selectors.device_get(actor=request.user, device_id=device_id)


def _filters(community_id: int | None, kind: list[str] | None, status: list[str] | None,
             q: str) -> selectors.DeviceFilters:
    return selectors.DeviceFilters(
        community_id=community_id, kinds=tuple(filter_words(kind, Kind.values, "kind") or ()),
        statuses=tuple(filter_words(status, DeviceStatus.values, "status") or ()),
        search=q.strip()[:100])


@router.get("/devices", response=list[DeviceOut])
@paginate(Pages, page_size=50)
def device_list(request, community_id: Id | None = None,
                kind: Annotated[list[str] | None, Query()] = None,
                status: Annotated[list[str] | None, Query()] = None, q: str = ""):
    """The devices the caller sees: staff of their places, members of their owner unit.
    `kind` and `status` repeat or take a comma list (without `status`: active, offline and
    low_battery, not retired); `q` searches the identifier, name and address. An unknown
    kind or status: 400."""
    return selectors.device_list(actor=request.user,
                                 filters=_filters(community_id, kind, status, q))


@router.get("/devices/map.geojson", response=dict)
def device_map(request, community_id: Id | None = None,
               kind: Annotated[list[str] | None, Query()] = None,
               status: Annotated[list[str] | None, Query()] = None, q: str = ""):
    """The same devices as GeoJSON points (at most 2,000), each with its `status`, `light`
    (green, yellow, red, or empty for retired), `title` and page `url`; a device without a
    position stands at the centre of its place."""
    devices = selectors.map_devices(actor=request.user,
                                    filters=_filters(community_id, kind, status, q))
    return selectors.map_points(devices)  # a FeatureCollection, as application/json


def _unit(unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise services.invalid("owner_unit_id", _("No such handling unit."), "unknown_unit")
    return unit


def _resident(area: Area, resident_id: int | None):
    if resident_id is None:
        return None
    resident = resident_at(paths=[area.path], resident_id=resident_id)
    if resident is None or resident.household.dwelling_id != area.pk:
        raise services.invalid("resident_id", _("By the registry, this resident does not "
                                                "live in this dwelling."), "bad_resident")
    return resident


@router.post("/devices", response={201: DeviceDetailOut})
def device_create(request, payload: DeviceIn):
    """Register a device in one of the caller's places (dispatchers and administrators)."""
    area = area_get(actor=request.user, area_id=payload.area_id)
    data = payload.dict(exclude={"area_id", "owner_unit_id", "resident_id"})
    device = services.device_create(actor=request.user, area=area,
                                    owner_unit=_unit(payload.owner_unit_id),
                                    resident=_resident(area, payload.resident_id), **data)
    return Status(201, _detail(request, device.pk))


# Before the `{device_id}` routes: "import" would be read as an id otherwise.
@router.post("/devices/import", response=DeviceImportOut)
def device_import(request, file: Annotated[UploadedFile, File()], check_only: bool = False):
    """Register devices from an .xlsx workbook (the template is on /iot/devices/import/; at
    most 5,000 rows and 5 MB). Nothing is written unless every row is right; the problems
    come back by row and column (400 `invalid_rows`). With `check_only=true`, a dry run."""
    report = imports.devices_import(actor=request.user, upload=file, check_only=check_only)
    return report.as_dict()


def _detail(request, device_id: int) -> Device:
    """The device with its readings, rollups and refusals, as DeviceDetailOut reads them."""
    device = _device(request, device_id)
    refusals = selectors.refusals(device)
    device.warnings = services.device_warnings(device)  # type: ignore[attr-defined]
    device.latest = selectors.latest_values(  # type: ignore[attr-defined]
        selectors.last_readings(device))
    device.hours = selectors.hourly(device, timezone.now())  # type: ignore[attr-defined]
    device.refusals = {  # type: ignore[attr-defined]
        "total": refusals.total, "by_reason": refusals.by_reason,
        "recent": [{"at": r.at, "reason": r.reason, "reason_label": selectors.reason_label(
            r.reason), "topic": r.topic, "detail": r.detail} for r in refusals.recent]}
    return device


@router.get("/devices/{device_id}", response=DeviceDetailOut)
def device_detail(request, device_id: Id):
    """One device with its latest readings, the hourly rollups of the last 48 hours and its
    refused messages (count by reason, the last 20)."""
    return _detail(request, device_id)


@router.patch("/devices/{device_id}", response=DeviceDetailOut)
def device_update(request, device_id: Id, payload: DevicePatch):
    """Change the fields sent (dispatchers and administrators of the place)."""
    device = _device(request, device_id)
    fields = payload.dict(exclude_unset=True)
    for name in ("kind", "name", "address", "heartbeat_seconds"):
        if name in fields and fields[name] is None:
            fields.pop(name)  # null means "not sent" for a field that cannot be empty
    if "area_id" in fields:
        area_id = fields.pop("area_id")
        if area_id is not None:
            fields["area"] = area_get(actor=request.user, area_id=area_id)
    if "owner_unit_id" in fields:
        fields["owner_unit"] = _unit(fields.pop("owner_unit_id"))
    if "resident_id" in fields:
        fields["resident"] = _resident(fields.get("area") or device.area,
                                       fields.pop("resident_id"))
    services.device_update(actor=request.user, device=device, **fields)
    return _detail(request, device_id)


@router.post("/devices/{device_id}/retire", response=DeviceDetailOut)
def device_retire(request, device_id: Id, payload: DeviceRetireIn):
    """Take the device out of service for good: its messages are refused from now on and
    its secret is dropped. Needs a reason (2 to 200 characters)."""
    services.device_retire(actor=request.user, device=_device(request, device_id),
                           reason=payload.reason)
    return _detail(request, device_id)


@router.post("/devices/{device_id}/secret", response=DeviceSecretOut)
def device_secret(request, device_id: Id, response: HttpResponse):
    """A new random MQTT secret, answered this once (`Cache-Control: no-store`): only its
    hash is kept. The username is the identifier."""
    response["Cache-Control"] = NO_STORE
    device = _device(request, device_id)
    secret = services.device_secret_set(actor=request.user, device=device)
    return {"username": device.identifier, "secret": secret,
            "topic_prefix": credentials.device_topics(device)}
