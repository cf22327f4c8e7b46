"""Providers: organisations listed by staff, skilled residents (能人) listed with their
consent (on paper, recorded by staff, or online by themselves), their withdrawal and
re-listing, and the contributions of community partners (社区合伙人), voided with a reason
but never edited or deleted.

Every write checks who may make it, refuses bad input with a message a person reads and
changes nothing when it refuses (one transaction each); each is audited.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.library import permissions
from linli.library.models import (
    MAX_TEXT,
    ConsentVia,
    Contribution,
    Gives,
    Mode,
    Provider,
    ProviderKind,
    ServiceKind,
)
from linli.orgs.models import Area, AreaKind, Unit
from linli.people.models import Resident

PLACE_KINDS = (AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.ESTATE)
ORGANISATION_KINDS = tuple(k for k in ProviderKind.values if k != ProviderKind.SKILLED)
MAX_TITLE = 6


@dataclass
class ProviderData:
    """An organisation as staff describe it."""

    name: str
    kind: str
    area: Area | None
    description: str = ""
    service_kinds: list[str] = field(default_factory=list)
    skills: str = ""
    modes: list[str] = field(default_factory=list)
    phone: str = ""
    address: str = ""
    unit: Unit | None = None


@dataclass
class SkillsData:
    """What a skilled resident shows: a title after their surname (王老师), skills, kinds."""

    title: str
    skills: str
    service_kinds: list[str] = field(default_factory=list)
    description: str = ""


def _community(area: Area) -> Area | None:
    return area if area.kind == AreaKind.COMMUNITY else area.ancestor_of_kind(AreaKind.COMMUNITY)


def _kinds(values) -> list[str]:
    values = list(dict.fromkeys(values or []))
    if any(v not in ServiceKind.values for v in values):
        raise ValidationFailed(_("Unknown kind of service."), code="bad_service_kind")
    return values


def _modes(values) -> list[str]:
    values = list(dict.fromkeys(values or []))
    if any(v not in Mode.values for v in values):
        raise ValidationFailed(_("Unknown cooperation mode."), code="bad_mode")
    return values


def _text(value: str, most: int, code: str, required_message: str = "") -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ValidationFailed(required_message, code=code)
    if len(value) > most:
        raise ValidationFailed(_("%(n)s characters at most.") % {"n": most}, code=code)
    return value


def _place(actor, area: Area | None) -> Area:
    if area is None or area.kind not in PLACE_KINDS:
        raise ValidationFailed(_("Choose the community, grid or estate they serve."),
                               code="bad_area")
    if not permissions.manages(actor, area):
        raise PermissionDenied(_("You may list providers only in the places you manage."),
                               code="place_not_yours")
    return area


def _organisation_fields(actor, data: ProviderData) -> dict:
    area = _place(actor, data.area)
    if data.kind not in ORGANISATION_KINDS:
        raise ValidationFailed(_("Choose the kind of organisation."), code="bad_kind")
    community = _community(area)
    if data.unit is not None:
        serving = community is not None and data.unit.is_active and data.unit.service_areas.filter(
            pk__in=[*community.ancestor_ids, community.pk]).exists()
        if not serving:
            raise ValidationFailed(_("The unit must be a handling unit serving the community."),
                                   code="bad_unit")
    return {
        "community": community, "area": area, "area_path": area.path, "kind": data.kind,
        "name": _text(data.name, 80, "name_required", _("Give the provider's name.")),
        "description": _text(data.description, MAX_TEXT, "too_long"),
        "service_kinds": _kinds(data.service_kinds),
        "skills": _text(data.skills, 200, "too_long"), "modes": _modes(data.modes),
        "phone": _text(data.phone, 20, "bad_phone"), "address": _text(data.address, 200,
                                                                     "too_long"),
        "unit": data.unit,
    }


@transaction.atomic
def provider_create(*, actor, data: ProviderData) -> Provider:
    """An organisation listed by staff managing the place it serves."""
    values = _organisation_fields(actor, data)
    if values["community"] is None:
        raise ValidationFailed(_("A provider serves within a community."), code="bad_area")
    provider = Provider.objects.create(created_by=actor, **values)
    audit_record(actor=actor, action="provider.create", obj=provider,
                 changes={"kind": provider.kind, "name": provider.name},
                 area_path=provider.area_path)
    return provider


def _staff_of(actor, provider: Provider) -> None:
    if not permissions.manages(actor, provider.area):
        raise PermissionDenied(_("Only staff managing the place may change this provider."),
                               code="not_staff")


@transaction.atomic
def provider_update(*, actor, provider: Provider, data: ProviderData) -> Provider:
    """Staff change an organisation (a skilled resident changes their own listing)."""
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    _staff_of(actor, provider)
    if provider.is_person:
        raise ValidationFailed(_("A skilled resident's listing is changed with their skills."),
                               code="is_person")
    values = _organisation_fields(actor, data)
    if values["community"] != provider.community:
        raise ValidationFailed(_("A provider stays in its community."), code="bad_area")
    for name, value in values.items():
        setattr(provider, name, value)
    provider.save()
    audit_record(actor=actor, action="provider.update", obj=provider,
                 changes={"name": provider.name}, area_path=provider.area_path)
    return provider


def _skills_fields(data: SkillsData, person: Resident) -> dict:
    title = _text(data.title, MAX_TITLE, "bad_title",
                  _("Give the title shown after the surname, such as 老师 or 师傅."))
    return {"name": f"{person.name[:1]}{title}",
            "skills": _text(data.skills, 200, "skills_required", _("List the skills.")),
            "service_kinds": _kinds(data.service_kinds),
            "description": _text(data.description, 500, "too_long")}


def _list_person(*, actor, person: Resident, data: SkillsData, via: str, now) -> Provider:
    """Create or re-list the person's provider row in their community (one a community)."""
    dwelling = person.household.dwelling
    community = _community(dwelling)
    if community is None:
        raise ValidationFailed(_("The resident lives outside any community."), code="bad_area")
    values = _skills_fields(data, person)
    consent = {"consent_at": now, "consent_via": via, "consent_by": actor,
               "is_active": True, "withdrawn_at": None}
    row = (Provider.objects.select_for_update()
           .filter(community=community, resident=person).first())
    try:
        with transaction.atomic():
            if row is None:
                row = Provider.objects.create(
                    community=community, area=community, area_path=community.path,
                    kind=ProviderKind.SKILLED, resident=person, created_by=actor,
                    **values, **consent)
                action = "provider.list_person"
            else:
                for name, value in {**values, **consent}.items():
                    setattr(row, name, value)
                row.save()
                action = "provider.update_person"
    except IntegrityError as err:
        raise Conflict(_("This resident is already listed."), code="already_listed") from err
    audit_record(actor=actor, action=action, obj=row,
                 changes={"consent_via": via, "skills": row.skills},
                 area_path=row.area_path)
    return row


def _consent(consent: bool) -> None:
    if not consent:
        raise ValidationFailed(_("A resident is listed only with their consent: tick it."),
                               code="consent_required")


@transaction.atomic
def skilled_register(*, actor, person: Resident | None, data: SkillsData, consent: bool,
                     now=None) -> Provider:
    """Staff list a registry resident of their areas who signed the consent on paper."""
    now = now or timezone.now()
    if person is None or person.moved_out is not None or person.anonymised_at is not None:
        raise ValidationFailed(_("Choose a resident from the registry."), code="bad_resident")
    if not permissions.manages(actor, person.household.dwelling):
        raise PermissionDenied(_("You may list only residents of the places you manage."),
                               code="place_not_yours")
    _consent(consent)
    return _list_person(actor=actor, person=person, data=data, via=ConsentVia.PAPER, now=now)


def own_person(actor) -> Resident:
    from linli.people.selectors import own_record

    person = own_record(actor)
    if person is None:
        raise PermissionDenied(_("Only a resident in the registry may offer their skills."),
                               code="not_resident")
    return person


@transaction.atomic
def skills_offer(*, actor, data: SkillsData, consent: bool, now=None) -> Provider:
    """A resident lists (or changes) themselves as a skilled resident, with their consent."""
    now = now or timezone.now()
    person = own_person(actor)
    _consent(consent)
    return _list_person(actor=actor, person=person, data=data, via=ConsentVia.SELF, now=now)


def _delist(actor, provider: Provider, now, action: str) -> Provider:
    provider.is_active = False
    provider.withdrawn_at = now
    provider.save(update_fields=["is_active", "withdrawn_at"])
    audit_record(actor=actor, action=action, obj=provider, area_path=provider.area_path)
    return provider


@transaction.atomic
def skills_withdraw(*, actor, now=None) -> Provider:
    """A resident withdraws their consent: delisted at once."""
    now = now or timezone.now()
    person = own_person(actor)
    row = (Provider.objects.select_for_update()
           .filter(resident=person, is_active=True).first())
    if row is None:
        raise ValidationFailed(_("You are not listed."), code="not_listed")
    return _delist(actor, row, now, "provider.consent_withdrawn")


@transaction.atomic
def provider_withdraw(*, actor, provider: Provider, now=None) -> Provider:
    """Staff withdraw a provider from the list (its record stays)."""
    now = now or timezone.now()
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if not (permissions.manages(actor, provider.area)
            or (provider.is_person and permissions.speaks_for(actor, provider))):
        raise PermissionDenied(_("Only staff managing the place may withdraw this provider."),
                               code="not_staff")
    if not provider.is_active:
        raise ValidationFailed(_("The provider is already withdrawn."), code="not_listed")
    return _delist(actor, provider, now, "provider.withdraw")


@transaction.atomic
def provider_relist(*, actor, provider: Provider, consent: bool = False, now=None) -> Provider:
    """Staff list a withdrawn provider again; a skilled resident only with a new consent
    (signed on paper, ticked here)."""
    now = now or timezone.now()
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    _staff_of(actor, provider)
    if provider.is_active:
        raise ValidationFailed(_("The provider is listed."), code="listed")
    changed = ["is_active", "withdrawn_at"]
    if provider.is_person:
        _consent(consent)
        provider.consent_at, provider.consent_via, provider.consent_by = (
            now, ConsentVia.PAPER, actor)
        changed += ["consent_at", "consent_via", "consent_by"]
    provider.is_active, provider.withdrawn_at = True, None
    provider.save(update_fields=changed)
    audit_record(actor=actor, action="provider.relist", obj=provider,
                 area_path=provider.area_path)
    return provider


# --- contributions ---------------------------------------------------------------------------

def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as err:
        raise ValidationFailed(_("The amount is a number."), code="bad_amount") from err
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e10"):
        raise ValidationFailed(_("The amount is more than zero."), code="bad_amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed(_("The amount has at most two decimals."), code="bad_amount")
    return amount


@transaction.atomic
def contribution_record(*, actor, provider: Provider, mode: str, gives: str, amount,
                        description: str, given_on: date | None) -> Contribution:
    """What a partner gave, recorded by staff managing its place."""
    _staff_of(actor, provider)
    if mode not in Mode.values:
        raise ValidationFailed(_("Unknown cooperation mode."), code="bad_mode")
    if gives not in Gives.values:
        raise ValidationFailed(_("Say what was given: hours, a venue, goods or money."),
                               code="bad_gives")
    value = _amount(amount)
    if given_on is None:
        raise ValidationFailed(_("Give the date."), code="bad_date")
    if given_on > timezone.localdate():
        raise ValidationFailed(_("The date may not be in the future."), code="future_date")
    text = _text(description, 200, "description_required", _("Describe what was given."))
    row = Contribution.objects.create(provider=provider, mode=mode, gives=gives, amount=value,
                                      description=text, given_on=given_on, recorded_by=actor)
    audit_record(actor=actor, action="provider.contribution", obj=row,
                 object_label=provider.name,
                 changes={"mode": mode, "gives": gives, "amount": str(value)},
                 area_path=provider.area_path)
    return row


@transaction.atomic
def contribution_void(*, actor, contribution: Contribution, reason: str,
                      now=None) -> Contribution:
    """A mistaken contribution voided with a reason: it stays visible, not counted."""
    now = now or timezone.now()
    row = Contribution.objects.select_for_update().select_related("provider").get(
        pk=contribution.pk)
    _staff_of(actor, row.provider)
    if row.voided_at is not None:
        raise ValidationFailed(_("The contribution is already voided."), code="voided")
    row.void_reason = _text(reason, 200, "reason_required", _("Give the reason."))
    row.voided_at = now
    row.save(update_fields=["void_reason", "voided_at"])
    audit_record(actor=actor, action="provider.contribution_void", obj=row,
                 object_label=row.provider.name, changes={"reason": row.void_reason},
                 area_path=row.provider.area_path)
    return row
