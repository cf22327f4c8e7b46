"""The providers API (mounted under /api/library): providers (list, one, create, update,
withdraw, list again), skilled residents (listed by staff with paper consent; a resident
offers and withdraws their own skills) and partners' contributions (list, record, void).

Parse, call a selector or a service, serialize. A provider or contribution named in the
path is loaded through the selectors, so one out of sight is a 404 before any service
runs; the service then decides whether the caller may act (403). Error answers ({code,
message}) are documented on every operation by core.openapi.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import PermissionDenied
from linli.core.listing import unknown_value
from linli.library import selectors_providers as sel
from linli.library import services
from linli.library.models import ProviderKind, ServiceKind
from linli.library.schemas_providers import (
    ContributionIn,
    ContributionOut,
    ProviderDetailOut,
    ProviderIn,
    ProviderOut,
    RelistIn,
    SkilledIn,
    SkillsIn,
    VoidIn,
)

router = Router(tags=["library"])


def _provider(request, provider_id: int):
    return sel.provider_get(actor=request.user, provider_id=provider_id)


def _data(payload: ProviderIn) -> services.ProviderData:
    from linli.core.errors import ValidationFailed
    from linli.orgs.models import Area, Unit

    unit = None
    if payload.unit_id is not None:
        unit = Unit.objects.filter(pk=payload.unit_id).first()
        if unit is None:
            raise ValidationFailed(_("Unknown unit."), code="bad_unit")
    return services.ProviderData(
        name=payload.name, kind=payload.kind, area=Area.objects.filter(pk=payload.area_id).first(),
        description=payload.description, service_kinds=payload.service_kinds,
        skills=payload.skills, modes=payload.modes, phone=payload.phone,
        address=payload.address, unit=unit)


def _skills(payload: SkillsIn) -> services.SkillsData:
    return services.SkillsData(title=payload.title, skills=payload.skills,
                               service_kinds=payload.service_kinds,
                               description=payload.description)


@router.get("/providers", response=list[ProviderOut])
@paginate(Pages, page_size=20)
def provider_list(request, kind: str = "", service_kind: str = "", q: str = "",
                  partners: bool = False):
    """Providers the caller may see (residents: listed ones of their places; staff: also
    withdrawn ones). `kind`, `service_kind`, `q` (a word of the name or skills: 数学, 水电),
    `partners` (with cooperation modes). An unknown value: 400."""
    if kind and kind not in ProviderKind.values:
        raise unknown_value("kind")
    if service_kind and service_kind not in ServiceKind.values:
        raise unknown_value("service_kind")
    return sel.provider_list(actor=request.user, kind=kind, service_kind=service_kind,
                             q=q[:40], partners=partners)


@router.post("/providers", response={201: ProviderDetailOut})
def provider_create(request, payload: ProviderIn):
    """List an organisation serving a place the caller manages (staff; others 403
    `place_not_yours`)."""
    made = services.provider_create(actor=request.user, data=_data(payload))
    return Status(201, _provider(request, made.pk))


@router.post("/providers/skilled", response={201: ProviderDetailOut})
def skilled_create(request, payload: SkilledIn):
    """List a registry resident of the caller's areas as a skilled resident, who signed the
    consent on paper (`consent` true, else 400 `consent_required`; staff only: 403)."""
    from linli.people.models import Resident

    person = Resident.objects.filter(pk=payload.resident_id).first()
    if person is None:
        raise Http404
    made = services.skilled_register(actor=request.user, person=person,
                                     data=_skills(payload), consent=payload.consent)
    return Status(201, _provider(request, made.pk))


@router.get("/providers/{provider_id}", response=ProviderDetailOut)
def provider_detail(request, provider_id: Id):
    """The provider and its record: bookings served, ratings, matches delivered, totals of
    the contributions."""
    return _provider(request, provider_id)


@router.put("/providers/{provider_id}", response=ProviderDetailOut)
def provider_update(request, provider_id: Id, payload: ProviderIn):
    """Change an organisation (staff managing its place; a skilled resident: 400
    `is_person`). It stays in its community."""
    provider = _provider(request, provider_id)
    services.provider_update(actor=request.user, provider=provider, data=_data(payload))
    return _provider(request, provider_id)


@router.post("/providers/{provider_id}/withdraw", response=ProviderDetailOut)
def provider_withdraw(request, provider_id: Id):
    """Withdraw the provider from the list (staff managing its place); its record stays."""
    provider = _provider(request, provider_id)
    services.provider_withdraw(actor=request.user, provider=provider)
    return _provider(request, provider_id)


@router.post("/providers/{provider_id}/relist", response=ProviderDetailOut)
def provider_relist(request, provider_id: Id, payload: RelistIn):
    """List a withdrawn provider again (staff); a skilled resident only with `consent`."""
    provider = _provider(request, provider_id)
    services.provider_relist(actor=request.user, provider=provider, consent=payload.consent)
    return _provider(request, provider_id)


@router.get("/skills", response=ProviderDetailOut | None)
def skills_mine(request):
    """The caller's own skilled-resident listing (listed or withdrawn), or null."""
    return sel.own_listing(request.user)


@router.put("/skills", response=ProviderDetailOut)
def skills_offer(request, payload: SkillsIn):
    """A resident with a registry record lists (or changes) themselves as a skilled
    resident with `consent` (else 400 `consent_required`; no record: 403)."""
    made = services.skills_offer(actor=request.user, data=_skills(payload),
                                 consent=payload.consent)
    return made


@router.post("/skills/withdraw", response=ProviderDetailOut)
def skills_withdraw(request):
    """The resident withdraws their consent: delisted at once (not listed: 400)."""
    return services.skills_withdraw(actor=request.user)


@router.get("/providers/{provider_id}/contributions", response=list[ContributionOut])
@paginate(Pages, page_size=50)
def contribution_list(request, provider_id: Id):
    """What the partner gave, voided ones included (marked). Staff managing its place, or
    anyone who sees a community partner."""
    provider = _provider(request, provider_id)
    if not (sel.may_manage(request.user, provider) or provider.modes):
        raise PermissionDenied(_("Only staff see this provider's contributions."),
                               code="not_staff")
    return provider.contributions.all()


@router.post("/providers/{provider_id}/contributions", response={201: ContributionOut})
def contribution_create(request, provider_id: Id, payload: ContributionIn):
    """Record a contribution (staff managing its place): an amount above zero in hours,
    items or yuan, a date not in the future (400 `future_date`)."""
    provider = _provider(request, provider_id)
    made = services.contribution_record(
        actor=request.user, provider=provider, mode=payload.mode, gives=payload.gives,
        amount=payload.amount, description=payload.description, given_on=payload.given_on)
    return Status(201, made)


@router.post("/contributions/{contribution_id}/void", response=ContributionOut)
def contribution_void(request, contribution_id: Id, payload: VoidIn):
    """Void a mistaken contribution with a `reason` (staff); it stays in the list, not
    counted. Already voided: 400."""
    row = sel.contribution_get(actor=request.user, contribution_id=contribution_id)
    return services.contribution_void(actor=request.user, contribution=row,
                                      reason=payload.reason)
