"""Posts with duties (设岗定责), who holds them, and the service hours recorded by party
staff."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind
from linli.party import permissions
from linli.party.models import (
    MAX_TEXT,
    Member,
    MemberKind,
    Post,
    PostHolding,
    RegistrationState,
    ServiceRecord,
)


def _kept(actor, path: str) -> None:
    if not permissions.keeps(actor, path):
        raise PermissionDenied(_("Only party-work staff of this place keep its party data."),
                               code="not_party_staff")


@transaction.atomic
def post_create(*, actor, community: Area, name: str, duties: str = "",
                open_to_dual: bool = True, places: int | None = None, task=None,
                activity=None) -> Post:
    """A post of the community; its task or activity, if any, is of the same community."""
    _kept(actor, community.path)
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationFailed(_("A post belongs to a community."), code="bad_area")
    name = (name or "").strip()[:64]
    if not name:
        raise ValidationFailed(_("Give the post a name."), code="no_name")
    if places is not None and places < 1:
        raise ValidationFailed(_("A post has at least one place."), code="bad_places")
    for linked in (task, activity):
        if linked is not None and not linked.area_path.startswith(community.path):
            raise ValidationFailed(_("Link a task or an activity of this community."),
                                   code="bad_link")
    if Post.objects.filter(community=community, name=name).exists():
        raise ValidationFailed(_("A post of this name already exists here."),
                               code="name_taken")
    made = Post.objects.create(community=community, area_path=community.path, name=name,
                               duties=(duties or "")[:MAX_TEXT], open_to_dual=open_to_dual,
                               places=places, task=task, activity=activity)
    audit_record(actor=actor, action="party_post.create", obj=made, area_path=made.area_path)
    return made


def _hold(*, actor, post: Post, member: Member, since: date | None = None) -> PostHolding:
    if not post.is_active:
        raise ValidationFailed(_("This post is no longer open."), code="inactive")
    if member.left_on is not None or member.area_path != post.area_path:
        raise ValidationFailed(_("The post goes to a member of its community."),
                               code="bad_member")
    # Lock the post so that two takers never share its last place.
    Post.objects.select_for_update().filter(pk=post.pk).first()
    if post.holdings.filter(member=member, until__isnull=True).exists():
        raise ValidationFailed(_("The member already holds this post."), code="held")
    if post.places is not None and post.holdings.filter(
            until__isnull=True).count() >= post.places:
        raise ValidationFailed(_("All places of this post are taken."), code="full")
    made = PostHolding.objects.create(post=post, member=member,
                                      since=since or timezone.localdate(), assigned_by=actor)
    audit_record(actor=actor, action="party_post.assign", obj=member,
                 area_path=member.area_path, changes={"post": post.pk})
    return made


@transaction.atomic
def post_assign(*, actor, post: Post, member: Member, since: date | None = None) -> PostHolding:
    """Party staff give a member a post (its places respected)."""
    _kept(actor, post.area_path)
    return _hold(actor=actor, post=post, member=member, since=since)


@transaction.atomic
def post_take(*, actor, post: Post) -> PostHolding:
    """An in-service member whose registration here is accepted takes a post open to
    in-service members."""
    member = permissions.own_member(actor)
    if member is None or member.kind != MemberKind.IN_SERVICE or not member.registrations.filter(
            state=RegistrationState.ACCEPTED, community_id=post.community_id).exists():
        raise PermissionDenied(_("Take a post once your dual registration here is "
                                 "accepted."), code="not_registered")
    if not post.open_to_dual:
        raise ValidationFailed(_("This post is not open to in-service members."),
                               code="not_open")
    return _hold(actor=actor, post=post, member=member)


@transaction.atomic
def holding_end(*, actor, holding: PostHolding, on: date | None = None) -> PostHolding:
    _kept(actor, holding.post.area_path)
    if holding.until is not None:
        raise ValidationFailed(_("This post is no longer held."), code="ended")
    holding.until = on or timezone.localdate()
    holding.save(update_fields=["until"])
    audit_record(actor=actor, action="party_post.end", obj=holding.member,
                 area_path=holding.member.area_path, changes={"post": holding.post_id})
    return holding


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        hours = Decimal(-1)
    if not (Decimal("0.5") <= hours <= Decimal(24)) or hours * 2 != int(hours * 2):
        raise ValidationFailed(_("Hours are between 0.5 and 24, in half hours."),
                               code="bad_hours")
    return hours


@transaction.atomic
def service_record(*, actor, member: Member, served_on: date, hours, what: str,
                   post: Post | None = None, activity=None) -> ServiceRecord:
    """Party staff record hours a member served (not in the future)."""
    _kept(actor, member.area_path)
    if served_on > timezone.localdate():
        raise ValidationFailed(_("Service is recorded once done."), code="future")
    what = (what or "").strip()[:200]
    if not what:
        raise ValidationFailed(_("Say what was done."), code="no_what")
    if post is not None and post.area_path != member.area_path:
        raise ValidationFailed(_("Choose a post of the member's community."), code="bad_post")
    made = ServiceRecord.objects.create(member=member, post=post, activity=activity,
                                        served_on=served_on, hours=_hours(hours), what=what,
                                        area_path=member.area_path, recorded_by=actor)
    audit_record(actor=actor, action="party_service.record", obj=member,
                 area_path=member.area_path, changes={"record": made.pk, "hours": str(made.hours)})
    return made


@transaction.atomic
def service_void(*, actor, record: ServiceRecord, reason: str) -> ServiceRecord:
    _kept(actor, record.area_path)
    reason = (reason or "").strip()[:200]
    if not reason:
        raise ValidationFailed(_("Say why the record is void."), code="no_reason")
    if record.voided_at is not None:
        raise ValidationFailed(_("This record is already void."), code="voided")
    record.voided_at = timezone.now()
    record.void_reason = reason
    record.save(update_fields=["voided_at", "void_reason"])
    audit_record(actor=actor, action="party_service.void", obj=record.member,
                 area_path=record.area_path, changes={"record": record.pk})
    return record
