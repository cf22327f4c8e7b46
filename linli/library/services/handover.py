"""A need turned into work in one step, linked both ways: the need says what it became (its
`outcome` and link), the work's history says where it came from.

- a case (the case loop: a problem to be fixed), reported at the need's place;
- a volunteering task (people to help), at the need's place;
- a deliberation topic (something the residents decide together), at the need's estate or
  community (topics are not placed at a dwelling);
- a booking of a provider's slot or a venue's room, for the need's resident (or the head
  of its household); the need is matched to that provider first if it was not already.

Each runs in one transaction: if the work cannot be made, the need is not moved either.
Staff serving the need's place only (the move table's `staff`), and the other app's own
rules apply on top (who may report, publish, raise).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.library.models import Need, Outcome, Room, Slot
from linli.library.services.bookings import booking_create, room_book
from linli.library.workflow import NEEDS
from linli.orgs.models import Area, AreaKind
from linli.people.models import Resident

MAX_CASE_TEXT = 2000


def _check(actor, need: Need, action: str = "hand_over") -> None:
    NEEDS.check(actor, need, action, "")


def _handed(actor, need: Need, outcome: str, work, note: str, now: datetime) -> Need:
    NEEDS.transition(actor=actor, obj=need, action="hand_over", note=note, now=now,
                     data={"outcome": outcome, Outcome(outcome).value: work})
    return need


@transaction.atomic
def need_to_case(*, actor, need: Need, category, note: str = "",
                 now: datetime | None = None) -> Need:
    """Report a case of `category` (a leaf of the case tree) with the need's words."""
    from linli.cases.models import Channel
    from linli.cases.services import case_report

    now = now or timezone.now()
    _check(actor, need)
    if category is None:
        raise ValidationFailed(_("Choose the category of the case."), code="bad_category")
    case = case_report(actor=actor, category=category, area=need.area,
                       description=need.text[:MAX_CASE_TEXT], title=need.text[:40],
                       channel=Channel.GRID_PATROL, now=now)
    return _handed(actor, need, Outcome.CASE, case, note, now)


@dataclass(frozen=True)
class TaskData:
    title: str
    starts_at: datetime
    ends_at: datetime
    volunteers_needed: int = 1
    points_offered: int = 0


@transaction.atomic
def need_to_task(*, actor, need: Need, data: TaskData, note: str = "",
                 now: datetime | None = None) -> Need:
    """Publish a volunteering task at the need's place."""
    from linli.volunteering.models import TaskKind
    from linli.volunteering.services import task_create

    now = now or timezone.now()
    _check(actor, need)
    task = task_create(actor=actor, area=need.area, title=data.title, kind=TaskKind.VISIT,
                       starts_at=data.starts_at, ends_at=data.ends_at,
                       volunteers_needed=data.volunteers_needed,
                       points_offered=data.points_offered, description=need.text, now=now)
    return _handed(actor, need, Outcome.TASK, task, note, now)


def topic_place(need: Need) -> Area:
    """Where a topic of this need is raised: its estate, else its community."""
    return need.area.ancestor_of_kind(AreaKind.ESTATE) or need.community


@transaction.atomic
def need_to_topic(*, actor, need: Need, title: str, category: str, note: str = "",
                  now: datetime | None = None) -> Need:
    """Raise a deliberation topic with the need's words, at its estate or community."""
    from linli.deliberation.services import topic_raise

    now = now or timezone.now()
    _check(actor, need)
    topic = topic_raise(actor=actor, area=topic_place(need), title=title, category=category,
                        description=need.text, now=now)
    return _handed(actor, need, Outcome.TOPIC, topic, note, now)


def person_of(need: Need) -> Resident:
    """Who a booking for the need is for: its resident, else the head of its household
    (or any member still living there)."""
    if need.resident is not None:
        return need.resident
    if need.household_id is None:
        raise ValidationFailed(_("This need has no resident to book for."),
                               code="no_resident")
    members = Resident.objects.filter(household_id=need.household_id, moved_out__isnull=True,
                                      anonymised_at__isnull=True)
    person = members.filter(relation="head").first() or members.first()
    if person is None:
        raise ValidationFailed(_("This need has no resident to book for."),
                               code="no_resident")
    return person


def _matched_to(actor, need: Need, provider, now: datetime) -> Need:
    if need.provider_id != provider.pk:
        NEEDS.transition(actor=actor, obj=need, action="match", now=now,
                         data={"provider": provider})
    return need


@transaction.atomic
def need_to_booking(*, actor, need: Need, slot: Slot | None = None, room: Room | None = None,
                    starts_at: datetime | None = None, ends_at: datetime | None = None,
                    note: str = "", now: datetime | None = None) -> Need:
    """Book a provider's slot (or a venue's room for some hours) for the need's person."""
    now = now or timezone.now()
    _check(actor, need)
    if (slot is None) == (room is None):
        raise ValidationFailed(_("Choose a time of a service, or a room and its hours."),
                               code="bad_booking")
    service = slot.service if slot is not None else room.service  # type: ignore[union-attr]
    if service.provider.community_id != need.community_id:
        raise PermissionDenied(_("Choose a service of this community."), code="bad_service")
    person = person_of(need)
    _matched_to(actor, need, service.provider, now)
    if slot is not None:
        booking = booking_create(actor=actor, slot=slot, resident=person, note=note,
                                 need=need, now=now)
    else:
        assert room is not None
        # room_book refuses missing hours with the reason.
        booking = room_book(actor=actor, room=room, resident=person,
                            starts_at=starts_at, ends_at=ends_at,  # type: ignore[arg-type]
                            note=note, need=need, now=now)
    return _handed(actor, need, Outcome.BOOKING, booking, note, now)
