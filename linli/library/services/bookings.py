"""Booking a slot or a venue's room: the part every other part of the library relies on.

- A slot's place is taken while `taken` is below its capacity; every booking write first
  locks the slot's row, so concurrent bookings are counted one at a time and never exceed
  it (a CHECK backs the count). No place left: refused, nothing written.
- A room's hours: every booking write locks the room's row, then looks for a live booking
  that overlaps; the second of two overlapping requests is refused. The hours lie within
  the venue's opening hours of that day, from 30 minutes to 4 hours.
- Who books: the person themselves, a member of their household, or staff serving the
  service's place (for a resident who phones in, or from a need). The person lives in the
  service's audience, carries its care tag if it has one, and has not moved out.
- A points-priced service holds its price in the ledger at booking (`library.hold:<id>`),
  from the payer's account: the booker's own when they are the person or of their
  household, else the person's. Not enough points: refused, nothing written. Declined or
  cancelled: released (`library.release:<id>`); served: paid to the provider
  (`library.pay:<id>`), a skilled resident's own account, else the community's store.
- A service that needs no confirmation books straight into `confirmed`.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.library import permissions
from linli.library.models import (
    LIVE_BOOKING,
    Booking,
    BookingState,
    Need,
    Price,
    Room,
    Service,
    Slot,
)
from linli.library.workflow import BOOKINGS
from linli.people.models import Resident
from linli.people.selectors import has_tag, own_record

MIN_ROOM = timedelta(minutes=30)
MAX_ROOM = timedelta(hours=4)
MAX_NOTE = 500


# --- who, and for whom ---------------------------------------------------------------------

def may_book_for(actor, service: Service, resident: Resident) -> bool:
    """The person, their household, or staff serving the service's place."""
    if resident.user_id is not None and resident.user_id == getattr(actor, "pk", None):
        return True
    record = own_record(actor)
    if record is not None and record.household_id == resident.household_id:
        return True
    return permissions.serves(actor, service.area)


def check_eligible(service: Service, resident: Resident) -> None:
    if resident.moved_out is not None or resident.anonymised_at is not None:
        raise ValidationFailed(_("%(name)s no longer lives here.") % {"name": resident.name},
                               code="moved_out")
    if not resident.area_path.startswith(service.area_path):
        raise ValidationFailed(_("%(name)s does not live where this service is offered.")
                               % {"name": resident.name}, code="not_audience")
    if service.care_tag is not None and not has_tag(resident, service.care_tag):
        raise ValidationFailed(_("This service is only for the residents it is arranged "
                                 "for."), code="not_audience")


def _check_service(service: Service) -> None:
    if not service.is_active or not service.provider.is_active:
        raise ValidationFailed(_("This service takes no bookings now."), code="not_open")


def _payer(actor, resident: Resident):
    """Whose points pay: the booker's own when they are the person or of the household
    (a parent pays for a child), else the person's (staff booking for them)."""
    record = own_record(actor)
    if record is not None and record.household_id == resident.household_id:
        return actor
    if resident.user_id is None:
        raise ValidationFailed(_("This service is paid in points and %(name)s has no account "
                                 "to pay from.") % {"name": resident.name}, code="no_account")
    return resident.user


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed(_("The note is at most 500 characters."), code="too_long")
    return note


# --- points ----------------------------------------------------------------------------------

def _points_community(service: Service):
    return service.provider.community


def _hold(booking: Booking, actor) -> None:
    from linli.points.models import AccountKind, EntryKind
    from linli.points.services import account_for, posting

    community = _points_community(booking.service)
    entry = posting(
        key=f"library.hold:{booking.pk}", kind=EntryKind.HOLD,
        debit=account_for(kind=AccountKind.RESIDENT, community=community,
                          owner=booking.payer),
        credit=account_for(kind=AccountKind.HOLD, community=community),
        amount=booking.points, actor=actor, memo=booking.service.title[:200],
        source=f"library.booking:{booking.pk}")
    Booking.objects.filter(pk=booking.pk).update(hold_entry=entry)
    booking.hold_entry = entry


def _settle(booking: Booking, actor, *, served: bool) -> None:
    from linli.points.models import AccountKind, EntryKind
    from linli.points.services import account_for, posting

    if not booking.points or booking.hold_entry_id is None:
        return
    community = _points_community(booking.service)
    if served:
        provider = booking.service.provider
        owner = provider.resident.user if provider.resident is not None else None
        credit = (account_for(kind=AccountKind.RESIDENT, community=community, owner=owner)
                  if owner is not None else
                  account_for(kind=AccountKind.STORE, community=community))
        key, kind = f"library.pay:{booking.pk}", EntryKind.REDEEM
    else:
        credit = account_for(kind=AccountKind.RESIDENT, community=community,
                             owner=booking.payer)
        key, kind = f"library.release:{booking.pk}", EntryKind.RELEASE
    entry = posting(key=key, kind=kind,
                    debit=account_for(kind=AccountKind.HOLD, community=community),
                    credit=credit, amount=booking.points, actor=actor,
                    memo=booking.service.title[:200], source=f"library.booking:{booking.pk}")
    Booking.objects.filter(pk=booking.pk).update(settle_entry=entry)


# --- booking ---------------------------------------------------------------------------------

def _create(*, actor, service: Service, resident: Resident, starts_at: datetime,
            ends_at: datetime, note: str, now: datetime, slot: Slot | None = None,
            room: Room | None = None, need: Need | None = None) -> Booking:
    points = service.points if service.price == Price.POINTS else 0
    confirmed = not service.needs_confirmation
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                service=service, slot=slot, room=room, starts_at=starts_at, ends_at=ends_at,
                area_path=service.area_path, resident=resident,
                household_id=resident.household_id, name=resident.name, note=note,
                booked_by=actor, payer=_payer(actor, resident) if points else None,
                state=BookingState.CONFIRMED if confirmed else BookingState.REQUESTED,
                points=points, need=need, created_at=now,
                decided_at=now if confirmed else None)
    except IntegrityError:  # the same person from two phones at once: the lock makes it rare
        raise Conflict(_("%(name)s already has this booking.") % {"name": resident.name},
                       code="already_booked") from None
    if points:
        _hold(booking, actor)
    BOOKINGS.write_event(booking, actor=actor, action="book", from_state="",
                         to_state=booking.state, at=now,
                         data={"points": points} if points else {})
    from linli.core.audit import audit_record

    audit_record(actor=actor, action="booking.book", obj=booking,
                 changes={"state": booking.state, "service": service.pk, "points": points},
                 area_path=booking.area_path)
    return booking


def _locked_slot(slot: Slot) -> Slot:
    return Slot.objects.select_for_update(of=("self",)).select_related(
        "service", "service__provider", "service__care_tag").get(pk=slot.pk)


@transaction.atomic
def booking_create(*, actor, slot: Slot, resident: Resident, note: str = "",
                   need: Need | None = None, now: datetime | None = None) -> Booking:
    """Book `resident` a place in `slot`."""
    now = now or timezone.now()
    if not may_book_for(actor, slot.service, resident):
        raise PermissionDenied(_("You may book only for yourself and your household."),
                               code="not_household")
    note = _note(note)
    slot = _locked_slot(slot)
    service = slot.service
    _check_service(service)
    if service.is_venue:
        raise ValidationFailed(_("A venue is booked by room and hours."), code="venue")
    if not slot.is_active or slot.starts_at <= now:
        raise ValidationFailed(_("This time can no longer be booked."), code="slot_closed")
    check_eligible(service, resident)
    if Booking.objects.filter(slot=slot, resident=resident, state__in=LIVE_BOOKING).exists():
        raise Conflict(_("%(name)s already has a place at this time.")
                       % {"name": resident.name}, code="already_booked")
    if slot.taken >= slot.capacity:
        raise ValidationFailed(_("This time is fully booked; choose another."), code="full")
    Slot.objects.filter(pk=slot.pk).update(taken=F("taken") + 1)
    return _create(actor=actor, service=service, resident=resident, starts_at=slot.starts_at,
                   ends_at=slot.ends_at, note=note, now=now, slot=slot, need=need)


def _within_opening(service: Service, starts_at: datetime, ends_at: datetime) -> bool:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() != end.date():
        return False
    return service.hours.filter(weekday=start.weekday(), opens__lte=start.time(),
                                closes__gte=end.time()).exists()


def _check_hours(service: Service, starts_at, ends_at, now: datetime) -> None:
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationFailed(_("Give a start and an end after it."), code="bad_times")
    if starts_at <= now:
        raise ValidationFailed(_("Book a time that has not begun."), code="past")
    if not MIN_ROOM <= ends_at - starts_at <= MAX_ROOM:
        raise ValidationFailed(_("A room is booked for 30 minutes to 4 hours."),
                               code="bad_length")
    if not _within_opening(service, starts_at, ends_at):
        raise ValidationFailed(_("The venue is closed at that time: choose hours within its "
                                 "opening hours."), code="closed")


def overlapping(room: Room, starts_at: datetime, ends_at: datetime):
    """The room's live bookings that overlap [starts_at, ends_at)."""
    return Booking.objects.filter(room=room, state__in=LIVE_BOOKING, starts_at__lt=ends_at,
                                  ends_at__gt=starts_at)


@transaction.atomic
def room_book(*, actor, room: Room, resident: Resident, starts_at: datetime,
              ends_at: datetime, note: str = "", need: Need | None = None,
              now: datetime | None = None) -> Booking:
    """Book a venue's room for `resident` from `starts_at` to `ends_at`."""
    now = now or timezone.now()
    if not may_book_for(actor, room.service, resident):
        raise PermissionDenied(_("You may book only for yourself and your household."),
                               code="not_household")
    note = _note(note)
    room = Room.objects.select_for_update(of=("self",)).select_related(
        "service", "service__provider", "service__care_tag").get(pk=room.pk)
    service = room.service
    _check_service(service)
    if not room.is_active or not service.is_venue:
        raise ValidationFailed(_("This room takes no bookings now."), code="not_open")
    _check_hours(service, starts_at, ends_at, now)
    check_eligible(service, resident)
    clash = overlapping(room, starts_at, ends_at).first()
    if clash is not None:
        local = timezone.localtime
        raise ValidationFailed(_("%(room)s is already booked from %(start)s to %(end)s.") % {
            "room": room.name, "start": local(clash.starts_at).strftime("%H:%M"),
            "end": local(clash.ends_at).strftime("%H:%M")}, code="overlap")
    return _create(actor=actor, service=service, resident=resident, starts_at=starts_at,
                   ends_at=ends_at, note=note, now=now, room=room, need=need)


# --- the moves -------------------------------------------------------------------------------

@transaction.atomic
def booking_transition(*, actor, booking: Booking, action: str, note: str = "",
                       expected_version: int | None = None, now: datetime | None = None,
                       **data):
    """confirm, decline, cancel, complete or rate a booking (`transitions.BOOKINGS`)."""
    return BOOKINGS.transition(actor=actor, obj=booking, action=action, note=note,
                               expected_version=expected_version, now=now, data=data)


def booking_freed(booking: Booking, actor, now: datetime, *, declined: bool) -> None:
    """After a decline or a cancel: the place back to the slot, the points back to the
    payer, the need it served open to another match."""
    if booking.slot_id is not None:
        Slot.objects.filter(pk=booking.slot_id).update(taken=F("taken") - 1)
    _settle(booking, actor, served=False)
    need = booking.need
    if need is not None and need.booking_id == booking.pk and need.state == "in_hand":
        from linli.core.workflow import system_move
        from linli.library.effects import match_decided
        from linli.library.models import MatchOutcome

        if declined or need.provider_id is None:
            match_decided(need, MatchOutcome.FAILED, now)
            system_move(need, "rematch", now, note=_("The booking was declined."),
                        updates={"provider": None, "outcome": "", "booking": None})
        else:
            system_move(need, "reopen", now, note=_("The booking was cancelled."),
                        updates={"outcome": "", "booking": None})


def booking_served(booking: Booking, actor, now: datetime) -> None:
    """After a booking is served: the held points to the provider, the need met."""
    _settle(booking, actor, served=True)
    need = booking.need
    if need is not None and need.booking_id == booking.pk and need.state == "in_hand":
        from linli.core.workflow import system_move
        from linli.library.effects import match_decided
        from linli.library.models import MatchOutcome

        system_move(need, "served", now)
        match_decided(need, MatchOutcome.DELIVERED, now)
