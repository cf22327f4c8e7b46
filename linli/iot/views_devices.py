"""The device registry's pages: the list with its filters and counts, the map, a device's
page (facts, readings, refusals, alarms), adding, changing and retiring a device, its
credentials (the secret shown once) and the xlsx import. `urlpatterns` is gathered by
urls.py.

Pages parse input, call a selector or a service and render; a refusal shows the form again
with what was typed, the reason beside the field, and the status the API would answer.
The registry does not exist for someone who sees no device by their roles (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from linli.core.crypto import mask_name
from linli.core.errors import ApplicationError, PermissionDenied
from linli.core.forms import SpreadsheetImportForm
from linli.core.listing import known_filters, query_without_page
from linli.iot import credentials, imports
from linli.iot import selectors_devices as selectors
from linli.iot.forms_devices import FILTERS, DeviceFilterForm, DeviceForm, RetireForm
from linli.iot.models import Device
from linli.iot.permissions import may_manage_device
from linli.iot.services import devices as services
from linli.orgs.models import Unit

PAGE_SIZE = 30


def _require_registry(user) -> None:
    if not selectors.sees_registry(user):
        raise Http404


def _filter_form(request) -> DeviceFilterForm:
    data = known_filters(request, FILTERS)
    return DeviceFilterForm(data or None,
                            communities=selectors.device_communities(actor=request.user))


@login_required
@require_GET
def device_list(request):
    user = request.user
    _require_registry(user)
    form = _filter_form(request)
    filters = form.filters()
    devices = selectors.device_list(actor=user, filters=filters)
    counts = selectors.device_counts(actor=user, filters=filters)
    return render(request, "iot/devices/list.html", {
        "form": form, "page": Paginator(devices, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query_without_page(request),
        "export_fields": [(name, request.GET[name]) for name in FILTERS if request.GET.get(name)],
        "counts": [
            (status, label, counts[status]) for status, label in selectors.status_choices()],
        "manages": selectors.manages_any(user),
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def device_map(request):
    user = request.user
    _require_registry(user)
    form = _filter_form(request)
    filters = form.filters()
    devices = selectors.map_devices(actor=user, filters=filters)
    return render(request, "iot/devices/map.html", {
        "form": form, "areas": selectors.map_areas(actor=user),
        "points": selectors.map_points(devices),
        "total": selectors.device_list(actor=user, filters=filters).count(),
        "limit": selectors.MAP_LIMIT, "query": query_without_page(request),
        "legend": selectors.status_choices(), "lights": selectors.LIGHTS,
    }, status=400 if form.errors else 200)


# --- a device's page ----------------------------------------------------------------------

def _masked(device: Device) -> str:
    """A help button's resident, masked (张*兰): the device pages never show the name."""
    return mask_name(device.resident.name) if device.resident is not None else ""


def render_detail(request, device: Device, error: ApplicationError | None = None,
                  extra: dict | None = None):
    user = request.user
    readings = selectors.last_readings(device)
    rollups = selectors.hourly(device, timezone.now())
    refusals = selectors.refusals(device)
    context = {
        "device": device, "error": error, "posted": request.POST if error else {},
        "manages": may_manage_device(user, device),
        "warnings": services.device_warnings(device),
        "readings": readings, "latest": selectors.latest_values(readings),
        "rollups": rollups, "chart": selectors.readings_chart(rollups),
        "refusals": refusals,
        "refusal_reasons": [(selectors.reason_label(r), n)
                            for r, n in sorted(refusals.by_reason.items())],
        "alarms": list(selectors.device_alarms(actor=user, device=device)[:50]),
        "place": selectors.place_text(device.area),
        "resident_masked": _masked(device),
        **(extra or {}),
    }
    return render(request, "iot/devices/detail.html", context,
                  status=error.status if error is not None else 200)


@never_cache
@login_required
@require_GET
def device_detail(request, device_id: int):
    return render_detail(request, selectors.device_get(actor=request.user,
                                                       device_id=device_id))


# --- add and change -----------------------------------------------------------------------

def _show_error(form: DeviceForm, exc: ApplicationError) -> None:
    """Put a refusal beside the field it names (the service names it in `details`)."""
    names = {"area": "place", "resident": "resident_number"}
    for detail in exc.details or []:
        if isinstance(detail, dict):
            name = names.get(detail.get("field", ""), detail.get("field"))
            if name in form.fields:
                form.add_error(name, detail.get("message") or exc.message)


def _render_form(request, form: DeviceForm, device: Device | None,
                 error: ApplicationError | None = None):
    return render(request, "iot/devices/form.html", {
        "form": form, "device": device, "error": error,
        "resident_masked": _masked(device) if device is not None else "",
    }, status=error.status if error is not None else (400 if form.errors else 200))


def _unit(units: list[Unit], unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = next((u for u in units if u.pk == unit_id), None)
    if unit is None:
        raise services.invalid("owner_unit", _("Choose the owner unit from the list."))
    return unit


def _values(request, form: DeviceForm, units: list[Unit], device: Device | None) -> dict:
    """The form's fields as the services take them: the place found, the unit and the
    help button's resident (by ID number, in that dwelling only)."""
    data = dict(form.cleaned_data)
    area = selectors.Places(request.user).find(data.pop("place"))
    number = data.pop("resident_number").strip()
    values = {**data, "area": area, "owner_unit": _unit(units, data["owner_unit"])}
    if number:
        resident = selectors.resident_in(area, number)
        if resident is None:
            raise services.invalid("resident", _(
                "No resident with this ID number lives in this dwelling by the registry."))
        values["resident"] = resident
    elif device is None:
        values["resident"] = None
    return values


def _refused_page(error: ApplicationError, request):
    return render(request, "core/refused.html", {"error": error, "back": "/iot/devices/"},
                  status=error.status)


@never_cache
@login_required
def device_new(request):
    user = request.user
    _require_registry(user)
    if not selectors.manages_any(user):
        return _refused_page(PermissionDenied(_("Only dispatchers and administrators "
                                                "register devices.")), request)
    units = selectors.unit_choices(actor=user)
    form = DeviceForm(request.POST or None, units=units)
    if request.method != "POST" or not form.is_valid():
        return _render_form(request, form, None)
    try:
        device = services.device_create(actor=user, **_values(request, form, units, None))
    except ApplicationError as exc:
        _show_error(form, exc)
        return _render_form(request, form, None, exc)
    messages.success(request, _("The device is registered."))
    for warning in services.device_warnings(device):
        messages.warning(request, warning)
    return redirect("iot:device", device_id=device.pk)


@never_cache
@login_required
def device_edit(request, device_id: int):
    user = request.user
    device = selectors.device_get(actor=user, device_id=device_id)
    units = selectors.unit_choices(actor=user, keep=device.owner_unit)
    initial = {"kind": device.kind, "name": device.name, "address": device.address,
               "place": selectors.place_text(device.area), "owner_unit": device.owner_unit_id,
               "heartbeat_seconds": device.heartbeat_seconds, "lat": device.lat or "",
               "lng": device.lng or ""}
    form = DeviceForm(request.POST or None, units=units, editing=True, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return _render_form(request, form, device)
    try:
        values = _values(request, form, units, device)
        if values["area"].pk == device.area_id:
            values.pop("area")
        device = services.device_update(actor=user, device=device, **values)
    except ApplicationError as exc:
        _show_error(form, exc)
        return _render_form(request, form, device, exc)
    messages.success(request, _("The device is saved."))
    for warning in services.device_warnings(device):
        messages.warning(request, warning)
    return redirect("iot:device", device_id=device.pk)


@login_required
@require_POST
def device_retire(request, device_id: int):
    device = selectors.device_get(actor=request.user, device_id=device_id)
    form = RetireForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.device_retire(actor=request.user, device=device, reason=reason)
    except ApplicationError as exc:
        return render_detail(request, device, exc, extra={"retire_open": True})
    messages.success(request, _("The device is retired: its messages are refused from now "
                                "on."))
    return redirect("iot:device", device_id=device.pk)


@never_cache
@login_required
@require_POST
def device_secret(request, device_id: int):
    """A new secret, rendered into this answer only (never stored in clear, `no-store`)."""
    device = selectors.device_get(actor=request.user, device_id=device_id)
    try:
        secret = services.device_secret_set(actor=request.user, device=device)
    except ApplicationError as exc:
        return render_detail(request, device, exc)
    return render(request, "iot/devices/secret.html", {
        "device": device, "secret": secret,
        "topic": credentials.device_topics(device)})


# --- import -----------------------------------------------------------------------------

def _require_manager(user) -> None:
    _require_registry(user)
    if not selectors.manages_any(user):
        raise Http404


def _import_page(request, form: SpreadsheetImportForm, status: int = 200, **extra):
    return render(request, "iot/devices/import.html", {
        "form": form, "max_rows": imports.MAX_ROWS,
        "max_mb": imports.MAX_BYTES // (1024 * 1024), "headers": imports.HEADERS,
        "kinds": imports.KIND_LIST, **extra}, status=status)


@never_cache
@login_required
def devices_import(request):
    _require_manager(request.user)
    if request.method != "POST":
        return _import_page(request, SpreadsheetImportForm())
    form = SpreadsheetImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    try:
        report = imports.devices_import(actor=request.user, upload=form.cleaned_data["file"],
                                        check_only=form.check_only)
    except ApplicationError as exc:
        return _import_page(request, form, status=exc.status, error=exc,
                            problems=exc.details or [])
    if not report.check_only:
        messages.success(request, _("%(n)d devices imported.") % {"n": report.created})
        for warning in report.warnings[:20]:
            messages.warning(request, _("Row %(row)d: %(message)s") % warning)
        return redirect("iot:devices")
    return _import_page(request, SpreadsheetImportForm(), report=report)


@login_required
@require_GET
def devices_import_template(request):
    _require_manager(request.user)
    response = HttpResponse(imports.template_bytes(), content_type=imports.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="iot-devices.xlsx"'
    response["Cache-Control"] = "no-store, private"
    return response


urlpatterns: list[URLPattern] = [
    path("devices/", device_list, name="devices"),
    path("devices/map/", device_map, name="devices_map"),
    path("devices/new/", device_new, name="device_new"),
    path("devices/import/", devices_import, name="devices_import"),
    path("devices/import/template/", devices_import_template,
         name="devices_import_template"),
    path("devices/<int:device_id>/", device_detail, name="device"),
    path("devices/<int:device_id>/edit/", device_edit, name="device_edit"),
    path("devices/<int:device_id>/retire/", device_retire, name="device_retire"),
    path("devices/<int:device_id>/secret/", device_secret, name="device_secret"),
]
