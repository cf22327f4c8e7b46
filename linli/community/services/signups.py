"""Sign-ups, the waiting list and check-in: the activity part every other part relies on.

- A place is taken while `taken` is below `capacity`; every sign-up write first locks the
  activity's row, so concurrent sign-ups are counted one at a time and never exceed it (a
  CHECK in the database backs the count). No place left: the waiting list.
- A confirmed sign-up given back promotes the first on the waiting list in the same
  transaction (the place never goes spare while someone waits); they are told.
- Who signs up: the person themselves, a member of their household, or staff serving the
  activity's place (for a resident who phones in). The person must live in the audience
  (and carry the care tag of a care-group activity) and not have moved out.
- Check-in: by the door code, from an hour before the start to the end, for the actor's
  own household's confirmed sign-ups; or ticked by staff serving the place until two hours
  after the end. Each attendance earns points once per person and activity (the ledger's
  key), through the community's earning rule for activity attendance.
"""

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.community import permissions
from linli.community.models import Activity, ActivityState, CheckInVia, SignUp, SignUpState
from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.tasks import enqueue
from linli.orgs.models import AreaKind
from linli.people.models import Resident
from linli.people.selectors import has_tag, own_record

CHECK_IN_BEFORE = timedelta(hours=1)
STAFF_CHECK_IN_AFTER = timedelta(hours=2)
PROMOTED_TASK = "community.signup_promoted"
LIVE = (SignUpState.CONFIRMED, SignUpState.WAITING)


def new_code() -> str:
    return f"{secrets.randbelow(10000):04d}"


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update(of=("self",)).select_related(
        "area", "care_tag").get(pk=activity.pk)


def _household_of(actor) -> int | None:
    record = own_record(actor)
    return record.household_id if record is not None else None


def may_sign_up_for(actor, activity: Activity, resident: Resident) -> bool:
    """The person, their household, or staff serving the activity's place."""
    if resident.user_id is not None and resident.user_id == getattr(actor, "pk", None):
        return True
    if _household_of(actor) == resident.household_id:
        return True
    return permissions.serves(actor, activity.area)


def _check_eligible(activity: Activity, resident: Resident) -> None:
    if resident.moved_out is not None or resident.anonymised_at is not None:
        raise ValidationFailed(_("%(name)s no longer lives here.") % {"name": resident.name},
                               code="moved_out")
    if not resident.area_path.startswith(activity.area_path):
        raise ValidationFailed(_("%(name)s does not live where this activity is offered.")
                               % {"name": resident.name}, code="not_audience")
    if activity.care_tag is not None and not has_tag(resident, activity.care_tag):
        raise ValidationFailed(_("This activity is only for the residents it was arranged "
                                 "for."), code="not_audience")


def _check_window(activity: Activity, now: datetime) -> None:
    if activity.state != ActivityState.PUBLISHED:
        raise ValidationFailed(_("This activity does not take sign-ups (%(state)s).")
                               % {"state": activity.get_state_display()}, code="not_open")
    local = timezone.localtime
    if now < activity.signup_opens_at:
        raise ValidationFailed(_("Sign-up opens at %(at)s.") % {
            "at": local(activity.signup_opens_at).strftime("%Y-%m-%d %H:%M")},
            code="signup_not_open")
    if now > activity.signup_closes_at:
        raise ValidationFailed(_("Sign-up closed at %(at)s.") % {
            "at": local(activity.signup_closes_at).strftime("%Y-%m-%d %H:%M")},
            code="signup_closed")


@transaction.atomic
def signup_create(*, actor, activity: Activity, resident: Resident,
                  now: datetime | None = None) -> SignUp:
    """Sign `resident` up: a confirmed place if one is left, else the waiting list."""
    now = now or timezone.now()
    if not may_sign_up_for(actor, activity, resident):
        raise PermissionDenied(_("You may sign up only yourself and your household."),
                               code="not_household")
    activity = _locked(activity)
    _check_window(activity, now)
    _check_eligible(activity, resident)
    live = SignUp.objects.filter(activity=activity, resident=resident, state__in=LIVE).first()
    if live is not None:
        raise Conflict(_("%(name)s is already signed up (%(state)s).") % {
            "name": resident.name, "state": live.get_state_display()}, code="already_signed_up")
    has_place = activity.taken < activity.capacity
    if has_place:
        Activity.objects.filter(pk=activity.pk).update(taken=F("taken") + 1)
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(
                activity=activity, resident=resident, household_id=resident.household_id,
                name=resident.name, signed_up_by=actor, signed_up_at=now,
                state=SignUpState.CONFIRMED if has_place else SignUpState.WAITING,
                confirmed_at=now if has_place else None)
    except IntegrityError:  # the same person at once from two phones: the lock makes it rare
        raise Conflict(_("%(name)s is already signed up.") % {"name": resident.name},
                       code="already_signed_up") from None
    audit_record(actor=actor, action="activity.signup", obj=signup,
                 changes={"state": signup.state, "activity": activity.pk},
                 area_path=activity.area_path)
    return signup


def may_cancel(actor, signup: SignUp) -> bool:
    return (signup.signed_up_by_id == getattr(actor, "pk", None)
            or may_sign_up_for(actor, signup.activity, signup.resident))


def _promote(activity: Activity, now: datetime) -> SignUp | None:
    """The first on the waiting list takes the place given back (the activity is locked)."""
    first = (SignUp.objects.filter(activity=activity, state=SignUpState.WAITING)
             .order_by("signed_up_at", "pk").first())
    if first is None:
        return None
    SignUp.objects.filter(pk=first.pk).update(state=SignUpState.CONFIRMED, confirmed_at=now)
    enqueue(PROMOTED_TASK, first.pk)
    return first


@transaction.atomic
def signup_cancel(*, actor, signup: SignUp, now: datetime | None = None) -> SignUp:
    """Give a place (or a place on the waiting list) back, before the activity starts."""
    now = now or timezone.now()
    if not may_cancel(actor, signup):
        raise PermissionDenied(_("You may cancel only your own and your household's "
                                 "sign-ups."), code="not_household")
    activity = _locked(signup.activity)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.state == SignUpState.CANCELLED:
        raise Conflict(_("This sign-up is already cancelled."), code="already_cancelled")
    if signup.checked_in_at is not None:
        raise ValidationFailed(_("%(name)s has already checked in.") % {"name": signup.name},
                               code="checked_in")
    if now >= activity.starts_at:
        raise ValidationFailed(_("The activity has started: sign-ups can no longer be "
                                 "cancelled."), code="started")
    was = signup.state
    SignUp.objects.filter(pk=signup.pk).update(state=SignUpState.CANCELLED, cancelled_at=now)
    promoted = None
    if was == SignUpState.CONFIRMED:
        promoted = _promote(activity, now)
        if promoted is None:
            Activity.objects.filter(pk=activity.pk).update(taken=F("taken") - 1)
    audit_record(actor=actor, action="activity.signup_cancelled", obj=signup,
                 changes={"was": was, "promoted": promoted.pk if promoted else None},
                 area_path=activity.area_path)
    signup.refresh_from_db()
    return signup


@transaction.atomic
def places_release(*, activity: Activity, now: datetime) -> list[SignUp]:
    """After the capacity is raised: the waiting list takes the new places, in order."""
    activity = _locked(activity)
    promoted = []
    while activity.taken < activity.capacity:
        first = _promote(activity, now)
        if first is None:
            break
        Activity.objects.filter(pk=activity.pk).update(taken=F("taken") + 1)
        activity.taken += 1
        promoted.append(first)
    return promoted


# --- check-in ------------------------------------------------------------------------------

def check_in_open(activity: Activity, now: datetime, *, staff: bool = False) -> bool:
    until = activity.ends_at + (STAFF_CHECK_IN_AFTER if staff else timedelta(0))
    return (activity.state == ActivityState.PUBLISHED
            and activity.starts_at - CHECK_IN_BEFORE <= now <= until)


def _refuse_closed(activity: Activity) -> ValidationFailed:
    start = timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")
    return ValidationFailed(_("Check-in is open from an hour before the start (%(at)s) to "
                              "the end.") % {"at": start}, code="check_in_closed")


def _attend(signup: SignUp, *, actor, via: str, now: datetime) -> bool:
    """Mark present once; the first marker pays the points. False if already present."""
    done = SignUp.objects.filter(pk=signup.pk, state=SignUpState.CONFIRMED,
                                 checked_in_at__isnull=True).update(
        checked_in_at=now, checked_in_via=via, checked_in_by=actor)
    if not done:
        return False
    audit_record(actor=actor, action="activity.checked_in", obj=signup,
                 changes={"via": via}, area_path=signup.activity.area_path)
    _pay(signup, actor=actor)
    return True


def _pay(signup: SignUp, *, actor) -> None:
    from linli.points.models import EarningAction
    from linli.points.services import points_earned

    resident = signup.resident
    if resident.user_id is None:  # a child or an elder without an account holds no points
        return
    community = resident.household.dwelling.ancestor_of_kind(AreaKind.COMMUNITY)
    if community is None:
        return
    points_earned(actor=actor, community=community, resident=resident.user,
                  action=EarningAction.ACTIVITY_ATTENDANCE, units=1,
                  key=f"community.attendance:{signup.activity_id}:{resident.pk}",
                  source=f"community.activity:{signup.activity_id}",
                  memo=signup.activity.title[:80])


@transaction.atomic
def check_in_by_code(*, actor, activity: Activity, code: str, signup_ids=None,
                     now: datetime | None = None) -> list[SignUp]:
    """The actor checks in their household's confirmed sign-ups (or those of `signup_ids`)
    with the code shown at the door."""
    now = now or timezone.now()
    activity = _locked(activity)
    household = _household_of(actor)
    mine = SignUp.objects.filter(activity=activity, household_id=household or 0,
                                 state=SignUpState.CONFIRMED)
    if signup_ids:
        mine = mine.filter(pk__in=list(signup_ids))
    if not mine.exists():
        if SignUp.objects.filter(activity=activity, household_id=household or 0,
                                 state=SignUpState.WAITING).exists():
            raise ValidationFailed(_("You are on the waiting list: only confirmed places "
                                     "check in."), code="not_confirmed")
        raise ValidationFailed(_("You are not signed up for this activity."),
                               code="not_signed_up")
    if not check_in_open(activity, now):
        raise _refuse_closed(activity)
    if not secrets.compare_digest((code or "").strip(), activity.check_in_code):
        raise ValidationFailed(_("That is not this activity's code: ask at the door."),
                               code="bad_code")
    rows = list(mine.select_related("resident__household__dwelling", "activity"))
    fresh = [row for row in rows if _attend(row, actor=actor, via=CheckInVia.CODE, now=now)]
    if not fresh and all(row.checked_in_at for row in rows):
        raise Conflict(_("You have already checked in."), code="already_checked_in")
    return fresh


@transaction.atomic
def check_in_by_staff(*, actor, signup: SignUp, now: datetime | None = None) -> SignUp:
    """Staff serving the place tick a confirmed sign-up present."""
    now = now or timezone.now()
    if not permissions.serves(actor, signup.activity.area):
        raise PermissionDenied(_("Only staff of this place tick names."), code="not_staff")
    activity = _locked(signup.activity)
    signup = SignUp.objects.select_related("resident__household__dwelling", "activity").get(
        pk=signup.pk)
    if signup.state != SignUpState.CONFIRMED:
        raise ValidationFailed(_("%(name)s has no confirmed place (%(state)s).") % {
            "name": signup.name, "state": signup.get_state_display()}, code="not_confirmed")
    if not check_in_open(activity, now, staff=True):
        raise _refuse_closed(activity)
    if not _attend(signup, actor=actor, via=CheckInVia.STAFF, now=now):
        raise Conflict(_("%(name)s has already checked in.") % {"name": signup.name},
                       code="already_checked_in")
    signup.refresh_from_db()
    return signup
