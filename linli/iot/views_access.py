"""Door access and welfare watch pages. `urlpatterns` is gathered by urls_access.py.

Doors: the list of the doors the user sees with today's openings, and a door's page with
its last 24 hours by hour and last 7 days by day (ECharts, local; tables beside them).
Watches: the list of the place's watches, setting one up (with the consent text) and
stopping one. Pages parse input, call a selector or a service and render; a refusal shows
the form again with what was typed and the status the API would answer.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from linli.accounts import scope
from linli.core.errors import ApplicationError, PermissionDenied
from linli.iot import selectors_access as selectors
from linli.iot.forms_access import CONSENT_TEXT, WatchForm, WithdrawForm
from linli.iot.models import WelfareWatch
from linli.iot.permissions import STAFF
from linli.iot.services import access
from linli.people import selectors as people_selectors

PAGE_SIZE = 30


# --- doors -----------------------------------------------------------------------------------

@login_required
@require_GET
def door_list(request):
    user = request.user
    if not (scope.has_role(user, STAFF) or scope.unit_ids(user)):
        raise Http404
    page = Paginator(selectors.door_list(actor=user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    today = selectors.opens_today(list(page.object_list), timezone.now())
    rows = [(door, today.get(door.pk, 0)) for door in page.object_list]
    return render(request, "iot/access/doors.html", {"page": page, "rows": rows})


def _chart_data(counts: selectors.DoorCounts) -> dict:
    return {"hours": {"labels": [timezone.localtime(h).strftime("%H:00")
                                 for h, _n in counts.hours],
                      "counts": [n for _h, n in counts.hours]},
            "days": {"labels": [d.strftime("%m-%d") for d, _n in counts.days],
                     "counts": [n for _d, n in counts.days]}}


@login_required
@require_GET
def door_detail(request, device_id: int):
    device = selectors.door_get(actor=request.user, device_id=device_id)
    counts = selectors.door_counts(device, timezone.now())
    return render(request, "iot/access/door.html", {
        "device": device, "counts": counts, "charts": _chart_data(counts),
        "chart_words": {"opens": _("Openings")}})


# --- welfare watches -------------------------------------------------------------------------

def _require_registry_staff(user) -> None:
    """The watch pages do not exist for anyone but the registry's staff (grid workers,
    dispatchers, leaders, administrators): a watch is about a resident's care."""
    if not scope.has_role(user, STAFF):
        raise Http404


@never_cache
@login_required
@require_GET
def watch_list(request):
    user = request.user
    _require_registry_staff(user)
    withdrawn = request.GET.get("withdrawn") == "1"
    page = Paginator(selectors.watch_list(actor=user, withdrawn=withdrawn),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    watches = list(page.object_list)
    places = selectors.places_of(watches)
    rows = [(w, selectors.masked_name(w), places[w.pk],
             access.may_keep_watch(user, w.resident.household.dwelling)) for w in watches]
    return render(request, "iot/access/watches.html", {
        "page": page, "rows": rows, "withdrawn": withdrawn,
        "query": "withdrawn=1" if withdrawn else "",
        "can_create": bool(selectors.watch_residents(actor=user))})


def _render_form(request, form: WatchForm, error: ApplicationError | None = None):
    return render(request, "iot/access/watch_form.html", {
        "form": form, "error": error, "consent_text": CONSENT_TEXT,
    }, status=error.status if error is not None else (400 if form.errors else 200))


def _show_error(form, exc: ApplicationError) -> None:
    for detail in exc.details or []:
        if isinstance(detail, dict) and detail.get("field") in form.fields:
            form.add_error(detail["field"], detail.get("message") or exc.message)


@never_cache
@login_required
def watch_new(request):
    user = request.user
    residents = selectors.watch_residents(actor=user)
    if not residents:
        denied = PermissionDenied(_("Only the dispatchers and grid workers of a place with "
                                    "care-plan residents set up a welfare watch."))
        return render(request, "core/refused.html",
                      {"error": denied, "back": "/iot/watches/"}, status=denied.status)
    form = WatchForm(request.POST or None, residents=residents,
                     doors=selectors.watch_doors(actor=user))
    if request.method != "POST" or not form.is_valid():
        return _render_form(request, form)
    data = form.cleaned_data
    try:
        resident = people_selectors.resident_get(actor=user, resident_id=data["resident"])
        device = selectors.door_get(actor=user, device_id=data["device"])
        access.watch_create(actor=user, resident=resident, device=device,
                            quiet_hours=data["quiet_hours"],
                            consent_reference=data["consent_reference"])
    except ApplicationError as exc:
        _show_error(form, exc)
        return _render_form(request, form, exc)
    messages.success(request, _("The welfare watch is set up."))
    return redirect("iot:watches")


def _render_withdraw(request, watch: WelfareWatch, form: WithdrawForm,
                     error: ApplicationError | None = None):
    return render(request, "iot/access/watch_withdraw.html", {
        "watch": watch, "form": form, "error": error,
        "name": selectors.masked_name(watch), "place": selectors.place_of(watch),
    }, status=error.status if error is not None else (400 if form.errors else 200))


@never_cache
@login_required
def watch_withdraw(request, watch_id: int):
    user = request.user
    watch = selectors.watch_get(actor=user, watch_id=watch_id)
    form = WithdrawForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _render_withdraw(request, watch, form)
    try:
        access.watch_withdraw(actor=user, watch=watch, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        _show_error(form, exc)
        return _render_withdraw(request, watch, form, exc)
    messages.success(request, _("The welfare watch is stopped."))
    return redirect("iot:watches")


urlpatterns: list[URLPattern] = [
    path("doors/", door_list, name="doors"),
    path("doors/<int:device_id>/", door_detail, name="door"),
    path("watches/", watch_list, name="watches"),
    path("watches/new/", watch_new, name="watch_new"),
    path("watches/<int:watch_id>/withdraw/", watch_withdraw, name="watch_withdraw"),
]
