"""Shapes of the services API (docs/openapi.json). Parsing and presentation only: the rules
live in services and selectors. A room's bookings are shown as busy intervals, no names;
a booking's name is masked for the provider's people."""

from datetime import date, datetime, time
from decimal import Decimal

from ninja import Field, Schema

from linli.core.bounds import Id, Int32
from linli.library.models import Booking, Service
from linli.library.workflow import BOOKINGS

# --- in ----------------------------------------------------------------------------------


class LibraryServiceIn(Schema):
    provider_id: Id
    area_id: Id = Field(description="Who may book: a place in the provider's community.")
    kind: str = Field(max_length=16, description="elderly_care, childcare, housekeeping, "
                      "repair, health, legal, tutoring, counselling, venue or other.")
    title: str = Field(max_length=80)
    description: str = Field("", max_length=2000)
    place: str = Field("", max_length=120)
    price: str = Field("free", max_length=8, description="free, yuan or points.")
    price_yuan: Decimal | None = Field(None, max_digits=8, decimal_places=2)
    price_points: Int32 | None = None
    capacity: Int32 = Field(1, description="1 to 500 places a slot.")
    care_tag_id: Id | None = None
    needs_confirmation: bool = True
    is_venue: bool = False


class LibrarySlotsIn(Schema):
    starts_at: datetime
    ends_at: datetime
    capacity: Int32 | None = Field(None, description="The service's by default.")
    weeks: Int32 = Field(1, description="The same time weekly, 1 to 12 weeks; all or "
                         "nothing.")


class LibraryRoomIn(Schema):
    name: str = Field(max_length=60)
    seats: Int32 = 10


class LibraryHoursIn(Schema):
    weekday: Int32 = Field(description="0 Monday … 6 Sunday.")
    ranges: list[tuple[time, time]] = Field(max_length=6, description="[opens, closes] "
                                            "pairs; none: closed that day.")


class LibraryBookingIn(Schema):
    resident_id: Id = Field(description="The caller, a member of their household, or "
                            "(staff serving the place) anyone of the audience.")
    slot_id: Id | None = Field(None, description="A slot of a service; or room_id and "
                               "times for a venue.")
    room_id: Id | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    note: str = Field("", max_length=500)


class LibraryBookingActionIn(Schema):
    note: str = Field("", max_length=2000, description="decline: the reason (required).")
    rating: Int32 | None = Field(None, description="rate: 1 to 5 stars.")
    comment: str = Field("", max_length=500, description="rate: a comment.")
    expected_version: Int32 | None = None


# --- out ---------------------------------------------------------------------------------

class LibrarySlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int
    is_active: bool


class LibraryRoomOut(Schema):
    id: int
    name: str
    seats: int


class LibraryHoursOut(Schema):
    weekday: int
    opens: time
    closes: time


class LibraryServiceOut(Schema):
    id: int
    provider_id: int
    provider_name: str
    area_id: int
    care_tag_id: int | None
    kind: str
    title: str
    place: str
    price: str
    price_yuan: Decimal | None
    price_points: int | None
    capacity: int
    needs_confirmation: bool
    is_venue: bool
    is_active: bool

    @staticmethod
    def resolve_provider_name(obj: Service) -> str:
        return obj.provider.name


class LibraryServiceDetailOut(LibraryServiceOut):
    description: str
    slots: list[LibrarySlotOut] = Field(description="Upcoming open slots.")
    rooms: list[LibraryRoomOut]
    hours: list[LibraryHoursOut]

    @staticmethod
    def resolve_slots(obj: Service) -> list:
        from linli.library.selectors_services import upcoming_slots

        return list(upcoming_slots(obj)[:100])

    @staticmethod
    def resolve_rooms(obj: Service) -> list:
        return list(obj.rooms.filter(is_active=True))

    @staticmethod
    def resolve_hours(obj: Service) -> list:
        return list(obj.hours.all())


class LibraryBusyOut(Schema):
    starts_at: datetime
    ends_at: datetime


class LibraryRoomDayOut(Schema):
    room_id: int
    day: date
    busy: list[LibraryBusyOut]


class LibraryBookingOut(Schema):
    id: int
    service_id: int
    service_title: str
    slot_id: int | None
    room_id: int | None
    starts_at: datetime
    ends_at: datetime
    resident_id: int | None = Field(description="Only for the household and staff.")
    name: str = Field(description="Masked for the provider's people.")
    note: str
    state: str
    version: int
    points: int
    rating: int | None
    rating_comment: str
    created_at: datetime
    decided_at: datetime | None
    ended_at: datetime | None
    allowed_actions: list[str] = Field(description="The moves the caller may take now.")

    @staticmethod
    def resolve_service_title(obj: Booking) -> str:
        return obj.service.title

    @staticmethod
    def resolve_name(obj: Booking, context) -> str:
        from linli.library.selectors_services import shown_name

        return shown_name(context["request"].user, obj)

    @staticmethod
    def resolve_resident_id(obj: Booking, context) -> int | None:
        return None if _masked_for(context["request"].user, obj) else obj.resident_id

    @staticmethod
    def resolve_allowed_actions(obj: Booking, context) -> list[str]:
        return BOOKINGS.actions_for(context["request"].user, obj)


def _masked_for(user, booking: Booking) -> bool:
    from linli.library import permissions

    return not (permissions.serves(user, booking.service.area)
                or permissions.booking_booker(user, booking))
