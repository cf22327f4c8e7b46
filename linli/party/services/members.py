"""Members and their organisations, dual registrations (双报到), posts and service hours.

A member belongs to at most one organisation of each level at a time (the database's
`party_one_org_per_level`); joining a second of a level is refused with the one they are
in named, and changing branch is leaving one and joining the other in one step.
"""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.party import permissions
from linli.party.models import Member, Membership, Organisation, OrgKind


def _kept(actor, path: str) -> None:
    if not permissions.keeps(actor, path):
        raise PermissionDenied(_("Only party-work staff of this place keep its party data."),
                               code="not_party_staff")


@transaction.atomic
def membership_join(*, actor, member: Member, organisation: Organisation,
                    since: date | None = None) -> Membership:
    """`member` joins `organisation` (not a joint committee: its members are
    organisations)."""
    _kept(actor, organisation.area_path)
    _kept(actor, member.area_path)
    if organisation.kind == OrgKind.JOINT:
        raise ValidationFailed(_("A joint committee's members are organisations, not "
                                 "people."), code="joint_not_for_people")
    if not organisation.is_active:
        raise ValidationFailed(_("This organisation is no longer active."), code="inactive")
    held = (Membership.objects.select_related("organisation")
            .filter(member=member, level=organisation.level, until__isnull=True).first())
    if held is not None:
        raise ValidationFailed(
            _("%(member)s already belongs to %(org)s, an organisation of the same level. "
              "Move them instead.") % {"member": member.name, "org": held.organisation.name},
            code="same_level")
    try:
        with transaction.atomic():
            joined = Membership.objects.create(
                member=member, organisation=organisation, level=organisation.level,
                since=since or timezone.localdate())
    except IntegrityError:  # a concurrent join of the same level won
        raise ValidationFailed(_("This member joined an organisation of the same level at "
                                 "the same moment. Reload and check."),
                               code="same_level") from None
    audit_record(actor=actor, action="party_member.join", obj=member,
                 area_path=member.area_path,
                 changes={"organisation": organisation.pk, "level": organisation.level})
    return joined


def registration_accepted(registration, actor, now: datetime) -> None:
    """After a dual registration is accepted (the members part fills this in: the posts
    chosen are held, the member joins the organisations of their home)."""


def registration_ended(registration, actor, now: datetime) -> None:
    """After a dual registration ends (the members part: the posts it gave are left)."""
