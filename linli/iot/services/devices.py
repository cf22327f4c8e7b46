"""The device registry (docs/iot-devices.md): registering, changing and retiring a device,
and setting its MQTT secret.

Who: the dispatchers and administrators of the device's place (`permissions.may_manage`).
A device lies in a community or below it, down to a dwelling; a help button lies in the
dwelling of the registry resident it belongs to and serves that resident's care plan. A
device is never deleted (alarms and cases refer to it): it is retired, and a retired
device's messages are refused (services.ingest). Its secret is shown once and kept only as
the hash the broker reads (credentials.py). Every write is audited; what is allowed but
worth a second look (an owner unit that does not serve the place) is a warning
(`device_warnings`), not a refusal.
"""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.iot import credentials, permissions
from linli.iot.messages import _SEGMENT
from linli.iot.models import Device, Kind, Status
from linli.orgs.models import KIND_RANK, Area, AreaKind, Unit
from linli.orgs.selectors import units_serving
from linli.people.models import CarePlan, Resident

NAME_MAX, ADDRESS_MAX = 100, 200
HEARTBEAT_MIN, HEARTBEAT_MAX = 30, 86_400
REASON_MIN, REASON_MAX = 2, 200
_MICRO = Decimal("0.000001")
# The fields `device_update` takes. The identifier is fixed: it is the device's MQTT
# username and a level of its topics, set in the device itself.
EDITABLE = frozenset({"name", "kind", "area", "address", "lat", "lng", "owner_unit",
                      "resident", "heartbeat_seconds"})


def invalid(field: str, message: str, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(message, code=code, details=[{"field": field, "message": message}])


# --- checks shared with the import and the forms ----------------------------------------

def clean_identifier(value: Any) -> str:
    identifier = str(value or "").strip()
    if not identifier:
        raise invalid("identifier", _("Give the device's identifier, as its topics name it."),
                      "required")
    # ":" would end the username in Mosquitto's password file (username:hash).
    if not _SEGMENT.match(identifier) or ":" in identifier:
        raise invalid("identifier", _("An identifier is 1 to 64 letters, digits or _ . - "
                                      "(it is the device's MQTT username and a level of its "
                                      "topics)."), "bad_identifier")
    return identifier


def identifier_taken_message(identifier: str) -> str:
    return _("A device with the identifier “%(identifier)s” is already registered.") % {
        "identifier": identifier}


def clean_kind(value: Any) -> str:
    if value not in Kind.values:
        raise invalid("kind", _("Choose the kind of device from the list."), "bad_kind")
    return str(value)


def clean_text(value: Any, limit: int, field: str, *, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise invalid(field, _("This field is required."), "required")
    if len(text) > limit:
        raise invalid(field, _("At most %(n)d characters.") % {"n": limit}, "too_long")
    return text


def clean_heartbeat(value: Any) -> int:
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        seconds = 0
    if not HEARTBEAT_MIN <= seconds <= HEARTBEAT_MAX:
        raise invalid("heartbeat_seconds", _("The heartbeat timeout is a whole number of "
                                             "seconds from 30 to 86400 (a day)."),
                      "bad_heartbeat")
    return seconds


def _coordinate(value: Any, bound: int, field: str) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip()).quantize(_MICRO, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or abs(number) > bound:
        raise invalid(field, _("A latitude is a number from -90 to 90.") if bound == 90
                      else _("A longitude is a number from -180 to 180."), "bad_position")
    return number


def clean_point(lat: Any, lng: Any) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates or neither, in range, to six decimals (about 0.1 m)."""
    la, ln = _coordinate(lat, 90, "lat"), _coordinate(lng, 180, "lng")
    if (la is None) != (ln is None):
        raise invalid("lat" if la is None else "lng",
                      _("Give both the latitude and the longitude, or neither."),
                      "bad_position")
    return la, ln


def place_problem(area: Area) -> str:
    """Why a device cannot lie at `area` ("" if it can): in a community, down to a dwelling."""
    if KIND_RANK.get(area.kind, -1) < KIND_RANK[AreaKind.COMMUNITY]:
        return _("Place the device in a community or below it: a grid, an estate, a "
                 "building, an entrance or a dwelling.")
    return ""


def check_place(actor, area: Area) -> None:
    if problem := place_problem(area):
        raise invalid("area", problem, "bad_place")
    if not permissions.may_manage(actor, area):
        raise PermissionDenied(_("Only the dispatchers and administrators of this place "
                                 "register and change its devices."))


def clean_owner_unit(unit: Unit | None) -> Unit | None:
    if unit is not None and not unit.is_active:
        raise invalid("owner_unit", _("The unit “%(unit)s” is no longer active: choose "
                                      "another.") % {"unit": unit.name}, "inactive_unit")
    return unit


def lives_in(resident: Resident, area: Area) -> bool:
    return (resident.moved_out is None and resident.anonymised_at is None
            and resident.household.dwelling_id == area.pk)


def help_button_problem(kind: str, area: Area, resident: Resident | None
                        ) -> tuple[str, str] | None:
    """(field, message) when the resident does not fit the kind and place, else None."""
    if kind != Kind.HELP_BUTTON:
        if resident is not None:
            return "resident", _("Only a help button belongs to a resident.")
        return None
    if area.kind != AreaKind.DWELLING:
        return "area", _("A help button lies in the dwelling of the resident it belongs "
                         "to: give the dwelling as its place.")
    if resident is None:
        return "resident", _("A help button needs the registry resident it belongs to.")
    if not lives_in(resident, area):
        return "resident", _("By the registry, this resident does not live in this "
                             "dwelling.")
    return None


def check_help_button(kind: str, area: Area, resident: Resident | None) -> None:
    problem = help_button_problem(kind, area, resident)
    if problem is not None:
        raise invalid(problem[0], problem[1], "bad_resident")


def care_plan_of(resident: Resident | None) -> CarePlan | None:
    if resident is None:
        return None
    return CarePlan.objects.filter(resident=resident).first()


def device_warnings(device: Device) -> list[str]:
    """What is allowed but needs a person's eye, shown after a save and on the device page."""
    warnings = []
    unit = device.owner_unit
    if unit is None:
        warnings.append(_("No owner unit: the cases of this device's alarms wait for a "
                          "dispatcher."))
    elif not units_serving(device.area).filter(pk=unit.pk).exists():
        warnings.append(_("%(unit)s does not serve this place: the cases of this device's "
                          "alarms wait for a dispatcher.") % {"unit": unit.name})
    if device.kind == Kind.HELP_BUTTON and device.resident_id and device.care_plan_id is None:
        warnings.append(_("The resident has no care plan: a help press reaches the grid "
                          "workers of the place, and no care-plan contact."))
    return warnings


def _text(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(getattr(value, "pk", value))


def _save_new(device: Device) -> None:
    if Device.objects.filter(identifier=device.identifier).exists():
        raise invalid("identifier", identifier_taken_message(device.identifier),
                      "identifier_taken")
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError:  # registered by someone else a moment ago
        raise invalid("identifier", identifier_taken_message(device.identifier),
                      "identifier_taken") from None


# --- the writes ---------------------------------------------------------------------------

@transaction.atomic
def device_create(*, actor, identifier: str, kind: str, name: str, area: Area,
                  address: str = "", lat=None, lng=None, owner_unit: Unit | None = None,
                  resident: Resident | None = None, heartbeat_seconds: Any = 300) -> Device:
    check_place(actor, area)
    device = Device(identifier=clean_identifier(identifier), kind=clean_kind(kind),
                    name=clean_text(name, NAME_MAX, "name", required=True),
                    address=clean_text(address, ADDRESS_MAX, "address"),
                    heartbeat_seconds=clean_heartbeat(heartbeat_seconds),
                    owner_unit=clean_owner_unit(owner_unit), status=Status.ACTIVE)
    device.lat, device.lng = clean_point(lat, lng)
    check_help_button(device.kind, area, resident)
    put_at(device, area)
    device.resident, device.care_plan = resident, care_plan_of(resident)
    _save_new(device)
    audit_record(actor=actor, action="device.create", obj=device, area_path=device.area_path,
                 changes={"identifier": device.identifier, "kind": device.kind,
                          "name": device.name, "area": area.pk,
                          "owner_unit": _text(device.owner_unit),
                          "resident": device.resident_id,
                          "heartbeat_seconds": device.heartbeat_seconds})
    return device


def put_at(device: Device, area: Area) -> None:
    community = area.ancestor_of_kind(AreaKind.COMMUNITY)
    assert community is not None  # place_problem was checked first
    device.community, device.area, device.area_path = community, area, area.path


def _locked(device: Device) -> Device:
    """The device's row, locked against the subscriber's writes for this transaction."""
    return (Device.objects.select_for_update(of=("self",))
            .select_related("area", "owner_unit", "resident__household", "community")
            .get(pk=device.pk))


def _cleaned(device: Device, fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    checks = {"name": lambda v: clean_text(v, NAME_MAX, "name", required=True),
              "kind": clean_kind,
              "address": lambda v: clean_text(v, ADDRESS_MAX, "address"),
              "heartbeat_seconds": clean_heartbeat, "owner_unit": clean_owner_unit}
    for name, check in checks.items():
        if name in fields:
            out[name] = check(fields[name])
    if "lat" in fields or "lng" in fields:
        out["lat"], out["lng"] = clean_point(fields.get("lat", device.lat),
                                             fields.get("lng", device.lng))
    return out


def _unless_retired(device: Device) -> None:
    if device.retired_at is not None:
        raise ValidationFailed(_("This device is retired: it can no longer be changed."),
                               code="retired")


@transaction.atomic
def device_update(*, actor, device: Device, **fields) -> Device:
    """Change some of the device's fields (EDITABLE). Moving it needs the right to manage
    both places; a help button keeps its resident unless another is given."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationFailed(_("Unknown field: %(names)s.") % {
            "names": ", ".join(sorted(unknown))}, code="unknown_field")
    if not permissions.may_manage_device(actor, device):
        raise PermissionDenied(_("Only the dispatchers and administrators of this place "
                                 "register and change its devices."))
    device = _locked(device)
    _unless_retired(device)
    area = fields.get("area") or device.area
    if area.pk != device.area_id:
        check_place(actor, area)
    values = _cleaned(device, fields)
    kind = values.get("kind", device.kind)
    resident = fields.get("resident", device.resident)
    if kind != Kind.HELP_BUTTON and "resident" not in fields:
        resident = None  # no longer a help button: it belongs to nobody
    check_help_button(kind, area, resident)
    values["resident"], values["care_plan"] = resident, care_plan_of(resident)
    changes = {name: [_text(getattr(device, name)), _text(value)]
               for name, value in values.items() if getattr(device, name) != value}
    if area.pk != device.area_id:
        changes["area"] = [device.area_id, area.pk]
        put_at(device, area)
    for name, value in values.items():
        setattr(device, name, value)
    if "heartbeat_seconds" in changes:
        _retime(device)
    if not changes:
        return device
    device.save()
    audit_record(actor=actor, action="device.update", obj=device, area_path=device.area_path,
                 changes=changes)
    return device


def _retime(device: Device) -> None:
    """A new heartbeat timeout counts from when the device was last heard from."""
    if device.last_seen_at is not None and device.offline_since is None:
        device.offline_due_at = device.last_seen_at + timedelta(
            seconds=device.heartbeat_seconds)


@transaction.atomic
def device_retire(*, actor, device: Device, reason: str,
                  now: datetime | None = None) -> Device:
    """Take the device out of service for good: its messages are refused from now on, its
    heartbeat timer stops and its secret is dropped (the next password file leaves it
    out). Its alarms and their cases stay as they are."""
    if not permissions.may_manage_device(actor, device):
        raise PermissionDenied(_("Only the dispatchers and administrators of this place "
                                 "register and change its devices."))
    reason = " ".join((reason or "").split())
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise invalid("reason", _("Say why the device is retired (2 to 200 characters)."),
                      "reason_required")
    device = _locked(device)
    if device.retired_at is not None:
        raise ValidationFailed(_("This device is retired already."), code="retired")
    before = device.status
    device.retired_at = now or timezone.now()
    device.status, device.offline_due_at, device.secret_hash = Status.RETIRED, None, ""
    device.save(update_fields=["retired_at", "status", "offline_due_at", "secret_hash",
                               "updated_at"])
    audit_record(actor=actor, action="device.retire", obj=device, area_path=device.area_path,
                 changes={"status": [before, Status.RETIRED], "reason": reason})
    return device


@transaction.atomic
def device_secret_set(*, actor, device: Device) -> str:
    """A new random secret for the device's MQTT login, returned once to be shown once:
    only its hash is kept. Any earlier secret stops working when the broker next reads the
    password file (`linli iot passwords`)."""
    if not permissions.may_manage_device(actor, device):
        raise PermissionDenied(_("Only the dispatchers and administrators of this place "
                                 "set a device's credentials."))
    device = _locked(device)
    _unless_retired(device)
    had = bool(device.secret_hash)
    secret = credentials.secret_new()
    device.secret_hash = credentials.secret_hash(secret)
    device.save(update_fields=["secret_hash", "updated_at"])
    # Never the secret, nor its hash: only that it changed.
    audit_record(actor=actor, action="device.secret_set", obj=device,
                 area_path=device.area_path, changes={"secret": "replaced" if had else "set"})
    return secret
