"""Scoped reading of activities: the lists for residents and staff, one activity's detail
(a resident's household sign-ups; for staff every sign-up with the counts and attendance
rate), the places a staff member may publish to and the home page's tiles.

Every read starts from `selectors.activities_visible`, so a resident never sees a draft
or another place's activity, and sees only their own household's sign-ups.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.community import permissions
from linli.community.models import Activity, ActivityState, SignUp, SignUpState
from linli.community.selectors import activities_visible, activity_get
from linli.core.tiles import Tile

LIVE = (SignUpState.CONFIRMED, SignUpState.WAITING)
VIEWS = ("open", "mine", "past", "upcoming", "to_report", "all")


def phase(activity: Activity, now: datetime | None = None) -> str:
    """Where a published activity stands now, as a resident asks it: may I still sign up,
    is it full (the waiting list is open), under way, over? Other states are their own."""
    if activity.state != ActivityState.PUBLISHED:
        return str(activity.get_state_display())
    now = now or timezone.now()
    if now >= activity.ends_at:
        return _("ended")
    if now >= activity.starts_at:
        return _("under way")
    if now < activity.signup_opens_at:
        return _("sign-up not open yet")
    if now > activity.signup_closes_at:
        return _("sign-up closed")
    if activity.taken >= activity.capacity:
        return _("full: join the waiting list")
    return _("open for sign-up")


def is_staff_for(actor, activity: Activity) -> bool:
    return permissions.serves(actor, activity.area)


def activity_list(*, actor, view: str = "", state: str = "",
                  now: datetime | None = None) -> QuerySet[Activity]:
    """One of the views: open (sign-up open now), mine (my household's live sign-ups),
    past (ended, with reports first), upcoming (not ended), to_report (ended, published),
    all; `state` narrows to one state."""
    now = now or timezone.now()
    qs = activities_visible(actor).select_related("area", "care_tag")
    if state:
        qs = qs.filter(state=state)
    if view == "open":
        qs = qs.filter(state=ActivityState.PUBLISHED, signup_opens_at__lte=now,
                       signup_closes_at__gte=now).order_by("starts_at", "pk")
    elif view == "mine":
        household = _household_id(actor)
        ids = SignUp.objects.filter(household_id=household or 0, state__in=LIVE).values(
            "activity_id")
        qs = qs.filter(pk__in=ids).order_by("-starts_at", "-pk")
    elif view == "past":
        qs = qs.filter(ends_at__lt=now).exclude(state=ActivityState.CANCELLED).order_by(
            "-ends_at", "-pk")
    elif view == "upcoming":
        qs = qs.filter(ends_at__gte=now).exclude(state=ActivityState.CANCELLED).order_by(
            "starts_at", "pk")
    elif view == "to_report":
        qs = qs.filter(state=ActivityState.PUBLISHED, ends_at__lt=now).order_by(
            "ends_at", "pk")
    return qs


def _household_id(actor) -> int | None:
    from linli.people.selectors import own_record

    record = own_record(actor)
    return record.household_id if record is not None else None


def household_signups(actor, activity: Activity) -> list[SignUp]:
    household = _household_id(actor)
    return list(SignUp.objects.filter(activity=activity, household_id=household or 0)
                .exclude(state=SignUpState.CANCELLED).order_by("signed_up_at", "pk"))


def household_may_sign_up(actor, activity: Activity) -> list:
    """The actor's household members with no live sign-up who live in the audience."""
    from linli.people.models import Resident
    from linli.people.selectors import has_tag

    household = _household_id(actor)
    if household is None:
        return []
    taken = SignUp.objects.filter(activity=activity, state__in=LIVE).values("resident_id")
    members = (Resident.objects.filter(household_id=household, moved_out__isnull=True,
                                       anonymised_at__isnull=True,
                                       area_path__startswith=activity.area_path)
               .exclude(pk__in=taken).order_by("pk"))
    if activity.care_tag is not None:
        return [m for m in members if has_tag(m, activity.care_tag)]
    return list(members)


@dataclass(frozen=True)
class Candidate:
    pk: int
    name: str     # masked, as other apps show registry names to their pickers
    address: str  # "花楼小区 1栋 1单元 101"


def desk_candidates(actor, activity: Activity, who: str, limit: int = 10) -> list[Candidate]:
    """For staff signing up a resident who phones in or asks at the desk: residents of the
    audience whose name contains `who`, without a live sign-up yet."""
    from linli.core.crypto import mask_name
    from linli.people.selectors import has_tag, place_labels, residents_named

    if not is_staff_for(actor, activity) or not who.strip():
        return []
    taken = set(SignUp.objects.filter(activity=activity, state__in=LIVE)
                .values_list("resident_id", flat=True))
    found = [r for r in residents_named(paths=[activity.area_path], name=who, limit=limit * 2)
             if r.pk not in taken
             and (activity.care_tag is None or has_tag(r, activity.care_tag))][:limit]
    labels = place_labels([r.household.dwelling for r in found])
    return [Candidate(r.pk, mask_name(r.name), labels.get(r.household.dwelling_id, ""))
            for r in found]


@dataclass
class Attendance:
    confirmed: int
    waiting: int
    attended: int
    rows: list = field(default_factory=list)

    @property
    def rate(self) -> int | None:
        """Attended / confirmed, in percent (None before anyone has a place)."""
        return round(self.attended * 100 / self.confirmed) if self.confirmed else None


def attendance(activity: Activity) -> Attendance:
    """Every sign-up (staff) with the counts and the attendance rate."""
    from linli.people.selectors import place_labels

    counts = SignUp.objects.filter(activity=activity).aggregate(
        confirmed=Count("pk", filter=Q(state=SignUpState.CONFIRMED)),
        waiting=Count("pk", filter=Q(state=SignUpState.WAITING)),
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)))
    rows = list(SignUp.objects.filter(activity=activity)
                .select_related("household__dwelling").order_by("signed_up_at", "pk"))
    labels = place_labels({r.household.dwelling for r in rows})
    for row in rows:
        row.address = labels.get(row.household.dwelling_id, "")  # type: ignore[attr-defined]
    return Attendance(counts["confirmed"], counts["waiting"], counts["attended"], rows)


def signup_get(*, actor, activity: Activity, signup_id: int) -> SignUp:
    """A sign-up of the activity: staff serving it see every one, others their household's
    (else 404)."""
    from django.http import Http404

    qs = SignUp.objects.filter(activity=activity, pk=signup_id).select_related(
        "activity__area", "resident", "household")
    if not is_staff_for(actor, activity):
        qs = qs.filter(household_id=_household_id(actor) or 0)
    row = qs.first()
    if row is None:
        raise Http404
    return row


def photo_get(*, actor, activity_id: int, photo_id: int):
    activity = activity_get(actor=actor, activity_id=activity_id)
    row = activity.photos.filter(pk=photo_id).first()
    if row is None:
        from django.http import Http404

        raise Http404
    return row


def place_choices(actor) -> list:
    """Where the actor may publish: places of the audience kinds at or under their staff
    areas."""
    from linli.accounts import scope
    from linli.community.services.activities import AUDIENCE_KINDS
    from linli.orgs.models import Area

    if not getattr(actor, "is_authenticated", False):
        return []
    areas = Area.objects.filter(kind__in=AUDIENCE_KINDS).filter(
        scope.scope_q(actor, roles=permissions.STAFF, path_field="path"))
    return list(areas.order_by("depth", "path")[:300])


def home_tiles(user) -> list[Tile]:
    """Residents: activities open for sign-up; staff: this week's activities."""
    if not getattr(user, "is_authenticated", False):
        return []
    now = timezone.now()
    visible = activities_visible(user)
    if not permissions.resident_paths(user) and not place_choices(user):
        return []
    url = reverse("community:activities")
    if place_choices(user):
        week = visible.filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=7)).exclude(
            state=ActivityState.CANCELLED).count()
        return [Tile("activities-week", _("Activities this week"), f"{url}?view=upcoming",
                     week)]
    count = activity_list(actor=user, view="open", now=now).count()
    return [Tile("activities-open", _("Activities open for sign-up"), f"{url}?view=open",
                 count)]
