"""The alarm pages (routes in urls_alarms.py).

- `alarms`: the list, open emergencies first, with each alarm's state and the acknowledge
  clock's light; filtered from the query string (`AlarmFilters`, the home tile's links).
- `alarm`: one alarm — device, place, rule, value, times, repeats, its case, the timeline —
  and one form per move the person may take now (`ALARMS.actions_for`): acknowledge is one
  big button, clear asks what was found. A help press shows who (masked) and where in
  large print: the page is opened on a grid worker's phone on the way to the door.
- `alarm_act`: the move; a refusal shows the alarm page again with the reason and the
  status the API would answer (a stale page: 409 and a link to reload).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from linli.core.clocks import Light
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.listing import known_filters, query_without_page
from linli.iot import selectors_alarms as selectors
from linli.iot.forms_alarms import FILTERS, AlarmActionForm, AlarmFilterForm
from linli.iot.models import Alarm, AlarmEvent, AlarmState
from linli.iot.services.alarms import alarm_transition
from linli.iot.transitions import CLOCKS
from linli.iot.workflow import ALARMS
from linli.people.selectors import place_labels

PAGE_SIZE = 30
RELOAD_CODES = {"stale", "conflict"}

STATE_WORDS: dict[str, Any] = {AlarmState.ACTIVE: pgettext_lazy("alarm state", "Active"),
               AlarmState.ACKNOWLEDGED: pgettext_lazy("alarm state", "Acknowledged"),
               AlarmState.CLEARED: pgettext_lazy("alarm state", "Cleared")}
ACTION_LABELS = {"acknowledge": _("Acknowledge: I am dealing with it"),
                 "clear": _("Clear the alarm")}
EVENT_LABELS = {"raise": _("Alarm raised"), "repeat": _("Raised again"),
                "case": pgettext_lazy("alarm event", "Linked to a case"),
                "acknowledge": pgettext_lazy("alarm event", "Acknowledged"),
                "clear": _("Cleared by hand"), "recover": _("Cleared by the device"),
                "overdue": _("Not acknowledged in time")}
DONE = {"acknowledge": _("Alarm acknowledged."), "clear": _("Alarm cleared.")}


def state_words(state: str) -> str:
    return str(STATE_WORDS.get(state, state))


def event_words(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


def _require_reader(user) -> None:
    """The alarm pages do not exist for anyone who cannot see an alarm (residents)."""
    if not selectors.is_reader(user):
        raise Http404


# --- the list ----------------------------------------------------------------------------

def _rows(alarms: list[Alarm]) -> list[dict[str, Any]]:
    now = timezone.now()
    places = place_labels([a.device.area for a in alarms])
    rows = []
    for alarm in alarms:
        colour = selectors.light(alarm, now)
        rows.append({"alarm": alarm, "state": state_words(alarm.state), "light": colour,
                     "light_words": Light.words(colour),
                     "place": alarm.device.address or places[alarm.device.area_id]})
    return rows


@login_required
@require_GET
def alarm_list(request):
    user = request.user
    _require_reader(user)
    form = AlarmFilterForm(known_filters(request, FILTERS) or None,
                           communities=selectors.communities_in_scope(user))
    alarms = selectors.alarm_list(actor=user, filters=form.filters())
    page = Paginator(alarms, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "iot/alarms/list.html", {
        "form": form, "page": page, "rows": _rows(list(page)),
        "query": query_without_page(request),
    }, status=400 if form.errors else 200)


# --- one alarm ---------------------------------------------------------------------------

def _timeline(alarm: Alarm) -> list[dict[str, Any]]:
    def row(e: AlarmEvent) -> dict[str, Any]:
        moved = e.from_state and e.to_state and e.from_state != e.to_state
        return {"event": e, "label": event_words(e.action),
                "from": state_words(e.from_state) if moved else "",
                "to": state_words(e.to_state) if moved else ""}
    return [row(e) for e in selectors.event_list(alarm=alarm)]


def _detail_context(user, alarm: Alarm) -> dict[str, Any]:
    colour = selectors.light(alarm)
    actions = ALARMS.actions_for(user, alarm)
    return {
        "alarm": alarm, "device": alarm.device, "rule": alarm.rule,
        "state": state_words(alarm.state), "place": selectors.place_of(alarm),
        "light": colour, "light_words": Light.words(colour),
        "due": CLOCKS.running_due(alarm), "help": selectors.help_details(alarm),
        "actions": [(a, ACTION_LABELS.get(a, a)) for a in actions],
        "events": _timeline(alarm),
    }


def render_detail(request, alarm: Alarm, error: ApplicationError | None = None,
                  posted_action: str = ""):
    context = _detail_context(request.user, alarm)
    if error is not None:
        context |= {"error": error, "error_reload": error.code in RELOAD_CODES,
                    "posted": request.POST, "posted_action": posted_action}
    return render(request, "iot/alarms/detail.html", context,
                  status=error.status if error is not None else 200)


def _get(request, alarm_id: int) -> Alarm:
    _require_reader(request.user)
    return selectors.alarm_get(actor=request.user, alarm_id=alarm_id)


@login_required
@require_GET
def alarm_detail(request, alarm_id: int):
    return render_detail(request, _get(request, alarm_id))


@login_required
@require_POST
def alarm_act(request, alarm_id: int, action: str):
    alarm = _get(request, alarm_id)
    if action not in ACTION_LABELS:
        raise Http404
    form = AlarmActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(str(_("The form is out of date. Reload the page.")),
                                   code="invalid")
        alarm_transition(actor=request.user, alarm=alarm, action=action,
                         note=form.cleaned_data["note"],
                         expected_version=form.cleaned_data["version"])
    except ApplicationError as exc:
        return render_detail(request, alarm, error=exc, posted_action=action)
    messages.success(request, str(DONE[action]))
    return redirect("iot:alarm", alarm.pk)
