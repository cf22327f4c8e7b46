"""The providers pages; urls.py gathers `urlpatterns`. The names `providers`, `provider`,
`provider_new`, `provider_edit` and `offer_skills` are the contract other parts link to.

- `providers`: organisations and skilled residents the actor sees, found by kind, kind of
  service, a word of the name or skills (数学, 水电) and partners only.
- `provider`: one provider with its record (contributions, bookings served, ratings,
  matches delivered), its services, and for staff: edit, withdraw or list again, record
  and void contributions.
- `provider_new` (an organisation) and `provider_new_skilled` (a registry resident who
  signed the consent on paper), `provider_edit`: staff managing the place.
- `offer_skills`: a resident lists their skills with their consent, changes or withdraws.

A refused form shows the page again with the reason and the status the API would answer,
what the person typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from linli.library import permissions, services
from linli.library import selectors_providers as sel
from linli.library.forms_providers import (
    ContributionForm,
    ProviderForm,
    RelistForm,
    SkillsForm,
    VoidForm,
    first_invalid,
)
from linli.library.models import GIVES_UNITS, Gives, Mode, Provider, ProviderKind, ServiceKind
from linli.library.services.providers import ORGANISATION_KINDS

ORG_KINDS = [(k, ProviderKind(k).label) for k in ORGANISATION_KINDS]
UNITS = [(str(k), str(v)) for k, v in GIVES_UNITS.items()]


def _valid(form):
    if not form.is_valid():
        raise ValidationFailed(first_invalid(form), code="invalid")
    return form.cleaned_data


# --- the list ----------------------------------------------------------------------------------

@login_required
@require_GET
def provider_list(request):
    user = request.user
    kind = request.GET.get("kind", "")
    kind = kind if kind in ProviderKind.values else ""
    service_kind = request.GET.get("service_kind", "")
    service_kind = service_kind if service_kind in ServiceKind.values else ""
    q = request.GET.get("q", "")[:40]
    partners = request.GET.get("partners") == "1"
    rows = sel.provider_list(actor=user, kind=kind, service_kind=service_kind, q=q,
                             partners=partners)[:100]
    return render(request, "library/providers/list.html", {
        "providers": rows, "kind": kind, "service_kind": service_kind, "q": q,
        "partners": partners, "kinds": ProviderKind.choices,
        "service_kinds": ServiceKind.choices, "is_staff": bool(sel.place_choices(user)),
        "listing": sel.own_listing(user),
    })


# --- one provider ------------------------------------------------------------------------------

def render_detail(request, provider: Provider, error: ApplicationError | None = None,
                  posted=None):
    staff = sel.may_manage(request.user, provider)
    record = sel.provider_record(provider, with_contributions=staff or bool(provider.modes))
    return render(request, "library/providers/detail.html", {
        "p": provider, "record": record, "is_staff": staff,
        "kinds": sel.kind_labels(provider),
        "modes": [Mode(m).label for m in provider.modes if m in Mode.values],
        "services": sel.provider_services(request.user, provider)[:50],
        "own": permissions.speaks_for(request.user, provider),
        "mode_choices": Mode.choices, "gives_choices": Gives.choices, "units": UNITS,
        "today": timezone.localdate().isoformat(), "error": error, "posted": posted or {},
    }, status=error.status if error else 200)


@login_required
@require_GET
def provider_detail(request, provider_id: int):
    return render_detail(request, sel.provider_get(actor=request.user,
                                                   provider_id=provider_id))


# --- new and edit (staff) ----------------------------------------------------------------------

def _provider_data(request, form: ProviderForm) -> services.ProviderData:
    from linli.orgs.models import Area, Unit

    data = _valid(form)
    area = Area.objects.filter(pk=data["area"]).first() if data.get("area") else None
    unit = None
    if data.get("unit"):
        unit = Unit.objects.filter(pk=data["unit"]).first()
        if unit is None:
            raise ValidationFailed(str(_("Unknown unit.")), code="bad_unit")
    return services.ProviderData(
        name=data["name"], kind=data["kind"], area=area, description=data["description"],
        service_kinds=data["service_kinds"], skills=data["skills"], modes=data["modes"],
        phone=data["phone"], address=data["address"], unit=unit)


def _render_form(request, *, provider: Provider | None, posted, error=None):
    return render(request, "library/providers/form.html", {
        "p": provider, "posted": posted, "error": error, "kinds": ORG_KINDS,
        "places": sel.place_choices(request.user), "units": sel.unit_choices(request.user),
        "service_kinds": ServiceKind.choices, "modes": Mode.choices,
    }, status=error.status if error else 200)


def _posted(request) -> dict:
    posted = request.POST.dict()
    for many in ("service_kinds", "modes"):
        posted[many] = request.POST.getlist(many)
    return posted


def _require_staff(request) -> None:
    if not sel.place_choices(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def provider_new(request):
    _require_staff(request)
    if request.method == "GET":
        return _render_form(request, provider=None, posted={"service_kinds": [], "modes": []})
    try:
        made = services.provider_create(actor=request.user,
                                        data=_provider_data(request, ProviderForm(request.POST)))
    except ApplicationError as exc:
        return _render_form(request, provider=None, posted=_posted(request), error=exc)
    messages.success(request, _("The provider is listed."))
    return redirect("library:provider", provider_id=made.pk)


def _initial(p: Provider) -> dict:
    return {"name": p.name, "kind": p.kind, "area": str(p.area_id),
            "description": p.description, "service_kinds": p.service_kinds,
            "skills": p.skills, "modes": p.modes, "phone": p.phone, "address": p.address,
            "unit": str(p.unit_id or "")}


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request, provider_id: int):
    provider = sel.provider_get(actor=request.user, provider_id=provider_id)
    if not sel.may_manage(request.user, provider):
        raise Http404
    if provider.is_person:
        return _skilled_page(request, provider=provider)
    if request.method == "GET":
        return _render_form(request, provider=provider, posted=_initial(provider))
    try:
        services.provider_update(actor=request.user, provider=provider,
                                 data=_provider_data(request, ProviderForm(request.POST)))
    except ApplicationError as exc:
        return _render_form(request, provider=provider, posted=_posted(request), error=exc)
    messages.success(request, _("Saved."))
    return redirect("library:provider", provider_id=provider.pk)


def _skills_data(data) -> services.SkillsData:
    return services.SkillsData(title=data["title"], skills=data["skills"],
                               service_kinds=data["service_kinds"],
                               description=data["description"])


def _skilled_page(request, *, provider: Provider | None):
    """Staff list a registry resident (paper consent), or change one's listing."""
    from linli.people.models import Resident

    who = request.GET.get("who", "")[:40]
    if request.method == "GET":
        posted = ({"title": provider.name[1:], "skills": provider.skills,
                   "service_kinds": provider.service_kinds,
                   "description": provider.description} if provider
                  else {"service_kinds": []})
        return _render_skilled(request, provider, posted, who=who)
    try:
        data = _valid(SkillsForm(request.POST))
        person = (provider.resident if provider is not None
                  else Resident.objects.filter(pk=data.get("resident") or 0).first())
        made = services.skilled_register(actor=request.user, person=person,
                                         data=_skills_data(data), consent=data["consent"])
    except ApplicationError as exc:
        return _render_skilled(request, provider, _posted(request), error=exc)
    messages.success(request, _("The skilled resident is listed."))
    return redirect("library:provider", provider_id=made.pk)


def _render_skilled(request, provider, posted, *, who: str = "", error=None):
    return render(request, "library/providers/skilled.html", {
        "p": provider, "posted": posted, "error": error, "who": who,
        "candidates": sel.resident_candidates(request.user, who) if who else [],
        "service_kinds": ServiceKind.choices,
    }, status=error.status if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def provider_new_skilled(request):
    _require_staff(request)
    return _skilled_page(request, provider=None)


# --- withdraw, list again, contributions (POST page actions) --------------------------------

@login_required
@require_POST
def provider_withdraw(request, provider_id: int):
    provider = sel.provider_get(actor=request.user, provider_id=provider_id)
    try:
        services.provider_withdraw(actor=request.user, provider=provider)
    except ApplicationError as exc:
        return render_detail(request, provider, exc)
    messages.success(request, _("The provider is withdrawn from the list."))
    return redirect("library:provider", provider_id=provider.pk)


@login_required
@require_POST
def provider_relist(request, provider_id: int):
    provider = sel.provider_get(actor=request.user, provider_id=provider_id)
    try:
        data = _valid(RelistForm(request.POST))
        services.provider_relist(actor=request.user, provider=provider,
                                 consent=data["consent"])
    except ApplicationError as exc:
        return render_detail(request, provider, exc)
    messages.success(request, _("The provider is listed again."))
    return redirect("library:provider", provider_id=provider.pk)


@login_required
@require_POST
def contribution_new(request, provider_id: int):
    provider = sel.provider_get(actor=request.user, provider_id=provider_id)
    try:
        data = _valid(ContributionForm(request.POST))
        services.contribution_record(actor=request.user, provider=provider, **data)
    except ApplicationError as exc:
        return render_detail(request, provider, exc, posted=request.POST.dict())
    messages.success(request, _("The contribution is recorded."))
    return redirect("library:provider", provider_id=provider.pk)


@login_required
@require_POST
def contribution_void(request, contribution_id: int):
    row = sel.contribution_get(actor=request.user, contribution_id=contribution_id)
    try:
        data = _valid(VoidForm(request.POST))
        services.contribution_void(actor=request.user, contribution=row,
                                   reason=data["reason"])
    except ApplicationError as exc:
        return render_detail(request, row.provider, exc)
    messages.success(request, _("The contribution is voided."))
    return redirect("library:provider", provider_id=row.provider_id)


# --- a resident offers their skills ---------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def offer_skills(request):
    from linli.people.selectors import own_record

    person = own_record(request.user)
    listing = sel.own_listing(request.user)
    posted = ({"title": listing.name[1:], "skills": listing.skills,
               "service_kinds": listing.service_kinds, "description": listing.description}
              if listing else {"service_kinds": []})
    error = None
    if request.method == "POST":
        try:
            data = _valid(SkillsForm(request.POST))
            services.skills_offer(actor=request.user, data=_skills_data(data),
                                  consent=data["consent"])
        except ApplicationError as exc:
            error, posted = exc, _posted(request)
        else:
            messages.success(request, _("You are listed. Thank you for helping your "
                                        "neighbours."))
            return redirect("library:offer_skills")
    return render(request, "library/providers/skills.html", {
        "person": person, "listing": listing, "posted": posted, "error": error,
        "surname": person.name[:1] if person else "",
        "service_kinds": ServiceKind.choices,
    }, status=error.status if error else 200)


@login_required
@require_POST
def offer_skills_withdraw(request):
    try:
        services.skills_withdraw(actor=request.user)
    except (ValidationFailed, PermissionDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You are no longer listed."))
    return redirect("library:offer_skills")


urlpatterns = [
    path("providers/", provider_list, name="providers"),
    path("providers/new/", provider_new, name="provider_new"),
    path("providers/new/skilled/", provider_new_skilled, name="provider_new_skilled"),
    path("providers/<int:provider_id>/", provider_detail, name="provider"),
    path("providers/<int:provider_id>/edit/", provider_edit, name="provider_edit"),
    path("providers/<int:provider_id>/withdraw/", provider_withdraw, name="provider_withdraw"),
    path("providers/<int:provider_id>/relist/", provider_relist, name="provider_relist"),
    path("providers/<int:provider_id>/contributions/", contribution_new,
         name="contribution_new"),
    path("contributions/<int:contribution_id>/void/", contribution_void,
         name="contribution_void"),
    path("skills/", offer_skills, name="offer_skills"),  # a resident lists their skills
    path("skills/withdraw/", offer_skills_withdraw, name="offer_skills_withdraw"),
]
