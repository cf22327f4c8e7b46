"""Reads of the services part: the hub's services with their next free time, a service's
upcoming slots, a venue's taken hours, the household's bookings, the desk's bookings and
the home tiles. Built on `selectors` (what the actor may see)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.tiles import Tile
from linli.library import permissions
from linli.library.models import (
    LIVE_BOOKING,
    Booking,
    BookingState,
    Room,
    Service,
    Slot,
)
from linli.library.selectors import (
    bookings_visible,
    one,
    own_provider_q,
    services_visible,
    staff_q,
)


def service_list(actor, *, kind: str = "", venues: bool | None = None):
    qs = (services_visible(actor).filter(is_active=True, provider__is_active=True)
          .select_related("provider", "area", "care_tag"))
    if kind:
        qs = qs.filter(kind=kind)
    if venues is not None:
        qs = qs.filter(is_venue=venues)
    return qs.order_by("kind", "title", "pk")


def service_get(actor, service_id: int) -> Service:
    return one(services_visible(actor).select_related("provider", "area", "care_tag"),
               service_id)


def upcoming_slots(service: Service, now: datetime | None = None):
    now = now or timezone.now()
    return (Slot.objects.filter(service=service, is_active=True, starts_at__gt=now)
            .order_by("starts_at", "pk"))


def next_free(services, now: datetime | None = None) -> dict[int, Slot]:
    """Each service's next slot with a place left."""
    now = now or timezone.now()
    found: dict[int, Slot] = {}
    rows = (Slot.objects.filter(service__in=[s.pk for s in services], is_active=True,
                                starts_at__gt=now, taken__lt=F("capacity"))
            .order_by("starts_at", "pk"))
    for row in rows:
        found.setdefault(row.service_id, row)
    return found


def slot_get(actor, service: Service, slot_id: int) -> Slot:
    return one(Slot.objects.filter(service=service), slot_id)


def room_get(actor, service: Service, room_id: int) -> Room:
    return one(Room.objects.filter(service=service), room_id)


@dataclass(frozen=True)
class Busy:
    starts_at: datetime
    ends_at: datetime


def room_busy(room: Room, day: date) -> list[Busy]:
    """The room's live bookings on `day` (local), times only: no names."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    end = start + timedelta(days=1)
    rows = Booking.objects.filter(room=room, state__in=LIVE_BOOKING, starts_at__lt=end,
                                  ends_at__gt=start).order_by("starts_at")
    return [Busy(b.starts_at, b.ends_at) for b in rows]


def week_of(service: Service, today: date | None = None, days: int = 7) -> list[dict]:
    """For each of the next `days` days: the opening hours and each room's taken hours."""
    today = today or timezone.localdate()
    rooms = list(service.rooms.filter(is_active=True))
    hours = list(service.hours.all())
    out = []
    for i in range(days):
        day = today + timedelta(days=i)
        out.append({"day": day,
                    "hours": [h for h in hours if h.weekday == day.weekday()],
                    "rooms": [{"room": r, "busy": room_busy(r, day)} for r in rooms]})
    return out


def household_members(actor, service: Service) -> list:
    """The actor's household members who live in the service's audience (with its tag)."""
    from linli.people.models import Resident
    from linli.people.selectors import has_tag, own_record

    record = own_record(actor)
    if record is None:
        return []
    members = Resident.objects.filter(household_id=record.household_id,
                                      moved_out__isnull=True, anonymised_at__isnull=True,
                                      area_path__startswith=service.area_path).order_by("pk")
    if service.care_tag is not None:
        return [m for m in members if has_tag(m, service.care_tag)]
    return list(members)


def balance(actor, service: Service) -> int:
    """The actor's points balance in the provider's community (0: no account yet)."""
    from linli.points.selectors import my_accounts

    account = my_accounts(actor=actor).filter(community=service.provider.community).first()
    return account.balance if account is not None else 0


# --- bookings --------------------------------------------------------------------------------

def my_bookings(actor):
    """The actor's own and their household's bookings."""
    from linli.people.selectors import own_record

    mine = Q(booked_by=actor)
    record = own_record(actor)
    if record is not None:
        mine |= Q(household_id=record.household_id)
    return (bookings_visible(actor).filter(mine)
            .select_related("service", "service__provider", "slot", "room")
            .order_by("-starts_at", "-pk"))


def booking_get(actor, booking_id: int) -> Booking:
    return one(bookings_visible(actor).select_related("service", "service__provider",
                                                     "service__area", "slot", "room"),
               booking_id)


def desk_bookings(actor, *, state: str = "", day: date | None = None):
    """The bookings of the services the actor runs: their provider's, or staff's place."""
    qs = (Booking.objects.filter(staff_q(actor) | own_provider_q(actor, "service__provider__"))
          .select_related("service", "service__provider", "room", "slot"))
    if state:
        qs = qs.filter(state=state)
    if day is not None:
        tz = timezone.get_current_timezone()
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
    return qs.order_by("starts_at", "pk")


def has_desk(actor) -> bool:
    from linli.library.models import Provider

    if not getattr(actor, "is_authenticated", False):
        return False
    return permissions.is_staff(actor) or Provider.objects.filter(own_provider_q(actor)).exists()


def shown_name(actor, booking: Booking) -> str:
    """Staff serving the place and the household see the name; the provider's people a
    masked one."""
    from linli.core.crypto import mask_name

    if permissions.serves(actor, booking.service.area) or booking.booked_by_id == actor.pk:
        return booking.name
    return mask_name(booking.name)


def home_tiles(user) -> list[Tile]:
    if not getattr(user, "is_authenticated", False):
        return []
    tiles = []
    if has_desk(user):
        waiting = desk_bookings(user, state=BookingState.REQUESTED).filter(
            starts_at__gt=timezone.now()).count()
        tiles.append(Tile("desk", _("Bookings to confirm"), reverse("library:desk"),
                          waiting))
    upcoming = my_bookings(user).filter(state__in=LIVE_BOOKING,
                                        starts_at__gt=timezone.now()).count()
    if upcoming or not tiles:
        tiles.append(Tile("bookings", _("My bookings"), reverse("library:bookings"),
                          upcoming))
    return tiles
