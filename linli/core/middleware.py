"""Request-wide middleware: the UI language and the request context for the audit log."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from linli.core.context import RequestInfo, reset_current_request, set_current_request

LANGUAGE_COOKIE = "linli_language"
_SUPPORTED = {code for code, _name in settings.LANGUAGES}


def client_ip(request) -> str | None:
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


# Machine interfaces used by third-party apps (GeoReport clients are mostly English): there
# an explicit Accept-Language header is a request for that language.
_MACHINE_PREFIXES = ("/open311/",)


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


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "web"
        if request.path.startswith("/api/"):
            channel = "api"
        elif request.path.startswith("/open311/"):
            channel = "open311"
        token = set_current_request(RequestInfo(
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
            channel=channel,
        ))
        try:
            return self.get_response(request)
        finally:
            reset_current_request(token)
