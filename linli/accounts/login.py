"""Login security (等保 2.0 level 3): lockout per account and per IP, and the audit of every
attempt. Pages and the token endpoint both log in through `login_check` and
`second_factor_check`.

Lockout is computed from the audit log itself, so it needs no extra state and any number of
web processes agree: LOCKOUT_THRESHOLD failures within LOCKOUT_MINUTES of each other lock the
account for LOCKOUT_MINUTES from the last of them; LOCKOUT_IP_THRESHOLD failures from one IP
lock that IP. Both are 5 by default (等保 2.0); the IP's can be raised on its own where a
community office reaches Linli through one NAT address, so that a few typos by its staff do
not lock the whole office out. Attempts refused during a lock
are recorded as `login.locked`, not as failures, so the latest failures always tell whether
a lock is in force. A success resets the account's count (not the IP's).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linli.accounts import scope
from linli.accounts.models import SECOND_FACTOR_ROLES, User
from linli.accounts.selectors import user_by_login
from linli.accounts.validators import PHONE_RE, normalize_phone
from linli.core.audit import audit_record
from linli.core.context import current_request
from linli.core.crypto import mask_phone
from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.models import AuditEntry

FAILED = "login.failed"
SUCCEEDED = "login.succeeded"
REFUSED_LOCKED = "login.locked"
# The password was right; the login completes only when the second factor passes.
PASSWORD_PASSED = "login.password_passed"


class LoginRefused(ApplicationError):
    status = 401
    code = "login_failed"


class AccountLocked(LoginRefused):
    status = 429
    code = "locked"


@dataclass(frozen=True)
class LoginOutcome:
    user: User
    needs_second_factor: bool


def account_label(identifier: str, user: User | None) -> str:
    """The name failures are counted under. An unknown name is counted like a real one, so
    the lockout does not reveal which accounts exist; a typed phone number is masked, as
    the audit log must not hold it in clear (PIPL)."""
    if user is not None:
        return user.username
    identifier = (identifier or "").strip()
    phone = normalize_phone(identifier)
    if PHONE_RE.match(phone):
        return mask_phone(phone)
    return identifier.lower()[:150]


def _locked_until(threshold: int, **filters) -> datetime | None:
    if threshold < 1:
        return None
    window = timedelta(minutes=settings.LOCKOUT_MINUTES)
    now = timezone.now()
    # A lock in force ends within `window` of its last failure, which lies within `window`
    # of the first: older rows cannot matter.
    latest = list(
        AuditEntry.objects.filter(action=FAILED, at__gt=now - 2 * window, **filters)
        .order_by("-at", "-id").values_list("at", flat=True)[:threshold]
    )
    if len(latest) < threshold or latest[0] - latest[-1] > window:
        return None
    until = latest[0] + window
    return until if until > now else None


@dataclass(frozen=True)
class Lock:
    until: datetime
    by_address: bool  # the IP address is locked, not (only) the account


def lock_state(label: str, ip: str | None) -> Lock | None:
    """The lock in force on the account (by label) or the IP, whichever ends last; None if
    neither is locked."""
    # Ids, not times, mark "after the last success": they never tie.
    last_success = (
        AuditEntry.objects.filter(action=SUCCEEDED, object_label=label)
        .order_by("-at", "-id").values_list("id", flat=True).first()
    )
    account = _locked_until(settings.LOCKOUT_THRESHOLD, object_label=label,
                            id__gt=last_success or 0)
    address = _locked_until(settings.LOCKOUT_IP_THRESHOLD, ip=ip) if ip else None
    if address is not None and (account is None or address > account):
        return Lock(address, by_address=True)
    return Lock(account, by_address=False) if account is not None else None


def requires_second_factor(user: User) -> bool:
    return bool(user.is_superuser) or bool(scope.roles_of(user) & SECOND_FACTOR_ROLES)


def _record(action: str, label: str, user: User | None, reason: str = "") -> None:
    # Login is never wrapped in a transaction, so the entry commits before the refusal is
    # raised and a failed attempt stays on record. The entry is filed under the place that
    # holds all the user's roles, so the admins of that area see attempts on their staff;
    # attempts on unknown names are for system administrators only.
    audit_record(actor=user if action == SUCCEEDED else None, action=action,
                 object_type="accounts.user", object_id=user.pk if user else "",
                 object_label=label, changes={"reason": reason} if reason else {},
                 area_path=scope.home_path(user))


def _lock_message(lock: Lock, minutes: int) -> str:
    # Colleagues behind one NAT address share its lock: telling them it is the address, not
    # their account, saves a useless call to the administrator.
    if lock.by_address:
        return ngettext(
            "Too many failed logins from this network address. Login from here is locked; "
            "try again in %(minutes)d minute.",
            "Too many failed logins from this network address. Login from here is locked; "
            "try again in %(minutes)d minutes.", minutes) % {"minutes": minutes}
    return ngettext("Too many failed logins. Login is locked; try again in %(minutes)d minute.",
                    "Too many failed logins. Login is locked; try again in %(minutes)d minutes.",
                    minutes) % {"minutes": minutes}


def _refuse_if_locked(label: str, user: User | None) -> None:
    lock = lock_state(label, current_request().ip)
    if lock is None:
        return
    _record(REFUSED_LOCKED, label, user, "address" if lock.by_address else "")
    minutes = max(1, math.ceil((lock.until - timezone.now()).total_seconds() / 60))
    raise AccountLocked(_lock_message(lock, minutes),
                        details={"retry_after_minutes": minutes,
                                 "locked": "address" if lock.by_address else "account"})


def _refuse_password(password: str, user: User | None, label: str) -> NoReturn:
    # A disabled account is named only to someone who knows its password.
    if user is not None and not user.is_active and user.check_password(password):
        _record(FAILED, label, user, "inactive")
        raise LoginRefused(_("This account is disabled. Ask your community office."),
                           code="account_disabled")
    _record(FAILED, label, user, "password" if user is not None else "unknown_user")
    raise LoginRefused(_("Wrong username or password."))


def login_check(identifier: str, password: str) -> LoginOutcome:
    """Check a password login. Raises LoginRefused/AccountLocked with a readable message."""
    user = user_by_login(identifier)
    label = account_label(identifier, user)
    _refuse_if_locked(label, user)
    authenticated = authenticate(username=identifier, password=password)
    if authenticated is None:
        _refuse_password(password, user, label)
    if requires_second_factor(authenticated):
        _record(PASSWORD_PASSED, label, authenticated)
        return LoginOutcome(authenticated, needs_second_factor=True)
    _record(SUCCEEDED, label, authenticated)
    return LoginOutcome(authenticated, needs_second_factor=False)


def second_factor_check(user: User, code: str, *, allow_enrolment: bool) -> None:
    """Second step for staff roles; a wrong code counts toward the same lockout.

    Only the login pages may confirm a new authenticator (`allow_enrolment`): they show the
    secret to the person who just passed the password step. The token endpoint needs one
    already confirmed."""
    from linli.accounts.otp import otp_verify

    _refuse_if_locked(user.username, user)
    if not user.is_active:
        _record(FAILED, user.username, user, "inactive")
        raise LoginRefused(_("This account is disabled. Ask your community office."),
                           code="account_disabled")
    if user.otp_confirmed_at is None and not allow_enrolment:
        raise LoginRefused(_("Set up your authenticator first: log in once on the web."),
                           code="otp_not_enrolled")
    if not (code or "").strip():
        raise ValidationFailed(_("This account needs its 6-digit verification code."),
                               code="otp_required")
    if not otp_verify(user=user, code=code):
        _record(FAILED, user.username, user, "otp")
        raise LoginRefused(_("The verification code is wrong or has expired."),
                           code="otp_failed")
    _record(SUCCEEDED, user.username, user)


def password_recheck(user: User, password: str) -> None:
    """The current password asked again (to change it). A wrong one counts toward the
    lockout, so a session left open cannot be used to guess the password."""
    _refuse_if_locked(user.username, user)
    if not user.check_password(password):
        _record(FAILED, user.username, user, "recheck")
        raise LoginRefused(_("The current password is wrong."))
