"""Writing activities (活动): create and update by staff who manage the place, the moves
(publish, cancel, report) through the workflow kit, the report's photos and a new door code.

- An activity is offered to a street, community, grid, estate or building that the actor
  manages; a care group (people.CareTag) narrows its audience.
- It may be edited while a draft or published; its capacity never drops below the places
  already taken, and a raised capacity gives the new places to the waiting list at once.
- The report (text and up to 9 photos, EXIF stripped) is written after the end.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.community import permissions
from linli.community.effects import check_activity_times
from linli.community.models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    ActivityState,
    Organiser,
)
from linli.community.services.signups import new_code, places_release
from linli.community.workflow import ACTIVITIES
from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.images import MAX_FILES, images_clean
from linli.orgs.models import Area, AreaKind

AUDIENCE_KINDS = (AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.ESTATE,
                  AreaKind.BUILDING)
MAX_CAPACITY = 2000
EDITABLE = (ActivityState.DRAFT, ActivityState.PUBLISHED)
FIELDS = ("title", "kind", "description", "organiser", "organiser_name", "venue",
          "starts_at", "ends_at", "signup_opens_at", "signup_closes_at", "capacity",
          "care_tag")


@dataclass
class ActivityData:
    """What a form or the API sends for an activity (validated by `_check`)."""

    title: str
    kind: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    signup_opens_at: datetime
    signup_closes_at: datetime
    capacity: int
    description: str = ""
    organiser: str = Organiser.STAFF
    organiser_name: str = ""
    care_tag: object = None  # a people.CareTag or None


def _check_area(actor, area: Area | None) -> Area:
    if area is None:
        raise ValidationFailed(_("Choose the place the activity is offered to."),
                               code="area_required")
    if area.kind not in AUDIENCE_KINDS:
        raise ValidationFailed(_("An activity is offered to a street, community, grid, estate "
                                 "or building."), code="bad_area")
    if not permissions.manages(actor, area):
        raise PermissionDenied(_("You may publish activities only to places you manage."),
                               code="place_not_yours")
    return area


def _clean(data: ActivityData) -> dict:
    """The fields to write, stripped and checked one by one."""
    title = (data.title or "").strip()
    if not title:
        raise ValidationFailed(_("Give the activity a title."), code="title_required")
    if len(title) > 80:
        raise ValidationFailed(_("The title is too long (at most 80 characters)."),
                               code="too_long")
    if data.kind not in ActivityKind.values:
        raise ValidationFailed(_("Choose a kind of activity."), code="bad_kind")
    if data.organiser not in Organiser.values:
        raise ValidationFailed(_("Choose who organises the activity."), code="bad_organiser")
    venue = (data.venue or "").strip()
    if not venue or len(venue) > 120:
        raise ValidationFailed(_("Give the venue (at most 120 characters)."), code="bad_venue")
    description = (data.description or "").strip()
    organiser_name = (data.organiser_name or "").strip()
    if len(description) > 4000 or len(organiser_name) > 80:
        raise ValidationFailed(_("The description or the organiser's name is too long."),
                               code="too_long")
    if not 1 <= int(data.capacity) <= MAX_CAPACITY:
        raise ValidationFailed(_("The number of places must be between 1 and 2000."),
                               code="bad_capacity")
    return {"title": title, "kind": data.kind, "description": description,
            "organiser": data.organiser, "organiser_name": organiser_name, "venue": venue,
            "starts_at": data.starts_at, "ends_at": data.ends_at,
            "signup_opens_at": data.signup_opens_at,
            "signup_closes_at": data.signup_closes_at, "capacity": int(data.capacity),
            "care_tag": data.care_tag}


@transaction.atomic
def activity_create(*, actor, area: Area | None, data: ActivityData,
                    now: datetime | None = None) -> Activity:
    """A draft activity with a fresh door code; publish it with `activity_transition`."""
    now = now or timezone.now()
    area = _check_area(actor, area)
    values = _clean(data)
    activity = Activity(area=area, area_path=area.path, created_by=actor,
                        check_in_code=new_code(), **values)
    check_activity_times(activity, now)
    activity.save()
    audit_record(actor=actor, action="activity.created", obj=activity,
                 changes={"title": activity.title, "capacity": activity.capacity},
                 area_path=activity.area_path)
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, data: ActivityData,
                    expected_version: int | None = None,
                    now: datetime | None = None) -> Activity:
    """Change a draft or published activity; a raised capacity promotes the waiting list."""
    now = now or timezone.now()
    if not permissions.manages(actor, activity.area):
        raise PermissionDenied(_("You may not do this with this activity."), code="forbidden")
    activity = Activity.objects.select_for_update(of=("self",)).select_related(
        "area").get(pk=activity.pk)
    if expected_version is not None and expected_version != activity.version:
        raise Conflict(_("Someone changed this activity meanwhile: reload and try again."),
                       code="stale")
    if activity.state not in EDITABLE:
        raise ValidationFailed(_("A cancelled or reported activity can no longer be "
                                 "changed."), code="not_editable")
    values = _clean(data)
    if values["capacity"] < activity.taken:
        raise ValidationFailed(_("%(n)d places are already taken: the capacity cannot be "
                                 "lower.") % {"n": activity.taken}, code="below_taken")
    before = {f: getattr(activity, f) for f in FIELDS}
    for field, value in values.items():
        setattr(activity, field, value)
    check_activity_times(activity, now)
    activity.version += 1
    activity.save()
    changes = {f: str(values[f]) for f in FIELDS if values[f] != before[f]}
    audit_record(actor=actor, action="activity.updated", obj=activity, changes=changes,
                 area_path=activity.area_path)
    if values["capacity"] > before["capacity"]:
        places_release(activity=activity, now=now)
    activity.refresh_from_db()
    return activity


@transaction.atomic
def activity_transition(*, actor, activity: Activity, action: str, note: str = "",
                        report: str = "", photos=(), expected_version: int | None = None,
                        now: datetime | None = None) -> Activity:
    """publish, cancel (a reason; the sign-ups are told) or report (text, photos)."""
    if action not in ACTIVITIES.table:
        raise ValidationFailed(_("Unknown action."), code="unknown_action")
    photos = list(photos or []) if action == "report" else []
    _check_room(activity, len(photos))
    cleaned = images_clean(photos) if photos else []
    ACTIVITIES.transition(actor=actor, obj=activity, action=action, note=note, now=now,
                          expected_version=expected_version, data={"report": report})
    for image in cleaned:
        _photo_save(activity, image, actor)
    return activity


def _check_room(activity: Activity, adding: int) -> None:
    if adding and activity.photos.count() + adding > MAX_FILES:
        raise ValidationFailed(_("At most %(n)d photos an activity.") % {"n": MAX_FILES},
                               code="too_many_photos")


def _photo_save(activity: Activity, image, actor) -> ActivityPhoto:
    stem = f"activity-{activity.pk}"
    content, thumb = image.files(stem)
    row = ActivityPhoto(activity=activity, added_by=actor)
    row.file.save(content.name, content, save=False)
    row.thumbnail.save(thumb.name, thumb, save=False)
    row.save()
    return row


@transaction.atomic
def activity_photos_add(*, actor, activity: Activity, photos) -> list[ActivityPhoto]:
    """More photos for the report (organisers, once ended or reported), at most 9 in all."""
    if not permissions.manages(actor, activity.area):
        raise PermissionDenied(_("You may not do this with this activity."), code="forbidden")
    if activity.state == ActivityState.CANCELLED or activity.state == ActivityState.DRAFT:
        raise ValidationFailed(_("Photos belong to the report of a held activity."),
                               code="not_held")
    photos = list(photos or [])
    if not photos:
        raise ValidationFailed(_("Choose at least one photo."), code="photos_required")
    _check_room(activity, len(photos))
    cleaned = images_clean(photos)
    rows = [_photo_save(activity, image, actor) for image in cleaned]
    audit_record(actor=actor, action="activity.photos_added", obj=activity,
                 changes={"count": len(rows)}, area_path=activity.area_path)
    return rows


@transaction.atomic
def activity_new_code(*, actor, activity: Activity) -> Activity:
    """A new door code (the old one was shared too widely)."""
    if not permissions.manages(actor, activity.area):
        raise PermissionDenied(_("You may not do this with this activity."), code="forbidden")
    if activity.state != ActivityState.PUBLISHED:
        raise ValidationFailed(_("Only a published activity has a door code."),
                               code="not_published")
    code = new_code()
    while code == activity.check_in_code:
        code = new_code()
    Activity.objects.filter(pk=activity.pk).update(check_in_code=code)
    audit_record(actor=actor, action="activity.new_code", obj=activity, changes={},
                 area_path=activity.area_path)
    activity.refresh_from_db()
    return activity
