"""Targets (检查对象): adding, changing, retiring and reactivating a premises, and the
audited reveal of its contact person.

Who: the inspectors of the place (grid workers, who find premises on patrol, dispatchers
and leaders) add and change targets in their areas; only coordinators see a contact in
clear. A target is never deleted (orders refer to it): it is retired (`is_active`).
The contact is sealed by the registry's own `identity_seal` (ciphertext and keyed hashes)
and never written to the audit log in clear.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.inspections import permissions
from linli.inspections.models import Target, TargetKind
from linli.orgs.models import KIND_RANK, Area, AreaKind
from linli.people.services import identity_seal, purpose_acceptable

NAME_MAX, ADDRESS_MAX, OPERATOR_MAX = 100, 200, 100
_MICRO = Decimal("0.000001")
# The fields `target_update` accepts; the contact is written sealed, never as given.
EDITABLE = frozenset({"area", "name", "kind", "address", "operator", "contact_name",
                      "contact_phone", "lat", "lng", "is_active"})


# --- checks shared with the import ------------------------------------------------------

def place_problem(area: Area) -> str:
    """Why a target cannot be placed at `area` ("" if it can): a premises lies in a
    community, at the community itself or anywhere under it."""
    if KIND_RANK.get(area.kind, -1) < KIND_RANK[AreaKind.COMMUNITY]:
        return _("Place the target in a community, a grid or below (an estate, a building).")
    return ""


def placed_in(area: Area) -> tuple[Area, Area | None]:
    """The target's community and grid (None when placed at the community itself)."""
    community = area.ancestor_of_kind(AreaKind.COMMUNITY)
    grid = area.ancestor_of_kind(AreaKind.GRID)
    assert community is not None  # place_problem was checked first
    return community, grid


def may_manage(actor, area: Area) -> bool:
    return permissions.is_inspector(actor, area)


def clean_text(value: Any, limit: int, field: str, *, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ValidationFailed(_("This field is required."), code="required",
                               details=[{"field": field, "message": _("This field is required.")}])
    if len(text) > limit:
        message = _("At most %(n)d characters.") % {"n": limit}
        raise ValidationFailed(message, code="too_long",
                               details=[{"field": field, "message": message}])
    return text


def clean_kind(kind: Any) -> str:
    if kind not in TargetKind.values:
        message = _("Choose a kind of premises from the list.")
        raise ValidationFailed(message, code="bad_kind",
                               details=[{"field": "kind", "message": message}])
    return str(kind)


def _coordinate(value: Any, bound: int, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip()).quantize(_MICRO, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or abs(number) > bound:
        message = (_("A latitude is a number from -90 to 90.") if bound == 90
                   else _("A longitude is a number from -180 to 180."))
        raise ValidationFailed(message, code="bad_position",
                               details=[{"field": field, "message": message}])
    return number


def clean_point(lat: Any, lng: Any) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates or neither, each in range, kept to six decimals (about 0.1 m)."""
    la, ln = _coordinate(lat, 90, "lat"), _coordinate(lng, 180, "lng")
    if (la is None) != (ln is None):
        message = _("Give both the latitude and the longitude, or neither.")
        raise ValidationFailed(message, code="bad_position",
                               details=[{"field": "lat" if la is None else "lng",
                                         "message": message}])
    return la, ln


@dataclass(frozen=True)
class SealedContact:
    name_cipher: str = ""
    name_hash: str = ""
    phone_cipher: str = ""
    phone_hash: str = ""


def seal_contact(name: str, phone: str) -> SealedContact:
    """The contact person sealed; none at all when both are empty. A phone needs a name."""
    name, phone = (name or "").strip(), (phone or "").strip()
    if not name and not phone:
        return SealedContact()
    if not name:
        message = _("Give the contact person's name with the phone number.")
        raise ValidationFailed(message, code="name_required",
                               details=[{"field": "contact_name", "message": message}])
    try:
        sealed = identity_seal(name=name, phone=phone)
    except ValidationFailed as exc:
        field = "contact_phone" if exc.code == "bad_phone" else "contact_name"
        raise ValidationFailed(exc.message, code=exc.code,
                               details=[{"field": field, "message": exc.message}]) from None
    return SealedContact(sealed.name_cipher, sealed.name_hash, sealed.phone_cipher,
                         sealed.phone_hash)


def name_taken_message(name: str, area: Area) -> str:
    return _("A target named “%(name)s” is already registered at %(place)s.") % {
        "name": name, "place": area.name}


def _name_free(area: Area, name: str, exclude: int | None = None) -> None:
    qs = Target.objects.filter(area=area, name=name)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        message = name_taken_message(name, area)
        raise ValidationFailed(message, code="name_taken",
                               details=[{"field": "name", "message": message}])


def _check_place(actor, area: Area) -> None:
    if problem := place_problem(area):
        raise ValidationFailed(problem, code="bad_place",
                               details=[{"field": "area", "message": problem}])
    if not may_manage(actor, area):
        raise PermissionDenied(_("Only the grid workers, dispatchers and leaders of this place "
                                 "may add or change its inspection targets."))


def _save(target: Target, area: Area, name: str, exclude: int | None) -> None:
    """Save, turning a name taken meanwhile (two people adding the same shop at once) into
    the same refusal as the check before it."""
    _name_free(area, name, exclude)
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        message = name_taken_message(name, area)
        raise ValidationFailed(message, code="name_taken",
                               details=[{"field": "name", "message": message}]) from None


def _apply_contact(target: Target, contact: SealedContact) -> None:
    target.contact_name_cipher, target.contact_name_hash = contact.name_cipher, contact.name_hash
    target.contact_phone_cipher = contact.phone_cipher
    target.contact_phone_hash = contact.phone_hash


# --- create and update --------------------------------------------------------------------

def target_create(*, actor, area: Area, name: str, kind: str, address: str = "",
                  operator: str = "", contact_name: str = "", contact_phone: str = "",
                  lat=None, lng=None) -> Target:
    _check_place(actor, area)
    name = clean_text(name, NAME_MAX, "name", required=True)
    kind = clean_kind(kind)
    address = clean_text(address, ADDRESS_MAX, "address")
    operator = clean_text(operator, OPERATOR_MAX, "operator")
    lat, lng = clean_point(lat, lng)
    contact = seal_contact(contact_name, contact_phone)
    community, grid = placed_in(area)
    target = Target(community=community, grid=grid, area=area, area_path=area.path,
                    name=name, kind=kind, address=address, operator=operator, lat=lat,
                    lng=lng, created_by=actor)
    _apply_contact(target, contact)
    with transaction.atomic():
        _save(target, area, name, None)
        audit_record(actor=actor, action="inspection.target_create", obj=target,
                     area_path=target.area_path,
                     changes={"area": area.pk, "name": name, "kind": kind,
                              "address": address, "operator": operator,
                              "contact": bool(contact.name_cipher),
                              "lat": str(lat) if lat is not None else None,
                              "lng": str(lng) if lng is not None else None})
    return target


def _cleaned(target: Target, fields: dict[str, Any]) -> dict[str, Any]:
    """The given fields checked, as they would be stored."""
    out: dict[str, Any] = {}
    if "name" in fields:
        out["name"] = clean_text(fields["name"], NAME_MAX, "name", required=True)
    if "kind" in fields:
        out["kind"] = clean_kind(fields["kind"])
    if "address" in fields:
        out["address"] = clean_text(fields["address"], ADDRESS_MAX, "address")
    if "operator" in fields:
        out["operator"] = clean_text(fields["operator"], OPERATOR_MAX, "operator")
    if "lat" in fields or "lng" in fields:
        out["lat"], out["lng"] = clean_point(fields.get("lat", target.lat),
                                             fields.get("lng", target.lng))
    if "is_active" in fields:
        out["is_active"] = bool(fields["is_active"])
    return out


def _new_contact(target: Target, fields: dict[str, Any]) -> SealedContact | None:
    """The contact sealed again when either half is given; the other half stays."""
    if "contact_name" not in fields and "contact_phone" not in fields:
        return None
    name = fields.get("contact_name", target.contact_name.reveal_unaudited())
    phone = fields.get("contact_phone", target.contact_phone.reveal_unaudited())
    return seal_contact(name or "", phone or "")


def target_update(*, actor, target: Target, **fields) -> Target:
    """Change some of a target's fields (see EDITABLE), retire it (`is_active=False`) or
    bring it back. Moving it to another place needs the right to manage both."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationFailed(_("Unknown field: %(names)s.") % {
            "names": ", ".join(sorted(unknown))}, code="unknown_field")
    if not may_manage(actor, target.area):
        raise PermissionDenied(_("Only the grid workers, dispatchers and leaders of this place "
                                 "may add or change its inspection targets."))
    area = fields.get("area") or target.area
    if area.pk != target.area_id:
        _check_place(actor, area)
    values = _cleaned(target, fields)
    contact = _new_contact(target, fields)
    changes: dict[str, Any] = {k: [str(getattr(target, k)), str(v)] for k, v in values.items()
               if getattr(target, k) != v}
    if area.pk != target.area_id:
        changes["area"] = [target.area_id, area.pk]
        target.community, target.grid = placed_in(area)
        target.area, target.area_path = area, area.path
    if contact is not None and (contact.name_hash, contact.phone_hash) != (
            target.contact_name_hash, target.contact_phone_hash):
        changes["contact"] = "changed"  # never the value itself
        _apply_contact(target, contact)
    for key, value in values.items():
        setattr(target, key, value)
    if not changes:
        return target
    with transaction.atomic():
        _save(target, target.area, target.name, target.pk)
        audit_record(actor=actor, action="inspection.target_update", obj=target,
                     area_path=target.area_path, changes=changes)
    return target


# --- the contact in clear -------------------------------------------------------------------

def target_contact_reveal(*, actor, target: Target, reason: str) -> tuple[str, str]:
    """The contact's name and phone in clear ("" where none is held): coordinators only,
    for a stated reason, audited with the reason and never the values."""
    reason = (reason or "").strip()
    if not permissions.is_coordinator_of(actor, target.area):
        raise PermissionDenied(_("Only the dispatchers and leaders of this place may see a "
                                 "target's contact in full."))
    if not purpose_acceptable(reason):
        message = _("State why you need to see it, in words (2 to 200 characters).")
        raise ValidationFailed(message, code="reason_required",
                               details=[{"field": "reason", "message": message}])
    audit_record(actor=actor, action="inspection.contact_reveal", obj=target,
                 area_path=target.area_path, changes={"reason": reason})
    return target.contact_name.reveal_unaudited(), target.contact_phone.reveal_unaudited()
