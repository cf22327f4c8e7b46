"""Joint committees (联合党委) and their joint meetings (联席会议); the resolutions' pages are
in `views_resolutions.py`. The names `joint`, `meetings`, `meeting`, `resolutions`,
`solved` and `resolution` are the contract other parts link to.

- `joint`: each joint committee in scope with its seats, this year's meetings and its
  resolutions open / done / overdue.
- `meetings`: the meetings in scope; party-work staff plan one (`meeting_new`).
- `meeting`: the agenda (staff add items, free text or from a case, a topic or a dispute
  of the community; reorder and remove them while planned), attendance per seat, hold
  (the minutes) or cancel (a reason), and once held the resolutions (staff record them).

Party-work staff, dispatchers and leaders of the place read; only party-work staff write
(the services refuse anyone else with a 403). A refused form shows the page again with
the reason and the status the API would answer.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from linli.core.errors import ApplicationError, ValidationFailed
from linli.party import permissions, views_resolutions
from linli.party import selectors_meetings as sel
from linli.party.forms_meetings import (
    AgendaForm,
    AttendanceForm,
    MeetingActForm,
    MeetingForm,
    ResolutionForm,
    first_invalid,
)
from linli.party.models import MeetingState, Organisation
from linli.party.services.meetings import owner_units, resolution_add
from linli.party.services.meetings_plan import (
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    attendance_record,
    meeting_create,
    meeting_transition,
)
from linli.party.workflow import MEETINGS

DONE = {"hold": _("The meeting is recorded as held."),
        "cancel": _("The meeting is cancelled.")}


# --- joint committees ------------------------------------------------------------------------

@login_required
@require_GET
def joint_list(request):
    if not permissions.is_work_staff(request.user):
        raise Http404
    now = timezone.now()
    joints = [sel.joint_overview(j, now) for j in sel.joints_visible(request.user)[:50]]
    return render(request, "party/meetings/joint.html", {"joints": joints})


# --- meetings ---------------------------------------------------------------------------------

def _list_context(request, form: MeetingForm | None = None) -> dict[str, Any]:
    user = request.user
    state = request.GET.get("state", "")[:12]
    if state not in MeetingState.values:
        state = ""
    staff = permissions.is_party_staff(user)
    joints = [j for j in sel.joints_visible(user) if permissions.keeps(user, j.area_path)]
    return {"meetings": sel.meeting_list(actor=user, state=state)[:200], "state": state,
            "states": MeetingState.choices, "is_staff": staff, "joints": joints,
            "form": form or MeetingForm()}


@login_required
@require_GET
def meeting_list(request):
    if not permissions.is_work_staff(request.user):
        raise Http404
    return render(request, "party/meetings/list.html", _list_context(request))


@login_required
@require_POST
def meeting_new(request):
    form = MeetingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        joint = sel.joints_visible(request.user).filter(pk=data["joint"]).first()
        if joint is None:
            raise ValidationFailed(str(_("Choose a joint committee.")), code="bad_joint")
        made = meeting_create(actor=request.user, joint=joint, title=data["title"],
                              scheduled_at=data["scheduled_at"], venue=data["venue"])
    except ApplicationError as exc:
        context = _list_context(request, form) | {"error": exc}
        return render(request, "party/meetings/list.html", context, status=exc.status)
    messages.success(request, str(_("The meeting is planned.")))
    return redirect("party:meeting", made.pk)


def _detail_context(request, meeting) -> dict[str, Any]:
    user = request.user
    staff = permissions.keeps(user, meeting.area_path)
    now = timezone.now()
    planned = meeting.state == MeetingState.PLANNED
    resolutions = list(meeting.resolutions.select_related("owner_unit", "agenda_item")
                       .order_by("pk"))
    for r in resolutions:
        sel.with_light(r, now)
    context: dict[str, Any] = {
        "meeting": meeting, "is_staff": staff, "actions": MEETINGS.actions_for(user, meeting),
        "agenda": sel.agenda_of(meeting), "attendance": sel.attendance_of(meeting),
        "resolutions": resolutions, "planned": planned,
        "held": meeting.state == MeetingState.HELD,
    }
    if staff and planned:
        context["sources"] = sel.agenda_sources(meeting, now)
    if staff and context["held"]:
        context["units"] = owner_units(meeting)
    return context


def render_detail(request, meeting, error: ApplicationError | None = None, form_id: str = ""):
    context = _detail_context(request, meeting)
    if error is not None:
        context |= {"error": error, "posted": request.POST, "form_id": form_id}
    return render(request, "party/meetings/detail.html", context,
                  status=error.status if error is not None else 200)


def _get(request, joint_meeting_id: int):
    return sel.meeting_get(actor=request.user, meeting_id=joint_meeting_id)


@login_required
@require_GET
def meeting_detail(request, joint_meeting_id: int):
    return render_detail(request, _get(request, joint_meeting_id))


def _posted(request, joint_meeting_id: int, form_id: str, act, success: str):
    """Run `act(meeting)`; on a refusal show the page again with the reason."""
    meeting = _get(request, joint_meeting_id)
    try:
        act(meeting)
    except ApplicationError as exc:
        return render_detail(request, _get(request, joint_meeting_id), error=exc,
                             form_id=form_id)
    if success:
        messages.success(request, success)
    return redirect("party:meeting", meeting.pk)


def _valid(form) -> dict:
    if not form.is_valid():
        raise ValidationFailed(first_invalid(form), code="invalid")
    return form.cleaned_data


def _source(meeting, kind: str, pk: int | None) -> dict:
    """The case, topic or dispute picked from the meeting's lists (nothing else)."""
    if not kind:
        return {}
    found = next((x for x in sel.agenda_sources(meeting, timezone.now()).get(kind + "s", [])
                  if x.pk == pk), None)
    if found is None:
        raise ValidationFailed(str(_("Choose from the list.")), code="bad_source")
    return {kind: found}


@login_required
@require_POST
def meeting_agenda_add(request, joint_meeting_id: int):
    def act(meeting):
        form = AgendaForm(request.POST)
        data = _valid(form)
        kind, pk = form.source_ref()
        if permissions.keeps(request.user, meeting.area_path):
            extra = _source(meeting, kind, pk)
        else:
            extra = {}
        agenda_item_add(actor=request.user, meeting=meeting, title=data["title"],
                        note=data["note"], **extra)
    return _posted(request, joint_meeting_id, "agenda-add", act,
                   str(_("The item is on the agenda.")))


@login_required
@require_POST
def meeting_agenda_edit(request, joint_meeting_id: int):
    """Remove an item, or move it up or down (`op`)."""
    def act(meeting):
        op = request.POST.get("op", "")[:8]
        pk = request.POST.get("item", "")
        item = next((i for i in meeting.agenda.all() if str(i.pk) == pk), None)
        if item is None or op not in ("remove", "up", "down"):
            raise ValidationFailed(str(_("Choose from the list.")), code="bad_item")
        if op == "remove":
            agenda_item_remove(actor=request.user, item=item)
        else:
            agenda_item_move(actor=request.user, item=item, up=op == "up")
    return _posted(request, joint_meeting_id, "agenda-edit", act, "")


@login_required
@require_POST
def meeting_attendance(request, joint_meeting_id: int):
    def act(meeting):
        data = _valid(AttendanceForm(request.POST))
        org = Organisation.objects.filter(pk=data["organisation"]).first()
        if org is None:
            raise ValidationFailed(str(_("Choose from the list.")), code="no_seat")
        attendance_record(actor=request.user, meeting=meeting, organisation=org,
                          present=data["present"], attendee=data["attendee"])
    return _posted(request, joint_meeting_id, "attendance", act,
                   str(_("Attendance is recorded.")))


@login_required
@require_POST
def meeting_act(request, joint_meeting_id: int, action: str):
    def act(meeting):
        if action not in MEETINGS.table:
            raise ValidationFailed(str(_("Unknown action.")), code="unknown_action")
        data = _valid(MeetingActForm(request.POST))
        meeting_transition(actor=request.user, meeting=meeting, action=action,
                           note=data["note"], minutes=data["minutes"],
                           expected_version=data["version"])
    return _posted(request, joint_meeting_id, f"act-{action}", act,
                   str(DONE.get(action, "")))


@login_required
@require_POST
def meeting_resolution_add(request, joint_meeting_id: int):
    def act(meeting):
        data = _valid(ResolutionForm(request.POST))
        units = owner_units(meeting) if permissions.keeps(request.user, meeting.area_path) \
            else []
        unit = next((u for u in units if u.pk == data["unit"]), None)
        if data["unit"] and unit is None and units:
            raise ValidationFailed(str(_("Choose the owner unit from the list.")),
                                   code="bad_unit")
        item = next((i for i in meeting.agenda.all() if i.pk == data["item"]), None)
        resolution_add(actor=request.user, meeting=meeting, text=data["text"],
                       owner_unit=unit, working_days=data["working_days"],
                       agenda_item=item)
    return _posted(request, joint_meeting_id, "resolution", act,
                   str(_("The resolution is recorded.")))


@login_required
@require_GET
def resolution_due(request):
    """The date a deadline of N working days from now falls on (HTMX, the resolution
    form): the working calendar, as the service will compute it."""
    from decimal import Decimal

    from django.http import HttpResponse
    from django.utils.formats import date_format

    from linli.core.clocks import LimitUnit, due_and_warn

    days = request.GET.get("working_days", "")
    if not days.isdigit() or not 1 <= int(days) <= 250:
        return HttpResponse("")
    due, _warn = due_and_warn(timezone.now(), Decimal(int(days)), LimitUnit.WORK_DAYS)
    text = _("Due %(date)s") % {"date": date_format(timezone.localtime(due),
                                                    "Y-m-d H:i")}
    return HttpResponse(text)


M = "meetings/<int:joint_meeting_id>/"

urlpatterns = [
    path("joint/", joint_list, name="joint"),
    path("meetings/", meeting_list, name="meetings"),
    path("meetings/new/", meeting_new, name="meeting_new"),
    path("meetings/due/", resolution_due, name="resolution_due"),
    path(M, meeting_detail, name="meeting"),
    path(M + "agenda/", meeting_agenda_add, name="meeting_agenda_add"),
    path(M + "agenda/edit/", meeting_agenda_edit, name="meeting_agenda_edit"),
    path(M + "attendance/", meeting_attendance, name="meeting_attendance"),
    path(M + "act/<str:action>/", meeting_act, name="meeting_act"),
    path(M + "resolutions/", meeting_resolution_add, name="meeting_resolution_add"),
    *views_resolutions.urlpatterns,
]
