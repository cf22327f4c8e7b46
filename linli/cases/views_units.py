"""The handling-unit pages: list, create, edit, and one page per unit with its service
areas, default routes and members.

Administrators manage the units serving their areas; leaders see the same pages without
the forms. A unit that also serves areas outside the administrator's is shown in full,
but only what lies within their own areas can be changed by them (orgs.permissions.
can_edit_unit says why). The pages live in cases because routes and open-case counts are
cases' business and orgs may not import cases; the unit's own rules stay in orgs.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts import services as account_services
from linli.accounts.models import Role
from linli.accounts.permissions import can_manage_area
from linli.accounts.selectors import unit_members, user_by_login
from linli.cases import selectors, services
from linli.cases.forms_units import AreaPickForm, MemberForm, RouteForm, UnitFilterForm, UnitForm
from linli.cases.models import Category
from linli.cases.views import require
from linli.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from linli.core.refusals import render_refused
from linli.orgs import services as org_services
from linli.orgs.models import Area, Unit
from linli.orgs.permissions import can_create_units, can_edit_unit, can_view_units
from linli.orgs.selectors import admin_areas, unit_overview_get, unit_overview_list

LIST_LIMIT = 300
PICKER_LIMIT = 500
# Areas offered for serving and routing: dwellings and entrances are too small to route by.
PICKED_KINDS = ["street", "community", "grid", "estate"]
SUPERVISOR_KINDS = ["district", "street", "community"]


def _unit(request, unit_id: int) -> Unit:
    require(can_view_units(request.user))
    return unit_overview_get(actor=request.user, unit_id=unit_id)


@login_required
def unit_list(request):
    user = request.user
    require(can_view_units(user))
    form = UnitFilterForm(request.GET or None)
    units = list(unit_overview_list(actor=user, **form.values())
                 .annotate(n_members=Count("members", distinct=True))
                 .prefetch_related("service_areas")[:LIST_LIMIT + 1])
    counts = selectors.open_case_counts(actor=user, unit_ids=[u.pk for u in units])
    rows = [(u, counts.get(u.pk, 0)) for u in units[:LIST_LIMIT]]
    return render(request, "cases/units/list.html", {
        "form": form, "rows": rows, "truncated": len(units) > LIST_LIMIT,
        "can_create": can_create_units(user)})


def _unit_form(request, data=None, *, unit: Unit | None = None) -> UnitForm:
    """The create form, or with `unit` its edit form. The current supervising area stays
    a choice even when it is above the actor's areas, so keeping it is possible."""
    supervisors = list(admin_areas(actor=request.user, kinds=SUPERVISOR_KINDS)[:PICKER_LIMIT])
    if unit is not None and unit.supervisor_area and unit.supervisor_area not in supervisors:
        supervisors.insert(0, unit.supervisor_area)
    served = admin_areas(actor=request.user, kinds=PICKED_KINDS)[:PICKER_LIMIT]
    initial = None if unit is None else {
        "name": unit.name, "kind": unit.kind, "phone": unit.phone,
        "supervisor_area": unit.supervisor_area_id, "is_active": unit.is_active}
    return UnitForm(data, initial=initial, supervisors=supervisors, served=served,
                    creating=unit is None)


def _areas(ids) -> list[Area]:
    return list(Area.objects.filter(pk__in=ids).order_by("path"))


@login_required
def unit_new(request):
    require(can_create_units(request.user))
    form = _unit_form(request, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            supervisor = _areas([data["supervisor_area"]])[0] if data["supervisor_area"] \
                else None
            try:
                unit = org_services.unit_create(
                    actor=request.user, name=data["name"], kind=data["kind"],
                    phone=data["phone"], service_areas=_areas(data["service_areas"]),
                    supervisor_area=supervisor)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("%(unit)s was created.") % {"unit": unit.name})
                return redirect("cases:unit_detail", unit_id=unit.pk)
        else:
            status = 400
    return render(request, "cases/units/form.html", {"form": form, "unit": None},
                  status=status)


@login_required
def unit_edit(request, unit_id: int):
    unit = _unit(request, unit_id)
    back = reverse("cases:unit_detail", args=[unit.pk])
    if not can_edit_unit(request.user, unit):
        return render_refused(request, PermissionDenied(
            _("This unit also serves areas outside yours: only their administrators "
              "together may change it.")), back)
    form = _unit_form(request, request.POST or None, unit=unit)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            supervisor = _areas([data["supervisor_area"]])[0] if data["supervisor_area"] \
                else None
            try:
                services.unit_change(actor=request.user, unit=unit, name=data["name"],
                                     kind=data["kind"], phone=data["phone"],
                                     supervisor_area=supervisor, is_active=data["is_active"])
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, _("Changes saved."))
                return redirect(back)
        else:
            status = 400
    return render(request, "cases/units/form.html", {"form": form, "unit": unit},
                  status=status)


def _within_q(areas: list[Area]) -> Q:
    q = Q(pk__in=[])
    for area in areas:
        q |= Q(path__startswith=area.path)
    return q


def _detail(request, unit: Unit, *, forms: dict | None = None, status: int = 200):
    """The unit page; `forms` carries a refused form back into its section."""
    user = request.user
    served = list(unit.service_areas.order_by("path"))
    manager = can_create_units(user)
    addable = (admin_areas(actor=user, kinds=PICKED_KINDS).exclude(pk__in=[a.pk for a in served])
               [:PICKER_LIMIT]) if manager else Area.objects.none()
    workable = (admin_areas(actor=user, kinds=PICKED_KINDS).filter(_within_q(served))
                [:PICKER_LIMIT]) if manager else Area.objects.none()
    forms = forms or {}
    routes = list(selectors.unit_routes(unit=unit))
    members = list(unit_members(unit=unit))
    return render(request, "cases/units/detail.html", {
        "unit": unit, "editable": can_edit_unit(user, unit), "manager": manager,
        "served": [(a, manager and can_manage_area(user, a)) for a in served],
        "routes": [(r, manager and can_manage_area(user, r.area)) for r in routes],
        "members": [(m, manager and can_manage_area(user, m.area)) for m in members],
        "open_cases": selectors.open_case_counts(actor=user, unit_ids=[unit.pk]).get(
            unit.pk, 0),
        "area_form": forms.get("area") or AreaPickForm(areas=addable),
        "route_form": forms.get("route") or RouteForm(areas=workable),
        "member_form": forms.get("member") or MemberForm(areas=workable),
    }, status=status)


@login_required
def unit_detail(request, unit_id: int):
    return _detail(request, _unit(request, unit_id))


def _pickable(user):
    """The areas a unit-page form offers: the actor's own, as the page listed them."""
    return admin_areas(actor=user, kinds=PICKED_KINDS)[:PICKER_LIMIT]


def _refused(request, unit: Unit, key: str, form, error: ApplicationError):
    form.add_error(None, error.message)
    return _detail(request, unit, forms={key: form}, status=error.status)


def _invalid(request, unit: Unit, key: str, form):
    return _detail(request, unit, forms={key: form}, status=400)


def _done(unit: Unit, message: str, request, anchor: str):
    messages.success(request, message)
    return redirect(reverse("cases:unit_detail", args=[unit.pk]) + f"#{anchor}")


@login_required
@require_POST
def unit_area_add(request, unit_id: int):
    unit = _unit(request, unit_id)
    form = AreaPickForm(request.POST, areas=_pickable(request.user))
    if not form.is_valid():
        return _invalid(request, unit, "area", form)
    area = _areas([form.cleaned_data["area"]])[0]
    try:
        org_services.unit_area_add(actor=request.user, unit=unit, area=area)
    except ApplicationError as exc:
        return _refused(request, unit, "area", form, exc)
    return _done(unit, _("%(unit)s now serves %(area)s.") % {
        "unit": unit.name, "area": area.name}, request, "areas")


@login_required
@require_POST
def unit_area_remove(request, unit_id: int, area_id: int):
    unit = _unit(request, unit_id)
    area = unit.service_areas.filter(pk=area_id).first()
    if area is None:
        raise Http404
    try:
        services.unit_area_drop(actor=request.user, unit=unit, area=area)
    except ApplicationError as exc:
        return render_refused(request, exc, reverse("cases:unit_detail", args=[unit.pk]))
    return _done(unit, _("%(unit)s no longer serves %(area)s.") % {
        "unit": unit.name, "area": area.name}, request, "areas")


@login_required
@require_POST
def route_add(request, unit_id: int):
    unit = _unit(request, unit_id)
    form = RouteForm(request.POST, areas=_pickable(request.user))
    if not form.is_valid():
        return _invalid(request, unit, "route", form)
    category = Category.objects.get(code=form.cleaned_data["category"])
    area = _areas([form.cleaned_data["area"]])[0]
    try:
        services.route_set(actor=request.user, unit=unit, category=category, area=area,
                           replace=form.cleaned_data["replace"])
    except ApplicationError as exc:
        return _refused(request, unit, "route", form, exc)
    return _done(unit, _("In %(area)s, %(category)s now goes to %(unit)s.") % {
        "area": area.name, "category": category.name, "unit": unit.name}, request, "routes")


@login_required
@require_POST
def route_remove(request, unit_id: int, route_id: int):
    unit = _unit(request, unit_id)
    route = selectors.route_get(unit=unit, route_id=route_id)
    try:
        services.route_remove(actor=request.user, route=route)
    except ApplicationError as exc:
        return render_refused(request, exc, reverse("cases:unit_detail", args=[unit.pk]))
    return _done(unit, _("Default route removed."), request, "routes")


@login_required
@require_POST
def member_add(request, unit_id: int):
    unit = _unit(request, unit_id)
    form = MemberForm(request.POST, areas=_pickable(request.user))
    if not form.is_valid():
        return _invalid(request, unit, "member", form)
    area = _areas([form.cleaned_data["area"]])[0]
    try:
        member = user_by_login(form.cleaned_data["login"])
        if member is None or not member.is_active:
            raise ValidationFailed(_("No active account has that username or phone number. "
                                     "Create the account first."), code="no_user")
        if not any(area.is_within(a) for a in unit.service_areas.all()):
            raise ValidationFailed(_("%(unit)s does not serve %(area)s.") % {
                "unit": unit.name, "area": area.name}, code="not_served")
        account_services.role_assign(actor=request.user, user=member, role=Role.UNIT_MEMBER,
                                     area=area, unit=unit)
    except ApplicationError as exc:
        return _refused(request, unit, "member", form, exc)
    return _done(unit, _("%(user)s is now a member of %(unit)s.") % {
        "user": member, "unit": unit.name}, request, "members")


@login_required
@require_POST
def member_remove(request, unit_id: int, assignment_id: int):
    unit = _unit(request, unit_id)
    assignment = unit_members(unit=unit).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    try:
        account_services.role_revoke(actor=request.user, assignment=assignment)
    except ApplicationError as exc:
        return render_refused(request, exc, reverse("cases:unit_detail", args=[unit.pk]))
    return _done(unit, _("%(user)s is no longer a member of %(unit)s.") % {
        "user": assignment.user, "unit": unit.name}, request, "members")
