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
from linli.core.tasks import enqueue
from linli.orgs.models import Area, AreaKind
from linli.party import permissions
from linli.party.events import NOTIFY, record
from linli.party.models import (
    LIVE_REGISTRATION,
    DualRegistration,
    Member,
    MemberKind,
    Membership,
    Organisation,
    OrgKind,
    Post,
    PostHolding,
    RegistrationState,
)


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


@transaction.atomic
def membership_leave(*, actor, membership: Membership, on: date | None = None) -> Membership:
    """The member leaves the organisation (the membership ends today or on `on`)."""
    _kept(actor, membership.organisation.area_path)
    if membership.until is not None:
        raise ValidationFailed(_("This membership has already ended."), code="ended")
    membership.until = on or timezone.localdate()
    membership.save(update_fields=["until"])
    audit_record(actor=actor, action="party_member.leave_org", obj=membership.member,
                 area_path=membership.member.area_path,
                 changes={"organisation": membership.organisation_id})
    return membership


@transaction.atomic
def membership_move(*, actor, member: Member, organisation: Organisation) -> Membership:
    """Leave the organisation of the same level (if any) and join `organisation`, in one
    step: a change of branch never leaves the member in two at once, nor in none."""
    held = (Membership.objects.select_related("organisation")
            .filter(member=member, level=organisation.level, until__isnull=True).first())
    if held is not None:
        if held.organisation_id == organisation.pk:
            raise ValidationFailed(_("The member already belongs to this organisation."),
                                   code="same_org")
        membership_leave(actor=actor, membership=held)
    return membership_join(actor=actor, member=member, organisation=organisation)


def _name_of(resident, user) -> str:
    if resident is not None:
        return resident.name
    return (user.display_name or user.username) if user is not None else ""


@transaction.atomic
def member_register(*, actor, community: Area, kind: str, resident=None, user=None,
                    employer: str = "", joined_party_on: date | None = None) -> Member:
    """Register a member of `community` from a registry resident or a user (or both)."""
    _kept(actor, community.path)
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationFailed(_("A member belongs to a community."), code="bad_area")
    if resident is None and user is None:
        raise ValidationFailed(_("Choose the resident or the user."), code="nobody")
    if kind not in MemberKind.values:
        raise ValidationFailed(_("Unknown kind of member."), code="bad_kind")
    employer = (employer or "").strip()[:100]
    if kind == MemberKind.IN_SERVICE and not employer:
        raise ValidationFailed(_("An in-service member has an employer."),
                               code="no_employer")
    taken = Member.objects.filter(resident=resident).exists() if resident else False
    taken = taken or (Member.objects.filter(user=user).exists() if user else False)
    if taken:
        raise ValidationFailed(_("This person is already registered as a member."),
                               code="already_member")
    made = Member.objects.create(user=user, resident=resident, name=_name_of(resident, user),
                                 kind=kind, employer=employer, community=community,
                                 area_path=community.path, joined_party_on=joined_party_on)
    audit_record(actor=actor, action="party_member.create", obj=made,
                 area_path=made.area_path, changes={"kind": kind})
    return made


@transaction.atomic
def member_leave(*, actor, member: Member, on: date | None = None) -> Member:
    """The member leaves the community's party work (moved away, transferred): their
    memberships and posts end the same day."""
    _kept(actor, member.area_path)
    if member.left_on is not None:
        raise ValidationFailed(_("This member has already left."), code="left")
    day = on or timezone.localdate()
    member.left_on = day
    member.save(update_fields=["left_on"])
    member.memberships.filter(until__isnull=True).update(until=day)
    member.posts.filter(until__isnull=True).update(until=day)
    audit_record(actor=actor, action="party_member.leave", obj=member,
                 area_path=member.area_path)
    return member


# --- dual registration (双报到) --------------------------------------------------------------

def home_community(resident) -> Area | None:
    return resident.household.dwelling.ancestor_of_kind(AreaKind.COMMUNITY)


@transaction.atomic
def registration_report(*, actor, employer: str, employer_org: str = "",
                        posts: list[Post] | None = None, note: str = "") -> DualRegistration:
    """The signed-in resident, an in-service member, reports to the community where they
    live: their Member record (in_service) is made if they have none; refused if they
    have a live registration."""
    from linli.people.selectors import own_record

    resident = own_record(actor)
    if resident is None:
        raise PermissionDenied(_("Only a resident in the registry can report to the "
                                 "community."), code="not_resident")
    community = home_community(resident)
    if community is None:
        raise ValidationFailed(_("Your home is in no community."), code="bad_area")
    employer = (employer or "").strip()[:100]
    if not employer:
        raise ValidationFailed(_("Say where you work."), code="no_employer")
    member = permissions.own_member(actor)
    if member is None:
        member = Member.objects.create(
            user=actor, resident=None if Member.objects.filter(resident=resident).exists()
            else resident, name=resident.name, kind=MemberKind.IN_SERVICE,
            employer=employer, community=community, area_path=community.path)
        actor._linli_party_member = member
        audit_record(actor=actor, action="party_member.create", obj=member,
                     area_path=member.area_path, changes={"kind": member.kind})
    elif member.kind != MemberKind.IN_SERVICE:
        raise ValidationFailed(_("Only an in-service member reports to the community."),
                               code="not_in_service")
    elif member.employer != employer:
        member.employer = employer
        member.save(update_fields=["employer"])
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if member.registrations.filter(state__in=LIVE_REGISTRATION).exists():
        raise ValidationFailed(_("You have already reported to the community."), code="live")
    chosen = list(posts or [])
    for post in chosen:
        if post.community_id != community.pk or not post.open_to_dual or not post.is_active:
            raise ValidationFailed(_("Choose among the community's posts open to in-service "
                                     "members."), code="bad_post")
    made = DualRegistration.objects.create(
        member=member, community=community, area_path=community.path,
        employer_org=(employer_org or "").strip()[:100], reported_on=timezone.localdate(),
        note=(note or "").strip()[:500])
    made.posts_chosen.set(chosen)
    event = record(made, actor=actor, action="report", from_state="",
                   to_state=RegistrationState.REPORTED, at=timezone.now())
    enqueue(NOTIFY, event.pk)
    audit_record(actor=actor, action="registration.report", obj=made,
                 area_path=made.area_path, changes={"posts": [p.pk for p in chosen]})
    return made


@transaction.atomic
def registration_transition(*, actor, registration: DualRegistration, action: str,
                            note: str = "", expected_version: int | None = None):
    from linli.party.workflow import REGISTRATIONS

    return REGISTRATIONS.transition(actor=actor, obj=registration, action=action, note=note,
                                    expected_version=expected_version)


def _free(post: Post) -> bool:
    if post.places is None:
        return True
    return post.holdings.filter(until__isnull=True).count() < post.places


def _home_orgs(member: Member) -> list[Organisation]:
    resident = member.resident
    if resident is None:
        from linli.people.selectors import own_record

        resident = own_record(member.user) if member.user else None
    if resident is None:
        return []
    dwelling = resident.household.dwelling
    found = []
    for kind, area_kind in ((OrgKind.BRANCH, AreaKind.GRID), (OrgKind.GROUP, AreaKind.BUILDING)):
        area = dwelling.ancestor_of_kind(area_kind)
        org = (Organisation.objects.filter(area=area, kind=kind, unit__isnull=True,
                                           is_active=True).order_by("pk").first()
               if area is not None else None)
        if org is not None:
            found.append(org)
    return found


def registration_accepted(registration, actor, now: datetime) -> None:
    """After a dual registration is accepted: the member holds each post they chose that
    still has a free place, and joins the grid branch and the building group of their
    home, each unless they already belong to an organisation of that level."""
    member = registration.member
    today = timezone.localdate(now)
    for post in registration.posts_chosen.filter(is_active=True):
        if _free(post) and not post.holdings.filter(member=member,
                                                    until__isnull=True).exists():
            PostHolding.objects.create(post=post, member=member, since=today,
                                       assigned_by=actor)
    for org in _home_orgs(member):
        if not Membership.objects.filter(member=member, level=org.level,
                                         until__isnull=True).exists():
            Membership.objects.create(member=member, organisation=org, level=org.level,
                                      since=today)


def registration_ended(registration, actor, now: datetime) -> None:
    """After a dual registration ends: the posts it gave (those chosen) are left."""
    registration.member.posts.filter(
        until__isnull=True, post__in=registration.posts_chosen.all()).update(
            until=timezone.localdate(now))
