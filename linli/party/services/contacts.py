"""Contact households (党员联系户): assigned to a member, visited every N days (a timer as
data, swept: due visits are reminded once), each visit maybe raising a case, a dispute, a
wish or a care-plan note in the same step.

Refused: a household outside the organisation's area, a member already at the most
households (settings.PARTY_CONTACTS_MAX), the same household twice, and a visit recorded
by anyone but the contact member themselves.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.crypto import encrypt
from linli.core.errors import PermissionDenied, ValidationFailed
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


def contacts_remind(*, now: datetime) -> int:
    """Contacts whose visit is overdue are reminded once per due moment (the contacts part
    fills this in with core.supervision.sweep_due)."""
    return 0
