"""Who may do what in the service library.

- Staff (grid workers, dispatchers, leaders) at or above a place list providers and
  services there, record contributions, and see, classify, match and hand over the needs
  of the places they serve (scope.serves: also those working inside its community).
- A provider's people (the members of its unit; a skilled resident themselves) confirm,
  decline and complete the bookings of its services, and see them.
- Residents see the listed providers and open services of the places they live in (a
  care-group service only with the tag), book for themselves and their household, cancel,
  rate a service they were served, and post needs.
"""

from linli.accounts import scope
from linli.accounts.models import Role
from linli.orgs.models import Area

STAFF = (Role.GRID_WORKER, Role.DISPATCHER, Role.LEADER)


def manages(actor, area: Area) -> bool:
    """Staff at or above the place: they list providers and services there."""
    return scope.has_role(actor, STAFF, area)


def serves(actor, area: Area) -> bool:
    """Staff serving the place: they see it and handle its needs and bookings."""
    return scope.serves(actor, STAFF, area)


def resident_paths(actor) -> list[str]:
    return [a.area.path for a in scope.assignments(actor) if a.role == Role.RESIDENT]


def lives_in(actor, area_path: str) -> bool:
    return any(p.startswith(area_path) for p in resident_paths(actor))


def is_staff(actor) -> bool:
    return bool(scope.area_paths(actor, STAFF))


def speaks_for(actor, provider) -> bool:
    """The provider's own people: its unit's members, or the skilled resident."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if provider.unit_id is not None and provider.unit_id in scope.unit_ids(actor):
        return True
    resident = provider.resident
    return resident is not None and resident.user_id == actor.pk


def runs(actor, service) -> bool:
    """Who handles a service's bookings: its provider's people or staff serving its
    place."""
    return speaks_for(actor, service.provider) or serves(actor, service.area)


# --- the movers of the tables (workflow.py) -----------------------------------------------

def booking_provider(actor, booking) -> bool:
    return runs(actor, booking.service)


def booking_booker(actor, booking) -> bool:
    from linli.people.selectors import own_record

    if booking.booked_by_id == getattr(actor, "pk", None):
        return True
    record = own_record(actor)
    if record is not None and record.household_id == booking.household_id:
        return True
    return serves(actor, booking.service.area)


def need_staff(actor, need) -> bool:
    return serves(actor, need.area)
