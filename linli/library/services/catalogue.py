"""Creating and editing what the library offers: services, their slots, a venue's rooms and
opening hours.

- Who: staff managing the service's audience place (`permissions.manages`), or the
  provider's own people (`permissions.speaks_for`); the audience lies within the
  provider's community.
- A price is free, in yuan (> 0) or in points (a whole number > 0); 1 to 500 places a
  slot.
- Slots: one, or the same time weekly for up to 12 weeks. A slot lies ahead, lasts 15
  minutes to 12 hours, and no slot of the service may start at the same time or overlap
  it: the whole batch is refused, nothing written.
- Withdrawing a slot: refused while it has live bookings (the provider declines them
  first, with a reason the booker hears); a withdrawn slot takes no bookings.
- Rooms: a name unique in the venue, 1 to 500 seats. Opening hours: a weekday's rows
  never overlap; replacing a weekday's hours leaves bookings already made alone.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.library import permissions
from linli.library.models import (
    LIVE_BOOKING,
    MAX_TEXT,
    Booking,
    OpeningHours,
    Price,
    Provider,
    Room,
    Service,
    ServiceKind,
    Slot,
)
from linli.orgs.models import Area

MAX_WEEKS = 12
MAX_PLACES = 500
MIN_SLOT = timedelta(minutes=15)
MAX_SLOT = timedelta(hours=12)


@dataclass
class ServiceData:
    kind: str
    title: str
    description: str = ""
    place: str = ""
    price: str = Price.FREE
    price_yuan: Decimal | None = None
    price_points: int | None = None
    capacity: int = 1
    needs_confirmation: bool = True
    is_venue: bool = False
    care_tag: object = None  # a people.CareTag or None


def may_manage(actor, provider: Provider, area: Area | None = None) -> bool:
    """Staff managing the place (the provider's, or the service's audience), or the
    provider's own people."""
    if permissions.speaks_for(actor, provider):
        return True
    return permissions.manages(actor, area or provider.area)


def _check_manage(actor, provider: Provider, area: Area | None = None) -> None:
    if not may_manage(actor, provider, area):
        raise PermissionDenied(_("Only staff of this place or the provider's own people "
                                 "manage its services."), code="not_yours")


def _clean(data: ServiceData) -> dict:
    title = (data.title or "").strip()
    if not title or len(title) > 80:
        raise ValidationFailed(_("Give a title of at most 80 characters."), code="bad_title")
    if data.kind not in ServiceKind.values:
        raise ValidationFailed(_("Choose the kind of service."), code="bad_kind")
    description = (data.description or "").strip()
    if len(description) > MAX_TEXT:
        raise ValidationFailed(_("The description is at most 2000 characters."),
                               code="too_long")
    place = (data.place or "").strip()
    if len(place) > 120:
        raise ValidationFailed(_("Where is at most 120 characters."), code="too_long")
    if data.price not in Price.values:
        raise ValidationFailed(_("Choose free, yuan or points."), code="bad_price")
    yuan, points = None, None
    if data.price == Price.YUAN:
        if data.price_yuan is None or not Decimal("0") < data.price_yuan < Decimal("1000000"):
            raise ValidationFailed(_("Give the price in yuan, more than zero."),
                                   code="bad_price")
        yuan = Decimal(data.price_yuan).quantize(Decimal("0.01"))
    if data.price == Price.POINTS:
        if data.price_points is None or not 0 < data.price_points <= 100000:
            raise ValidationFailed(_("Give the price in points, a whole number more than "
                                     "zero."), code="bad_price")
        points = data.price_points
    if not 1 <= (data.capacity or 0) <= MAX_PLACES:
        raise ValidationFailed(_("A slot has 1 to 500 places."), code="bad_capacity")
    return {"kind": data.kind, "title": title, "description": description, "place": place,
            "price": data.price, "price_yuan": yuan, "price_points": points,
            "capacity": data.capacity, "needs_confirmation": bool(data.needs_confirmation),
            "is_venue": bool(data.is_venue) or data.kind == ServiceKind.VENUE,
            "care_tag": data.care_tag}


def _check_area(provider: Provider, area: Area | None) -> Area:
    if area is None or not area.path.startswith(provider.community.path):
        raise ValidationFailed(_("Choose who may book: a place in the provider's "
                                 "community."), code="bad_area")
    return area


@transaction.atomic
def service_create(*, actor, provider: Provider, area: Area | None,
                   data: ServiceData) -> Service:
    """A new service of `provider`, open to those living in `area`."""
    area = _check_area(provider, area)
    _check_manage(actor, provider, area)
    if not provider.is_active:
        raise ValidationFailed(_("This provider is not listed."), code="not_listed")
    made = Service.objects.create(provider=provider, area=area, area_path=area.path,
                                  created_by=actor, **_clean(data))
    audit_record(actor=actor, action="service.create", obj=made,
                 changes={"title": made.title, "provider": provider.pk, "price": made.price},
                 area_path=made.area_path)
    return made


@transaction.atomic
def service_update(*, actor, service: Service, area: Area | None,
                   data: ServiceData) -> Service:
    """Change a service; bookings already made keep their price and times."""
    area = _check_area(service.provider, area)
    _check_manage(actor, service.provider, service.area)
    _check_manage(actor, service.provider, area)
    fields = _clean(data)
    if fields["is_venue"] != service.is_venue and service.bookings.exists():
        raise ValidationFailed(_("A service with bookings cannot become a venue or stop "
                                 "being one."), code="has_bookings")
    Service.objects.filter(pk=service.pk).update(area=area, area_path=area.path, **fields)
    audit_record(actor=actor, action="service.update", obj=service,
                 changes={"title": fields["title"], "price": fields["price"]},
                 area_path=area.path)
    return Service.objects.get(pk=service.pk)


@transaction.atomic
def service_set_active(*, actor, service: Service, active: bool) -> Service:
    """Open or close a service for booking; bookings made stay as they are."""
    _check_manage(actor, service.provider, service.area)
    Service.objects.filter(pk=service.pk).update(is_active=active)
    audit_record(actor=actor, action="service.open" if active else "service.close",
                 obj=service, changes={"is_active": active}, area_path=service.area_path)
    service.is_active = active
    return service


# --- slots -----------------------------------------------------------------------------------

@transaction.atomic
def slots_add(*, actor, service: Service, starts_at: datetime | None,
              ends_at: datetime | None, capacity: int | None = None, weeks: int = 1,
              now: datetime | None = None) -> list[Slot]:
    """A slot, or the same time each week for `weeks` weeks; all or nothing."""
    now = now or timezone.now()
    _check_manage(actor, service.provider, service.area)
    if service.is_venue:
        raise ValidationFailed(_("A venue is booked by room and hours, not slots."),
                               code="venue")
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationFailed(_("Give a start and an end after it."), code="bad_times")
    if starts_at <= now:
        raise ValidationFailed(_("A slot lies ahead."), code="past")
    if not MIN_SLOT <= ends_at - starts_at <= MAX_SLOT:
        raise ValidationFailed(_("A slot lasts 15 minutes to 12 hours."), code="bad_length")
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationFailed(_("Repeat for 1 to 12 weeks."), code="bad_weeks")
    capacity = capacity or service.capacity
    if not 1 <= capacity <= MAX_PLACES:
        raise ValidationFailed(_("A slot has 1 to 500 places."), code="bad_capacity")
    Service.objects.select_for_update().filter(pk=service.pk).first()  # one batch at a time
    made = []
    for week in range(weeks):
        start = timezone.localtime(starts_at) + timedelta(weeks=week)
        end = start + (ends_at - starts_at)
        clash = Slot.objects.filter(service=service, is_active=True, starts_at__lt=end,
                                    ends_at__gt=start).first()
        same = Slot.objects.filter(service=service, starts_at=start).exists()
        if clash is not None or same:
            raise Conflict(_("There is already a slot at %(at)s.") % {
                "at": start.strftime("%Y-%m-%d %H:%M")}, code="slot_clash")
        made.append(Slot.objects.create(service=service, starts_at=start, ends_at=end,
                                        capacity=capacity))
    audit_record(actor=actor, action="service.slots", obj=service,
                 changes={"slots": [s.pk for s in made], "weeks": weeks},
                 area_path=service.area_path)
    return made


@transaction.atomic
def slot_withdraw(*, actor, slot: Slot) -> Slot:
    """Take a slot off: only when no live booking holds a place in it."""
    service = slot.service
    _check_manage(actor, service.provider, service.area)
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if Booking.objects.filter(slot=slot, state__in=LIVE_BOOKING).exists():
        raise Conflict(_("This time has bookings: decline them with a reason first."),
                       code="has_bookings")
    Slot.objects.filter(pk=slot.pk).update(is_active=False)
    audit_record(actor=actor, action="service.slot_withdraw", obj=service,
                 changes={"slot": slot.pk}, area_path=service.area_path)
    slot.is_active = False
    return slot


# --- rooms and hours -------------------------------------------------------------------------

def _check_venue(actor, service: Service) -> None:
    _check_manage(actor, service.provider, service.area)
    if not service.is_venue:
        raise ValidationFailed(_("Only a venue has rooms and opening hours."),
                               code="not_venue")


@transaction.atomic
def room_add(*, actor, service: Service, name: str, seats: int = 10) -> Room:
    _check_venue(actor, service)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ValidationFailed(_("Give the room a name of at most 60 characters."),
                               code="bad_name")
    if not 1 <= (seats or 0) <= MAX_PLACES:
        raise ValidationFailed(_("A room has 1 to 500 seats."), code="bad_seats")
    if Room.objects.filter(service=service, name=name).exists():
        raise Conflict(_("The venue already has a room of that name."), code="room_exists")
    made = Room.objects.create(service=service, name=name, seats=seats)
    audit_record(actor=actor, action="service.room", obj=service,
                 changes={"room": made.pk, "name": name}, area_path=service.area_path)
    return made


@transaction.atomic
def hours_set(*, actor, service: Service, weekday: int,
              ranges: list[tuple[time, time]]) -> list[OpeningHours]:
    """Replace a weekday's opening hours by `ranges` (none: closed that day)."""
    _check_venue(actor, service)
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise ValidationFailed(_("Choose a weekday."), code="bad_weekday")
    ordered = sorted(ranges)
    for i, (opens, closes) in enumerate(ordered):
        if closes <= opens:
            raise ValidationFailed(_("A venue closes after it opens."), code="bad_hours")
        if i and ordered[i - 1][1] > opens:
            raise ValidationFailed(_("Opening hours of a day do not overlap."),
                                   code="bad_hours")
    OpeningHours.objects.filter(service=service, weekday=weekday).delete()
    made = [OpeningHours.objects.create(service=service, weekday=weekday, opens=o, closes=c)
            for o, c in ordered]
    audit_record(actor=actor, action="service.hours", obj=service,
                 changes={"weekday": weekday,
                          "hours": [f"{o:%H:%M}-{c:%H:%M}" for o, c in ordered]},
                 area_path=service.area_path)
    return made
