from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from linli.core.errors import ApplicationError


class TokenRefused(ApplicationError):
    status = 401
    code = "bad_token"


class TokenAuth(HttpBearer):
    """`Authorization: Bearer lnl_<prefix>_<secret>`; the request acts as the token's user."""

    def authenticate(self, request, token: str):
        from linli.accounts.services import api_token_lookup, api_token_touch

        found = api_token_lookup(token)
        if found is None:
            raise TokenRefused(_("The API token is not valid."))
        now = timezone.now()
        if found.revoked_at is not None:
            raise TokenRefused(_("This API token has been revoked."), code="token_revoked")
        if found.expires_at <= now:
            raise TokenRefused(_("This API token has expired. Create a new one."),
                               code="token_expired")
        if not found.user.is_active:
            raise TokenRefused(_("The account behind this token is disabled."),
                               code="account_disabled")
        api_token_touch(found, now)
        request.user = found.user
        return found.user


class SessionAuth(NinjaSessionAuth):
    """The browser session. CSRF is checked only once there is a signed-in user: an
    anonymous call is unauthenticated (401) whatever its method, never a CSRF failure (403);
    a signed-in write without the page's CSRF token still answers 403 `csrf_failed`."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)
