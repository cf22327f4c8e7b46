"""Login (password, then TOTP for staff roles), logout, and the user's own account page."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from linli.accounts import login, otp, selectors, services
from linli.accounts.forms import LoginForm, OtpForm, PasswordChangeForm, TokenForm
from linli.accounts.models import User
from linli.accounts.validators import password_rules
from linli.core.errors import ApplicationError
from linli.core.redirects import local_url

_PENDING = "linli_pending_login"
_PENDING_SECONDS = 300
_BACKEND = "linli.accounts.backends.PhoneOrUsernameBackend"
# Set at login and cleared at logout, for the browser session only: finding it on the login
# page of a logged-out browser means the session ended by itself (idle timeout, or a password
# change elsewhere), which the page then says instead of leaving the person puzzled.
_SIGNED_IN_COOKIE = "linli_signed_in"


def _next_url(request) -> str:
    return local_url(request, request.POST.get("next") or request.GET.get("next"), "/")


def _signed_in(response):
    """Complete a login: the session is Django's; the marker cookie is for `_session_ended`."""
    response.set_cookie(_SIGNED_IN_COOKIE, "1", httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)
    return response


def _session_ended(request) -> bool:
    return not request.user.is_authenticated and request.COOKIES.get(_SIGNED_IN_COOKIE) == "1"


def login_view(request):
    ended = request.method == "GET" and _session_ended(request)
    if ended:
        minutes = settings.SESSION_IDLE_MINUTES
        messages.info(request, ngettext(
            "Your session has ended after %(minutes)d minute without activity. Please log in "
            "again.",
            "Your session has ended after %(minutes)d minutes without activity. Please log in "
            "again.", minutes) % {"minutes": minutes})
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = login.login_check(form.cleaned_data["username"],
                                        form.cleaned_data["password"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if outcome.needs_second_factor:
                return _begin_second_factor(request, outcome.user)
            django_login(request, outcome.user, backend=_BACKEND)
            return _signed_in(redirect(_next_url(request)))
    response = render(request, "accounts/login.html", {
        "form": form, "next": _next_url(request),
        "lockout_threshold": settings.LOCKOUT_THRESHOLD,
        "lockout_minutes": settings.LOCKOUT_MINUTES,
    })
    if ended:
        response.delete_cookie(_SIGNED_IN_COOKIE, samesite="Lax")
    return response


def _begin_second_factor(request, user: User):
    # The session is not logged in until the second factor passes.
    if user.otp_confirmed_at is None:
        otp.otp_begin_enrolment(user=user)
    request.session[_PENDING] = {"user": user.pk, "at": time.time(),
                                 "next": _next_url(request)}
    return redirect("accounts:otp")


def _pending_user(request) -> tuple[User | None, dict]:
    """The user who passed the password step in this session less than 5 minutes ago."""
    pending = request.session.get(_PENDING) or {}
    fresh = bool(pending) and time.time() - pending.get("at", 0) <= _PENDING_SECONDS
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if fresh else None
    if user is None:
        request.session.pop(_PENDING, None)
    return user, pending


def _restart_login(request, message: str):
    request.session.pop(_PENDING, None)
    messages.error(request, message)
    return redirect("accounts:login")


def otp_view(request):
    user, pending = _pending_user(request)
    if user is None:
        return _restart_login(request, _("Your login timed out. Please log in again."))
    if user.otp_confirmed_at is None and not user.otp_secret_cipher:
        otp.otp_begin_enrolment(user=user)  # reset by an admin since the password step
    enrolling = user.otp_confirmed_at is None
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            login.second_factor_check(user, form.cleaned_data["code"], allow_enrolment=True)
        except login.AccountLocked as exc:
            return _restart_login(request, exc.message)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            request.session.pop(_PENDING, None)
            django_login(request, user, backend=_BACKEND)
            return _signed_in(redirect(pending.get("next") or "/"))
    context = {"form": form, "enrolling": enrolling, "pending_user": user}
    if enrolling:
        context |= {"qr_svg": otp.otp_qr_svg(user), "secret": otp.otp_secret(user)}
    return render(request, "accounts/otp.html", context)


@require_POST
def logout_view(request):
    django_logout(request)
    response = redirect("accounts:login")
    response.delete_cookie(_SIGNED_IN_COOKIE, samesite="Lax")
    return response


def _change_password(request, form: PasswordChangeForm) -> bool:
    try:
        login.password_recheck(request.user, form.cleaned_data["old_password"])
    except ApplicationError as exc:
        form.add_error("old_password", exc.message)
        return False
    try:
        services.user_set_password(actor=request.user, user=request.user,
                                   password=form.cleaned_data["new_password"])
    except ApplicationError as exc:
        form.add_error("new_password", exc.message)
        return False
    # Keep this session; the user's other sessions end with the old password hash.
    update_session_auth_hash(request, request.user)
    return True


@login_required
def profile(request):
    password_form = PasswordChangeForm(prefix="pw")
    token_form = TokenForm(prefix="tk")
    new_token = None
    if request.method == "POST" and "pw-old_password" in request.POST:
        password_form = PasswordChangeForm(request.POST, prefix="pw")
        if password_form.is_valid() and _change_password(request, password_form):
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:profile")
    elif request.method == "POST" and "tk-name" in request.POST:
        token_form = TokenForm(request.POST, prefix="tk")
        if token_form.is_valid():
            try:
                _token, new_token = services.api_token_create(
                    actor=request.user, name=token_form.cleaned_data["name"],
                    days=token_form.cleaned_data["days"])
            except ApplicationError as exc:
                token_form.add_error(None, exc.message)
    return render(request, "accounts/profile.html", {
        "password_form": password_form, "token_form": token_form, "new_token": new_token,
        "tokens": selectors.token_list(actor=request.user), "password_rules": password_rules(),
    })


@login_required
@require_POST
def token_revoke(request, token_id: int):
    # Another person's token, or none at all: not theirs to see, so 404 and nothing changes.
    token = get_object_or_404(selectors.token_list(actor=request.user), pk=token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:profile")

