"""Care pages: legal basis, care tags, the care plan, visits (with photos and a case in one
step), the care list with overdue visits, the monthly completion table, and the access audit."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from linli.accounts import scope
from linli.accounts.models import Role, User
from linli.cases.selectors import leaf_categories
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.held import HeldPhotos, too_many
from linli.core.images import MAX_FILES
from linli.core.media import private_file
from linli.people import permissions, selectors, sensitive, services
from linli.people.forms import ConsentForm, PlanForm, TagForm, VisitForm
from linli.people.models import Consent, Outcome
from linli.people.services import KEEP
from linli.people.views import (
    render_detail,
    require,
    resident_for_staff,
    with_outcome_labels,
    with_places,
)


def _done(request, resident, message: str):
    messages.success(request, message)
    return redirect("people:resident", resident.pk)


@never_cache
@login_required
@require_POST
def consent_add(request, resident_id: int):
    resident = resident_for_staff(request, resident_id)
    form = ConsentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Choose the legal basis."))
        services.consent_record(actor=request.user, resident=resident, **form.cleaned_data)
    except ApplicationError as exc:
        return render_detail(request, resident, exc)
    return _done(request, resident, _("Legal basis recorded."))


@never_cache
@login_required
@require_POST
def consent_withdraw(request, consent_id: int):
    consent = Consent.objects.filter(pk=consent_id).select_related("resident").first()
    if consent is None:
        raise Http404
    resident = resident_for_staff(request, consent.resident_id)
    try:
        services.consent_withdraw(actor=request.user, consent=consent)
    except ApplicationError as exc:
        return render_detail(request, resident, exc)
    return _done(request, resident, _("Withdrawn."))


@never_cache
@login_required
@require_POST
def tag_add(request, resident_id: int):
    resident = resident_for_staff(request, resident_id)
    form = TagForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Choose a care tag."))
        services.resident_tag_add(actor=request.user, resident=resident,
                                       **form.cleaned_data)
    except ApplicationError as exc:
        return render_detail(request, resident, exc)
    return _done(request, resident, _("Care tag added."))


@never_cache
@login_required
@require_POST
def tag_remove(request, resident_id: int, row_id: int):
    resident = resident_for_staff(request, resident_id)
    row = resident.tags.filter(pk=row_id).first()
    tag = sensitive.tag_of(row) if row is not None else None
    if tag is None:
        raise Http404
    try:
        services.resident_tag_remove(actor=request.user, resident=resident, tag=tag)
    except ApplicationError as exc:
        return render_detail(request, resident, exc)
    return _done(request, resident, _("Care tag removed."))


@never_cache
@login_required
def plan_edit(request, resident_id: int):
    resident = resident_for_staff(request, resident_id)
    require(permissions.can_keep(request.user, resident.area_path))
    plan = selectors.care_plan_get(actor=request.user, resident=resident)
    initial = {"grid_worker": plan.grid_worker_id, "visit_every_days": plan.visit_every_days,
               "next_visit_due": plan.next_visit_due} if plan else {}
    form = PlanForm(request.POST or None, initial=initial,
                    grid_workers=selectors.grid_workers_for(resident))
    context = {"form": form, "resident": resident, "plan": plan}
    if request.method != "POST":
        return render(request, "people/plan_form.html", context)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Some fields are missing or invalid."))
        data = form.cleaned_data
        services.care_plan_save(
            actor=request.user, resident=resident,
            grid_worker=User.objects.filter(pk=data["grid_worker"]).first(),
            visit_every_days=data["visit_every_days"], next_visit_due=data["next_visit_due"],
            emergency_contact=data["emergency_contact"] or (KEEP if plan else ""),
            needs=data["needs"] or (KEEP if plan else ""))
    except ApplicationError as exc:
        return render(request, "people/plan_form.html", context | {"error": exc},
                      status=exc.status)
    return _done(request, resident, _("Care plan saved."))


# Chosen on the visit form and held while it comes back with an error (core/held.py).
VISIT_PHOTOS = HeldPhotos("visit-photos")
visit_photo_held = VISIT_PHOTOS.thumbnail_view()


# The fields shown first; the case fields go in their own fieldset with the category picker.
_VISIT_FIELDS = ("visited_on", "kind", "findings", "follow_up_needed")


def _visit_page(request, form: VisitForm, resident, held: list[str],
                error: ApplicationError | None = None):
    return render(request, "people/visit_form.html", {
        "form": form, "resident": resident, "error": error,
        "main_fields": [form[name] for name in _VISIT_FIELDS],
        "groups": leaf_categories(), "chosen_category": form["case_category"].value() or "",
        "held": held, "max_photos": MAX_FILES,
    }, status=error.status if error is not None else 200)


@never_cache
@login_required
def visit_new(request, resident_id: int):
    resident = resident_for_staff(request, resident_id)
    require(permissions.can_keep(request.user, resident.area_path))
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method != "POST":
        return _visit_page(request, form, resident, [])
    held, refused = VISIT_PHOTOS.from_post(request)
    refused = refused or too_many(len(held))
    try:
        if refused is not None:
            raise refused
        if not form.is_valid():
            raise ValidationFailed(_("Some fields are missing or invalid."))
        visit = services.visit_record(actor=request.user, resident=resident,
                                      clean_photos=VISIT_PHOTOS.images(request.user, held),
                                      **form.cleaned_data)
    except ApplicationError as exc:
        return _visit_page(request, form, resident, held, exc)
    VISIT_PHOTOS.release(request.user, held)
    if visit.case_id:
        messages.success(request, _("Visit recorded; case #%(id)d raised.") % {
            "id": visit.case_id})
        return redirect("people:resident", resident.pk)
    return _done(request, resident, _("Visit recorded."))


@login_required
@require_GET
def visit_photo(request, photo_id: int, thumb: bool = False):
    photo = selectors.visit_photo_get(actor=request.user, photo_id=photo_id)
    return private_file(photo.thumbnail if thumb else photo.image, photo.content_type,
                        cache="private, no-store")


# --- lists -----------------------------------------------------------------------------

def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@never_cache
@login_required
def care_list(request):
    user = request.user
    require(permissions.is_registry_staff(user))
    grid_id = _int(request.GET.get("grid"))
    overdue_only = request.GET.get("overdue") == "1"
    plans = selectors.care_plan_list(actor=user, grid_id=grid_id,
                                     overdue=True if overdue_only else None
                                     ).prefetch_related("resident__tags")
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    known = sensitive.tags_by_hash()
    rows = with_places(page, lambda p: p.resident.household.dwelling)
    for plan in rows:
        plan.tag_labels = sensitive.tag_display(plan.resident.tags.all(), known)
    mine = list(selectors.care_plan_list(actor=user, overdue=True, mine=True)[:100])
    return render(request, "people/care.html", {
        "page": page, "rows": rows, "today": timezone.localdate(),
        "mine": with_places(mine, lambda p: p.resident.household.dwelling),
        "is_grid_worker": scope.has_role(user, Role.GRID_WORKER),
        "by_grid": selectors.overdue_by_grid(actor=user), "grid_id": grid_id,
        "overdue_only": overdue_only})


def _month(value: str) -> date:
    parsed = parse_date(f"{value}-01") if value else None
    return parsed or timezone.localdate().replace(day=1)


@never_cache
@login_required
def completion(request):
    require(permissions.is_registry_staff(request.user))
    month = _month(request.GET.get("month", ""))
    return render(request, "people/completion.html", {
        "month": month, "rows": selectors.visit_completion(actor=request.user, month=month)})


@never_cache
@login_required
def access_log(request):
    require(permissions.can_view_access_log(request.user))
    params = request.GET
    entries = selectors.access_log_list(
        actor=request.user, actor_label=params.get("actor", "").strip(),
        resident_id=_int(params.get("resident")),
        resident_name="" if _int(params.get("resident")) else params.get("resident", "").strip(),
        since=parse_date(params.get("since", "") or ""),
        until=parse_date(params.get("until", "") or ""),
        outcome=params.get("outcome", ""))
    page = Paginator(entries, 50).get_page(params.get("page"))
    return render(request, "people/access_log.html", {
        "page": page, "entries": with_outcome_labels(page), "params": params,
        "outcomes": Outcome.choices})
