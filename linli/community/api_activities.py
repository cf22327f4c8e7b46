"""The activities API (mounted under /api/community): lists, one activity, create and
update, the moves (publish, cancel, report), report photos, sign-ups, check-in by the door
code and ticking present by staff.

Parse, call a selector or a service, serialize. An activity named in the path is loaded
through `selectors.activity_get`, so one out of sight is a 404 before any service runs;
the service then decides whether the caller may act (403). Error answers ({code,
message}) are documented on every operation by core.openapi.
"""

from typing import Annotated

from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from linli.community import selectors_activities as sel
from linli.community import services
from linli.community.models import ActivityState, SignUp
from linli.community.schemas_activities import (
    ActivityActionIn,
    ActivityAttendanceOut,
    ActivityCheckInIn,
    ActivityDetailOut,
    ActivityIn,
    ActivityOut,
    ActivitySignUpIn,
    ActivitySignUpOut,
    ActivityUpdateIn,
)
from linli.community.selectors import activity_get
from linli.core.bounds import Id, Pages
from linli.core.errors import PermissionDenied
from linli.core.listing import unknown_value
from linli.orgs.models import Area

router = Router(tags=["community"])


def _activity(request, activity_id: int):
    return activity_get(actor=request.user, activity_id=activity_id)


def _data(payload: ActivityIn) -> services.ActivityData:
    from linli.people.models import CareTag

    tag = (CareTag.objects.filter(pk=payload.care_tag_id).first()
           if payload.care_tag_id is not None else None)
    if payload.care_tag_id is not None and tag is None:
        from django.utils.translation import gettext as _

        from linli.core.errors import ValidationFailed

        raise ValidationFailed(_("Unknown care tag."), code="bad_care_tag")
    return services.ActivityData(
        title=payload.title, kind=payload.kind, description=payload.description,
        organiser=payload.organiser, organiser_name=payload.organiser_name,
        venue=payload.venue, starts_at=payload.starts_at, ends_at=payload.ends_at,
        signup_opens_at=payload.signup_opens_at, signup_closes_at=payload.signup_closes_at,
        capacity=payload.capacity, care_tag=tag)


@router.get("/activities", response=list[ActivityOut])
@paginate(Pages, page_size=20)
def activity_list(request, view: str = "", state: str = ""):
    """Activities the caller may see. `view`: open (sign-up open now), mine (the caller's
    household has a live sign-up), past, upcoming, to_report (ended, not reported) or all;
    `state`: draft, published, reported or cancelled. An unknown value: 400."""
    if view and view not in sel.VIEWS:
        raise unknown_value("view")
    if state and state not in ActivityState.values:
        raise unknown_value("state")
    return sel.activity_list(actor=request.user, view=view, state=state)


@router.post("/activities", response={201: ActivityDetailOut})
def activity_create(request, payload: ActivityIn):
    """Create a draft activity for a place the caller manages (403 `place_not_yours`); the
    times must make sense (400 `bad_times`), 1 to 2000 places. Publish it with
    actions/publish."""
    area = Area.objects.filter(pk=payload.area_id).first()
    made = services.activity_create(actor=request.user, area=area, data=_data(payload))
    return Status(201, _activity(request, made.pk))


@router.get("/activities/{activity_id}", response=ActivityDetailOut)
def activity_detail(request, activity_id: Id):
    """The activity, its report photos, the caller's household's sign-ups and the moves the
    caller may take (the door code only for the organisers)."""
    return _activity(request, activity_id)


@router.put("/activities/{activity_id}", response=ActivityDetailOut)
def activity_update(request, activity_id: Id, payload: ActivityUpdateIn):
    """Change a draft or published activity (organisers). The place stays; the capacity
    may not drop below the places taken (400 `below_taken`); a raised capacity promotes
    the waiting list."""
    activity = _activity(request, activity_id)
    services.activity_update(actor=request.user, activity=activity, data=_data(payload),
                             expected_version=payload.expected_version)
    return _activity(request, activity_id)


@router.post("/activities/{activity_id}/actions/{action}", response=ActivityDetailOut)
def activity_act(request, activity_id: Id, action: str, payload: ActivityActionIn):
    """publish (a draft whose times lie ahead), cancel (a `note`: the reason told to every
    sign-up) or report (after the end, a `report` text; add photos with POST .../photos).
    A state that does not allow it: 400; an older `expected_version`: 409 `stale`."""
    activity = _activity(request, activity_id)
    services.activity_transition(actor=request.user, activity=activity, action=action,
                                 note=payload.note, report=payload.report,
                                 expected_version=payload.expected_version)
    return _activity(request, activity_id)


@router.post("/activities/{activity_id}/code", response=ActivityDetailOut)
def activity_code(request, activity_id: Id):
    """A new door code for a published activity (organisers)."""
    activity = _activity(request, activity_id)
    services.activity_new_code(actor=request.user, activity=activity)
    return _activity(request, activity_id)


@router.post("/activities/{activity_id}/photos", response={201: ActivityDetailOut})
def activity_photos(request, activity_id: Id,
                    photos: Annotated[list[UploadedFile] | None, File()] = None):
    """Add report `photos` (JPEG/PNG/WebP up to 10 MB, location data removed; at most 9 an
    activity) to a held activity (organisers), multipart."""
    activity = _activity(request, activity_id)
    services.activity_photos_add(actor=request.user, activity=activity, photos=photos or ())
    return Status(201, _activity(request, activity_id))


@router.get("/activities/{activity_id}/signups", response=ActivityAttendanceOut)
def signup_list(request, activity_id: Id):
    """Every sign-up with its state and check-in, the counts and the attendance rate
    (staff serving the place; others 403)."""
    activity = _activity(request, activity_id)
    if not sel.is_staff_for(request.user, activity):
        from django.utils.translation import gettext as _

        raise PermissionDenied(_("Only staff of this place see the sign-ups."),
                               code="not_staff")
    found = sel.attendance(activity)
    return {"confirmed": found.confirmed, "waiting": found.waiting,
            "attended": found.attended, "rate": found.rate, "signups": found.rows}


@router.post("/activities/{activity_id}/signups", response={201: ActivitySignUpOut})
def signup_create(request, activity_id: Id, payload: ActivitySignUpIn):
    """Sign up a resident: a place while any is left, else the waiting list (`state`).
    Refused: outside the window or audience (400), twice (409 `already_signed_up`), not
    the caller's household (403)."""
    from django.http import Http404

    from linli.people.models import Resident

    activity = _activity(request, activity_id)
    resident = Resident.objects.filter(pk=payload.resident_id).first()
    if resident is None:
        raise Http404
    made = services.signup_create(actor=request.user, activity=activity, resident=resident)
    return Status(201, made)


def _signup(request, activity_id: int, signup_id: int) -> SignUp:
    activity = _activity(request, activity_id)
    return sel.signup_get(actor=request.user, activity=activity, signup_id=signup_id)


@router.post("/activities/{activity_id}/signups/{signup_id}/cancel",
             response=ActivitySignUpOut)
def signup_cancel(request, activity_id: Id, signup_id: Id):
    """Give the place back before the start; the first on the waiting list takes it."""
    signup = _signup(request, activity_id, signup_id)
    return services.signup_cancel(actor=request.user, signup=signup)


@router.post("/activities/{activity_id}/signups/{signup_id}/present",
             response=ActivitySignUpOut)
def signup_present(request, activity_id: Id, signup_id: Id):
    """Tick a confirmed sign-up present (staff serving the place, from an hour before the
    start to two hours after the end); it earns the person's points once."""
    signup = _signup(request, activity_id, signup_id)
    return services.check_in_by_staff(actor=request.user, signup=signup)


@router.post("/activities/{activity_id}/check-in", response=list[ActivitySignUpOut])
def check_in(request, activity_id: Id, payload: ActivityCheckInIn):
    """Check in the caller's household's confirmed sign-ups with the door code (from an
    hour before the start to the end). A wrong code: 400 `bad_code`; not signed up: 400;
    already in: 409."""
    activity = _activity(request, activity_id)
    return services.check_in_by_code(actor=request.user, activity=activity,
                                     code=payload.code, signup_ids=payload.signup_ids)
