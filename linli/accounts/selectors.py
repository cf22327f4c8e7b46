"""Reads of accounts that depend on who is asking."""

from django.db.models import Q, QuerySet

from linli.accounts import scope
from linli.accounts.models import ApiToken, Role, RoleAssignment, User
from linli.accounts.validators import PHONE_RE, normalize_phone
from linli.core.crypto import blind_index
from linli.orgs.models import Unit


def user_by_login(identifier: str) -> User | None:
    """The user a login identifier names: a username, or a phone number."""
    identifier = (identifier or "").strip()
    phone = normalize_phone(identifier)
    if PHONE_RE.match(phone):
        found = User.objects.filter(phone_hash=blind_index(phone)).first()
        if found is not None:
            return found
    return User.objects.filter(username__iexact=identifier).first()


def user_list(*, actor) -> QuerySet[User]:
    """Admins see the users assigned within their areas, and accounts not yet placed
    anywhere (so a new account can be given its first role); everyone else only
    themselves."""
    if actor.is_superuser:
        return User.objects.all().order_by("username")
    visible = Q(id=actor.id)
    if scope.has_role(actor, Role.ADMIN):
        in_areas = RoleAssignment.objects.filter(
            scope.scope_q(actor, roles=[Role.ADMIN])
        ).values("user_id")
        placed = RoleAssignment.objects.values("user_id")
        unplaced = ~Q(id__in=placed) & Q(is_superuser=False)
        visible |= Q(id__in=in_areas) | unplaced
    return User.objects.filter(visible).order_by("username")


def assignment_list(*, actor, user: User | None = None) -> QuerySet[RoleAssignment]:
    qs = RoleAssignment.objects.select_related("user", "area", "unit")
    if not actor.is_superuser:
        qs = qs.filter(scope.scope_q(actor, roles=[Role.ADMIN]) | Q(user=actor))
    if user is not None:
        qs = qs.filter(user=user)
    return qs.order_by("user__username", "role")


def token_list(*, actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor)


def unit_members(*, unit: Unit) -> QuerySet[RoleAssignment]:
    """Who works for a handling unit. Shown to whoever may see the unit: names and areas of
    the unit's staff, no phone numbers."""
    return (RoleAssignment.objects.filter(unit=unit, role=Role.UNIT_MEMBER)
            .select_related("user", "area").order_by("user__username"))
