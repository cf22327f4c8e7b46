"""The hub, services, venues, bookings and the desk of the service library. `urlpatterns`
is gathered by urls.py; the names home, service_new, service, bookings, booking and desk
are the contract other parts link to.

- `home`: services the actor may book by kind, with price and next free time; venues.
- `service`: one service: slots with places left, book for oneself or a household member
  (points priced: the balance and the price shown first); a venue: rooms, opening hours,
  each room's taken hours over the next 7 days, and a room booking form. Staff and the
  provider's people add slots (weekly repeats), withdraw a free slot, add rooms, set
  opening hours and open or close the service.
- `bookings`, `booking`: the household's bookings; cancel, rate (the buttons the workflow
  offers).
- `desk`: bookings of the services the actor runs, by day: confirm, decline (a reason),
  mark served. The provider's people see masked names, staff full ones.

A refused form shows the page again with the reason and the status the API would answer.
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.errors import ApplicationError, ValidationFailed
from linli.library import events, permissions, services
from linli.library import selectors_services as sel
from linli.library.forms_services import (
    BookingActionForm,
    HoursForm,
    RoomBookForm,
    RoomForm,
    ServiceForm,
    SlotBookForm,
    SlotsForm,
    first_invalid,
)
from linli.library.models import BookingState, Price, Provider, ServiceKind
from linli.library.selectors import providers_visible
from linli.library.services.catalogue import may_manage
from linli.library.workflow import BOOKINGS

ACTIONS = ("confirm", "decline", "cancel", "complete", "rate")
DONE = {"confirm": _("The booking is confirmed."), "decline": _("The booking is declined."),
        "cancel": _("The booking is cancelled."), "complete": _("Marked served."),
        "rate": _("Thank you for rating.")}


# --- the hub -------------------------------------------------------------------------------

@login_required
@require_GET
def hub(request):
    user = request.user
    kind = request.GET.get("kind", "")
    if kind not in ServiceKind.values or kind == ServiceKind.VENUE:
        kind = ""
    rows = list(sel.service_list(user, kind=kind, venues=False)[:100])
    venues = list(sel.service_list(user, venues=True)[:20])
    return render(request, "library/hub.html", {
        "services": rows, "venues": venues, "free": sel.next_free(rows), "kind": kind,
        "kinds": [k for k in ServiceKind.choices if k[0] != ServiceKind.VENUE],
        "has_desk": sel.has_desk(user), "may_add": bool(_providers_managed(user)),
    })


# --- one service -----------------------------------------------------------------------------

def _context(request, service) -> dict[str, Any]:
    user = request.user
    manages = may_manage(user, service.provider, service.area)
    context: dict[str, Any] = {
        "service": service, "manages": manages,
        "members": sel.household_members(user, service),
        "points": service.points, "balance": sel.balance(user, service) if service.points else 0,
    }
    if service.is_venue:
        context["week"] = sel.week_of(service)
        context["rooms"] = list(service.rooms.filter(is_active=True))
        context["weekdays"] = WEEKDAYS
        context["hours"] = list(service.hours.all())
    else:
        context["slots"] = list(sel.upcoming_slots(service)[:60])
    return context


WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
            (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))]


def render_service(request, service, error: ApplicationError | None = None,
                   form_id: str = ""):
    context = _context(request, service)
    if error is not None:
        context |= {"error": error, "posted": request.POST, "form_id": form_id}
    return render(request, "library/services/detail.html", context,
                  status=error.status if error is not None else 200)


@login_required
@require_GET
def service_detail(request, service_id: int):
    return render_service(request, sel.service_get(request.user, service_id))


def _resident(pk: int):
    from linli.people.models import Resident

    found = Resident.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def book_slot(request, service_id: int):
    service = sel.service_get(request.user, service_id)
    form = SlotBookForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        slot = sel.slot_get(request.user, service, data["slot"])
        made = services.booking_create(actor=request.user, slot=slot,
                                       resident=_resident(data["resident"]),
                                       note=data["note"])
    except ApplicationError as exc:
        return render_service(request, service, error=exc, form_id="book")
    messages.success(request, str(_("Booked: %(service)s.") % {"service": service.title}))
    return redirect("library:booking", made.pk)


@login_required
@require_POST
def book_room(request, service_id: int):
    service = sel.service_get(request.user, service_id)
    form = RoomBookForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        room = sel.room_get(request.user, service, data["room"])
        tz = timezone.get_current_timezone()
        made = services.room_book(
            actor=request.user, room=room, resident=_resident(data["resident"]),
            starts_at=datetime.combine(data["day"], data["start"], tzinfo=tz),
            ends_at=datetime.combine(data["day"], data["end"], tzinfo=tz), note=data["note"])
    except ApplicationError as exc:
        return render_service(request, service, error=exc, form_id="room")
    messages.success(request, str(_("Booked: %(room)s.") % {"room": room.name}))
    return redirect("library:booking", made.pk)


# --- managing a service --------------------------------------------------------------------

def _providers_managed(user) -> list[Provider]:
    rows = providers_visible(user).filter(is_active=True).select_related("area", "community")
    return [p for p in rows[:200] if may_manage(user, p)]


AUDIENCE_KINDS = ("street", "community", "grid", "estate", "building")


def _areas(user) -> list[dict]:
    """The places a service may be offered to: the staff's areas and the grids, estates and
    buildings under them (never single dwellings), named with their estate."""
    from linli.accounts import scope
    from linli.library.permissions import STAFF
    from linli.orgs.models import Area
    from linli.people.selectors import place_labels

    paths = scope.area_paths(user, STAFF)
    q = Area.objects.none()
    for p in paths:
        q = q | Area.objects.filter(path__startswith=p, kind__in=AUDIENCE_KINDS)
    places = list(q.order_by("path")[:300])
    labels = place_labels(places)
    return [{"pk": a.pk, "label": labels[a.pk]} for a in places]


def _service_data(form: ServiceForm) -> services.ServiceData:
    from linli.people.models import CareTag

    data = form.cleaned_data
    tag = None
    if data.get("care_tag"):
        tag = CareTag.objects.filter(pk=data["care_tag"]).first()
        if tag is None:
            raise ValidationFailed(str(_("Unknown care tag.")), code="bad_care_tag")
    return services.ServiceData(
        kind=data["kind"], title=data["title"], description=data["description"],
        place=data["place"], price=data["price"], price_yuan=data["price_yuan"],
        price_points=data["price_points"], capacity=data["capacity"],
        needs_confirmation=data["needs_confirmation"], is_venue=data["is_venue"],
        care_tag=tag)


def _render_form(request, *, service=None, posted, error=None):
    from linli.people.models import CareTag

    providers = _providers_managed(request.user)
    # A provider's own people (not staff) offer to where the provider serves.
    areas = _areas(request.user) or [{"pk": p.area_id, "label": p.area.name}
                                     for p in providers]
    return render(request, "library/services/form.html", {
        "service": service, "providers": providers, "areas": areas, "posted": posted,
        "kinds": ServiceKind.choices, "prices": Price.choices,
        "tags": CareTag.objects.order_by("name"), "error": error,
    }, status=error.status if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request):
    from linli.orgs.models import Area

    if request.method == "GET":
        if not _providers_managed(request.user):
            raise PermissionDenied(str(_("Only staff and providers add services.")))
        return _render_form(request, posted={
            "capacity": "1", "needs_confirmation": "on",
            "provider": request.GET.get("provider", "")})
    form = ServiceForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        provider = providers_visible(request.user).filter(
            pk=form.cleaned_data["provider"]).first()
        if provider is None:
            raise Http404
        area = Area.objects.filter(pk=form.cleaned_data["area"]).first()
        made = services.service_create(actor=request.user, provider=provider, area=area,
                                       data=_service_data(form))
    except ApplicationError as exc:
        return _render_form(request, posted=request.POST, error=exc)
    messages.success(request, str(_("The service is saved: add its times.")))
    return redirect("library:service", made.pk)


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, service_id: int):
    from linli.orgs.models import Area

    service = sel.service_get(request.user, service_id)
    if not may_manage(request.user, service.provider, service.area):
        raise PermissionDenied(str(_("You may not change this service.")))
    if request.method == "GET":
        return _render_form(request, service=service, posted={
            "provider": str(service.provider_id), "area": str(service.area_id),
            "kind": service.kind, "title": service.title,
            "description": service.description, "place": service.place,
            "price": service.price, "price_yuan": service.price_yuan or "",
            "price_points": service.price_points or "", "capacity": service.capacity,
            "care_tag": str(service.care_tag_id or ""),
            "needs_confirmation": "on" if service.needs_confirmation else "",
            "is_venue": "on" if service.is_venue else ""})
    form = ServiceForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        area = Area.objects.filter(pk=form.cleaned_data["area"]).first()
        services.service_update(actor=request.user, service=service, area=area,
                                data=_service_data(form))
    except ApplicationError as exc:
        return _render_form(request, service=service, posted=request.POST, error=exc)
    messages.success(request, str(_("The service is saved.")))
    return redirect("library:service", service.pk)


def _manage_post(request, service_id: int, form_id: str, work, done):
    service = sel.service_get(request.user, service_id)
    try:
        work(service)
    except ApplicationError as exc:
        return render_service(request, service, error=exc, form_id=form_id)
    messages.success(request, str(done))
    return redirect(f"{_service_url(service.pk)}#manage")


def _service_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("library:service", args=[pk])


@login_required
@require_POST
def service_active(request, service_id: int):
    active = request.POST.get("active") == "1"
    return _manage_post(
        request, service_id, "active",
        lambda s: services.service_set_active(actor=request.user, service=s, active=active),
        _("The service is open for booking.") if active else _("The service is closed."))


@login_required
@require_POST
def slots_add(request, service_id: int):
    def work(service):
        form = SlotsForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        start = data["starts_at"]
        end = datetime.combine(timezone.localtime(start).date(), data["ends_at"],
                               tzinfo=timezone.get_current_timezone())
        services.slots_add(actor=request.user, service=service, starts_at=start,
                           ends_at=end, capacity=data["capacity"], weeks=data["weeks"] or 1)
    return _manage_post(request, service_id, "slots", work, _("Times added."))


@login_required
@require_POST
def slot_withdraw(request, service_id: int, slot_id: int):
    def work(service):
        slot = sel.slot_get(request.user, service, slot_id)
        services.slot_withdraw(actor=request.user, slot=slot)
    return _manage_post(request, service_id, f"withdraw-{slot_id}", work,
                        _("The time is withdrawn."))


@login_required
@require_POST
def room_add(request, service_id: int):
    def work(service):
        form = RoomForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        services.room_add(actor=request.user, service=service, **form.cleaned_data)
    return _manage_post(request, service_id, "room-add", work, _("Room added."))


@login_required
@require_POST
def hours_set(request, service_id: int):
    def work(service):
        form = HoursForm(request.POST)
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        ranges = ([(data["opens"], data["closes"])] if data["opens"] and data["closes"]
                  else [])
        services.hours_set(actor=request.user, service=service, weekday=data["weekday"],
                           ranges=ranges)
    return _manage_post(request, service_id, "hours", work, _("Opening hours saved."))


# --- bookings --------------------------------------------------------------------------------

@login_required
@require_GET
def booking_list(request):
    rows = list(sel.my_bookings(request.user)[:100])
    now = timezone.now()
    return render(request, "library/services/bookings.html", {
        "upcoming": [b for b in rows if b.ends_at > now and b.state in ("requested",
                                                                        "confirmed")],
        "past": [b for b in rows if not (b.ends_at > now and b.state in ("requested",
                                                                          "confirmed"))],
    })


def render_booking(request, booking, error=None, form_id=""):
    user = request.user
    context = {
        "booking": booking, "actions": BOOKINGS.actions_for(user, booking),
        "history": events.timeline(
            booking, show_actor=permissions.serves(user, booking.service.area)),
        "shown_name": sel.shown_name(user, booking),
        "stars": range(5, 0, -1),
    }
    if error is not None:
        context |= {"error": error, "posted": request.POST, "form_id": form_id}
    return render(request, "library/services/booking.html", context,
                  status=error.status if error is not None else 200)


@login_required
@require_GET
def booking_detail(request, booking_id: int):
    return render_booking(request, sel.booking_get(request.user, booking_id))


@login_required
@require_POST
def booking_act(request, booking_id: int, action: str):
    booking = sel.booking_get(request.user, booking_id)
    if action not in ACTIONS:
        raise Http404
    form = BookingActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        extra = ({"rating": data["rating"], "comment": data["comment"]}
                 if action == "rate" else {})
        services.booking_transition(actor=request.user, booking=booking, action=action,
                                    note=data["note"], expected_version=data["version"],
                                    **extra)
    except ApplicationError as exc:
        return render_booking(request, sel.booking_get(request.user, booking_id), error=exc,
                              form_id=f"act-{action}")
    messages.success(request, str(DONE[action]))
    back = request.POST.get("back", "")
    if back == "desk":
        return redirect("library:desk")
    return redirect("library:booking", booking.pk)


# --- the desk --------------------------------------------------------------------------------

@login_required
@require_GET
def desk(request):
    user = request.user
    if not sel.has_desk(user):
        raise PermissionDenied(str(_("The desk is for providers and staff.")))
    state = request.GET.get("state", BookingState.REQUESTED)
    if state not in BookingState.values and state != "all":
        state = BookingState.REQUESTED
    rows = list(sel.desk_bookings(user, state="" if state == "all" else state).filter(
        ends_at__gte=timezone.now() - timedelta(days=7))[:200])
    days: dict = {}
    for b in rows:
        b.shown = sel.shown_name(user, b)
        b.actions = BOOKINGS.actions_for(user, b)
        days.setdefault(timezone.localtime(b.starts_at).date(), []).append(b)
    return render(request, "library/services/desk.html", {
        "days": sorted(days.items()), "state": state,
        "states": [*BookingState.choices, ("all", _("All"))],
    })


S = "services/<int:service_id>/"
urlpatterns: list = [
    path("", hub, name="home"),
    path("services/new/", service_new, name="service_new"),
    path(S, service_detail, name="service"),
    path(S + "edit/", service_edit, name="service_edit"),
    path(S + "book/", book_slot, name="service_book"),
    path(S + "rooms/book/", book_room, name="service_book_room"),
    path(S + "active/", service_active, name="service_active"),
    path(S + "slots/", slots_add, name="service_slots"),
    path(S + "slots/<int:slot_id>/withdraw/", slot_withdraw, name="service_slot_withdraw"),
    path(S + "rooms/", room_add, name="service_rooms"),
    path(S + "hours/", hours_set, name="service_hours"),
    path("bookings/", booking_list, name="bookings"),
    path("bookings/<int:booking_id>/", booking_detail, name="booking"),
    path("bookings/<int:booking_id>/act/<str:action>/", booking_act, name="booking_act"),
    path("desk/", desk, name="desk"),
]
