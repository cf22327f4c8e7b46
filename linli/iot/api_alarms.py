"""The alarms part of the IoT API, under /api/iot (docs/iot.md): the list with the list
page's filters, one alarm with its timeline and the moves the caller may take, and the
moves (acknowledge, clear).

Parse, call a selector or a service, serialize. An alarm named in the path is loaded
through `selectors_alarms.alarm_get`, so one out of scope is a 404 before any service
runs; the workflow then decides whether the caller may take the move (403).
"""

from ninja import Router
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.listing import unknown_value
from linli.iot import selectors_alarms as selectors
from linli.iot.models import Alarm, Kind
from linli.iot.schemas_alarms import AlarmActIn, AlarmDetailOut, AlarmOut
from linli.iot.services.alarms import alarm_transition

router = Router(tags=["iot"])


def _alarm(request, alarm_id: int) -> Alarm:
    return selectors.alarm_get(actor=request.user, alarm_id=alarm_id)


def _word(value: str, allowed, field: str) -> str:
    if value and value not in allowed:
        raise unknown_value(field)
    return value


@router.get("/alarms", response=list[AlarmOut])
@paginate(Pages, page_size=20)
def alarm_list(request, state: str = selectors.OPEN, kind: str = "", type: str = "",
               emergency: bool | None = None, community: Id | None = None,
               period: str = "", overdue: bool | None = None):
    """Alarms the caller may see (staff of the place, the device's owner unit), open
    emergencies (help presses) first, then the newest. The parameters are the list page's
    (/iot/alarms/?...): `state` open (active or acknowledged, the default), cleared or all;
    `kind` the device's kind; `type` the alarm type (`offline`, `help` ...); `emergency`
    and `overdue` (not acknowledged within the rule's minutes) true/false; `community` an
    area id; `period` 24h, 7d or 30d (raised within)."""
    filters = selectors.AlarmFilters(
        state=_word(state, selectors.STATES, "state") or selectors.OPEN,
        kind=_word(kind, Kind.values, "kind"), alarm_type=type[:24], emergency=emergency,
        community_id=community, period=_word(period, selectors.PERIODS, "period"),
        overdue=overdue)
    return selectors.alarm_list(actor=request.user, filters=filters)


@router.get("/alarms/{alarm_id}", response=AlarmDetailOut)
def alarm_detail(request, alarm_id: Id):
    """The alarm with its device, rule, times, case, timeline, version, and the moves the
    caller may take now (`allowed_actions`)."""
    return _alarm(request, alarm_id)


@router.post("/alarms/{alarm_id}/act", response=AlarmDetailOut)
def alarm_act(request, alarm_id: Id, payload: AlarmActIn):
    """Acknowledge (someone is dealing with it; stops the acknowledge clock) or clear (by
    hand, with what was found in `note`). A move the state does not allow: 400
    `transition_not_allowed`; clear without a note: 400 `note_required`; not the caller's
    to take (a leader, an administrator): 403; `expected_version` older than the alarm's:
    409 `stale`; someone else moved it at the same moment: 409 `conflict`."""
    alarm_transition(actor=request.user, alarm=_alarm(request, alarm_id),
                     action=payload.action, note=payload.note,
                     expected_version=payload.expected_version)
    return _alarm(request, alarm_id)
