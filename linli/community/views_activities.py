"""The community hub and the activities pages (活动). `urlpatterns` is gathered by urls.py;
the names `home`, `activities` and `activity` are the contract other parts link to.

- `home`: the hub: upcoming activities and links to notices, boards and ratings.
- `activities`: the lists (open for sign-up, mine, past; staff: upcoming, to report, by
  state).
- `activity`: one activity: sign up me or a household member, cancel, check in with the
  door code, the report with photos; for staff the moves, the sign-up list with a big
  "present" button per confirmed row, the counts and the attendance rate.
- `activities_door`: the door code in large digits, for a phone held up at the door.
- `activities_export`: the sign-ups as .xlsx (staff; audited).

A refused form shows the page again with the reason and the status the API would answer,
what the person typed kept.
"""

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.community import permissions, services
from linli.community import selectors_activities as sel
from linli.community.forms_activities import (
    ActionForm,
    ActivityForm,
    CheckInForm,
    SignUpForm,
    first_invalid,
)
from linli.community.models import Activity, ActivityKind, ActivityState, Organiser
from linli.community.selectors import activity_get
from linli.community.services.signups import check_in_open
from linli.community.workflow import ACTIVITIES
from linli.core.audit import audit_record
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.images import MAX_FILES
from linli.core.media import private_file

PAGE_ACTIONS = ("publish", "cancel", "report")
DONE = {"publish": _("The activity is published: residents may sign up."),
        "cancel": _("The activity is cancelled; everyone signed up is told."),
        "report": _("The report is published.")}
RESIDENT_VIEWS = (("open", _("Open for sign-up")), ("mine", _("Mine")),
                  ("past", _("Past")))
STAFF_VIEWS = (("upcoming", _("Upcoming")), ("to_report", _("To report")),
               ("all", _("All")))


# --- the hub -------------------------------------------------------------------------------

@login_required
@require_GET
def hub(request):
    user = request.user
    upcoming = sel.activity_list(actor=user, view="upcoming").exclude(
        state=ActivityState.DRAFT)[:5]
    return render(request, "community/hub.html", {
        "upcoming": upcoming, "can_publish": bool(sel.place_choices(user)),
    })


# --- the list --------------------------------------------------------------------------------

@login_required
@require_GET
def activity_list(request):
    user = request.user
    staff = bool(sel.place_choices(user))
    views = (*STAFF_VIEWS, *RESIDENT_VIEWS[2:]) if staff else RESIDENT_VIEWS
    view = request.GET.get("view") or views[0][0]
    if view not in dict(views):
        view = views[0][0]
    state = request.GET.get("state", "")
    if state not in ActivityState.values:
        state = ""
    rows = sel.activity_list(actor=user, view=view, state=state if staff else "")[:100]
    return render(request, "community/activities/list.html", {
        "activities": rows, "views": views, "view": view, "state": state,
        "states": ActivityState.choices, "is_staff": staff, "now": timezone.now(),
    })


# --- new and edit ----------------------------------------------------------------------------

def _tags():
    from linli.people.models import CareTag

    return CareTag.objects.order_by("name")


def _form_data(form: ActivityForm) -> services.ActivityData:
    from linli.people.models import CareTag

    data = form.cleaned_data
    tag = None
    if data.get("care_tag"):
        tag = CareTag.objects.filter(pk=data["care_tag"]).first()
        if tag is None:
            raise ValidationFailed(str(_("Unknown care tag.")), code="bad_care_tag")
    return services.ActivityData(
        title=data["title"], kind=data["kind"], description=data["description"],
        organiser=data["organiser"], organiser_name=data["organiser_name"],
        venue=data["venue"], starts_at=data["starts_at"], ends_at=data["ends_at"],
        signup_opens_at=data["signup_opens_at"] or timezone.now(),
        signup_closes_at=data["signup_closes_at"] or data["starts_at"],
        capacity=data["capacity"], care_tag=tag)


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _initial(activity: Activity) -> dict[str, Any]:
    return {"area": str(activity.area_id), "title": activity.title, "kind": activity.kind,
            "description": activity.description, "organiser": activity.organiser,
            "organiser_name": activity.organiser_name, "venue": activity.venue,
            "starts_at": _local(activity.starts_at), "ends_at": _local(activity.ends_at),
            "signup_opens_at": _local(activity.signup_opens_at),
            "signup_closes_at": _local(activity.signup_closes_at),
            "capacity": str(activity.capacity),
            "care_tag": str(activity.care_tag_id or ""), "version": str(activity.version)}


def _render_form(request, *, activity: Activity | None, posted, error=None):
    return render(request, "community/activities/form.html", {
        "activity": activity, "places": sel.place_choices(request.user), "posted": posted,
        "kinds": ActivityKind.choices, "organisers": Organiser.choices, "tags": _tags(),
        "error": error,
    }, status=error.status if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    from linli.orgs.models import Area

    if request.method == "GET":
        if not sel.place_choices(request.user):
            raise PermissionDenied(str(_("Only staff publish activities.")))
        return _render_form(request, activity=None, posted={"capacity": "30"})
    form = ActivityForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        area = Area.objects.filter(pk=form.cleaned_data["area"] or 0).first()
        made = services.activity_create(actor=request.user, area=area, data=_form_data(form))
    except ApplicationError as exc:
        return _render_form(request, activity=None, posted=request.POST, error=exc)
    messages.success(request, str(_("The draft is saved: check it, then publish it.")))
    return redirect("community:activity", made.pk)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, activity_id: int):
    activity = activity_get(actor=request.user, activity_id=activity_id)
    if not permissions.manages(request.user, activity.area):
        raise PermissionDenied(str(_("You may not do this with this activity.")))
    if request.method == "GET":
        return _render_form(request, activity=activity, posted=_initial(activity))
    form = ActivityForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        services.activity_update(actor=request.user, activity=activity,
                                 data=_form_data(form),
                                 expected_version=form.cleaned_data["version"])
    except ApplicationError as exc:
        return _render_form(request, activity=activity, posted=request.POST, error=exc)
    messages.success(request, str(_("The activity is saved.")))
    return redirect("community:activity", activity.pk)


# --- one activity ----------------------------------------------------------------------------

def _detail_context(user, activity: Activity) -> dict[str, Any]:
    now = timezone.now()
    staff = sel.is_staff_for(user, activity)
    manages = permissions.manages(user, activity.area)
    mine = sel.household_signups(user, activity)
    open_now = (activity.state == ActivityState.PUBLISHED
                and activity.signup_opens_at <= now <= activity.signup_closes_at)
    context: dict[str, Any] = {
        "activity": activity, "is_staff": staff, "manages": manages, "mine": mine,
        "may_sign_up": sel.household_may_sign_up(user, activity) if open_now else [],
        "signup_open": open_now, "started": now >= activity.starts_at,
        "check_in_open": check_in_open(activity, now) and any(
            s.state == "confirmed" and not s.checked_in_at for s in mine),
        "actions": [a for a in ACTIVITIES.actions_for(user, activity) if a in PAGE_ACTIONS],
        "photos": list(activity.photos.order_by("pk")), "max_files": MAX_FILES,
        "ended": now >= activity.ends_at,
    }
    if staff:
        context["attendance"] = sel.attendance(activity)
        context["staff_check_in"] = check_in_open(activity, now, staff=True)
    return context


def render_detail(request, activity: Activity, error: ApplicationError | None = None,
                  form_id: str = ""):
    context = _detail_context(request.user, activity)
    if error is not None:
        context |= {"error": error, "posted": request.POST, "form_id": form_id}
    return render(request, "community/activities/detail.html", context,
                  status=error.status if error is not None else 200)


def _get(request, activity_id: int) -> Activity:
    return activity_get(actor=request.user, activity_id=activity_id)


@login_required
@require_GET
def activity_detail(request, activity_id: int):
    activity = _get(request, activity_id)
    who = request.GET.get("who", "")[:64]
    if not who:
        return render_detail(request, activity)
    context = _detail_context(request.user, activity) | {
        "who": who, "candidates": sel.desk_candidates(request.user, activity, who)}
    return render(request, "community/activities/detail.html", context)


@login_required
@require_POST
def activity_act(request, activity_id: int, action: str):
    activity = _get(request, activity_id)
    if action not in PAGE_ACTIONS:
        raise Http404
    form = ActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        services.activity_transition(actor=request.user, activity=activity, action=action,
                                     note=data["note"], report=data["report"],
                                     photos=request.FILES.getlist("photos"),
                                     expected_version=data["version"])
    except ApplicationError as exc:
        return render_detail(request, _get(request, activity_id), error=exc,
                             form_id=f"act-{action}")
    messages.success(request, str(DONE[action]))
    return redirect("community:activity", activity.pk)


@login_required
@require_POST
def activity_photos(request, activity_id: int):
    activity = _get(request, activity_id)
    try:
        services.activity_photos_add(actor=request.user, activity=activity,
                                     photos=request.FILES.getlist("photos"))
    except ApplicationError as exc:
        return render_detail(request, activity, error=exc, form_id="photos")
    messages.success(request, str(_("Photos added.")))
    return redirect("community:activity", activity.pk)


@login_required
@require_POST
def activity_code(request, activity_id: int):
    activity = _get(request, activity_id)
    try:
        services.activity_new_code(actor=request.user, activity=activity)
    except ApplicationError as exc:
        return render_detail(request, activity, error=exc, form_id="code")
    messages.success(request, str(_("A new door code is set.")))
    return redirect("community:activities_door", activity.pk)


@login_required
@require_POST
def signup_create(request, activity_id: int):
    from linli.people.models import Resident

    activity = _get(request, activity_id)
    form = SignUpForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        resident = Resident.objects.filter(pk=form.cleaned_data["resident"]).first()
        if resident is None:
            raise Http404
        made = services.signup_create(actor=request.user, activity=activity,
                                      resident=resident)
    except ApplicationError as exc:
        return render_detail(request, activity, error=exc, form_id="signup")
    if made.state == "confirmed":
        messages.success(request, str(_("%(name)s has a place.") % {"name": made.name}))
    else:
        messages.info(request, str(_("No place left: %(name)s is on the waiting list.")
                                   % {"name": made.name}))
    return redirect("community:activity", activity.pk)


@login_required
@require_POST
def signup_cancel(request, activity_id: int, signup_id: int):
    activity = _get(request, activity_id)
    signup = sel.signup_get(actor=request.user, activity=activity, signup_id=signup_id)
    try:
        services.signup_cancel(actor=request.user, signup=signup)
    except ApplicationError as exc:
        return render_detail(request, activity, error=exc, form_id=f"cancel-{signup.pk}")
    messages.success(request, str(_("The sign-up is cancelled.")))
    return redirect("community:activity", activity.pk)


@login_required
@require_POST
def signup_present(request, activity_id: int, signup_id: int):
    activity = _get(request, activity_id)
    signup = sel.signup_get(actor=request.user, activity=activity, signup_id=signup_id)
    try:
        services.check_in_by_staff(actor=request.user, signup=signup)
    except ApplicationError as exc:
        return render_detail(request, activity, error=exc, form_id=f"present-{signup.pk}")
    messages.success(request, pgettext("activity", "%(name)s is present.") % {
        "name": signup.name})
    return redirect(f"{activity_url(activity)}#signups")


@login_required
@require_POST
def check_in(request, activity_id: int):
    activity = _get(request, activity_id)
    form = CheckInForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        done = services.check_in_by_code(actor=request.user, activity=activity,
                                         code=form.cleaned_data["code"])
    except ApplicationError as exc:
        return render_detail(request, activity, error=exc, form_id="check-in")
    messages.success(request, str(_("Checked in: %(names)s.")
                                  % {"names": "、".join(s.name for s in done)}))
    return redirect("community:activity", activity.pk)


def activity_url(activity: Activity) -> str:
    from django.urls import reverse

    return reverse("community:activity", args=[activity.pk])


# --- the door, the export, the photos ----------------------------------------------------------

@login_required
@require_GET
def activity_door(request, activity_id: int):
    activity = _get(request, activity_id)
    if not sel.is_staff_for(request.user, activity):
        raise PermissionDenied(str(_("Only staff of this place show the door code.")))
    return render(request, "community/activities/door.html", {
        "activity": activity, "manages": permissions.manages(request.user, activity.area)})


EXPORT_COLUMNS = (
    (_("Name"), "text", 12), (_("Household address"), "text", 30), (_("State"), "text", 12),
    (_("Signed up at"), "datetime", 18), (_("Checked in at"), "datetime", 18),
    (_("Checked in"), "text", 10))


@login_required
@require_GET
def activity_export(request, activity_id: int):
    """The sign-ups as .xlsx for staff serving the place; each download is audited."""
    from linli.core.exports.registry import Column
    from linli.core.exports.writer import write_xlsx

    activity = _get(request, activity_id)
    if not sel.is_staff_for(request.user, activity):
        raise PermissionDenied(str(_("Only staff of this place see the sign-ups.")))
    found = sel.attendance(activity)
    rows = [(s.name, s.address, s.get_state_display(), s.signed_up_at, s.checked_in_at,
             s.get_checked_in_via_display() if s.checked_in_via else "") for s in found.rows]
    columns = [Column(title, kind, width) for title, kind, width in EXPORT_COLUMNS]
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    target = Path(handle.name)
    write_xlsx(target, title=activity.title, columns=columns, rows=rows)
    audit_record(actor=request.user, action="activity.exported", obj=activity,
                 changes={"rows": len(rows)}, area_path=activity.area_path)
    data = target.read_bytes()
    target.unlink(missing_ok=True)
    import io

    response = FileResponse(io.BytesIO(data), as_attachment=True,
                            filename=f"activity-{activity.pk}-signups.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet")
    response["Cache-Control"] = "private, no-store"
    return response


def _content_type(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
            "webp": "image/webp"}.get(ext, "application/octet-stream")


@login_required
@require_GET
def activity_photo(request, activity_id: int, photo_id: int):
    row = sel.photo_get(actor=request.user, activity_id=activity_id, photo_id=photo_id)
    return private_file(row.file, _content_type(row.file.name))


@login_required
@require_GET
def activity_thumb(request, activity_id: int, photo_id: int):
    row = sel.photo_get(actor=request.user, activity_id=activity_id, photo_id=photo_id)
    if not row.thumbnail:
        return private_file(row.file, _content_type(row.file.name))
    return private_file(row.thumbnail, _content_type(row.thumbnail.name))


A = "activities/<int:activity_id>/"
urlpatterns: list = [
    path("", hub, name="home"),
    path("activities/", activity_list, name="activities"),
    path("activities/new/", activity_new, name="activities_new"),
    path(A, activity_detail, name="activity"),
    path(A + "edit/", activity_edit, name="activities_edit"),
    path(A + "act/<str:action>/", activity_act, name="activities_act"),
    path(A + "photos/", activity_photos, name="activities_photos"),
    path(A + "photos/<int:photo_id>/", activity_photo, name="activities_photo"),
    path(A + "photos/<int:photo_id>/thumb/", activity_thumb, name="activities_thumb"),
    path(A + "code/", activity_code, name="activities_code"),
    path(A + "door/", activity_door, name="activities_door"),
    path(A + "export/", activity_export, name="activities_export"),
    path(A + "signups/", signup_create, name="activities_signup"),
    path(A + "signups/<int:signup_id>/cancel/", signup_cancel, name="activities_cancel"),
    path(A + "signups/<int:signup_id>/present/", signup_present, name="activities_present"),
    path(A + "check-in/", check_in, name="activities_check_in"),
]
