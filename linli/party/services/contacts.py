"""Contact households (党员联系户): assigned to a member, visited every N days (a timer as
data, swept: due visits are reminded once), each visit maybe raising a case, a dispute, a
wish or a care-plan note in the same step.

Refused: a household outside the organisation's area, a member already at the most
households (settings.PARTY_CONTACTS_MAX), the same household twice, and a visit recorded
by anyone but the contact member themselves.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from linli.cases.models import Category
from linli.core.audit import audit_record
from linli.core.crypto import encrypt
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.party import permissions
from linli.party.models import MAX_TEXT, ContactAssignment, ContactVisit, Member, Organisation


def due_moment(day: date) -> datetime:
    """A visit due on `day` is due by the end of that day, local time."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@transaction.atomic
def contact_assign(*, actor, member: Member, household, organisation: Organisation,
                   visit_every_days: int | None = None,
                   since: date | None = None) -> ContactAssignment:
    if not permissions.keeps(actor, organisation.area_path):
        raise PermissionDenied(_("Only party-work staff of this place assign contact "
                                 "households."), code="not_party_staff")
    if member.left_on is not None:
        raise ValidationFailed(_("This member has left."), code="member_left")
    if not household.area_path.startswith(organisation.area_path):
        raise ValidationFailed(_("This household lies outside %(org)s's area.")
                               % {"org": organisation.name}, code="outside_area")
    every = visit_every_days or settings.PARTY_CONTACT_VISIT_DAYS
    if not 1 <= every <= 366:
        raise ValidationFailed(_("Visit every 1 to 366 days."), code="bad_interval")
    Member.objects.select_for_update().filter(pk=member.pk).first()  # one count at a time
    held = ContactAssignment.objects.filter(member=member, until__isnull=True).count()
    if held >= settings.PARTY_CONTACTS_MAX:
        raise ValidationFailed(_("%(member)s already keeps in touch with %(n)d households, "
                                 "the most a member is given.")
                               % {"member": member.name, "n": held}, code="too_many")
    start = since or timezone.localdate()
    try:
        with transaction.atomic():
            assignment = ContactAssignment.objects.create(
                member=member, household=household, organisation=organisation,
                area_path=household.area_path, visit_every_days=every, since=start,
                visit_due_at=due_moment(start + timedelta(days=every)))
    except IntegrityError:
        raise ValidationFailed(_("This member already keeps in touch with this household."),
                               code="already_assigned") from None
    audit_record(actor=actor, action="contact.assign", obj=member,
                 area_path=household.area_path,
                 changes={"household": household.pk, "organisation": organisation.pk})
    return assignment


def _visit_checked(actor, assignment: ContactAssignment, visited_on: date, way: str,
                   raised: str) -> str:
    if not permissions.is_member(actor, assignment.member):
        raise PermissionDenied(_("Only the member who keeps in touch with this household "
                                 "records its visits."), code="not_the_contact")
    if assignment.until is not None:
        raise ValidationFailed(_("This household is no longer this member's contact."),
                               code="contact_ended")
    if visited_on is None or visited_on > timezone.localdate():
        raise ValidationFailed(_("The visit date cannot be in the future."), code="bad_date")
    if visited_on < assignment.since:
        raise ValidationFailed(_("The visit date is before the household was assigned."),
                               code="bad_date")
    from linli.party.models import VisitWay

    if way not in VisitWay.values:
        raise ValidationFailed(_("Choose a home visit or a phone call."), code="bad_way")
    raised = (raised or "").strip()
    if len(raised) > MAX_TEXT:
        raise ValidationFailed(_("What was raised is at most 2000 characters."),
                               code="too_long")
    return raised


@transaction.atomic
def contact_visit_record(*, actor, assignment: ContactAssignment, visited_on: date,
                         way: str = "home", raised: str = "", **links) -> ContactVisit:
    """Record a visit by the contact member; the next visit falls due `visit_every_days`
    after the latest visit. `links` (case, dispute, wish, care_note) are the work the
    visit raised in the same step (services.contacts' raising helpers make them)."""
    raised = _visit_checked(actor, assignment, visited_on, way, raised)
    locked = ContactAssignment.objects.select_for_update().get(pk=assignment.pk)
    visit = ContactVisit.objects.create(
        assignment=locked, visitor=actor, visited_on=visited_on, way=way,
        raised_cipher=encrypt(raised) if raised else "", area_path=locked.area_path,
        **links)
    if locked.last_visited_on is None or visited_on > locked.last_visited_on:
        locked.last_visited_on = visited_on
        locked.visit_due_at = due_moment(visited_on + timedelta(days=locked.visit_every_days))
        locked.save(update_fields=["last_visited_on", "visit_due_at"])
    audit_record(actor=actor, action="contact.visit", obj=locked.member,
                 area_path=locked.area_path,
                 changes={"visit": visit.pk, **{k: v.pk for k, v in links.items() if v}})
    return visit


@transaction.atomic
def contact_end(*, actor, assignment: ContactAssignment, reason: str,
                on: date | None = None) -> ContactAssignment:
    """End an assignment (moved away, the member is given other households): its visits
    stay; the household may be assigned again."""
    if not permissions.keeps(actor, assignment.area_path):
        raise PermissionDenied(_("Only party-work staff of this place end contact "
                                 "assignments."), code="not_party_staff")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the assignment ends."), code="reason_required")
    if len(reason) > 200:
        raise ValidationFailed(_("The reason is at most 200 characters."), code="too_long")
    end = on or timezone.localdate()
    if end < assignment.since:
        raise ValidationFailed(_("The end date is before the household was assigned."),
                               code="bad_date")
    ended = ContactAssignment.objects.filter(pk=assignment.pk, until__isnull=True).update(
        until=end)
    if not ended:
        raise Conflict(_("This assignment has ended already."), code="contact_ended")
    assignment.refresh_from_db()
    audit_record(actor=actor, action="contact.end", obj=assignment.member,
                 area_path=assignment.area_path,
                 changes={"household": assignment.household_id, "reason": reason})
    return assignment


# --- raising work in the same step as a visit --------------------------------------------

RAISE_KINDS = ("case", "dispute", "wish", "care_note")


@dataclass(frozen=True)
class Raise:
    """One piece of work a visit raises: `kind` is one of RAISE_KINDS; `text` describes it
    (the case's description, the dispute's summary, the wish, the care note)."""

    kind: str
    text: str
    category: "Category | None" = None  # a case: a leaf category
    dispute_kind: str = ""           # a dispute: disputes.models.Kind
    people_involved: int = 1
    wish_category: str = ""          # a wish: volunteering.models.WishCategory
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def raise_from(*, kind: str, text: str = "", category_id: int | None = None,
               dispute_kind: str = "", people_involved: int | None = None,
               wish_category: str = "", starts_at: datetime | None = None,
               ends_at: datetime | None = None) -> Raise | None:
    """The Raise a form or an API body asks for ("" kind: nothing)."""
    if not kind:
        return None
    if kind not in RAISE_KINDS:
        raise ValidationFailed(_("Choose what to raise."), code="bad_raise")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Describe what to raise."), code="raise_text_required")
    category = None
    if kind == "case":
        category = Category.objects.filter(pk=category_id, is_active=True).first() \
            if category_id else None
        if category is None or category.is_group:
            raise ValidationFailed(_("Choose the category of the case to raise."),
                                   code="bad_category")
    return Raise(kind=kind, text=text, category=category, dispute_kind=dispute_kind,
                 people_involved=people_involved or 1, wish_category=wish_category,
                 starts_at=starts_at, ends_at=ends_at)


def _head(household):
    from linli.people.models import Relation, Resident

    living = Resident.objects.filter(household=household, moved_out__isnull=True,
                                     anonymised_at__isnull=True)
    return living.filter(relation=Relation.HEAD).first() or living.order_by("pk").first()


def _case_channel(actor, area) -> str:
    from linli.accounts.models import Role
    from linli.accounts.scope import has_role
    from linli.cases.models import Channel

    # A member who is also grid staff reports as patrol; any other member as a resident.
    staff = has_role(actor, (Role.GRID_WORKER, Role.DISPATCHER), area)
    return Channel.GRID_PATROL if staff else Channel.RESIDENT_WEB


def _raise_case(actor, household, r: Raise):
    from linli.cases.services import case_report

    if r.category is None:
        raise ValidationFailed(_("Choose the category of the case to raise."),
                               code="bad_category")
    # Never public: it comes from a private visit. Placed at the household's dwelling.
    return case_report(actor=actor, category=r.category, area=household.dwelling,
                       description=r.text, channel=_case_channel(actor, household.dwelling),
                       is_public=False)


def _raise_dispute(actor, household, r: Raise):
    """Disputes are registered by the staff of the place only (disputes.permissions): a
    member who is not is refused with the way round (raise a case; the dispatcher turns it
    into a dispute), and nothing is written."""
    from linli.disputes.models import Source
    from linli.disputes.services import PartyInput, dispute_register

    head = _head(household)
    parties = [PartyInput(resident_id=head.pk)] if head is not None else []
    try:
        return dispute_register(actor=actor, area=household.dwelling, kind=r.dispute_kind,
                                summary=r.text, people_involved=r.people_involved,
                                source=Source.RESIDENT, parties=parties)
    except PermissionDenied:
        raise PermissionDenied(_("Only the community's staff register disputes: raise it as "
                                 "a case instead and the dispatcher will turn it into a "
                                 "dispute."), code="dispute_staff_only") from None


def _raise_wish(actor, household, r: Raise):
    from linli.volunteering.services import wish_post

    if r.starts_at is None or r.ends_at is None:
        raise ValidationFailed(_("Give the wish's time window."), code="bad_window")
    return wish_post(actor=actor, area=household.dwelling, category=r.wish_category,
                     description=r.text, starts_at=r.starts_at, ends_at=r.ends_at)


def _raise_care_note(actor, household, r: Raise):
    from linli.people.models import CarePlan
    from linli.people.services import care_note_add

    plan = (CarePlan.objects.filter(resident__household=household,
                                    resident__moved_out__isnull=True)
            .select_related("resident").order_by("pk").first())
    if plan is None:
        raise ValidationFailed(_("Nobody in this household has a care plan."),
                               code="no_care_plan")
    return care_note_add(author=actor, resident=plan.resident, text=r.text,
                         source="party_contact")


_RAISERS = {"case": _raise_case, "dispute": _raise_dispute, "wish": _raise_wish,
            "care_note": _raise_care_note}


@transaction.atomic
def contact_visit_raise(*, actor, assignment: ContactAssignment, visited_on: date,
                        way: str = "home", raised: str = "",
                        also: Raise | None = None) -> ContactVisit:
    """Record a visit and, with `also`, raise ONE piece of work in the same transaction:
    a refused raise refuses the visit too (nothing is written)."""
    _visit_checked(actor, assignment, visited_on, way, raised)
    links = {}
    if also is not None:
        if also.kind not in _RAISERS:
            raise ValidationFailed(_("Choose what to raise."), code="bad_raise")
        links[also.kind] = _RAISERS[also.kind](actor, assignment.household, also)
    return contact_visit_record(actor=actor, assignment=assignment, visited_on=visited_on,
                                way=way, raised=raised, **links)


# --- the timer ------------------------------------------------------------------------------

def _remind(row, now: datetime) -> None:
    from linli.notifications.services import notify
    from linli.notifications.text import Text

    assignment = (ContactAssignment.objects.select_related("member", "member__user",
                                                            "member__resident__user")
                  .get(pk=row["pk"]))
    member = assignment.member
    user = member.user or (member.resident.user if member.resident else None)
    staff = _staff_of(assignment.area_path)
    link = reverse("party:contact", args=[assignment.pk])
    key = f"party.contact_due:{assignment.pk}:{row['due'].isoformat()}"
    notify(recipients=[user] if user else [], kind="party.contact_due",
           title=Text(gettext_noop("A contact household is due a visit")),
           body=Text(gettext_noop("%(member)s's contact household is due a visit.")
                     , {"member": member.name}),
           link=link, subject=assignment, source_key=key)
    notify(recipients=staff, kind="party.contact_overdue",
           title=Text(gettext_noop("A contact household is overdue a visit")),
           body=Text(gettext_noop("%(member)s has not visited a contact household in time."),
                     {"member": member.name}),
           link=link, subject=assignment, source_key=key + ":staff")


def _staff_of(path: str) -> list:
    """Party-work staff of the household's community (or above it)."""
    from linli.accounts.models import Role, RoleAssignment

    rows = (RoleAssignment.objects.filter(role=Role.PARTY_WORKER)
            .select_related("user", "area"))
    return [r.user for r in rows if path.startswith(r.area.path)]


def contacts_remind(*, now: datetime) -> int:
    """Live contacts whose next visit is overdue: the member and the party-work staff of
    the household's place are told once per due moment (the claim is `reminded_for`)."""
    from linli.core.supervision import sweep_due

    live = ContactAssignment.objects.filter(until__isnull=True, member__left_on__isnull=True)
    return sweep_due(live, due="visit_due_at", claimed="reminded_for", hook=_remind, now=now)
