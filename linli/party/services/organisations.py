"""The party organisation tree over the area tree and the joint committee's seats.

Rules (each refused with a clear message):
- a child's level is deeper than its parent's, and its area lies within its parent's area;
  a unit's own organisation (org.unit set) is the exception: it sits at a community and
  may hang under that community's committee;
- a joint committee (联合党委) has no parent; its seats are unit organisations of its own
  community;
- names are unique per area.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind, Unit
from linli.party import permissions
from linli.party.models import LEVEL, JointSeat, Member, Organisation, OrgKind


def _kept(actor, path: str) -> None:
    if not permissions.keeps(actor, path):
        raise PermissionDenied(_("Only party-work staff of this place keep its party data."),
                               code="not_party_staff")


def _check_place(kind: str, area: Area, parent: Organisation | None,
                 unit: Unit | None) -> None:
    if kind == OrgKind.JOINT:
        if parent is not None:
            raise ValidationFailed(_("A joint committee has no parent organisation."),
                                   code="joint_no_parent")
        if area.kind != AreaKind.COMMUNITY:
            raise ValidationFailed(_("A joint committee sits at a community."),
                                   code="bad_area")
        return
    if unit is not None and area.kind != AreaKind.COMMUNITY:
        raise ValidationFailed(_("A unit's organisation sits at a community."),
                               code="bad_area")
    if parent is None:
        return
    if parent.kind == OrgKind.JOINT:
        raise ValidationFailed(_("A joint committee has seats, not children."),
                               code="bad_parent")
    if LEVEL[kind] <= parent.level:
        raise ValidationFailed(_("An organisation sits at a deeper level than its parent."),
                               code="bad_level")
    if not area.path.startswith(parent.area_path):
        raise ValidationFailed(_("An organisation's area lies within its parent's area."),
                               code="bad_area")


@transaction.atomic
def organisation_create(*, actor, name: str, kind: str, area: Area,
                        parent: Organisation | None = None,
                        unit: Unit | None = None) -> Organisation:
    """Set up an organisation at `area` (rules: the module's doc)."""
    _kept(actor, area.path)
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationFailed(_("Give the organisation a name."), code="no_name")
    if kind not in OrgKind.values:
        raise ValidationFailed(_("Unknown kind of organisation."), code="bad_kind")
    if parent is not None:
        _kept(actor, parent.area_path)
        if not parent.is_active:
            raise ValidationFailed(_("This organisation is no longer active."),
                                   code="inactive")
    _check_place(kind, area, parent, unit)
    if Organisation.objects.filter(area=area, name=name).exists():
        raise ValidationFailed(_("An organisation of this name already exists here."),
                               code="name_taken")
    made = Organisation.objects.create(name=name, kind=kind, level=LEVEL[kind], parent=parent,
                                       area=area, area_path=area.path, unit=unit)
    audit_record(actor=actor, action="party_org.create", obj=made, area_path=made.area_path,
                 changes={"kind": kind, "parent": parent.pk if parent else None,
                          "unit": unit.pk if unit else None})
    return made


@transaction.atomic
def organisation_set_secretary(*, actor, organisation: Organisation,
                               member: Member | None) -> Organisation:
    """The secretary is one of the organisation's current members (or nobody)."""
    _kept(actor, organisation.area_path)
    if member is not None and not member.memberships.filter(
            organisation=organisation, until__isnull=True).exists():
        raise ValidationFailed(_("The secretary must be a member of the organisation."),
                               code="not_a_member")
    organisation.secretary = member
    organisation.save(update_fields=["secretary"])
    audit_record(actor=actor, action="party_org.secretary", obj=organisation,
                 area_path=organisation.area_path,
                 changes={"secretary": member.pk if member else None})
    return organisation


@transaction.atomic
def seat_add(*, actor, joint: Organisation, organisation: Organisation,
             representative: str = "", joined_on: date | None = None) -> JointSeat:
    """A unit organisation of the joint committee's community takes a seat on it."""
    _kept(actor, joint.area_path)
    if joint.kind != OrgKind.JOINT:
        raise ValidationFailed(_("Only a joint committee has seats."), code="not_joint")
    if organisation.unit_id is None or not organisation.area_path.startswith(joint.area_path):
        raise ValidationFailed(_("A seat goes to a unit's organisation of this community."),
                               code="bad_seat")
    if not organisation.is_active:
        raise ValidationFailed(_("This organisation is no longer active."), code="inactive")
    if joint.seats.filter(organisation=organisation, left_on__isnull=True).exists():
        raise ValidationFailed(_("This organisation already has a seat."), code="seated")
    made = JointSeat.objects.create(joint=joint, organisation=organisation,
                                    representative=(representative or "")[:64],
                                    joined_on=joined_on or timezone.localdate())
    audit_record(actor=actor, action="party_org.seat", obj=joint, area_path=joint.area_path,
                 changes={"organisation": organisation.pk})
    return made


@transaction.atomic
def organisation_deactivate(*, actor, organisation: Organisation) -> Organisation:
    """Close an organisation that has no active children and no current members."""
    _kept(actor, organisation.area_path)
    if organisation.children.filter(is_active=True).exists():
        raise ValidationFailed(_("Close or move its organisations first."),
                               code="has_children")
    if organisation.memberships.filter(until__isnull=True).exists():
        raise ValidationFailed(_("Its members must leave or move first."),
                               code="has_members")
    organisation.is_active = False
    organisation.save(update_fields=["is_active"])
    organisation.seats.filter(left_on__isnull=True).update(left_on=timezone.localdate())
    audit_record(actor=actor, action="party_org.deactivate", obj=organisation,
                 area_path=organisation.area_path)
    return organisation
