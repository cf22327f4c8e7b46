"""Scoped reading of party work: every query of the app that depends on who is asking
starts from one of these (the rules are in permissions.py).

Party data (organisations' members, members, registrations, posts held, service hours,
contact households, visits) is seen by party-work staff at or above its place, and by the
member themselves; joint work (meetings, resolutions, agreements, property results) by
party-work staff, dispatchers and leaders of the place, and a unit's people see what their
unit owns. Anyone else gets nothing: a denied read is a 404."""

from django.db.models import Q, QuerySet
from django.http import Http404

from linli.accounts import scope
from linli.party import permissions
from linli.party.models import (
    Agreement,
    ContactAssignment,
    ContactVisit,
    DualRegistration,
    JointMeeting,
    Member,
    Organisation,
    PropertySupervision,
    Resolution,
    ServiceRecord,
)


def party_q(actor, path_field: str = "area_path") -> Q:
    """Rows at or under the actor's party-work places."""
    return scope.scope_q(actor, roles=permissions.PARTY, path_field=path_field)


def work_q(actor, path_field: str = "area_path") -> Q:
    """Rows at or under the places where the actor follows joint work."""
    return scope.scope_q(actor, roles=permissions.WORK, path_field=path_field)


def _own(actor, field: str) -> Q:
    member = permissions.own_member(actor)
    return Q(**{field: member.pk}) if member is not None else Q(pk__in=[])


def _units(actor, field: str) -> Q:
    units = scope.unit_ids(actor)
    return Q(**{f"{field}__in": units}) if units else Q(pk__in=[])


def organisations_visible(actor) -> QuerySet[Organisation]:
    """Party staff see the organisations of their places; a member those they belong to
    and the ones above them."""
    q = party_q(actor)
    member = permissions.own_member(actor)
    if member is not None:
        ids = list(member.memberships.filter(until__isnull=True)
                   .values_list("organisation_id", flat=True))
        parents = Organisation.objects.filter(pk__in=ids).values_list("parent_id", flat=True)
        q |= Q(pk__in=ids) | Q(pk__in=[p for p in parents if p])
    return Organisation.objects.filter(q)


def members_visible(actor) -> QuerySet[Member]:
    return Member.objects.filter(party_q(actor) | _own(actor, "pk"))


def member_get(*, actor, member_id: int) -> Member:
    found = members_visible(actor).filter(pk=member_id).first()
    if found is None:
        raise Http404
    return found


def registrations_visible(actor) -> QuerySet[DualRegistration]:
    return DualRegistration.objects.filter(party_q(actor) | _own(actor, "member_id"))


def service_visible(actor) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(party_q(actor) | _own(actor, "member_id"))


def contacts_visible(actor) -> QuerySet[ContactAssignment]:
    """Party staff of the household's place, and the member who keeps in touch."""
    return ContactAssignment.objects.filter(party_q(actor) | _own(actor, "member_id"))


def visits_visible(actor) -> QuerySet[ContactVisit]:
    return ContactVisit.objects.filter(party_q(actor) | _own(actor, "assignment__member_id"))


def meetings_visible(actor) -> QuerySet[JointMeeting]:
    return JointMeeting.objects.filter(work_q(actor))


def resolutions_visible(actor) -> QuerySet[Resolution]:
    return Resolution.objects.filter(work_q(actor) | _units(actor, "owner_unit_id"))


def agreements_visible(actor) -> QuerySet[Agreement]:
    return Agreement.objects.filter(work_q(actor) | _units(actor, "unit_id"))


def supervisions_visible(actor) -> QuerySet[PropertySupervision]:
    return PropertySupervision.objects.filter(work_q(actor) | _units(actor, "unit_id"))
