"""Reads of the service library, limited to what the actor may see. Another app reads the
library only through here (and `services`).

- Staff (grid workers, dispatchers, leaders) see what is placed at, under or above their
  areas: providers, services, bookings and needs.
- A provider's people (its unit's members, a skilled resident) see their provider, its
  services and their bookings.
- Residents see the listed providers and open services placed at or above their dwelling
  (a care-group service only with its tag), their household's bookings and needs.

Each part's own reads live in `selectors_<part>.py` and build on these.
"""

from django.db.models import Q
from django.http import Http404

from linli.accounts import scope
from linli.accounts.models import Role
from linli.library.models import Booking, Need, Provider, Service
from linli.library.permissions import STAFF
from linli.people.selectors import care_q


def staff_q(actor, path_field: str = "area_path") -> Q:
    return scope.reach_q(actor, STAFF, path_field=path_field)


def resident_q(actor, path_field: str = "area_path") -> Q:
    return scope.reach_q(actor, [Role.RESIDENT], path_field=path_field, below=False)


def _authenticated(actor) -> bool:
    return getattr(actor, "is_authenticated", False)


def own_provider_q(actor, prefix: str = "") -> Q:
    """Rows of the providers the actor speaks for (their unit; themselves)."""
    if not _authenticated(actor):
        return Q(pk__in=[])
    return (Q(**{f"{prefix}unit_id__in": scope.unit_ids(actor)})
            | Q(**{f"{prefix}resident__user": actor}))


def _household_id(actor) -> int | None:
    from linli.people.selectors import own_record

    record = own_record(actor)
    return record.household_id if record is not None else None


def providers_visible(actor):
    listed = resident_q(actor) & Q(is_active=True)
    return Provider.objects.filter(staff_q(actor) | listed | own_provider_q(actor))


def services_visible(actor):
    open_ = (resident_q(actor) & Q(is_active=True, provider__is_active=True)
             & care_q(actor))
    return Service.objects.filter(staff_q(actor) | open_
                                  | own_provider_q(actor, "provider__"))


def bookings_visible(actor):
    if not _authenticated(actor):
        return Booking.objects.none()
    mine = Q(booked_by=actor)
    household = _household_id(actor)
    if household is not None:
        mine |= Q(household_id=household)
    return Booking.objects.filter(staff_q(actor) | mine
                                  | own_provider_q(actor, "service__provider__"))


def needs_visible(actor):
    if not _authenticated(actor):
        return Need.objects.none()
    mine = Q(posted_by=actor)
    household = _household_id(actor)
    if household is not None:
        mine |= Q(household_id=household)
    return Need.objects.filter(staff_q(actor) | mine)


def one(qs, pk: int):
    """The row `pk` of `qs`, or 404: another place's row answers exactly as a missing
    one."""
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
