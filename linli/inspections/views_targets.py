"""Inspection pages: targets (检查对象). `urlpatterns` is gathered by urls.py.

The list with its filters, adding and changing a target, retiring it or bringing it back,
its page (the contact masked, a reveal form for coordinators, its recent inspections and
open orders), and the xlsx import with its blank template. Pages parse input, call a
selector or a service and render; a refusal shows the form again with what was typed, the
reason beside the field, and the status the API would answer.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from linli.accounts import scope
from linli.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from linli.core.forms import SpreadsheetImportForm
from linli.core.listing import known_filters, query_without_page
from linli.inspections import imports, permissions, selectors, services
from linli.inspections.forms_targets import (
    FILTERS,
    ActiveForm,
    RevealForm,
    TargetFilterForm,
    TargetForm,
)
from linli.inspections.models import Target

PAGE_SIZE = 30


def _require_inspector(user) -> None:
    """The target pages do not exist for anyone but inspectors (their selectors decide
    which targets each sees)."""
    if not scope.has_role(user, permissions.INSPECTORS):
        raise Http404


@login_required
@require_GET
def target_list(request):
    user = request.user
    _require_inspector(user)
    data = known_filters(request, FILTERS)
    form = TargetFilterForm(data or None,
                            grids=selectors.target_places(actor=user, kinds=("grid",)))
    targets = selectors.target_list(actor=user, filters=form.filters())
    page = Paginator(targets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/targets/list.html", {
        "form": form, "page": page, "query": query_without_page(request),
    }, status=400 if form.errors else 200)


# --- add and change -----------------------------------------------------------------------

def _show_error(form: TargetForm, exc: ApplicationError) -> None:
    """Put a refusal beside the field it names (the service names it in `details`)."""
    for detail in exc.details or []:
        if isinstance(detail, dict) and detail.get("field") in form.fields:
            form.add_error(detail["field"], detail.get("message") or exc.message)


def _form_values(form: TargetForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("remove_contact", None)
    return data


def _place(user, area_id: int):
    area = next((a for a in selectors.target_places(actor=user) if a.pk == area_id), None)
    if area is None:
        raise ValidationFailed(_("Choose the place."), code="bad_place",
                               details=[{"field": "area", "message": _("Choose the place.")}])
    return area


def _render_form(request, form: TargetForm, target: Target | None,
                 error: ApplicationError | None = None):
    return render(request, "inspections/targets/form.html", {
        "form": form, "target": target, "error": error,
    }, status=error.status if error is not None else (400 if form.errors else 200))


@never_cache
@login_required
def target_new(request):
    user = request.user
    places = selectors.target_places(actor=user)
    if not places:
        denied = PermissionDenied(_("Only grid workers, dispatchers and leaders add "
                                    "inspection targets."))
        return render(request, "core/refused.html", {"error": denied, "back": "/"},
                      status=denied.status)
    form = TargetForm(request.POST or None, places=places,
                      initial={"area": places[0].pk})
    if request.method != "POST" or not form.is_valid():
        return _render_form(request, form, None)
    try:
        data = _form_values(form)
        target = services.target_create(actor=user, area=_place(user, data.pop("area")),
                                        **data)
    except ApplicationError as exc:
        _show_error(form, exc)
        return _render_form(request, form, None, exc)
    messages.success(request, _("The target is added."))
    return redirect("inspections:target_detail", target_id=target.pk)


def _changes(form: TargetForm, target: Target, user) -> dict:
    """What the edit form changes: an empty contact keeps the stored one."""
    data = _form_values(form)
    area_id = data.pop("area")
    if area_id != target.area_id:
        data["area"] = _place(user, area_id)
    if form.cleaned_data.get("remove_contact"):
        data["contact_name"] = data["contact_phone"] = ""
    else:
        for name in ("contact_name", "contact_phone"):
            if not data[name].strip():
                data.pop(name)
    return data


@never_cache
@login_required
def target_edit(request, target_id: int):
    user = request.user
    target = selectors.target_get(actor=user, target_id=target_id)
    places = selectors.target_places(actor=user)
    if target.area not in places:  # placed at a street's community, say: keep it choosable
        places = [target.area, *places]
    initial = {name: getattr(target, name) for name in
               ("area", "name", "kind", "address", "operator", "lat", "lng")}
    initial["area"] = target.area_id
    form = TargetForm(request.POST or None, places=places, editing=True, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return _render_form(request, form, target)
    try:
        services.target_update(actor=user, target=target, **_changes(form, target, user))
    except ApplicationError as exc:
        _show_error(form, exc)
        return _render_form(request, form, target, exc)
    messages.success(request, _("The target is saved."))
    return redirect("inspections:target_detail", target_id=target.pk)


@login_required
@require_POST
def target_active(request, target_id: int):
    """Retire the target (it stays, with its orders) or bring it back."""
    target = selectors.target_get(actor=request.user, target_id=target_id)
    form = ActiveForm(request.POST)
    if not form.is_valid():
        return render_detail(request, target, ValidationFailed(_("Choose what to do."),
                                                               code="invalid"))
    try:
        services.target_update(actor=request.user, target=target,
                               is_active=form.cleaned_data["active"])
    except ApplicationError as exc:
        return render_detail(request, target, exc)
    messages.success(request, _("The target is in use again.") if target.is_active
                     else _("The target is retired; its orders stay."))
    return redirect("inspections:target_detail", target_id=target.pk)


# --- the target's page --------------------------------------------------------------------

def render_detail(request, target: Target, error: ApplicationError | None = None,
                  extra: dict | None = None):
    user = request.user
    context = {
        "target": target, "error": error, "posted": request.POST if error else {},
        "can_reveal": permissions.is_coordinator_of(user, target.area),
        "inspections": selectors.target_recent_inspections(actor=user, target=target),
        "orders": list(selectors.target_open_orders(actor=user, target=target)[:50]),
        **(extra or {}),
    }
    return render(request, "inspections/targets/detail.html", context,
                  status=error.status if error is not None else 200)


@never_cache
@login_required
@require_GET
def target_detail(request, target_id: int):
    return render_detail(request, selectors.target_get(actor=request.user,
                                                       target_id=target_id))


@never_cache
@login_required
@require_POST
def target_contact(request, target_id: int):
    """The contact in clear, for a stated reason: rendered into this answer only (never
    stored, `no-store`), and recorded by the service."""
    target = selectors.target_get(actor=request.user, target_id=target_id)
    form = RevealForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        name, phone = services.target_contact_reveal(actor=request.user, target=target,
                                                     reason=reason)
    except ApplicationError as exc:
        return render_detail(request, target, exc, extra={"reveal_open": True})
    return render_detail(request, target, extra={"revealed": {"name": name, "phone": phone}})


# --- import -----------------------------------------------------------------------------

def _import_page(request, form: SpreadsheetImportForm, status: int = 200, **extra):
    return render(request, "inspections/targets/import.html", {
        "form": form, "max_rows": imports.MAX_ROWS,
        "max_mb": imports.MAX_BYTES // (1024 * 1024), **extra}, status=status)


@never_cache
@login_required
def targets_import(request):
    _require_inspector(request.user)
    if request.method != "POST":
        return _import_page(request, SpreadsheetImportForm())
    form = SpreadsheetImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    try:
        report = imports.targets_import(actor=request.user, upload=form.cleaned_data["file"],
                                        check_only=form.check_only)
    except ApplicationError as exc:
        return _import_page(request, form, status=exc.status, error=exc,
                            problems=exc.details or [])
    if not report.check_only:
        messages.success(request, _("%(n)d targets imported.") % {"n": report.created})
        return redirect("inspections:targets")
    return _import_page(request, SpreadsheetImportForm(), report=report)


@login_required
@require_GET
def targets_import_template(request):
    _require_inspector(request.user)
    response = HttpResponse(imports.template_bytes(), content_type=imports.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="inspection-targets.xlsx"'
    response["Cache-Control"] = "no-store, private"
    return response


urlpatterns: list[URLPattern] = [
    path("targets/", target_list, name="targets"),
    path("targets/new/", target_new, name="target_new"),
    path("targets/import/", targets_import, name="targets_import"),
    path("targets/import/template/", targets_import_template,
         name="targets_import_template"),
    path("targets/<int:target_id>/", target_detail, name="target_detail"),
    path("targets/<int:target_id>/edit/", target_edit, name="target_edit"),
    path("targets/<int:target_id>/contact/", target_contact, name="target_contact"),
    path("targets/<int:target_id>/active/", target_active, name="target_active"),
]
