"""Every write to accounts: users, role assignments, API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import ApiToken, Role, RoleAssignment, User
from linli.accounts.permissions import can_manage_area, can_manage_user
from linli.accounts.validators import PHONE_RE, USERNAME_RE, normalize_phone
from linli.core.audit import audit_record
from linli.core.crypto import blind_index, encrypt
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.versioned import Versioned, row_copy
from linli.orgs.models import Area, AreaKind, Unit

TOKEN_PREFIX = "lnl_"


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), code="weak_password") from None


def _clean_phone(phone: str) -> str:
    phone = normalize_phone(phone)
    if phone and not PHONE_RE.match(phone):
        raise ValidationFailed(_("Enter an 11-digit mainland mobile number."), code="bad_phone")
    if phone and User.objects.filter(phone_hash=blind_index(phone)).exists():
        raise Conflict(_("Another account already uses this phone number."),
                       code="duplicate_phone")
    return phone


@transaction.atomic
def user_create(*, actor, username: str, password: str, display_name: str = "",
                phone: str = "", email: str = "", role: str = "", area: Area | None = None,
                unit: Unit | None = None) -> User:
    """A new account; with `role` and `area` also its first role assignment, so an area
    administrator places the account inside their areas in the same step."""
    if actor is not None and not (actor.is_superuser or scope.has_role(actor, Role.ADMIN)):
        raise PermissionDenied(_("Only administrators may create accounts."))
    if bool(role) != (area is not None):
        raise ValidationFailed(_("Give both a role and an area, or neither."), code="bad_role")
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise ValidationFailed(
            _("A username is 3-64 letters, digits, '.', '-' or '_', starting with a letter."),
            code="bad_username",
        )
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("The username %(name)s is already taken.") % {"name": username},
                       code="duplicate_user")
    phone = _clean_phone(phone)
    user = User(username=username, display_name=display_name.strip()[:64], email=email)
    _check_password(password, user)
    user.set_password(password)
    if phone:
        user.phone_hash, user.phone_cipher = blind_index(phone), encrypt(phone)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise Conflict(_("The username or phone number is already taken."),
                       code="duplicate_user") from None
    # Filed under the new account's area, or else the creating administrator's, so that
    # area administrators see the accounts made in their areas.
    audit_record(actor=actor, action="user.created", obj=user,
                 area_path=area.path if area is not None else scope.home_path(actor),
                 changes={"username": username, "display_name": user.display_name})
    if role and area is not None:
        role_assign(actor=actor, user=user, role=role, area=area, unit=unit)
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    if actor != user and not can_manage_user(actor, user):
        raise PermissionDenied(_("You may not change this user's password."))
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="user.password_changed", obj=user,
                 area_path=scope.home_path(user))


def _check_assignment(role: str, area: Area, unit: Unit | None) -> None:
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."), code="bad_role")
    if role == Role.UNIT_MEMBER and unit is None:
        raise ValidationFailed(_("A unit member must belong to a handling unit."))
    if role != Role.UNIT_MEMBER and unit is not None:
        raise ValidationFailed(_("Only unit members belong to a handling unit."))
    if role == Role.RESIDENT and area.kind != AreaKind.DWELLING:
        raise ValidationFailed(_("A resident is registered at a dwelling."))
    if role == Role.GRID_WORKER and area.kind != AreaKind.GRID:
        raise ValidationFailed(_("A grid worker is assigned to a grid."))


@transaction.atomic
def role_assign(*, actor, user: User, role: str, area: Area,
                unit: Unit | None = None) -> RoleAssignment:
    if actor is not None and not can_manage_area(actor, area):
        raise PermissionDenied(_("You may only assign roles within your own areas."))
    _check_assignment(role, area, unit)
    if RoleAssignment.objects.filter(user=user, role=role, area=area).exists():
        raise Conflict(_("This user already holds that role in that area."))
    assignment = RoleAssignment.objects.create(user=user, role=role, area=area, unit=unit)
    if role == Role.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    scope.forget(user)
    audit_record(actor=actor, action="role.assigned", obj=user, area_path=area.path,
                 changes={"role": role, "area": area.name, "unit": unit.name if unit else None})
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    if not can_manage_area(actor, assignment.area):
        raise PermissionDenied(_("You may only change roles within your own areas."))
    user = assignment.user
    audit_record(actor=actor, action="role.revoked", obj=user,
                 area_path=assignment.area.path,
                 changes={"role": assignment.role, "area": assignment.area.name})
    assignment.delete()
    if not RoleAssignment.objects.filter(user=user, role=Role.ADMIN).exists():
        User.objects.filter(pk=user.pk, is_superuser=False).update(is_staff=False)
    scope.forget(user)


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for the actor's own use. Returns the token and its secret, shown once."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise ValidationFailed(_("Give the token a name of 1-64 characters."))
    days = days or settings.API_TOKEN_DAYS
    if not 1 <= days <= 366:
        raise ValidationFailed(_("A token lives between 1 and 366 days."))
    # 48 random bits: a clash on the unique prefix is vanishingly rare.
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=prefix, secret_hash=_hash_secret(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(actor=actor, action="token.created", obj=token, changes={"days": days},
                 area_path=scope.home_path(actor))
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk and not can_manage_user(actor, token.user):
        raise PermissionDenied(_("You may not revoke this token."))
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit_record(actor=actor, action="token.revoked", obj=token,
                     area_path=scope.home_path(token.user))


def _token_load(prefix: str) -> ApiToken | None:
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is not None:
        scope.assignments(token.user)  # kept with the copy: scope reads them on every call
    return token


# What a token's copy holds: the token, its user, the user's assignments with their areas
# and units. A change to any of these tables, in any process, drops the copies.
_tokens = Versioned(("accounts_apitoken", "accounts_user", "accounts_roleassignment",
                     "orgs_area", "orgs_unit"), _token_load)


def api_token_lookup(raw: str) -> ApiToken | None:
    """The token a bearer string names, whatever its state; None if it names none. The
    token and its user are this request's own copies of the process's cached ones."""
    if not raw.startswith(TOKEN_PREFIX) or raw.count("_") < 2:
        return None
    prefix, _sep, secret = raw[len(TOKEN_PREFIX):].partition("_")
    cached = _tokens.get(prefix)
    if cached is None or not secrets.compare_digest(cached.secret_hash, _hash_secret(secret)):
        return None
    token = row_copy(cached)
    token.user = row_copy(cached.user)
    return token


_touched: dict[str, datetime] = {}  # by prefix, which no other token ever has


def api_token_touch(token: ApiToken, now: datetime) -> None:
    """Note the token's use, at most once a minute per process: a busy app should not write
    on every call (and `last_used_at` is no part of the token's cached copy)."""
    last = _touched.get(token.prefix) or token.last_used_at
    if last is None or (now - last).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        if len(_touched) > 100_000:
            _touched.clear()
        _touched[token.prefix] = now
