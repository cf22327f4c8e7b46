"""Reads of alarms, limited to what the actor may see (permissions.py): staff of the place
(grid workers, dispatchers, leaders, administrators at, above or, within a community, under
it) and the members of the device's owner unit; and, read only, the grid worker a help
button's care plan names (the one the press is sent to). Residents see none.

`AlarmFilters` are the list's filters, shared by the page (query string) and the API, so
the home tile's counts link to exactly the list behind them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from linli.accounts import scope
from linli.core.crypto import mask_name
from linli.iot.help import help_description
from linli.iot.models import OPEN_ALARM, Alarm, AlarmEvent, AlarmState, Device, Status
from linli.iot.permissions import STAFF
from linli.iot.transitions import CLOCKS
from linli.orgs.models import Area, AreaKind
from linli.people.selectors import place_labels

# The list's `state` filter: what is still to be dealt with (the default), everything, or
# what is over.
OPEN, ALL, CLEARED = "open", "all", "cleared"
STATES = (OPEN, ALL, CLEARED)
# The list's `period` filter: raised within the last ...
PERIODS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}


def _signed_in(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active)


def visible_q(actor, *, prefix: str = "") -> Q:
    """Alarms (prefix "") the actor sees; with prefix "device__" nothing else changes."""
    if not _signed_in(actor):
        return Q(pk__in=[])
    q = scope.reach_q(actor, STAFF, path_field="area_path")
    units = scope.unit_ids(actor)
    if units:
        q |= Q(device__owner_unit_id__in=units)
    # The grid worker a help press is sent to reads the alarm it leads to, even when the
    # care plan names someone from another grid.
    return q | Q(device__care_plan__grid_worker_id=actor.pk)


def devices_visible_q(actor) -> Q:
    """Devices the actor sees: staff of the place, members of the owner unit."""
    if not _signed_in(actor):
        return Q(pk__in=[])
    q = scope.reach_q(actor, STAFF, path_field="area_path")
    units = scope.unit_ids(actor)
    return q | Q(owner_unit_id__in=units) if units else q


def is_reader(actor) -> bool:
    """The alarm pages exist for staff, unit members, and whoever can see an alarm."""
    if not _signed_in(actor):
        return False
    if scope.has_role(actor, STAFF) or scope.unit_ids(actor):
        return True
    return Alarm.objects.filter(device__care_plan__grid_worker_id=actor.pk).exists()


def is_staff(actor) -> bool:
    return _signed_in(actor) and scope.has_role(actor, STAFF)


@dataclass(frozen=True)
class AlarmFilters:
    state: str = OPEN            # open (active or acknowledged), all, cleared
    kind: str = ""               # the device's kind
    alarm_type: str = ""         # the rule's type ("offline", "help" ...)
    emergency: bool | None = None
    community_id: int | None = None
    period: str = ""             # raised within the last 24h, 7d or 30d
    overdue: bool | None = None  # not acknowledged within the rule's minutes


def _filtered(qs: QuerySet[Alarm], f: AlarmFilters, now: datetime) -> QuerySet[Alarm]:
    if f.state == OPEN:
        qs = qs.filter(OPEN_ALARM)
    elif f.state == CLEARED:
        qs = qs.filter(state=AlarmState.CLEARED)
    if f.kind:
        qs = qs.filter(device__kind=f.kind)
    if f.alarm_type:
        qs = qs.filter(alarm_type=f.alarm_type)
    if f.emergency is not None:
        qs = qs.filter(is_emergency=f.emergency)
    if f.community_id is not None:
        qs = qs.filter(community_id=f.community_id)
    if f.period in PERIODS:
        qs = qs.filter(opened_at__gte=now - PERIODS[f.period])
    if f.overdue is not None:
        late = CLOCKS.overdue_q(now)
        qs = qs.filter(late) if f.overdue else qs.exclude(late)
    return qs


def alarm_list(*, actor, filters: AlarmFilters | None = None,
               now: datetime | None = None) -> QuerySet[Alarm]:
    """Open emergencies (help buttons) first, then the newest."""
    qs = _filtered(Alarm.objects.filter(visible_q(actor)), filters or AlarmFilters(),
                   now or timezone.now())
    urgent = Case(When(OPEN_ALARM & Q(is_emergency=True), then=Value(0)), default=Value(1),
                  output_field=IntegerField())
    return (qs.select_related("device", "device__area", "rule", "community")
            .annotate(urgent=urgent).order_by("urgent", "-opened_at", "-id"))


def alarm_get(*, actor, alarm_id: int) -> Alarm:
    """The alarm if the actor may see it; a 404 otherwise (out of scope looks missing)."""
    alarm = (Alarm.objects.filter(visible_q(actor), pk=alarm_id)
             .select_related("device", "device__area", "device__owner_unit",
                             "device__resident", "device__care_plan", "rule", "community",
                             "case").first())
    if alarm is None:
        raise Http404
    return alarm


def event_list(*, alarm: Alarm) -> QuerySet[AlarmEvent]:
    """The timeline of an alarm the caller already got through `alarm_get`, oldest first."""
    return alarm.events.select_related("actor").order_by("at", "id")


@dataclass(frozen=True)
class AlarmCounts:
    open: int
    emergencies: int
    overdue: int
    offline: int  # devices offline


def alarm_counts(*, actor, now: datetime | None = None) -> AlarmCounts:
    """What the home tile shows: open alarms, open emergencies, alarms nobody acknowledged
    in time, and devices offline, all in the actor's scope."""
    now = now or timezone.now()
    visible = Alarm.objects.filter(visible_q(actor))
    opened = visible.filter(OPEN_ALARM)
    return AlarmCounts(
        open=opened.count(), emergencies=opened.filter(is_emergency=True).count(),
        overdue=visible.filter(CLOCKS.overdue_q(now)).count(),
        offline=Device.objects.filter(devices_visible_q(actor),
                                      status=Status.OFFLINE).count())


def light(alarm: Alarm, now: datetime | None = None) -> str | None:
    """The acknowledge clock's light: green, yellow past 80 %, red overdue; None once
    acknowledged or when the rule sets no minutes."""
    return CLOCKS.light(alarm, now or timezone.now())


def communities_in_scope(actor) -> list[Area]:
    """Communities the actor's alarms may come from (the list's community filter)."""
    if not _signed_in(actor):
        return []
    ids = (Alarm.objects.filter(visible_q(actor)).values("community_id").distinct())
    staff = scope.reach_q(actor, STAFF, path_field="path")
    return list(Area.objects.filter(staff | Q(pk__in=ids), kind=AreaKind.COMMUNITY)
                .order_by("path"))


def place_of(alarm: Alarm) -> str:
    """Where the device is, as a grid worker finds it: its address, else its place."""
    device = alarm.device
    return device.address or place_labels([device.area])[device.area_id]


@dataclass(frozen=True)
class HelpDetails:
    who: str    # the resident's masked name
    place: str  # the address to go to
    text: str   # what the case tells the grid worker (help.py)


def help_details(alarm: Alarm) -> HelpDetails | None:
    """For a help-button alarm: who pressed (masked) and where, in large print on the page
    (DESIGN.md §7: enough to act on, no reveal)."""
    if not alarm.is_emergency:
        return None
    resident = alarm.device.resident
    text = alarm.case.description if alarm.case is not None else help_description(
        alarm.device)
    return HelpDetails(who=mask_name(resident.name) if resident is not None else "—",
                       place=place_of(alarm), text=text)
