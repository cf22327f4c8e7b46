"""Request-wide middleware: the UI language, the request context for the audit log, and
the page machinery (session, messages) that API calls made with a token skip."""

from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessages
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessions
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from linli.core.context import RequestInfo, reset_current_request, set_current_request
from linli.core.proxies import client_address
from linli.core.redirects import local_url

LANGUAGE_COOKIE = "linli_language"
_SUPPORTED = {code for code, _name in settings.LANGUAGES}


# Machine interfaces used by third-party apps (GeoReport clients are mostly English): there
# an explicit Accept-Language header is a request for that language.
_MACHINE_PREFIXES = ("/open311/",)
_MACHINE_PATHS = ("/api/", "/open311/")


def _from_accept_language(request) -> str:
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return ""


class LanguageMiddleware:
    """Simplified Chinese unless the person asked for English.

    For pages, the browser's Accept-Language is deliberately ignored: an office PC set up
    in English still gets the Chinese UI; the switch in the header (a cookie) chooses
    English. Machine interfaces (Open311) honour an explicit Accept-Language header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(LANGUAGE_COOKIE) or request.GET.get("lang", "")
        if not language and request.path.startswith(_MACHINE_PREFIXES):
            language = _from_accept_language(request)
        if language not in _SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


def _page_of(request, url: str) -> str:
    """The path and query of `url` if it is a page of this site, else ""."""
    parts = urlsplit(local_url(request, url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _login_redirect_for_lost_session(request, response):
    """Where a request whose session has ended is sent to log in, and back to.

    Django sends it to the login page with `next` set to the URL it asked for. For a GET that
    is right. A form's POST URL is not a page (after logging in, the browser would GET it and
    meet 405), so the person comes back to the page the form was on. An HTMX request would
    follow the redirect and paste the whole login page into the fragment it meant to
    replace, so HTMX is told to load the login page in the window instead."""
    htmx = request.headers.get("HX-Request") == "true"
    if response.status_code != 302 or (request.method in ("GET", "HEAD") and not htmx):
        return response
    login_url = resolve_url(settings.LOGIN_URL)
    location = urlsplit(response.get("Location", ""))
    # `next` marks Django's "log in first" redirect; a logout goes to the login page bare.
    if location.path != login_url or "next" not in parse_qs(location.query):
        return response
    came_from = request.headers.get("HX-Current-URL" if htmx else "Referer", "")
    back = _page_of(request, came_from)
    target = login_url + (f"?{urlencode({'next': back})}" if back else "")
    if not htmx:
        return HttpResponseRedirect(target)
    redirect = HttpResponse(status=200)
    redirect["HX-Redirect"] = target
    return redirect


class LostSessionMiddleware:
    """Sends a form or HTMX request whose session has ended to log in and back to the page
    it came from (`_login_redirect_for_lost_session`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return _login_redirect_for_lost_session(request, self.get_response(request))


class RequestContextMiddleware:
    """The request's IP and channel for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "web"
        if request.path.startswith("/api/"):
            channel = "api"
        elif request.path.startswith("/open311/"):
            channel = "open311"
        token = set_current_request(RequestInfo(
            ip=client_address(request.META),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
            channel=channel,
        ))
        try:
            return self.get_response(request)
        finally:
            reset_current_request(token)


# --- what an API call with a token skips ----------------------------------------------------

def token_api_call(request) -> bool:
    """An API call that authenticates with a bearer token. TokenAuth alone decides who it
    is (a bad token is refused, never tried as a session), so it needs no session, and
    it is answered in JSON, so no page messages."""
    return (request.path.startswith("/api/")
            and request.META.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer ")


class SessionMiddleware(DjangoSessions):
    """Django's, except for API calls with a token: no session loaded or saved."""

    def __call__(self, request):
        if token_api_call(request):
            return self.get_response(request)
        return super().__call__(request)


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's, except for API calls with a token: anonymous until TokenAuth sets the
    token's user (an endpoint open to all still finds a `request.user`)."""

    def __call__(self, request):
        if token_api_call(request):
            request.user = AnonymousUser()
            return self.get_response(request)
        return super().__call__(request)


class MessageMiddleware(DjangoMessages):
    """Django's, for pages only: the API and Open311 answer in JSON or XML and never show
    a page message."""

    def __call__(self, request):
        if request.path.startswith(_MACHINE_PATHS):
            return self.get_response(request)
        return super().__call__(request)
