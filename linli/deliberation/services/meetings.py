"""Bodies, members, meetings, invitations, attendance and minutes: every write of the meetings
part.

- A body (议事会 …) is set up by an organiser (dispatcher, leader) of its place: a
  community, an estate or a building. Members are registry residents of the place or
  accounts (a unit's representative); a member leaves on a day and is never deleted.
- A meeting belongs to a place and maybe a body; whose presence counts (`Attendees`) and
  how many are expected are fixed when it is created. Invitations go through the inbox,
  once per person. Residents check in with the meeting's code from two hours before the
  start to six hours after; staff of the place tick names. Once per person (constraints).
- The minutes, with a decision per agenda item, mark the meeting held.
- Each attendance of a registry resident earns points under the community's rule for
  meeting attendance, once per person and meeting.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.deliberation import permissions
from linli.deliberation.electorate import active_members, adult_born_by
from linli.deliberation.models import (
    Attendance,
    Attendees,
    Body,
    BodyKind,
    CheckIn,
    Invitation,
    Meeting,
    MeetingState,
    Member,
    Topic,
    TopicState,
)
from linli.deliberation.rules import Share
from linli.deliberation.services.counting import community_rules
from linli.notifications.services import notify
from linli.notifications.text import Text
from linli.orgs.models import Area
from linli.people.models import Resident

BODY_PLACES = ("community", "estate", "building")
MEETING_PLACES = ("street", "community", "grid", "estate", "building", "entrance")
AGENDA_STATES = (TopicState.AGENDA, TopicState.VOTING)
CHECK_IN_BEFORE = timedelta(hours=2)
CHECK_IN_AFTER = timedelta(hours=6)
MAX_AGENDA = 20
INVITATION_KIND = "deliberation.meeting_invitation"
CANCELLED_KIND = "deliberation.meeting_cancelled"


# --- checks --------------------------------------------------------------------------------

def require_organiser(actor, area: Area) -> None:
    """403 unless the actor organises `area` (before any input is looked up)."""
    _organiser(actor, area)


def require_staff(actor, area: Area) -> None:
    """403 unless the actor is staff of `area`."""
    _staff(actor, area)


def _organiser(actor, area: Area) -> None:
    if not permissions.is_organiser(actor, area):
        raise PermissionDenied(_("Only the dispatchers and leaders of this place set up its "
                                 "bodies and meetings."), code="not_organiser")


def _staff(actor, area: Area) -> None:
    # Staff of the place: a community's grid workers help at its meetings too.
    if not permissions.is_staff(actor, area):
        raise PermissionDenied(_("Only staff of this place record attendance and minutes."),
                               code="not_staff")


def _text(value: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("%(field)s is required.") % {"field": label}, code="required")
    if len(value) > limit:
        raise ValidationFailed(_("%(field)s is too long (at most %(n)d characters).")
                               % {"field": label, "n": limit}, code="too_long")
    return value


def _current_residents(path: str):
    return Resident.objects.filter(area_path__startswith=path, moved_out__isnull=True,
                                   anonymised_at__isnull=True)


def _check_body(area: Area, name: str, kind: str, term_start: date, term_end: date,
                quorum: str) -> dict:
    if area.kind not in BODY_PLACES:
        raise ValidationFailed(_("A body belongs to a community, an estate or a building."),
                               code="bad_place")
    if kind not in BodyKind.values:
        raise ValidationFailed(_("Choose a kind of body."), code="bad_kind")
    if term_start is None or term_end is None or term_end <= term_start:
        raise ValidationFailed(_("The term must end after it starts."), code="bad_term")
    share = Share.parse(quorum)
    return {"area": area, "area_path": area.path, "name": _text(name, _("Name"), 80),
            "kind": kind, "term_start": term_start, "term_end": term_end,
            "quorum": str(share)}


# --- bodies --------------------------------------------------------------------------------

@transaction.atomic
def body_create(*, actor, area: Area, name: str, kind: str, term_start: date, term_end: date,
                quorum: str = ">1/2", is_active: bool = True) -> Body:
    """A body of `area`, set up by an organiser of the place."""
    _organiser(actor, area)
    fields = _check_body(area, name, kind, term_start, term_end, quorum)
    body = Body.objects.create(**fields, is_active=is_active)
    audit_record(actor=actor, action="deliberation.body_created", obj=body,
                 changes={"name": body.name, "kind": kind, "quorum": body.quorum},
                 area_path=body.area_path)
    return body


BODY_FIELDS = ("name", "kind", "term_start", "term_end", "quorum", "is_active")


@transaction.atomic
def body_update(*, actor, body: Body, **changes) -> Body:
    """Change a body's name, kind, term, quorum or whether it is active (its place stays)."""
    _organiser(actor, body.area)
    unknown = set(changes) - set(BODY_FIELDS)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(f)s.")
                               % {"f": ", ".join(sorted(unknown))}, code="invalid")
    merged = {f: getattr(body, f) for f in BODY_FIELDS} | {
        k: v for k, v in changes.items() if v is not None}
    fields = _check_body(body.area, merged["name"], merged["kind"], merged["term_start"],
                         merged["term_end"], merged["quorum"])
    before = {f: str(getattr(body, f)) for f in BODY_FIELDS}
    for f in ("name", "kind", "term_start", "term_end", "quorum"):
        setattr(body, f, fields[f])
    body.is_active = bool(merged["is_active"])
    body.save()
    after = {f: str(getattr(body, f)) for f in BODY_FIELDS}
    audit_record(actor=actor, action="deliberation.body_updated", obj=body,
                 changes={f: [before[f], after[f]] for f in BODY_FIELDS
                          if before[f] != after[f]}, area_path=body.area_path)
    return body


@transaction.atomic
def member_add(*, actor, body: Body, resident: Resident | None = None, user=None,
               name: str = "", post: str = "", joined_on: date | None = None) -> Member:
    """A registry resident of the body's place, or an account, joins with a post."""
    _organiser(actor, body.area)
    if (resident is None) == (user is None):
        raise ValidationFailed(_("Choose a resident of the place or an account."),
                               code="member_required")
    joined_on = joined_on or timezone.localdate()
    post = _text(post, _("Post"), 32, required=False)
    if resident is not None:
        current = _current_residents(body.area_path).filter(pk=resident.pk).exists()
        if not current:
            raise ValidationFailed(_("This resident does not live in the body's place."),
                                   code="not_of_place")
        name = resident.name
        taken = Member.objects.filter(body=body, resident=resident, left_on__isnull=True)
    else:
        if not user.is_active:
            raise ValidationFailed(_("This account is not active."), code="inactive_user")
        name = _text(name, _("Name"), 64, required=False) or str(user) \
            or user.username
        taken = Member.objects.filter(body=body, user=user, left_on__isnull=True)
    if taken.exists():
        raise Conflict(_("%(name)s is already a member of this body.") % {"name": name},
                       code="already_member")
    try:
        with transaction.atomic():
            member = Member.objects.create(body=body, resident=resident, user=user,
                                           name=name[:64], post=post, joined_on=joined_on)
    except IntegrityError:
        raise Conflict(_("%(name)s is already a member of this body.") % {"name": name},
                       code="already_member") from None
    audit_record(actor=actor, action="deliberation.member_added", obj=member,
                 changes={"body": body.pk, "post": post, "joined_on": str(joined_on)},
                 area_path=body.area_path)
    return member


@transaction.atomic
def member_leave(*, actor, member: Member, left_on: date | None = None) -> Member:
    """The member leaves on `left_on` (today by default); the row and its history stay."""
    body = member.body
    _organiser(actor, body.area)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise Conflict(_("%(name)s already left on %(day)s.")
                       % {"name": member.name, "day": member.left_on}, code="already_left")
    left_on = left_on or timezone.localdate()
    if left_on < member.joined_on:
        raise ValidationFailed(_("A member cannot leave before joining (%(day)s).")
                               % {"day": member.joined_on}, code="bad_date")
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    audit_record(actor=actor, action="deliberation.member_left", obj=member,
                 changes={"left_on": str(left_on)}, area_path=body.area_path)
    return member


# --- meetings ------------------------------------------------------------------------------

def expected_count(*, attendees: str, area: Area, body: Body | None, day: date) -> int:
    """Who counts toward the quorum, on `day`: the body's members, the place's adults, or
    its households with a current member."""
    if attendees == Attendees.MEMBERS:
        return active_members(body, day).count() if body is not None else 0
    residents = _current_residents(area.path)
    if attendees == Attendees.ADULTS:
        return residents.filter(birth_date__lte=adult_born_by(day)).count()
    return residents.values("household_id").distinct().count()


def new_code() -> str:
    return f"{secrets.randbelow(10000):04d}"


def _agenda_topics(actor, area: Area, topic_ids) -> list[Topic]:
    from linli.deliberation.selectors import topics_visible

    ids = list(dict.fromkeys(int(t) for t in topic_ids or ()))
    if len(ids) > MAX_AGENDA:
        raise ValidationFailed(_("An agenda has at most %(n)d items.") % {"n": MAX_AGENDA},
                               code="agenda_too_long")
    found = {t.pk: t for t in topics_visible(actor).filter(pk__in=ids)}
    for pk in ids:
        topic = found.get(pk)
        if topic is None or topic.state not in AGENDA_STATES:
            raise ValidationFailed(_("Only topics on the agenda or being voted on, in your "
                                     "scope, can be put on a meeting's agenda."),
                                   code="bad_topic")
    return [found[pk] for pk in ids]


@transaction.atomic
def meeting_create(*, actor, area: Area | None, title: str, starts_at: datetime, place: str,
                   body: Body | None = None, attendees: str = "", topic_ids=(),
                   invite: bool = False, now: datetime | None = None) -> Meeting:
    """A meeting of a place (the body's place when a body is named and no place), with its
    agenda in the order given. `expected` is fixed now."""
    from linli.deliberation.models import AgendaItem

    now = now or timezone.now()
    if area is None and body is not None:
        area = body.area
    if area is None:
        raise ValidationFailed(_("Choose the meeting's place."), code="place_required")
    _organiser(actor, area)
    if area.kind not in MEETING_PLACES:
        raise ValidationFailed(_("A meeting is held for a street, community, grid, estate, "
                                 "building or entrance."), code="bad_place")
    if body is not None:
        _organiser(actor, body.area)
        if not body.is_active:
            raise ValidationFailed(_("This body is not active."), code="body_inactive")
        attendees = attendees or Attendees.MEMBERS
        if attendees != Attendees.MEMBERS:
            raise ValidationFailed(_("A body's meeting counts its members."),
                                   code="bad_attendees")
    else:
        attendees = attendees or Attendees.ADULTS
        if attendees not in (Attendees.ADULTS, Attendees.HOUSEHOLDS):
            raise ValidationFailed(_("A residents' meeting counts adults or households."),
                                   code="bad_attendees")
    if starts_at is not None and timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at is None or starts_at < now - CHECK_IN_AFTER:
        raise ValidationFailed(_("The start has passed: choose a later time."),
                               code="starts_in_past")
    topics = _agenda_topics(actor, area, topic_ids)
    meeting = Meeting.objects.create(
        area=area, area_path=area.path, body=body, attendees=attendees,
        title=_text(title, _("Title"), 80), starts_at=starts_at,
        place=_text(place, _("Venue"), 120), check_in_code=new_code(),
        expected=expected_count(attendees=attendees, area=area, body=body,
                                day=timezone.localdate(starts_at)),
        created_by=actor)
    AgendaItem.objects.bulk_create([AgendaItem(meeting=meeting, topic=t, position=n)
                                    for n, t in enumerate(topics, start=1)])
    audit_record(actor=actor, action="deliberation.meeting_created", obj=meeting,
                 changes={"body": body.pk if body else None, "attendees": attendees,
                          "expected": meeting.expected, "agenda": [t.pk for t in topics]},
                 area_path=meeting.area_path)
    if invite:
        meeting_invite(actor=actor, meeting=meeting)
    return meeting


def invitees(meeting: Meeting) -> list:
    """The accounts a meeting invites: the body's members (their own account or their
    registry record's), or the resident accounts of the place."""
    from linli.accounts.models import User

    if meeting.body is not None:
        members = active_members(meeting.body, timezone.localdate(meeting.starts_at))
        ids = {m.user_id or (m.resident.user_id if m.resident else None)
               for m in members.select_related("resident")}
    else:
        ids = set(_current_residents(meeting.area_path).filter(user__isnull=False)
                  .values_list("user_id", flat=True))
    found = [pk for pk in ids if pk is not None]
    return list(User.objects.filter(pk__in=found, is_active=True).order_by("pk"))


def _link(meeting: Meeting) -> str:
    return reverse("deliberation:meeting", args=[meeting.pk])


@transaction.atomic
def meeting_invite(*, actor, meeting: Meeting) -> int:
    """Invite, through the inbox, everyone not yet invited. Returns how many were."""
    _organiser(actor, meeting.area)
    if meeting.state != MeetingState.PLANNED:
        raise ValidationFailed(_("This meeting is %(state)s: no invitations.")
                               % {"state": meeting.get_state_display()}, code="not_planned")
    already = set(Invitation.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    fresh = [u for u in invitees(meeting) if u.pk not in already]
    if not fresh:
        return 0
    Invitation.objects.bulk_create([Invitation(meeting=meeting, user=u) for u in fresh],
                                   ignore_conflicts=True)
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    notify(recipients=fresh, kind=INVITATION_KIND,
           title=Text(gettext_noop("Invitation: %(title)s"), {"title": meeting.title}),
           body=Text(gettext_noop("%(when)s at %(place)s. Check in with the code given at "
                                  "the meeting."), {"when": when, "place": meeting.place}),
           link=_link(meeting), subject=meeting,
           source_key=f"deliberation-meeting-invite-{meeting.pk}")
    audit_record(actor=actor, action="deliberation.meeting_invited", obj=meeting,
                 changes={"invited": len(fresh)}, area_path=meeting.area_path)
    return len(fresh)


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a planned meeting with a reason; the invited hear of it."""
    _organiser(actor, meeting.area)
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("area").get(
        pk=meeting.pk)
    if meeting.state != MeetingState.PLANNED:
        raise ValidationFailed(_("This meeting is %(state)s: it cannot be cancelled.")
                               % {"state": meeting.get_state_display()}, code="not_planned")
    reason = _text(reason, _("Reason"), 500)
    meeting.state = MeetingState.CANCELLED
    meeting.save(update_fields=["state"])
    invited = [i.user for i in meeting.invitations.select_related("user")]
    notify(recipients=invited, kind=CANCELLED_KIND,
           title=Text(gettext_noop("Meeting cancelled: %(title)s"), {"title": meeting.title}),
           body=Text(gettext_noop("Reason: %(reason)s"), {"reason": reason}),
           link=_link(meeting), subject=meeting,
           source_key=f"deliberation-meeting-cancel-{meeting.pk}")
    audit_record(actor=actor, action="deliberation.meeting_cancelled", obj=meeting,
                 changes={"reason": reason}, area_path=meeting.area_path)
    return meeting


# --- attendance ----------------------------------------------------------------------------

def _planned(meeting: Meeting) -> None:
    if meeting.state != MeetingState.PLANNED:
        raise ValidationFailed(_("This meeting is %(state)s: attendance is closed.")
                               % {"state": meeting.get_state_display()}, code="not_planned")


def _earn(actor, meeting: Meeting, resident: Resident | None) -> None:
    """Points go to the account of a registry resident (none without an account)."""
    if resident is None or resident.user_id is None:
        return
    from linli.points.models import EarningAction
    from linli.points.services import points_earned

    community = resident.household.dwelling.ancestor_of_kind("community")
    if community is None:
        return
    points_earned(actor=actor, community=community, resident=resident.user,
                  action=EarningAction.MEETING_ATTENDANCE, units=1,
                  key=f"deliberation-meeting-{meeting.pk}-{resident.pk}",
                  source=f"deliberation.meeting:{meeting.pk}")


def _present(meeting: Meeting, *, member: Member | None, resident: Resident | None,
             via: str, actor) -> Attendance:
    if member is not None:
        name, resident = member.name, member.resident
    else:
        assert resident is not None
        name = resident.name
    same = Q(member=member) if member is not None else Q(pk__in=[])
    if resident is not None:
        same |= Q(resident=resident)
    taken = Attendance.objects.filter(meeting=meeting).filter(same)
    if taken.exists():
        raise Conflict(_("Already checked in to this meeting."), code="already_present")
    try:
        with transaction.atomic():
            row = Attendance.objects.create(
                meeting=meeting, member=member, resident=resident,
                household_id=resident.household_id if resident else None, name=name[:64],
                via=via, recorded_by=actor)
    except IntegrityError:
        raise Conflict(_("Already checked in to this meeting."),
                       code="already_present") from None
    _earn(actor, meeting, resident)
    audit_record(actor=actor, action="deliberation.attendance_recorded", obj=meeting,
                 changes={"via": via, "member": member.pk if member else None,
                          "resident": resident.pk if resident else None},
                 area_path=meeting.area_path)
    return row


def member_of(meeting: Meeting, user) -> Member | None:
    """The current member of the meeting's body that `user` is, if any."""
    if meeting.body is None or not getattr(user, "is_authenticated", False):
        return None
    return active_members(meeting.body, timezone.localdate(meeting.starts_at)).filter(
        Q(user=user) | Q(resident__user=user)).select_related("resident").first()


def resident_of(meeting: Meeting, user) -> Resident | None:
    """The registry record of `user` under the meeting's place, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return _current_residents(meeting.area_path).filter(user=user).first()


def check_in_open(meeting: Meeting, now: datetime) -> bool:
    return (meeting.state == MeetingState.PLANNED
            and meeting.starts_at - CHECK_IN_BEFORE <= now <= meeting.starts_at + CHECK_IN_AFTER)


@transaction.atomic
def meeting_check_in(*, actor, meeting: Meeting, code: str,
                     now: datetime | None = None) -> Attendance:
    """A resident checks in with the meeting's code, from two hours before the start to six
    hours after."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("area", "body").get(
        pk=meeting.pk)
    _planned(meeting)
    if meeting.body is not None:
        member = member_of(meeting, actor)
        resident = None
        if member is None:
            raise PermissionDenied(_("Only the body's current members check in to this "
                                     "meeting."), code="not_member")
    else:
        member = None
        resident = resident_of(meeting, actor)
        if resident is None:
            raise PermissionDenied(_("Only residents of this place check in to this "
                                     "meeting."), code="not_resident")
    if not check_in_open(meeting, now):
        start = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationFailed(_("Check-in is open from two hours before the start (%(at)s) "
                                 "to six hours after.") % {"at": start},
                               code="check_in_closed")
    if not secrets.compare_digest((code or "").strip(), meeting.check_in_code):
        raise ValidationFailed(_("That is not this meeting's code: ask at the entrance."),
                               code="bad_code")
    return _present(meeting, member=member, resident=resident, via=CheckIn.CODE, actor=actor)


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, member: Member | None = None,
                      resident: Resident | None = None) -> Attendance:
    """Staff of the place tick a member (a body's meeting) or a resident of the place (a
    residents' meeting) present."""
    _staff(actor, meeting.area)
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("area", "body").get(
        pk=meeting.pk)
    _planned(meeting)
    if meeting.body is not None:
        day = timezone.localdate(meeting.starts_at)
        if member is None or not active_members(meeting.body, day).filter(
                pk=member.pk).exists():
            raise ValidationFailed(_("Tick a current member of the meeting's body."),
                                   code="not_member")
        resident = None
    else:
        if resident is None or not _current_residents(meeting.area_path).filter(
                pk=resident.pk).exists():
            raise ValidationFailed(_("Tick a resident of the meeting's place."),
                                   code="not_resident")
        member = None
    return _present(meeting, member=member, resident=resident, via=CheckIn.STAFF, actor=actor)


# --- quorum and minutes ----------------------------------------------------------------------

@dataclass(frozen=True)
class Quorum:
    present: int
    expected: int
    share: Share
    met: bool


def meeting_share(meeting: Meeting) -> Share:
    if meeting.attendees == Attendees.MEMBERS and meeting.body is not None:
        return Share.parse(meeting.body.quorum)
    return Share.parse(community_rules(meeting.area).meeting_quorum)


def meeting_quorate(meeting: Meeting) -> Quorum:
    """Who is present against who was expected, by the body's quorum or (a residents'
    meeting) the community's rule; households count once however many come."""
    rows = Attendance.objects.filter(meeting=meeting)
    if meeting.attendees == Attendees.HOUSEHOLDS:
        present = rows.exclude(household__isnull=True).values("household_id").distinct().count()
    elif meeting.attendees == Attendees.MEMBERS:
        present = rows.filter(member__isnull=False).count()
    else:
        present = rows.filter(resident__isnull=False).count()
    share = meeting_share(meeting)
    return Quorum(present, meeting.expected, share, share.met(present, meeting.expected))


@transaction.atomic
def meeting_minutes(*, actor, meeting: Meeting, minutes: str,
                    decisions: dict[int, str] | None = None,
                    now: datetime | None = None) -> Meeting:
    """The minutes and a decision per agenda item (by item id); the meeting is held."""
    now = now or timezone.now()
    _staff(actor, meeting.area)
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("area", "body").get(
        pk=meeting.pk)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationFailed(_("This meeting was cancelled: it has no minutes."),
                               code="cancelled")
    if now < meeting.starts_at:
        raise ValidationFailed(_("The meeting has not started yet: write the minutes "
                                 "afterwards."), code="not_started")
    text = _text(minutes, _("Minutes"), 20000)
    items = {item.pk: item for item in meeting.agenda.all()}
    decisions = decisions or {}
    unknown = set(decisions) - set(items)
    if unknown:
        raise ValidationFailed(_("A decision names an item not on this meeting's agenda."),
                               code="bad_item")
    for pk, decision in decisions.items():
        item = items[pk]
        item.decision = _text(decision, _("Decision"), 4000, required=False)
        item.save(update_fields=["decision"])
    meeting.minutes, meeting.minutes_at = text, now
    meeting.state = MeetingState.HELD
    meeting.save(update_fields=["minutes", "minutes_at", "state"])
    audit_record(actor=actor, action="deliberation.minutes_recorded", obj=meeting,
                 changes={"decisions": sorted(decisions)}, area_path=meeting.area_path)
    return meeting
