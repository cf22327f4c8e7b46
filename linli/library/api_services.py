"""The services API (mounted under /api/library): services with their slots, rooms and
hours; a room's busy hours of a day; bookings (a slot, or a room and times), the caller's
bookings, one booking and its moves; staff and the provider's people create services,
slots, rooms and opening hours.

Parse, call a selector or a service, serialize. A service, slot, room or booking named in
the path is loaded through the selectors, so one out of sight is a 404 before any service
runs; the service then decides whether the caller may act (403). Error answers ({code,
message}) are documented on every operation by core.openapi.
"""

from datetime import date
from typing import Any

from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import ValidationFailed
from linli.core.listing import unknown_value
from linli.library import selectors_services as sel
from linli.library import services
from linli.library.models import ServiceKind
from linli.library.schemas_services import (
    LibraryBookingActionIn,
    LibraryBookingIn,
    LibraryBookingOut,
    LibraryHoursIn,
    LibraryHoursOut,
    LibraryRoomDayOut,
    LibraryRoomIn,
    LibraryRoomOut,
    LibraryServiceDetailOut,
    LibraryServiceIn,
    LibraryServiceOut,
    LibrarySlotOut,
    LibrarySlotsIn,
)
from linli.library.selectors import providers_visible

router = Router(tags=["library"])


def _service(request, service_id: int):
    return sel.service_get(request.user, service_id)


def _data(payload: LibraryServiceIn) -> services.ServiceData:
    from django.utils.translation import gettext as _

    from linli.people.models import CareTag

    tag = None
    if payload.care_tag_id is not None:
        tag = CareTag.objects.filter(pk=payload.care_tag_id).first()
        if tag is None:
            raise ValidationFailed(_("Unknown care tag."), code="bad_care_tag")
    return services.ServiceData(
        kind=payload.kind, title=payload.title, description=payload.description,
        place=payload.place, price=payload.price, price_yuan=payload.price_yuan,
        price_points=payload.price_points, capacity=payload.capacity,
        needs_confirmation=payload.needs_confirmation, is_venue=payload.is_venue,
        care_tag=tag)


@router.get("/services", response=list[LibraryServiceOut])
@paginate(Pages, page_size=50)
def service_list(request, kind: str = ""):
    """Open services the caller may book (staff: those of their places), by `kind`
    (elderly_care, childcare, housekeeping, repair, health, legal, tutoring, counselling,
    venue, other). An unknown kind: 400."""
    if kind and kind not in ServiceKind.values:
        raise unknown_value("kind")
    return sel.service_list(request.user, kind=kind)


@router.post("/services", response={201: LibraryServiceDetailOut})
def service_create(request, payload: LibraryServiceIn):
    """A new service of a provider (staff managing the place, or the provider's people:
    else 403 `not_yours`); a price in yuan or points above zero (400 `bad_price`), 1 to 500
    places (400 `bad_capacity`), an audience in the provider's community (400
    `bad_area`)."""
    from linli.orgs.models import Area

    provider = providers_visible(request.user).filter(pk=payload.provider_id).first()
    if provider is None:
        raise Http404
    area = Area.objects.filter(pk=payload.area_id).first()
    made = services.service_create(actor=request.user, provider=provider, area=area,
                                   data=_data(payload))
    return Status(201, made)


@router.get("/services/{service_id}", response=LibraryServiceDetailOut)
def service_detail(request, service_id: Id):
    """The service with its upcoming slots, or a venue's rooms and opening hours."""
    return _service(request, service_id)


@router.get("/services/{service_id}/slots", response=list[LibrarySlotOut])
def slot_list(request, service_id: Id):
    """The service's upcoming open slots with their places taken."""
    return list(sel.upcoming_slots(_service(request, service_id))[:200])


@router.post("/services/{service_id}/slots", response={201: list[LibrarySlotOut]})
def slots_create(request, service_id: Id, payload: LibrarySlotsIn):
    """A slot, or the same time weekly for `weeks` weeks (all or nothing): ahead (400
    `past`), 15 minutes to 12 hours (400 `bad_length`), not at or over another slot's time
    (409 `slot_clash`). Staff or the provider's people (403)."""
    service = _service(request, service_id)
    made = services.slots_add(actor=request.user, service=service,
                              starts_at=payload.starts_at, ends_at=payload.ends_at,
                              capacity=payload.capacity, weeks=payload.weeks)
    return Status(201, made)


@router.post("/services/{service_id}/slots/{slot_id}/withdraw", response=LibrarySlotOut)
def slot_withdraw(request, service_id: Id, slot_id: Id):
    """Take a slot off; refused while it has live bookings (409 `has_bookings`: decline
    them with a reason first)."""
    service = _service(request, service_id)
    slot = sel.slot_get(request.user, service, slot_id)
    return services.slot_withdraw(actor=request.user, slot=slot)


@router.get("/services/{service_id}/rooms", response=list[LibraryRoomOut])
def room_list(request, service_id: Id):
    """A venue's rooms."""
    return list(_service(request, service_id).rooms.filter(is_active=True))


@router.post("/services/{service_id}/rooms", response={201: LibraryRoomOut})
def room_create(request, service_id: Id, payload: LibraryRoomIn):
    """Add a room to a venue (400 `not_venue`; a name taken: 409 `room_exists`)."""
    service = _service(request, service_id)
    return Status(201, services.room_add(actor=request.user, service=service,
                                         name=payload.name, seats=payload.seats))


@router.put("/services/{service_id}/hours", response=list[LibraryHoursOut])
def hours_put(request, service_id: Id, payload: LibraryHoursIn):
    """Replace a weekday's opening hours of a venue; ranges must not overlap (400
    `bad_hours`)."""
    service = _service(request, service_id)
    return services.hours_set(actor=request.user, service=service, weekday=payload.weekday,
                              ranges=list(payload.ranges))


@router.get("/services/{service_id}/rooms/{room_id}/bookings", response=LibraryRoomDayOut)
def room_day(request, service_id: Id, room_id: Id, day: date | None = None):
    """The room's taken hours on `day` (today by default): busy intervals only, no
    names."""
    from django.utils import timezone

    room = sel.room_get(request.user, _service(request, service_id), room_id)
    day = day or timezone.localdate()
    return {"room_id": room.pk, "day": day, "busy": sel.room_busy(room, day)}


@router.post("/services/{service_id}/bookings", response={201: LibraryBookingOut})
def booking_create(request, service_id: Id, payload: LibraryBookingIn):
    """Book a slot (`slot_id`), or a venue's room (`room_id`, `starts_at`, `ends_at`: 30
    minutes to 4 hours within the opening hours, no overlap: 400 `overlap`). Refused: full
    (400 `full`), outside the audience or care group (400 `not_audience`), not enough
    points (400), twice (409 `already_booked`), not the caller's household (403)."""
    from django.utils.translation import gettext as _

    from linli.people.models import Resident

    service = _service(request, service_id)
    resident = Resident.objects.filter(pk=payload.resident_id).first()
    if resident is None:
        raise Http404
    if payload.slot_id is not None:
        slot = sel.slot_get(request.user, service, payload.slot_id)
        made = services.booking_create(actor=request.user, slot=slot, resident=resident,
                                       note=payload.note)
    elif payload.room_id is not None:
        if payload.starts_at is None or payload.ends_at is None:
            raise ValidationFailed(_("Give a start and an end after it."), code="bad_times")
        room = sel.room_get(request.user, service, payload.room_id)
        made = services.room_book(actor=request.user, room=room, resident=resident,
                                  starts_at=payload.starts_at, ends_at=payload.ends_at,
                                  note=payload.note)
    else:
        raise ValidationFailed(_("Choose a time or a room."), code="no_slot")
    return Status(201, sel.booking_get(request.user, made.pk))


@router.get("/bookings", response=list[LibraryBookingOut])
@paginate(Pages, page_size=50)
def booking_list(request, view: str = ""):
    """`view`: mine (the caller's household's bookings; the default) or desk (the bookings
    of the services the caller runs). An unknown view: 400."""
    if view not in ("", "mine", "desk"):
        raise unknown_value("view")
    if view == "desk":
        return sel.desk_bookings(request.user)
    return sel.my_bookings(request.user)


@router.get("/bookings/{booking_id}", response=LibraryBookingOut)
def booking_detail(request, booking_id: Id):
    """One booking with the moves the caller may take."""
    return sel.booking_get(request.user, booking_id)


@router.post("/bookings/{booking_id}/actions/{action}", response=LibraryBookingOut)
def booking_act(request, booking_id: Id, action: str, payload: LibraryBookingActionIn):
    """confirm, decline (a `note`), complete (from the start on), cancel (before the start;
    held points returned) or rate (`rating` 1 to 5, a `comment`; once, after it was
    served). Not the caller's move: 403; a state that does not allow it: 400; an older
    `expected_version`: 409 `stale`."""
    booking = sel.booking_get(request.user, booking_id)
    extra: dict[str, Any] = ({"rating": payload.rating, "comment": payload.comment}
                             if action == "rate" else {})
    services.booking_transition(actor=request.user, booking=booking, action=action,
                                note=payload.note, expected_version=payload.expected_version,
                                **extra)
    return sel.booking_get(request.user, booking_id)
