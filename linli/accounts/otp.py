"""TOTP second factor (RFC 6238) for dispatchers, leaders and admins."""

import hmac

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import User
from linli.core.audit import audit_record
from linli.core.crypto import decrypt, encrypt
from linli.core.errors import PermissionDenied


def otp_secret(user: User) -> str:
    return decrypt(user.otp_secret_cipher) if user.otp_secret_cipher else ""


@transaction.atomic
def otp_begin_enrolment(*, user: User) -> str:
    """A fresh, unconfirmed secret for this login; login completes only once a code from it
    is accepted. Each login that reaches enrolment gets a new secret, so a secret seen by
    someone who abandoned an earlier enrolment is worthless."""
    if user.otp_confirmed_at is not None:
        return otp_secret(user)
    secret = pyotp.random_base32()
    user.otp_secret_cipher = encrypt(secret)
    user.otp_last_step = 0
    user.save(update_fields=["otp_secret_cipher", "otp_last_step"])
    return secret


def otp_provisioning_uri(user: User) -> str:
    return pyotp.TOTP(otp_secret(user)).provisioning_uri(
        name=user.username, issuer_name=settings.OTP_ISSUER
    )


def otp_qr_svg(user: User) -> str:
    return segno.make(otp_provisioning_uri(user), error="m").svg_inline(scale=4)


def otp_current_code(user: User) -> str:
    """The code the user's authenticator shows now; "" if they have no secret."""
    secret = otp_secret(user)
    return pyotp.TOTP(secret).at(timezone.now()) if secret else ""


def _matching_step(totp: pyotp.TOTP, code: str, after: int) -> int | None:
    step_now = int(timezone.now().timestamp()) // totp.interval
    for step in (step_now, step_now - 1, step_now + 1):  # one step of clock drift either way
        if step > after and hmac.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


@transaction.atomic
def otp_verify(*, user: User, code: str) -> bool:
    """Accept a code once: a code already used (same time step or earlier) is refused."""
    secret = otp_secret(user)
    code = (code or "").strip().replace(" ", "")
    if not secret or not code.isdigit() or len(code) != 6:
        return False
    step = _matching_step(pyotp.TOTP(secret), code, user.otp_last_step)
    if step is None:
        return False
    now = timezone.now()
    # The conditional update claims the step, so two requests racing with one code cannot
    # both pass, and a secret replaced meanwhile (a new enrolment, a reset) is not confirmed.
    claimed = User.objects.filter(
        pk=user.pk, otp_last_step__lt=step, otp_secret_cipher=user.otp_secret_cipher,
    ).update(
        otp_last_step=step, otp_confirmed_at=user.otp_confirmed_at or now,
    )
    if not claimed:
        return False
    if user.otp_confirmed_at is None:
        audit_record(actor=user, action="otp.enrolled", obj=user,
                     area_path=scope.home_path(user))
    user.otp_last_step = step
    user.otp_confirmed_at = user.otp_confirmed_at or now
    return True


@transaction.atomic
def otp_reset(*, actor, user: User) -> None:
    """An admin clears a lost authenticator; the user enrols again at next login."""
    from linli.accounts.permissions import can_manage_user

    if not can_manage_user(actor, user):
        raise PermissionDenied(_("You may not manage this user."))
    User.objects.filter(pk=user.pk).update(otp_secret_cipher="", otp_confirmed_at=None,
                                           otp_last_step=0)
    audit_record(actor=actor, action="otp.reset", obj=user, area_path=scope.home_path(user))
