"""The bodies and meetings pages. `urlpatterns` is gathered by urls.py; the names `bodies`,
`body`, `meetings`, `meeting_new` and `meeting` are the contract other parts link to.

- `bodies`: the bodies the person sees; organisers set one up there.
- `body`: its members (current and former, names in full: a public post), its meetings;
  organisers change it, add members (a resident search of the place) and record leavings.
- `meetings`: upcoming first; `meeting_new`: an organiser calls a meeting with an agenda.
- `meeting`: agenda with links to the topics, attendance and the quorate badge, the
  check-in form for residents, and for staff the code, ticking names and the minutes.

A refused form shows the page again with the reason (and the status the API would
answer), the person's input kept.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from linli.core.errors import ApplicationError, ValidationFailed
from linli.deliberation import permissions
from linli.deliberation import selectors_meetings as sel
from linli.deliberation.electorate import active_members
from linli.deliberation.forms_meetings import (
    BodyEditForm,
    BodyForm,
    CancelForm,
    CheckInForm,
    LeaveForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    TickForm,
    first_error,
)
from linli.deliberation.models import Attendance, BodyKind, Meeting, MeetingState
from linli.deliberation.permissions import is_staff
from linli.deliberation.services import meetings as services
from linli.orgs.models import Area


def _render(request, template: str, context: dict, error: ApplicationError | None = None,
            posted_form: str = ""):
    if error is not None:
        context |= {"error": error, "posted": request.POST, "posted_form": posted_form}
    return render(request, template, context, status=error.status if error else 200)


def _area_in(actor, area_id: int | None) -> Area | None:
    if area_id is None:
        return None
    return sel.organiser_areas(actor).filter(pk=area_id).first() or Area.objects.filter(
        pk=area_id).first()


# --- bodies --------------------------------------------------------------------------------

def _bodies_context(user) -> dict[str, Any]:
    areas = sel.organiser_areas(user).filter(kind__in=services.BODY_PLACES)
    return {"bodies": sel.body_list(actor=user), "areas": areas,
            "kinds": BodyKind.choices, "today": timezone.localdate()}


@login_required
@require_GET
def body_list(request):
    return _render(request, "deliberation/bodies/list.html", _bodies_context(request.user))


@login_required
@require_POST
def body_create(request):
    form = BodyForm(request.POST)
    try:
        if not form.is_valid():
            raise first_error(form)
        data = form.cleaned_data
        area = _area_in(request.user, data["area"])
        if area is None:
            raise ValidationFailed(_("Choose the body's place."), code="place_required")
        body = services.body_create(actor=request.user, area=area, name=data["name"],
                                    kind=data["kind"], term_start=data["term_start"],
                                    term_end=data["term_end"], quorum=data["quorum"],
                                    is_active=data["is_active"])
    except ApplicationError as exc:
        return _render(request, "deliberation/bodies/list.html", _bodies_context(request.user),
                       exc, "body")
    messages.success(request, _("Body set up."))
    return redirect("deliberation:body", body.pk)


def _body_context(request, body) -> dict[str, Any]:
    user = request.user
    current, former = sel.members_of(body)
    organiser = permissions.is_organiser(user, body.area)
    search = (request.GET.get("q") or request.POST.get("q") or "").strip()[:64]
    return {"body": body, "current": current, "former": former, "organiser": organiser,
            "meetings": sel.meeting_list(actor=user, body_id=body.pk)[:20],
            "kinds": BodyKind.choices, "q": search, "today": timezone.localdate(),
            "candidates": sel.member_candidates(actor=user, body=body, search=search)
            if organiser else []}


@login_required
@require_GET
def body_detail(request, body_id: int):
    body = sel.body_get(actor=request.user, body_id=body_id)
    return _render(request, "deliberation/bodies/detail.html", _body_context(request, body))


@login_required
@require_POST
def body_edit(request, body_id: int):
    body = sel.body_get(actor=request.user, body_id=body_id)
    form = BodyEditForm(request.POST)
    try:
        services.require_organiser(request.user, body.area)
        if not form.is_valid():
            raise first_error(form)
        data = form.cleaned_data
        services.body_update(actor=request.user, body=body, name=data["name"],
                             kind=data["kind"], term_start=data["term_start"],
                             term_end=data["term_end"], quorum=data["quorum"],
                             is_active=data["is_active"])
    except ApplicationError as exc:
        body.refresh_from_db()
        return _render(request, "deliberation/bodies/detail.html", _body_context(request, body),
                       exc, "edit")
    messages.success(request, _("Body changed."))
    return redirect("deliberation:body", body.pk)


@login_required
@require_POST
def member_add(request, body_id: int):
    body = sel.body_get(actor=request.user, body_id=body_id)
    form = MemberForm(request.POST)
    try:
        services.require_organiser(request.user, body.area)
        if not form.is_valid():
            raise first_error(form)
        data = form.cleaned_data
        resident = (sel.resident_in_scope(actor=request.user, resident_id=data["resident"])
                    if data["resident"] else None)
        if resident is None:
            raise ValidationFailed(_("Search for the resident and choose one."),
                                   code="member_required")
        member = services.member_add(actor=request.user, body=body, resident=resident,
                                     post=data["post"], joined_on=data["joined_on"])
    except ApplicationError as exc:
        return _render(request, "deliberation/bodies/detail.html", _body_context(request, body),
                       exc, "member")
    messages.success(request, _("%(name)s joined the body.") % {"name": member.name})
    return redirect("deliberation:body", body.pk)


@login_required
@require_POST
def member_leave(request, body_id: int, member_id: int):
    body = sel.body_get(actor=request.user, body_id=body_id)
    member = sel.member_get(body=body, member_id=member_id)
    form = LeaveForm(request.POST)
    try:
        if not form.is_valid():
            raise first_error(form)
        services.member_leave(actor=request.user, member=member,
                              left_on=form.cleaned_data["left_on"])
    except ApplicationError as exc:
        return _render(request, "deliberation/bodies/detail.html", _body_context(request, body),
                       exc, f"leave-{member.pk}")
    messages.success(request, _("%(name)s left the body.") % {"name": member.name})
    return redirect("deliberation:body", body.pk)


# --- meetings ------------------------------------------------------------------------------

@login_required
@require_GET
def meeting_list(request):
    user = request.user
    return render(request, "deliberation/meetings/list.html", {
        "meetings": sel.meeting_list(actor=user)[:100], "now": timezone.now(),
        "organiser": sel.organiser_areas(user).exists()})


def _new_context(request, form: MeetingForm) -> dict[str, Any]:
    user = request.user
    return {"form": form, "areas": sel.organiser_areas(user),
            "bodies": sel.organised_bodies(user),
            "topics": sel.agenda_choices(actor=user)[:100],
            "posted_topics": request.POST.getlist("topics")}


def _topic_choices(user) -> list[tuple[int, str]]:
    return [(t.pk, t.title) for t in sel.agenda_choices(actor=user)[:100]]


@login_required
def meeting_new(request):
    user = request.user
    if not sel.organiser_areas(user).exists():
        raise Http404
    if request.method != "POST":
        form = MeetingForm(topic_choices=_topic_choices(user))
        return _render(request, "deliberation/meetings/new.html", _new_context(request, form))
    form = MeetingForm(request.POST, topic_choices=_topic_choices(user))
    try:
        if not form.is_valid():
            raise first_error(form)
        data = form.cleaned_data
        body = (sel.bodies_visible(user).filter(pk=data["body"]).first()
                if data["body"] else None)
        if data["body"] and body is None:
            raise ValidationFailed(_("Choose one of your bodies."), code="unknown_body")
        area = _area_in(user, data["area"])
        meeting = services.meeting_create(
            actor=user, area=area, title=data["title"], starts_at=data["starts_at"],
            place=data["place"], body=body, attendees=data["attendees"],
            topic_ids=data["topics"], invite=data["invite"])
    except ApplicationError as exc:
        return _render(request, "deliberation/meetings/new.html", _new_context(request, form),
                       exc, "meeting")
    messages.success(request, _("Meeting called."))
    return redirect("deliberation:meeting", meeting.pk)


def _meeting_context(request, meeting: Meeting) -> dict[str, Any]:
    user, now = request.user, timezone.now()
    staff = is_staff(user, meeting.area)
    organiser = permissions.is_organiser(user, meeting.area)
    member = services.member_of(meeting, user)
    resident = services.resident_of(meeting, user) if meeting.body is None else None
    mine = None
    if member is not None or resident is not None:
        mine = Attendance.objects.filter(meeting=meeting).filter(
            **({"member": member} if member else {"resident": resident})).first()
    search = (request.GET.get("q") or request.POST.get("q") or "").strip()[:64]
    present_members = set(Attendance.objects.filter(meeting=meeting, member__isnull=False)
                          .values_list("member_id", flat=True))
    present_residents = set(Attendance.objects.filter(meeting=meeting, resident__isnull=False)
                            .values_list("resident_id", flat=True))
    planned = meeting.state == MeetingState.PLANNED
    roll: list = []
    if staff and planned and meeting.body is not None:
        day = timezone.localdate(meeting.starts_at)
        roll = [(m, m.pk in present_members)
                for m in active_members(meeting.body, day)]
    found: list = []
    if staff and planned and meeting.body is None and search:
        found = [(r, r.pk in present_residents)
                 for r in sel.resident_search(actor=user, meeting=meeting, search=search)]
    return {
        "meeting": meeting, "staff": staff, "organiser": organiser, "planned": planned,
        "quorum": services.meeting_quorate(meeting),
        "agenda": meeting.agenda.select_related("topic"),
        "attendance": sel.attendance_rows(meeting, full_names=staff),
        "may_check_in": (member is not None or resident is not None) and mine is None
        and services.check_in_open(meeting, now),
        "checked_in": mine, "is_attendee": member is not None or resident is not None,
        "check_in_open": services.check_in_open(meeting, now),
        "roll": roll, "found": found, "q": search,
        "invited": meeting.invitations.count(),
        "may_write_minutes": staff and meeting.state != MeetingState.CANCELLED
        and now >= meeting.starts_at,
    }


@login_required
@require_GET
def meeting_detail(request, meeting_id: int):
    meeting = sel.meeting_get(actor=request.user, meeting_id=meeting_id)
    return _render(request, "deliberation/meetings/detail.html",
                   _meeting_context(request, meeting))


def _tick(request, meeting: Meeting):
    services.require_staff(request.user, meeting.area)
    form = TickForm(request.POST)
    if not form.is_valid():
        raise first_error(form)
    data = form.cleaned_data
    member = (meeting.body.members.filter(pk=data["member"]).first()
              if meeting.body is not None and data["member"] else None)
    resident = (sel.resident_in_scope(actor=request.user, resident_id=data["resident"])
                if data["resident"] else None)
    row = services.attendance_record(actor=request.user, meeting=meeting, member=member,
                                     resident=resident)
    return _("%(name)s is present.") % {"name": row.name}


def _check_in(request, meeting: Meeting):
    form = CheckInForm(request.POST)
    if not form.is_valid():
        raise first_error(form)
    services.meeting_check_in(actor=request.user, meeting=meeting,
                              code=form.cleaned_data["code"])
    return _("You are checked in. Welcome!")


def _minutes(request, meeting: Meeting):
    services.require_staff(request.user, meeting.area)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        raise first_error(form)
    decisions = {item.pk: request.POST.get(f"decision_{item.pk}", "")
                 for item in meeting.agenda.all()}
    services.meeting_minutes(actor=request.user, meeting=meeting,
                             minutes=form.cleaned_data["minutes"], decisions=decisions)
    return _("Minutes recorded: the meeting is held.")


def _invite(request, meeting: Meeting):
    n = services.meeting_invite(actor=request.user, meeting=meeting)
    return _("%(n)d invited.") % {"n": n}


def _cancel(request, meeting: Meeting):
    services.require_organiser(request.user, meeting.area)
    form = CancelForm(request.POST)
    if not form.is_valid():
        raise first_error(form)
    services.meeting_cancel(actor=request.user, meeting=meeting,
                            reason=form.cleaned_data["reason"])
    return _("Meeting cancelled: the invited are told.")


ACTIONS = {"check_in": _check_in, "attend": _tick, "minutes": _minutes, "invite": _invite,
           "cancel": _cancel}


@login_required
@require_POST
def meeting_act(request, meeting_id: int, action: str):
    meeting = sel.meeting_get(actor=request.user, meeting_id=meeting_id)
    run = ACTIONS.get(action)
    if run is None:
        raise Http404
    try:
        done = run(request, meeting)
    except ApplicationError as exc:
        meeting.refresh_from_db()
        return _render(request, "deliberation/meetings/detail.html",
                       _meeting_context(request, meeting), exc, action)
    messages.success(request, done)
    if action == "attend" and request.POST.get("q"):
        from urllib.parse import urlencode

        from django.urls import reverse

        return redirect(reverse("deliberation:meeting", args=[meeting.pk]) + "?"
                        + urlencode({"q": request.POST["q"]}) + "#roll")
    return redirect("deliberation:meeting", meeting.pk)


urlpatterns: list = [
    path("bodies/", body_list, name="bodies"),
    path("bodies/new/", body_create, name="body_create"),
    path("bodies/<int:body_id>/", body_detail, name="body"),
    path("bodies/<int:body_id>/edit/", body_edit, name="body_edit"),
    path("bodies/<int:body_id>/members/", member_add, name="member_add"),
    path("bodies/<int:body_id>/members/<int:member_id>/leave/", member_leave,
         name="member_leave"),
    path("meetings/", meeting_list, name="meetings"),
    path("meetings/new/", meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/act/<str:action>/", meeting_act, name="meeting_act"),
]
