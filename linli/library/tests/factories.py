"""Builders for service-library tests: rows as the services would write them.

The world (linli/conftest.py): alice is the dispatcher of community A, bob of community B,
gina the grid worker of grid A1, rita a resident of dwelling A (101), leo the street's
leader, uma a member of unit A (花楼物业).
"""

from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from linli.library.models import (
    Booking,
    BookingState,
    Contribution,
    Gives,
    Mode,
    Need,
    NeedSource,
    OpeningHours,
    Price,
    Provider,
    ProviderKind,
    Room,
    Service,
    ServiceKind,
    Slot,
)
from linli.orgs.models import Area, AreaKind
from linli.people.models import Resident


def _community(area: Area) -> Area:
    found = area if area.kind == AreaKind.COMMUNITY else area.ancestor_of_kind(AreaKind.COMMUNITY)
    assert found is not None
    return found


def provider(world, *, area: Area | None = None, name: str = "爱心助老服务社",
             kind: str = ProviderKind.SOCIAL_ORG, actor=None,
             service_kinds=(ServiceKind.ELDERLY_CARE,), person: Resident | None = None,
             **fields) -> Provider:
    """An organisation (by default) or, with `person`, a skilled resident who consented."""
    area = area or world.community_a
    now = timezone.now()
    if person is not None:
        kind = ProviderKind.SKILLED
        fields = {"consent_at": now, "consent_via": "self", **fields}
    return Provider.objects.create(
        community=_community(area), area=area, area_path=area.path, kind=kind, name=name,
        service_kinds=list(service_kinds), resident=person,
        created_by=actor or world.alice, **fields)


def contribution(of: Provider, *, by, mode: str = Mode.SERVICE, gives: str = Gives.HOURS,
                 amount: int = 4, description: str = "义诊半天") -> Contribution:
    return Contribution.objects.create(provider=of, mode=mode, gives=gives, amount=amount,
                                       description=description,
                                       given_on=timezone.localdate(), recorded_by=by)


def service(world, *, of: Provider | None = None, area: Area | None = None,
            title: str = "上门助浴", kind: str = ServiceKind.ELDERLY_CARE,
            price: str = Price.FREE, points: int | None = None, capacity: int = 1,
            needs_confirmation: bool = True, actor=None, **fields) -> Service:
    of = of or provider(world, area=area)
    area = area or of.area
    return Service.objects.create(
        provider=of, area=area, area_path=area.path, kind=kind, title=title, price=price,
        price_points=points, capacity=capacity, needs_confirmation=needs_confirmation,
        created_by=actor or world.alice, **fields)


def slot(of: Service, *, starts_at: datetime | None = None, hours: int = 1,
         capacity: int | None = None) -> Slot:
    starts_at = starts_at or timezone.now() + timedelta(days=2)
    return Slot.objects.create(service=of, starts_at=starts_at,
                               ends_at=starts_at + timedelta(hours=hours),
                               capacity=capacity or of.capacity)


def venue(world, *, area: Area | None = None, title: str = "社区书屋", rooms=("阅览室",),
          opens: time = time(8, 0), closes: time = time(21, 0), actor=None,
          needs_confirmation: bool = False, **fields) -> Service:
    """A venue open every day from `opens` to `closes`, with its rooms."""
    of = provider(world, area=area, name="社区党群服务中心", kind=ProviderKind.UNIT,
                  service_kinds=(ServiceKind.VENUE,), actor=actor)
    made = service(world, of=of, title=title, kind=ServiceKind.VENUE, is_venue=True,
                   needs_confirmation=needs_confirmation, actor=actor, **fields)
    for name in rooms:
        Room.objects.create(service=made, name=name, seats=20)
    for weekday in range(7):
        OpeningHours.objects.create(service=made, weekday=weekday, opens=opens, closes=closes)
    return made


def booking(of: Slot, person: Resident, *, by, state: str = BookingState.CONFIRMED,
            **fields) -> Booking:
    """A booking row as the service writes it (the slot's count kept with it)."""
    now = timezone.now()
    if state in ("requested", "confirmed"):
        Slot.objects.filter(pk=of.pk).update(taken=F("taken") + 1)
    return Booking.objects.create(
        service=of.service, slot=of, starts_at=of.starts_at, ends_at=of.ends_at,
        area_path=of.service.area_path, resident=person, household_id=person.household_id,
        name=person.name, booked_by=by, state=state, created_at=now, **fields)


def need(world, *, area: Area | None = None, text: str = "家里老人腿脚不便，希望有人上门助浴",
         by=None, person: Resident | None = None, source: str = NeedSource.STAFF,
         **fields) -> Need:
    if person is not None:
        area = person.household.dwelling
    area = area or world.dwelling_a
    return Need.objects.create(
        community=_community(area), area=area, area_path=area.path, resident=person,
        household_id=person.household_id if person is not None else None, text=text,
        source=source, posted_by=by or world.alice, created_at=timezone.now(), **fields)
